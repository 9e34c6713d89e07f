package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.mm.AddressSpace;
import dev.phoenix.libos.proc.Process;

/**
 * Memory locking (mlock(2), mlockall(2)): checked as Linux checks it (mm/mlock.c: the range mapped,
 * the flags, RLIMIT_MEMLOCK unless CAP_IPC_LOCK) and recorded, not pinned: guest pages are the
 * JVM's anonymous memory, which Phoenix never pages out itself. Without the on-fault flags the
 * range is populated, as Linux faults it in, and charged to the memory cgroup. Real-time programs (cyclictest
 * -m) lock their memory first and stop when the call fails.
 */
final class MemoryLockSyscalls {
    private static final int CAP_IPC_LOCK = 14;
    private static final int RLIMIT_MEMLOCK = 8;
    private static final int MLOCK_ONFAULT = 1;
    private static final int MCL_CURRENT = 1, MCL_FUTURE = 2, MCL_ONFAULT = 4;
    private static final long PAGE = AddressSpace.PAGE;

    private MemoryLockSyscalls() {
    }

    /** Whether {@code bytes} more may be locked: CAP_IPC_LOCK, or within RLIMIT_MEMLOCK (EPERM when that is 0). */
    private static void mayLock(SyscallContext c, long bytes) {
        Process p = c.process();
        if (p.credentials().capable(CAP_IPC_LOCK)) {
            return;
        }
        long limit = p.rlimitCur[RLIMIT_MEMLOCK];
        if (limit == 0) {
            throw Errno.of(Errno.EPERM);
        }
        if (limit != -1 && Long.compareUnsigned(bytes, limit) > 0) {
            throw Errno.of(Errno.ENOMEM);
        }
    }

    /** The page-aligned range of {@code [addr, addr+len)}, checked: EINVAL when it wraps, ENOMEM when part is unmapped. */
    private static long[] range(SyscallContext c, long addr, long len) {
        long start = addr & -PAGE;
        long end = (addr + len + PAGE - 1) & -PAGE;
        if (Long.compareUnsigned(addr + len, addr) < 0 || (len != 0 && Long.compareUnsigned(end, start) <= 0)) {
            throw Errno.of(Errno.EINVAL);
        }
        if (end != start && !c.process().addressSpace().isFullyMapped(start, end)) {
            throw Errno.of(Errno.ENOMEM);
        }
        return new long[] {start, end};
    }

    /** Implements Linux mlock(2). */
    static long mlock(SyscallContext c, long addr, long len, long a2, long a3, long a4, long a5) {
        return mlock2(c, addr, len, 0, a3, a4, a5);
    }

    /** Implements Linux mlock2(2): MLOCK_ONFAULT is the one flag. */
    static long mlock2(SyscallContext c, long addr, long len, long flags, long a3, long a4, long a5) {
        if ((flags & ~MLOCK_ONFAULT) != 0) {
            return -Errno.EINVAL;
        }
        mayLock(c, 0); // EPERM before anything about the range, as do_mlock
        long start = addr & -PAGE;
        mayLock(c, ((addr + len + PAGE - 1) & -PAGE) - start);
        long[] r = range(c, addr, len);
        if ((flags & MLOCK_ONFAULT) == 0) {
            MemorySyscalls.populate(c, r[0], r[1], true); // __mm_populate: its failure is not the call's
        }
        return 0;
    }

    /** Implements Linux munlock(2). */
    static long munlock(SyscallContext c, long addr, long len, long a2, long a3, long a4, long a5) {
        range(c, addr, len);
        return 0;
    }

    /** Implements Linux mlockall(2): MCL_CURRENT and/or MCL_FUTURE, optionally MCL_ONFAULT. */
    static long mlockall(SyscallContext c, long flags, long a1, long a2, long a3, long a4, long a5) {
        if (flags == 0 || (flags & ~(long) (MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT)) != 0 || flags == MCL_ONFAULT) {
            return -Errno.EINVAL;
        }
        mayLock(c, 0);
        mayLock(c, (flags & MCL_CURRENT) != 0 ? c.process().addressSpace().mappedBytes() : 0);
        c.process().lockAllFlags = (int) flags;
        if ((flags & (MCL_CURRENT | MCL_ONFAULT)) == MCL_CURRENT) {
            MemorySyscalls.populate(c, 0, c.abi().taskSize(), true); // mm_populate of the whole space
        }
        return 0;
    }

    /** Implements Linux munlockall(2). */
    static long munlockall(SyscallContext c, long a0, long a1, long a2, long a3, long a4, long a5) {
        c.process().lockAllFlags = 0;
        return 0;
    }
}
