package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.Prot;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.mm.GuestMemory;

/**
 * futex(2) for a process of one thread, which is what a Phoenix process is until clone(2) makes
 * threads: there is never another waiter, so a wake wakes nobody (0), a wait blocks until its
 * timeout or a signal, and the compare, requeue and wake-op parts do exactly what Linux does to
 * guest memory and return what Linux returns. glibc calls it even in single-threaded programs
 * (pthread_once, condition variables and semaphores with timeouts, the locks of its stdio), and
 * aborts when it fails. The priority-inheritance operations arrive with threads (ENOSYS).
 */
final class FutexSyscalls {
    private FutexSyscalls() {}

    static final int FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_FD = 2, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4,
            FUTEX_WAKE_OP = 5, FUTEX_LOCK_PI = 6, FUTEX_UNLOCK_PI = 7, FUTEX_TRYLOCK_PI = 8, FUTEX_WAIT_BITSET = 9,
            FUTEX_WAKE_BITSET = 10, FUTEX_WAIT_REQUEUE_PI = 11, FUTEX_CMP_REQUEUE_PI = 12, FUTEX_LOCK_PI2 = 13;
    static final int FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256, FUTEX_CMD_MASK = ~(128 | 256);
    private static final int FUTEX_OP_OPARG_SHIFT = 8;
    private static final long NS = 1_000_000_000L;

    /** Implements Linux futex(2); {@code timeout} doubles as val2 for the requeue operations, as in Linux. */
    static long futex(SyscallContext c, long uaddr, long op, long val, long timeout, long uaddr2, long val3) {
        int cmd = (int) op & FUTEX_CMD_MASK;
        boolean realtime = ((int) op & FUTEX_CLOCK_REALTIME) != 0;
        if (realtime && cmd != FUTEX_WAIT && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT_REQUEUE_PI
                && cmd != FUTEX_LOCK_PI2) {
            return -Errno.ENOSYS;
        }
        boolean shared = ((int) op & FUTEX_PRIVATE_FLAG) == 0;
        GuestMemory mem = c.memory();
        return switch (cmd) {
            case FUTEX_WAIT -> wait(c, uaddr, (int) val, timeout, false, realtime, -1);
            case FUTEX_WAIT_BITSET -> wait(c, uaddr, (int) val, timeout, true, realtime, (int) val3);
            case FUTEX_WAKE -> wake(mem, uaddr, shared, -1);
            case FUTEX_WAKE_BITSET -> wake(mem, uaddr, shared, (int) val3);
            case FUTEX_REQUEUE -> requeue(mem, uaddr, uaddr2, (int) val, (int) timeout, false, 0);
            case FUTEX_CMP_REQUEUE -> requeue(mem, uaddr, uaddr2, (int) val, (int) timeout, true, (int) val3);
            case FUTEX_WAKE_OP -> wakeOp(mem, uaddr, uaddr2, (int) val3);
            default -> -Errno.ENOSYS; // FUTEX_FD (gone since 2.6.26) and the PI operations
        };
    }

    /** The futex word's address: 4-byte aligned (EINVAL), and for a shared futex mapped (EFAULT). */
    private static void key(GuestMemory mem, long uaddr, boolean shared) {
        if ((uaddr & 3) != 0) {
            throw Errno.of(Errno.EINVAL);
        }
        if (shared && mem.accessible(uaddr, 4, Prot.READ) < 4) {
            throw Errno.of(Errno.EFAULT);
        }
    }

    private static long wait(SyscallContext c, long uaddr, int val, long timeout, boolean absolute, boolean realtime,
            int bitset) {
        GuestMemory mem = c.memory();
        Clock clock = c.kernel().clock();
        long deadline = Long.MAX_VALUE;
        if (timeout != 0) { // read and checked first, as sys_futex does
            long ns = TimeSyscalls.timespecNanos(c, timeout);
            if (!absolute) {
                deadline = TimeSyscalls.deadlineAfter(clock, ns);
            } else {
                long now = realtime ? clock.realtimeNanos() : clock.monotonicNanos();
                deadline = TimeSyscalls.deadlineAfter(clock, Math.max(0, ns - now));
            }
        }
        if (absolute && bitset == 0) {
            return -Errno.EINVAL;
        }
        key(mem, uaddr, false);
        if (mem.readInt(uaddr) != val) {
            return -Errno.EAGAIN;
        }
        // No other thread can wake it: only the timeout or a signal ends the wait.
        if (!c.task().sleepUntil(deadline, clock)) {
            return -Errno.ETIMEDOUT;
        }
        return timeout == 0 ? -Errno.ERESTARTSYS : -Errno.ERESTART_RESTARTBLOCK;
    }

    private static long wake(GuestMemory mem, long uaddr, boolean shared, int bitset) {
        if (bitset == 0) {
            return -Errno.EINVAL;
        }
        key(mem, uaddr, shared);
        return 0; // nobody waits
    }

    private static long requeue(GuestMemory mem, long uaddr, long uaddr2, int nrWake, int nrRequeue, boolean compare,
            int expected) {
        if (nrWake < 0 || nrRequeue < 0) {
            return -Errno.EINVAL;
        }
        key(mem, uaddr, false);
        key(mem, uaddr2, false);
        if (compare && mem.readInt(uaddr) != expected) {
            return -Errno.EAGAIN;
        }
        return 0; // nobody to wake or move
    }

    /**
     * FUTEX_WAKE_OP: atomically (one thread: simply) applies the encoded operation to the word at
     * {@code uaddr2}, then would wake waiters on both words; there are none.
     */
    private static long wakeOp(GuestMemory mem, long uaddr, long uaddr2, int encoded) {
        int op = (encoded >>> 28) & 15;
        int cmp = (encoded >>> 24) & 15;
        int oparg = (encoded << 8) >> 20; // bits 12-23, sign-extended
        if ((op & FUTEX_OP_OPARG_SHIFT) != 0) {
            oparg = 1 << (oparg & 31);
            op &= 7;
        }
        if (op > 4 || cmp > 5) {
            return -Errno.ENOSYS;
        }
        key(mem, uaddr, false);
        key(mem, uaddr2, false);
        if (mem.accessible(uaddr2, 4, Prot.WRITE) < 4) {
            return -Errno.EFAULT;
        }
        int old = mem.readInt(uaddr2);
        int updated = switch (op) {
            case 0 -> oparg; // FUTEX_OP_SET
            case 1 -> old + oparg; // FUTEX_OP_ADD
            case 2 -> old | oparg; // FUTEX_OP_OR
            case 3 -> old & ~oparg; // FUTEX_OP_ANDN
            default -> old ^ oparg; // FUTEX_OP_XOR
        };
        mem.writeInt(uaddr2, updated);
        return 0; // the comparison only decides whether uaddr2's waiters wake; there are none
    }
}
