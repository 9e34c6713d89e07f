package dev.phoenix.libos.ns;

import dev.phoenix.libos.Errno;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A user namespace's uid_map or gid_map (user_namespaces(7), Linux's {@code struct uid_gid_map}):
 * up to 340 extents, each {@code count} ids from {@code first} inside the namespace standing for
 * as many kernel ids from {@code lower}. Immutable; the lower ids are kernel-wide, as Linux's
 * map_write stores them after mapping what the writer gave through the parent's map.
 */
public final class IdMap {
    /** UID_GID_MAP_MAX_EXTENTS. */
    public static final int MAX_EXTENTS = 340;
    /** (u32) -1: never a valid id, what the map functions return for "no mapping". */
    public static final int INVALID = -1;

    /** One line of the map: ids {@code first..first+count-1} inside are {@code lower..} outside. */
    public record Extent(int first, int lower, int count) {
        boolean holdsInside(int id, int n) {
            return Integer.compareUnsigned(id, first) >= 0
                    && Integer.toUnsignedLong(id) + n <= Integer.toUnsignedLong(first) + Integer.toUnsignedLong(count);
        }

        boolean holdsOutside(int id) {
            return Integer.compareUnsigned(id, lower) >= 0
                    && Integer.toUnsignedLong(id) < Integer.toUnsignedLong(lower) + Integer.toUnsignedLong(count);
        }
    }

    /** The initial namespace's map: every id is itself ("0 0 4294967295"). */
    public static final IdMap IDENTITY = new IdMap(List.of(new Extent(0, 0, -1)));

    private final List<Extent> extents;

    public IdMap(List<Extent> extents) {
        this.extents = List.copyOf(extents);
    }

    public List<Extent> extents() {
        return extents;
    }

    /** Linux's map_id_down: the kernel id of inside id {@code id}, or {@link #INVALID}. */
    public int down(int id) {
        return downRange(id, 1);
    }

    /** map_id_range_down: the outside id of inside ids {@code id..id+n-1}, all in one extent, or {@link #INVALID}. */
    public int downRange(int id, int n) {
        if (this == IDENTITY) {
            return id;
        }
        for (Extent e : extents) {
            if (e.holdsInside(id, n)) {
                return id - e.first + e.lower;
            }
        }
        return INVALID;
    }

    /** Linux's map_id_up: the inside id of kernel id {@code kid}, or {@link #INVALID}. */
    public int up(int kid) {
        if (this == IDENTITY) {
            return kid;
        }
        for (Extent e : extents) {
            if (e.holdsOutside(kid)) {
                return kid - e.lower + e.first;
            }
        }
        return INVALID;
    }

    /**
     * Parses what a write to uid_map or gid_map gives, as Linux's map_write does: lines of three
     * decimal numbers "first lower count" separated by spaces, neither id (u32) -1, count not 0
     * and no range wrapping, no two extents overlapping inside or outside, at most
     * {@link #MAX_EXTENTS}; EINVAL otherwise. The lower ids are still the writer's (the parent
     * namespace's), to be mapped down by the caller.
     */
    public static List<Extent> parse(byte[] text) {
        String s = new String(text, StandardCharsets.ISO_8859_1);
        int nul = s.indexOf('\0');
        if (nul >= 0) {
            s = s.substring(0, nul); // memdup_user_nul: the string ends at the first NUL
        }
        List<Extent> out = new ArrayList<>();
        int pos = 0;
        while (pos >= 0 && pos <= s.length()) {
            int nl = s.indexOf('\n', pos);
            String line = nl < 0 ? s.substring(pos) : s.substring(pos, nl);
            int next = nl < 0 || nl + 1 >= s.length() ? -1 : nl + 1;
            long[] v = new long[3];
            int[] at = {0};
            for (int i = 0; i < 3; i++) {
                skipSpaces(line, at);
                v[i] = number(line, at);
                boolean space = at[0] < line.length() && isSpace(line.charAt(at[0]));
                if (i < 2 ? !space : at[0] < line.length() && !space) {
                    throw Errno.of(Errno.EINVAL);
                }
            }
            skipSpaces(line, at);
            if (at[0] != line.length()) {
                throw Errno.of(Errno.EINVAL);
            }
            int first = (int) v[0], lower = (int) v[1], count = (int) v[2];
            if (first == INVALID || lower == INVALID) {
                throw Errno.of(Errno.EINVAL);
            }
            long c = Integer.toUnsignedLong(count);
            if (c == 0 || Integer.toUnsignedLong(first) + c > 0xffffffffL
                    || Integer.toUnsignedLong(lower) + c > 0xffffffffL) {
                throw Errno.of(Errno.EINVAL);
            }
            Extent e = new Extent(first, lower, count);
            for (Extent o : out) {
                if (overlaps(o.first, o.count, e.first, e.count) || overlaps(o.lower, o.count, e.lower, e.count)) {
                    throw Errno.of(Errno.EINVAL);
                }
            }
            if (out.size() + 1 == MAX_EXTENTS && next >= 0) {
                throw Errno.of(Errno.EINVAL);
            }
            out.add(e);
            pos = next;
        }
        if (out.isEmpty()) {
            throw Errno.of(Errno.EINVAL);
        }
        return out;
    }

    private static boolean overlaps(int a, int an, int b, int bn) {
        long a0 = Integer.toUnsignedLong(a), b0 = Integer.toUnsignedLong(b);
        return a0 < b0 + Integer.toUnsignedLong(bn) && b0 < a0 + Integer.toUnsignedLong(an);
    }

    private static boolean isSpace(char ch) {
        return ch == ' ' || (ch >= '\t' && ch <= '\r');
    }

    private static void skipSpaces(String s, int[] at) {
        while (at[0] < s.length() && isSpace(s.charAt(at[0]))) {
            at[0]++;
        }
    }

    /** simple_strtoul(s, &end, 10): the digits there (none is 0), wrapping as an unsigned long does. */
    private static long number(String s, int[] at) {
        long v = 0;
        while (at[0] < s.length() && s.charAt(at[0]) >= '0' && s.charAt(at[0]) <= '9') {
            v = v * 10 + (s.charAt(at[0]) - '0');
            at[0]++;
        }
        return v;
    }

    /**
     * The map as /proc/PID/uid_map shows it to a reader whose view of the lower ids is
     * {@code viewer}: "%10u %10u %10u" per extent, lower ids seen through {@code viewer}
     * (uid_m_show; an id it cannot see shows as (u32) -1, 4294967295).
     */
    public String text(IdMap viewer) {
        StringBuilder sb = new StringBuilder();
        for (Extent e : extents) {
            sb.append(String.format("%10s %10s %10s%n", Integer.toUnsignedString(e.first),
                    Integer.toUnsignedString(viewer.up(e.lower)), Integer.toUnsignedString(e.count)));
        }
        return sb.toString();
    }
}
