package dev.phoenix.abi.linux;

import dev.phoenix.abi.Signals;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.Prot;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.PosixTimer;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.Task;

/**
 * POSIX timers: timer_create(2), timer_settime(2), timer_gettime(2), timer_getoverrun(2) and
 * timer_delete(2), as Linux's kernel/time/posix-timers.c answers them, on the wall clocks
 * (REALTIME, MONOTONIC, BOOTTIME, TAI, and the _ALARM clocks for a process with CAP_WAKE_ALARM:
 * Phoenix's machine has a real-time clock, so Linux's EOPNOTSUPP for a machine without one does
 * not arise) and the CPU-time clocks ({@link CpuClocks}). The timer's state machine is
 * {@link PosixTimer}'s; its signal goes out through {@link SignalSyscalls#postTimer}.
 *
 * <p>Ids are per process and count up from 0 without reuse until they wrap, as
 * posix_timer_add gives them; a creation that fails after taking an id (a bad sigevent, an
 * unwritable id, a CPU clock of a thread outside the process, an alarm clock refused) leaves
 * it taken. Each timer is charged to RLIMIT_SIGPENDING for its preallocated siginfo (EAGAIN
 * past it). A sigevent's SIGEV_THREAD is implemented by glibc and musl on top of
 * SIGEV_THREAD_ID; the kernel takes a raw SIGEV_THREAD as SIGEV_SIGNAL.
 */
final class TimerSyscalls {
    private TimerSyscalls() {}

    private static final int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_MONOTONIC_RAW = 4,
            CLOCK_REALTIME_COARSE = 5, CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7, CLOCK_REALTIME_ALARM = 8,
            CLOCK_BOOTTIME_ALARM = 9, CLOCK_TAI = 11;
    private static final int TIMER_ABSTIME = 1;
    /** struct sigevent: si_value at 0, sigev_signo at 8, sigev_notify at 12, sigev_notify_thread_id at 16; 64 bytes. */
    private static final int SIGEVENT_SIZE = 64;
    /** CAP_WAKE_ALARM (capabilities(7)), which the _ALARM clocks need. */
    private static final int CAP_WAKE_ALARM = 35;
    private static final long NS = 1_000_000_000L;

    /** Implements Linux timer_create(2). */
    static long timerCreate(SyscallContext c, long clockid, long sevp, long timerid, long a3, long a4, long a5) {
        int clock = (int) clockid;
        int notify = PosixTimer.SIGEV_SIGNAL, signo = Signals.SIGALRM, tid = 0;
        long value = 0;
        boolean defaults = sevp == 0;
        if (!defaults) {
            if (c.memory().accessible(sevp, SIGEVENT_SIZE, Prot.READ) < SIGEVENT_SIZE) {
                return -Errno.EFAULT;
            }
            value = c.memory().readLong(sevp);
            signo = c.memory().readInt(sevp + 8);
            notify = c.memory().readInt(sevp + 12);
            tid = c.memory().readInt(sevp + 16);
        }
        if (!hasTimers(clock)) {
            return CpuClocks.isDynamic(clock) || isWallClock(clock) ? -Errno.EOPNOTSUPP : -Errno.EINVAL;
        }
        Process p = c.process();
        if (p.queuedSignals().incrementAndGet() > p.sigPendingLimit()) { // its preallocated siginfo (sigqueue_alloc)
            p.queuedSignals().decrementAndGet();
            return -Errno.EAGAIN;
        }
        int id = p.timers.allocateId();
        if (id < 0) {
            p.queuedSignals().decrementAndGet();
            return -Errno.EAGAIN;
        }
        try {
            if (defaults) {
                value = id; // SIGALRM with the timer's id as si_value
            }
            Task target = sigevent(c, notify, signo, tid);
            c.memory().writeInt(timerid, id);
            PosixTimer.Base base = base(c, clock);
            Clock k = c.kernel().clock();
            PosixTimer t = new PosixTimer(id, clock, p, notify, signo, value, target, base,
                    timer -> SignalSyscalls.postTimer(k, timer));
            p.timers.add(t);
            return 0;
        } catch (Errno e) {
            p.timers.release(id);
            p.queuedSignals().decrementAndGet();
            throw e;
        }
    }

    /** True for a clock Linux has timers on (a k_clock with timer_create). */
    private static boolean hasTimers(int clock) {
        return switch (clock) {
            case CLOCK_REALTIME, CLOCK_MONOTONIC, CpuClocks.CLOCK_PROCESS_CPUTIME_ID, CpuClocks.CLOCK_THREAD_CPUTIME_ID,
                    CLOCK_BOOTTIME, CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME_ALARM, CLOCK_TAI -> true;
            default -> clock < 0 && !CpuClocks.isDynamic(clock);
        };
    }

    /** True for a clock Linux has but keeps no timers on (the raw and coarse ones). */
    private static boolean isWallClock(int clock) {
        return clock == CLOCK_MONOTONIC_RAW || clock == CLOCK_REALTIME_COARSE || clock == CLOCK_MONOTONIC_COARSE;
    }

