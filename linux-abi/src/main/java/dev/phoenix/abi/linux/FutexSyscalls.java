package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.Prot;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.mm.GuestMemory;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.libos.proc.WaitQueue;

/**
 * futex(2) and futex_waitv(2) over the kernel's {@link dev.phoenix.libos.proc.FutexTable}.
 * Waiters park on the futex's queue ({@link Task#block}); the threads of one address space run
 * one at a time on its engine, so checking the word and queueing the waiter are atomic with
 * respect to every waker, as the hash bucket lock makes them in Linux. Keys, as Linux's
 * get_futex_key: a shared operation on MAP_SHARED memory is keyed by the file and offset (or the
 * shared frames), so two mappings of one page meet; everything else by address space and
 * address. The priority-inheritance operations are {@link PiFutexSyscalls}'.
 */
public final class FutexSyscalls {
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
        return switch (cmd) {
            case FUTEX_WAIT -> wait(c, uaddr, shared, (int) val, timeout, false, realtime, -1);
            case FUTEX_WAIT_BITSET -> wait(c, uaddr, shared, (int) val, timeout, true, realtime, (int) val3);
            case FUTEX_WAKE -> wake(c, uaddr, shared, (int) val, -1);
            case FUTEX_WAKE_BITSET -> wake(c, uaddr, shared, (int) val, (int) val3);
            case FUTEX_REQUEUE -> requeue(c, uaddr, uaddr2, shared, (int) val, (int) timeout, false, 0);
            case FUTEX_CMP_REQUEUE -> requeue(c, uaddr, uaddr2, shared, (int) val, (int) timeout, true, (int) val3);
            case FUTEX_WAKE_OP -> wakeOp(c, uaddr, uaddr2, shared, (int) val, (int) timeout, (int) val3);
            case FUTEX_LOCK_PI -> PiFutexSyscalls.lockPi(c, uaddr, shared, timeout, true, false); // CLOCK_REALTIME
            case FUTEX_LOCK_PI2 -> PiFutexSyscalls.lockPi(c, uaddr, shared, timeout, realtime, false);
            case FUTEX_TRYLOCK_PI -> PiFutexSyscalls.lockPi(c, uaddr, shared, 0, false, true);
            case FUTEX_UNLOCK_PI -> PiFutexSyscalls.unlockPi(c, uaddr, shared);
            case FUTEX_WAIT_REQUEUE_PI -> PiFutexSyscalls.waitRequeuePi(c, uaddr, shared, (int) val, timeout, uaddr2,
                    realtime);
            case FUTEX_CMP_REQUEUE_PI -> PiFutexSyscalls.cmpRequeuePi(c, uaddr, uaddr2, shared, (int) val,
                    (int) timeout, (int) val3);
            default -> -Errno.ENOSYS; // FUTEX_FD (gone since 2.6.26)
        };
    }

    /** A futex's key in the table: the space it is in and its address there. */
    record Where(Object space, long address) {}

    /**
     * Where the futex at {@code uaddr} is: a shared operation on shared memory meets every
     * process mapping the same page ({@link dev.phoenix.libos.mm.AddressSpace#sharedKey}); any
     * other is keyed by the address space and address, as Linux keys private memory for shared
     * operations too.
     */
    static Where where(SyscallContext c, long uaddr, boolean shared) {
        if (shared) {
            var k = c.process().addressSpace().sharedKey(uaddr);
            if (k != null) {
                return new Where(k.object(), k.offset());
            }
        }
        return new Where(c.process().addressSpace(), uaddr);
    }

    private static WaitQueue queue(SyscallContext c, Where w) {
        return c.kernel().futexes().queue(w.space(), w.address());
    }

    private static int wake(SyscallContext c, Where w, int n, int bitset) {
        return c.kernel().futexes().wake(w.space(), w.address(), n, bitset);
    }

    /**
     * Wakes up to {@code n} waiters of the calling process's futex at {@code uaddr}, as a shared
     * wake (a thread's exit, clear_child_tid); none when the futex is a PI one (Linux's
     * futex_wake refuses it).
     */
    public static int wakeAt(SyscallContext c, long uaddr, int n) {
        try {
            return wake(c, where(c, uaddr, true), n, -1);
        } catch (Errno e) {
            return 0;
        }
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

    private static long wait(SyscallContext c, long uaddr, boolean shared, int val, long timeout, boolean absolute,
            boolean realtime, int bitset) {
        GuestMemory mem = c.memory();
        Clock clock = c.kernel().clock();
        Task task = c.task();
        long deadline = Long.MAX_VALUE;
        if (!task.resuming()) { // a wait that parked and runs again has checked all this already
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
        }
        task.setWaitBitset(bitset);
        // Run again after parking, the task is on its queue still (FUTEX_REQUEUE may have moved it) or woken.
        WaitQueue[] queues = task.resuming() ? new WaitQueue[0]
                : new WaitQueue[] {queue(c, where(c, uaddr, shared))};
        return switch (task.block(deadline, task::woken, queues)) {
            case READY -> 0;
            case TIMED_OUT -> -Errno.ETIMEDOUT;
            case SIGNALED -> timeout == 0 ? -Errno.ERESTARTSYS : -Errno.ERESTART_RESTARTBLOCK;
        };
    }

    private static long wake(SyscallContext c, long uaddr, boolean shared, int n, int bitset) {
        if (bitset == 0) {
            return -Errno.EINVAL;
        }
        key(c.memory(), uaddr, shared);
        return wake(c, where(c, uaddr, shared), n, bitset);
    }

    private static long requeue(SyscallContext c, long uaddr, long uaddr2, boolean shared, int nrWake, int nrRequeue,
            boolean compare, int expected) {
        GuestMemory mem = c.memory();
        if (nrWake < 0 || nrRequeue < 0) {
            return -Errno.EINVAL;
        }
        key(mem, uaddr, false);
        key(mem, uaddr2, false);
        if (compare && mem.readInt(uaddr) != expected) {
            return -Errno.EAGAIN;
        }
        Where from = where(c, uaddr, shared);
        Where to = where(c, uaddr2, shared);
        return c.kernel().futexes().requeue(from.space(), from.address(), to.space(), to.address(), nrWake, nrRequeue);
    }

    /**
     * FUTEX_WAKE_OP: atomically (no other thread of the address space runs meanwhile) applies the
     * encoded operation to the word at {@code uaddr2}, wakes up to {@code nWake} waiters of
     * {@code uaddr}, and, when the old value passes the encoded comparison, up to {@code nWake2}
     * of {@code uaddr2}; returns how many it woke.
     */
    private static long wakeOp(SyscallContext c, long uaddr, long uaddr2, boolean shared, int nWake, int nWake2,
            int encoded) {
        GuestMemory mem = c.memory();
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
        int cmparg = encoded & 0xfff;
        cmparg = (cmparg << 20) >> 20; // sign-extended, as Linux's sign_extend32(encoded, 11)
        boolean second = switch (cmp) {
            case 0 -> old == cmparg; // FUTEX_OP_CMP_EQ
            case 1 -> old != cmparg; // NE
            case 2 -> old < cmparg; // LT
            case 3 -> old <= cmparg; // LE
            case 4 -> old > cmparg; // GT
            default -> old >= cmparg; // GE
        };
        int woken = wake(c, where(c, uaddr, shared), nWake, -1);
        if (second) {
            woken += wake(c, where(c, uaddr2, shared), nWake2, -1);
        }
        return woken;
    }

    /** futex_waitv(2)'s limits and flags (include/uapi/linux/futex.h). */
    private static final int FUTEX_WAITV_MAX = 128, FUTEX2_SIZE_U32 = 2, FUTEX2_SIZE_MASK = 3, FUTEX2_PRIVATE = 128;

    /**
     * Implements Linux futex_waitv(2): waits on up to 128 32-bit futexes at once until one is
     * woken (returning its index), a value differs at the start (EAGAIN), the absolute timeout on
     * {@code clockid} passes (ETIMEDOUT), or a signal comes.
     */
    static long futexWaitv(SyscallContext c, long waiters, long count, long flags, long timeout, long clockid,
            long a5) {
        count &= 0xffffffffL; // an unsigned int
        if (flags != 0 || count == 0 || count > FUTEX_WAITV_MAX || waiters == 0) {
            return -Errno.EINVAL;
        }
        if (timeout != 0 && clockid != TimeSyscalls.CLOCK_MONOTONIC && clockid != TimeSyscalls.CLOCK_REALTIME) {
            return -Errno.EINVAL;
        }
        Task task = c.task();
        GuestMemory mem = c.memory();
        Clock clock = c.kernel().clock();
        int n = (int) count;
        long[] addrs = new long[n];
        int[] vals = new int[n];
        Where[] places = new Where[n];
        for (int i = 0; i < n; i++) { // struct futex_waitv: u64 val, u64 uaddr, u32 flags, u32 reserved
            long at = waiters + 24L * i;
            vals[i] = (int) mem.readLong(at);
            addrs[i] = mem.readLong(at + 8);
            int f = mem.readInt(at + 16);
            if (mem.readInt(at + 20) != 0 || (f & ~(FUTEX2_SIZE_MASK | FUTEX2_PRIVATE)) != 0
                    || (f & FUTEX2_SIZE_MASK) != FUTEX2_SIZE_U32) {
                return -Errno.EINVAL;
            }
            key(mem, addrs[i], false);
            places[i] = where(c, addrs[i], (f & FUTEX2_PRIVATE) == 0);
        }
        long deadline = Long.MAX_VALUE;
        if (!task.resuming()) {
            if (timeout != 0) {
                long ns = TimeSyscalls.timespecNanos(c, timeout);
                long now = clockid == TimeSyscalls.CLOCK_REALTIME ? clock.realtimeNanos() : clock.monotonicNanos();
                deadline = TimeSyscalls.deadlineAfter(clock, Math.max(0, ns - now));
            }
            for (int i = 0; i < n; i++) {
                if (mem.readInt(addrs[i]) != vals[i]) {
                    return -Errno.EAGAIN;
                }
            }
        }
        WaitQueue[] queues = new WaitQueue[task.resuming() ? 0 : n]; // run again: still queued, or woken
        for (int i = 0; i < queues.length; i++) {
            queues[i] = queue(c, places[i]);
        }
        return switch (task.block(deadline, task::woken, queues)) {
            case READY -> {
                long by = task.wokenBy().address();
                int index = 0;
                for (int i = 0; i < n; i++) {
                    if (places[i].address() == by) {
                        index = i;
                        break;
                    }
                }
                yield index;
            }
            case TIMED_OUT -> -Errno.ETIMEDOUT;
            case SIGNALED -> -Errno.ERESTARTSYS;
        };
    }
}
