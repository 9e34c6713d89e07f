package dev.phoenix.emu.unicorn;

import dev.phoenix.emu.Prot;

/**
 * The protections of the guest's address space as the engine has them: a step function over
 * (unsigned) addresses, kept beside Unicorn's own map so that the TLB fill hook answers with one
 * binary search and no native call. {@link UnicornCpu} changes both together, after the engine
 * accepted the change, so they never disagree.
 */
final class PageProtections {
    /** The protections of an address nothing is mapped at. */
    static final int UNMAPPED = -1;

    /** Run i covers [starts[i], starts[i+1]) (the last one to the top) with prots[i]; starts[0] is 0. */
    private long[] starts = {0};
    private int[] prots = {UNMAPPED};
    private int size = 1;

    /** The protections ({@link Prot} bits) at {@code address}, or {@link #UNMAPPED}. */
    int get(long address) {
        return prots[runAt(address)];
    }

    private int runAt(long address) {
        int lo = 0;
        int hi = size - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (Long.compareUnsigned(starts[mid], address) <= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** Records {@code prot} (or {@link #UNMAPPED}) over {@code [start, end)}; {@code end} 0 is the top. */
    void set(long start, long end, int prot) {
        int atEnd = end == 0 ? UNMAPPED : get(end);
        long[] s = new long[size + 2];
        int[] p = new int[size + 2];
        int n = 0;
        int i = 0;
        for (; i < size && Long.compareUnsigned(starts[i], start) < 0; i++) {
            n = append(s, p, n, starts[i], prots[i]);
        }
        n = append(s, p, n, start, prot);
        while (i < size && (end == 0 || Long.compareUnsigned(starts[i], end) <= 0)) {
            i++;
        }
        if (end != 0) {
            n = append(s, p, n, end, atEnd);
        }
        for (; i < size; i++) {
            n = append(s, p, n, starts[i], prots[i]);
        }
        starts = s;
        prots = p;
        size = n;
    }

    /** Appends a run unless it continues the previous one with the same protections. */
    private static int append(long[] s, int[] p, int n, long start, int prot) {
        if (n > 0 && p[n - 1] == prot) {
            return n;
        }
        s[n] = start;
        p[n] = prot;
        return n + 1;
    }

    /** The lowest address with nothing mapped there (the start of a run), or -1 when everything is mapped. */
    long lowestUnmapped() {
        for (int i = 0; i < size; i++) {
            if (prots[i] == UNMAPPED) {
                return starts[i];
            }
        }
        return -1;
    }
}