    /**
     * Checks a sigevent as Linux's good_sigevent does and returns the thread SIGEV_THREAD_ID
     * names (null for the others): that thread must be one of the caller's process, and a
     * signal's number 1-64; SIGEV_NONE needs neither. EINVAL otherwise.
     */
    private static Task sigevent(SyscallContext c, int notify, int signo, int tid) {
        Task target = null;
        switch (notify) {
            case PosixTimer.SIGEV_THREAD_ID -> {
                target = c.process().task(tid);
                if (target == null) {
                    throw Errno.of(Errno.EINVAL);
                }
                checkSigno(signo);
            }
            case PosixTimer.SIGEV_SIGNAL, PosixTimer.SIGEV_THREAD -> checkSigno(signo);
            case PosixTimer.SIGEV_NONE -> { }
            default -> throw Errno.of(Errno.EINVAL);
        }
        return target;
    }

    private static void checkSigno(int signo) {
        if (signo <= 0 || signo > Signals.NSIG) {
            throw Errno.of(Errno.EINVAL);
        }
    }

    /**
     * The time base of a timer on {@code clock}: the kernel clock's monotonic queue for the wall
     * clocks (the _ALARM ones for a process with CAP_WAKE_ALARM, else EPERM), the CPU-time base
     * of the process or thread for a CPU clock (EINVAL for one the caller may not use).
     */
    private static PosixTimer.Base base(SyscallContext c, int clock) {
        Clock k = c.kernel().clock();
        if (CpuClocks.isCpuClock(clock)) {
            CpuClocks.CpuClock cpu = CpuClocks.resolve(c, clock, false);
            return new PosixTimer.Base(() -> cpu.now(k), cpu.base(k).queue(cpu.userOnly()), true);
        }
        if ((clock == CLOCK_REALTIME_ALARM || clock == CLOCK_BOOTTIME_ALARM)
                && !c.process().credentials().capable(CAP_WAKE_ALARM)) {
            throw Errno.of(Errno.EPERM);
        }
        return new PosixTimer.Base(k::kernelNanos, k.timers(), false);
    }

    private static PosixTimer timer(SyscallContext c, long id) {
        PosixTimer t = (int) id < 0 ? null : c.process().timers.get((int) id);
        if (t == null) {
            throw Errno.of(Errno.EINVAL);
        }
        return t;
    }

    /** Implements Linux timer_settime(2): relative or TIMER_ABSTIME; the old setting to {@code oldValue}. */
    static long timerSettime(SyscallContext c, long id, long flags, long newValue, long oldValue, long a4, long a5) {
        if (newValue == 0) {
            return -Errno.EINVAL;
        }
        long every = timespec(c, newValue);
        long value = timespec(c, newValue + 16);
        if (every < 0 || value < 0) {
            return -Errno.EINVAL;
        }
        PosixTimer t = timer(c, id);
        boolean absolute = (flags & TIMER_ABSTIME) != 0;
        if (absolute && value != 0) {
            value = Math.max(1, onBase(c, t.clockId(), value)); // 1: already past, but not "disarm"
        }
        if (value != 0 && t.notifies()) {
            SignalSyscalls.exactStopsFromNowOn(c); // stops come from the timer's thread from now on
        }
        long[] old = t.set(absolute, value, every);
        if (value != 0 && c.kernel().clock().isVirtual()) {
            c.cpu().requestStop(); // the run loop counts instructions up to the new expiry
        }
        if (oldValue != 0) {
            writeItimerspec(c, oldValue, old);
        }
        return 0;
    }

    /**
     * An absolute time {@code at} of clock {@code clockId} as a time of the timer's base: the
     * wall clocks' timers are kept on the monotonic clock, so a realtime (or TAI) instant becomes
     * the monotonic time it will be then; the others are their base's own time.
     */
    private static long onBase(SyscallContext c, int clockId, long at) {
        Clock k = c.kernel().clock();
        return switch (clockId) {
            case CLOCK_REALTIME, CLOCK_REALTIME_ALARM -> at - (k.realtimeNanos() - k.kernelNanos());
            case CLOCK_TAI -> at - 37 * NS - (k.realtimeNanos() - k.kernelNanos());
            default -> at;
        };
    }

    /** Implements Linux timer_gettime(2). */
    static long timerGettime(SyscallContext c, long id, long currValue, long a2, long a3, long a4, long a5) {
        writeItimerspec(c, currValue, timer(c, id).get());
        return 0;
    }

    /** Implements Linux timer_getoverrun(2). */
    static long timerGetoverrun(SyscallContext c, long id, long a1, long a2, long a3, long a4, long a5) {
        return timer(c, id).overrun();
    }

    /** Implements Linux timer_delete(2): the id is free again once the counter comes round to it. */
    static long timerDelete(SyscallContext c, long id, long a1, long a2, long a3, long a4, long a5) {
        PosixTimer t = (int) id < 0 ? null : c.process().timers.remove((int) id);
        if (t == null) {
            return -Errno.EINVAL;
        }
        t.delete();
        return 0;
    }

    /** A timespec in ns; -1 for one Linux's timespec64_valid refuses (negative, or 1e9 ns or more). */
    private static long timespec(SyscallContext c, long address) {
        long sec = c.memory().readLong(address);
        long nsec = c.memory().readLong(address + 8);
        if (sec < 0 || nsec < 0 || nsec >= NS) {
            return -1;
        }
        return sec > Long.MAX_VALUE / NS - 1 ? Long.MAX_VALUE : sec * NS + nsec;
    }

    /** Writes a struct itimerspec: {@code v} is {time left, interval}; the interval comes first. */
    private static void writeItimerspec(SyscallContext c, long address, long[] v) {
        byte[] b = new byte[32];
        java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, v[1] / NS).putLong(8, v[1] % NS)
                .putLong(16, v[0] / NS).putLong(24, v[0] % NS);
        c.memory().write(address, b);
    }
}
