package dev.phoenix.abi.linux;

import dev.phoenix.abi.LinuxKernel;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.mm.AddressSpace;
import dev.phoenix.libos.proc.CpuTimes;
import dev.phoenix.libos.proc.Process;

/**
 * A struct rusage as getrusage(2), wait4(2) and waitid(2) fill it (144 bytes, the same on all
 * three arches): user and system time, the largest resident set in KiB, and the voluntary and
 * involuntary context switches; what Phoenix does not count (faults, blocks, IPC, signals) is 0.
 */
record Rusage(CpuTimes.Sample times, long maxRssKib, long voluntary, long involuntary) {
    private static final long NS = 1_000_000_000L;

    /** The whole process now (RUSAGE_SELF): its threads' times, live and exited. */
    static Rusage self(Process p, dev.phoenix.libos.Clock clock) {
        long[] sw = p.contextSwitches();
        return new Rusage(p.cpuTimes(clock), maxRss(p), sw[0], sw[1]);
    }

    /** Its reaped children and theirs (RUSAGE_CHILDREN), read under the process table's lock. */
    static Rusage children(LinuxKernel kernel, Process p) {
        synchronized (kernel.tree()) {
            return new Rusage(new CpuTimes.Sample(p.childrenUserNanos, p.childrenSystemNanos), p.childrenMaxRssKib,
                    p.childrenVoluntarySwitches, p.childrenInvoluntarySwitches);
        }
    }

    /**
     * What wait4(2) reports of zombie {@code child} (Linux's RUSAGE_BOTH): its own times at its
     * exit and those of the children it reaped. The caller holds the process table's lock.
     */
    static Rusage ofZombie(Process child) {
        long[] sw = child.switchesAtExit;
        return new Rusage(child.timesAtExit.plus(new CpuTimes.Sample(child.childrenUserNanos, child.childrenSystemNanos)),
                Math.max(child.maxRssKib, child.childrenMaxRssKib), sw[0] + child.childrenVoluntarySwitches,
                sw[1] + child.childrenInvoluntarySwitches);
    }

    /**
     * The largest resident set {@code p} has been seen with, its present one counted now (Linux's
     * setmax_mm_hiwater_rss): the pages of its mappings the host has present, in KiB.
     */
    static long maxRss(Process p) {
        long now = p.isGone() ? 0 : p.readAddressSpace(AddressSpace::residentBytes, 0L) >> 10;
        long max = Math.max(p.maxRssKib, now);
        p.maxRssKib = max;
        return max;
    }

    /** Writes it at {@code address} (EFAULT when that is not writable). */
    void write(SyscallContext c, long address) {
        byte[] r = new byte[144];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(r).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, times.user() / NS).putLong(8, times.user() % NS / 1000);
        b.putLong(16, times.system() / NS).putLong(24, times.system() % NS / 1000);
        b.putLong(32, maxRssKib);
        b.putLong(128, voluntary).putLong(136, involuntary);
        c.memory().write(address, r);
    }
}
