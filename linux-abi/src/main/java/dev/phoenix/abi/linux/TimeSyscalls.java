package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.CpuTimes;
import dev.phoenix.libos.proc.Process;

/**
 * clock_gettime(2), clock_getres(2), gettimeofday(2), time(2) and the sleeps, read from the
 * kernel's {@link Clock}; times(2) and getrusage(2), from the tasks' CPU-time accounting.
 */
final class TimeSyscalls {
    private TimeSyscalls() {}

    static final int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1;
    private static final int CLOCK_PROCESS_CPUTIME_ID = 2,
            CLOCK_THREAD_CPUTIME_ID = 3, CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5,
            CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7, CLOCK_REALTIME_ALARM = 8, CLOCK_BOOTTIME_ALARM = 9,
            CLOCK_TAI = 11;
    /** Resolution Linux reports for the coarse clocks: one jiffy at HZ=250. */
    private static final long COARSE_RES_NS = 4_000_000;
    private static final long NS = 1_000_000_000L;

    /**
     * The time of clock {@code id} in nanoseconds; EINVAL for an id Linux does not have, and for
     * the CPU-time clocks, which are a task's ({@link CpuClocks}): the vDSO then makes the syscall.
     */
    static long now(Clock clock, int id) {
        return switch (id) {
            case CLOCK_REALTIME, CLOCK_REALTIME_COARSE, CLOCK_REALTIME_ALARM -> clock.realtimeNanos();
            case CLOCK_TAI -> clock.realtimeNanos() + 37 * NS; // TAI-UTC since 2017
            case CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME, CLOCK_BOOTTIME_ALARM ->
                clock.monotonicNanos();
            default -> throw Errno.of(Errno.EINVAL);
        };
    }

    /** The time of clock {@code id} for the calling task: a CPU-time clock's, or {@link #now(Clock, int)}. */
    static long now(SyscallContext c, int id) {
        return CpuClocks.isCpuClock(id) ? CpuClocks.now(c, id) : now(c.kernel().clock(), id);
    }

    /** Implements Linux clock_gettime(2). */
    static long clockGettime(SyscallContext c, long id, long tp, long a2, long a3, long a4, long a5) {
        long ns = now(c, (int) id);
        c.memory().writeLong(tp, Math.floorDiv(ns, NS));
        c.memory().writeLong(tp + 8, Math.floorMod(ns, NS));
        return 0;
    }

    /** Implements Linux clock_getres(2). */
    static long clockGetres(SyscallContext c, long id, long res, long a2, long a3, long a4, long a5) {
        int clock = (int) id;
        long ns = CpuClocks.isCpuClock(clock) ? CpuClocks.resolution(c, clock) : resolution(c.kernel().clock(), clock);
        if (res != 0) {
            c.memory().writeLong(res, 0);
            c.memory().writeLong(res + 8, ns);
        }
        return 0;
    }

    /** The resolution of clock {@code id} in nanoseconds (1 for the CPU-time clocks); EINVAL for an id Linux does not have. */
    static long resolution(Clock clock, int id) {
        if (id == CLOCK_PROCESS_CPUTIME_ID || id == CLOCK_THREAD_CPUTIME_ID) {
            return 1;
        }
        now(clock, id); // validates the clock id
        return id == CLOCK_REALTIME_COARSE || id == CLOCK_MONOTONIC_COARSE ? COARSE_RES_NS : 1;
    }

    /** Implements Linux gettimeofday(2); the timezone, if asked for, is UTC. */
    static long gettimeofday(SyscallContext c, long tv, long tz, long a2, long a3, long a4, long a5) {
        long ns = c.kernel().clock().realtimeNanos();
        if (tv != 0) {
            c.memory().writeLong(tv, Math.floorDiv(ns, NS));
            c.memory().writeLong(tv + 8, Math.floorMod(ns, NS) / 1000);
        }
        if (tz != 0) {
            c.memory().writeLong(tz, 0);
        }
        return 0;
    }

    private static final int TIMER_ABSTIME = 1;
    /** USER_HZ: clock ticks per second for times(2). */
    private static final long TICK_NS = 10_000_000L;

    /** Reads a timespec and validates it as nanosleep(2) does. */
    static long timespecNanos(SyscallContext c, long address) {
        long sec = c.memory().readLong(address);
        long nsec = c.memory().readLong(address + 8);
        if (sec < 0 || nsec < 0 || nsec >= NS) {
            throw Errno.of(Errno.EINVAL);
        }
        return sec > Long.MAX_VALUE / NS - 1 ? Long.MAX_VALUE : sec * NS + nsec;
    }

    /**
     * Sleeps until {@code deadline} on the monotonic clock; a deliverable signal cuts it short
     * with EINTR (ERESTART_RESTARTBLOCK until the handler runs) after the time left is written
     * to {@code rem} (when not 0).
     */
    private static long sleepUntil(SyscallContext c, long deadline, long rem) {
        Clock clock = c.kernel().clock();
        deadline = c.task().deadline(deadline); // the first run's, when the sleep parked and runs again
        if (!c.task().sleepUntil(deadline)) {
            return 0;
        }
        if (rem != 0) {
            long left = Math.max(0, deadline - clock.monotonicNanos());
            c.memory().writeLong(rem, left / NS);
            c.memory().writeLong(rem + 8, left % NS);
        }
        return -Errno.ERESTART_RESTARTBLOCK;
    }

    /**
     * Linux's default timer slack for a task of the fair class (prctl(2) PR_SET_TIMERSLACK):
     * timed waits end up to 50 µs after their deadline, never before it, as hrtimers fire; a
     * guest that reads two clocks around a wait relies on that margin.
     */
    private static final long TIMER_SLACK_NS = 50_000;

    /** Monotonic time {@code ns} from now, saturating at Long.MAX_VALUE (for ever); host clocks add Linux's timer slack. */
    static long deadlineAfter(Clock clock, long ns) {
        if (!clock.isVirtual() && ns > 0 && ns < Long.MAX_VALUE - TIMER_SLACK_NS) {
            ns += TIMER_SLACK_NS;
        }
        long now = clock.monotonicNanos();
        return ns > Long.MAX_VALUE - now ? Long.MAX_VALUE : now + ns;
    }

    /** Implements Linux nanosleep(2). */
    static long nanosleep(SyscallContext c, long req, long rem, long a2, long a3, long a4, long a5) {
        long ns = timespecNanos(c, req);
        return sleepUntil(c, deadlineAfter(c.kernel().clock(), ns), rem);
    }

    /** Implements Linux clock_nanosleep(2), relative or TIMER_ABSTIME; returns an errno, not -1. */
    static long clockNanosleep(SyscallContext c, long id, long flags, long req, long rem, long a4, long a5) {
        if (id == CLOCK_THREAD_CPUTIME_ID) { // flags other than TIMER_ABSTIME are ignored, as in Linux
            return -Errno.EINVAL;
        }
        long ns = timespecNanos(c, req);
        long now = now(c, (int) id); // a CPU clock's deadline is taken as if it passed with the wall clock
        boolean absolute = (flags & TIMER_ABSTIME) != 0;
        long relative = absolute ? ns - now : ns;
        // An absolute sleep interrupted reports no time left: it is restarted with the same deadline.
        return sleepUntil(c, deadlineAfter(c.kernel().clock(), Math.max(0, relative)), absolute ? 0 : rem);
    }

    /**
     * Implements Linux times(2): the process's user and system time and its reaped children's,
     * in USER_HZ ticks; the result is ticks since boot. A virtual clock moves as it is read.
     */
    static long times(SyscallContext c, long buf, long a1, long a2, long a3, long a4, long a5) {
        Clock clock = c.kernel().clock();
        long uptime = clock.monotonicNanos();
        if (buf != 0) {
            Process p = c.process();
            CpuTimes.Sample self = p.cpuTimes(clock);
            long cutime, cstime;
            synchronized (c.kernel().tree()) {
                cutime = p.childrenUserNanos;
                cstime = p.childrenSystemNanos;
            }
            byte[] tms = new byte[32];
            java.nio.ByteBuffer.wrap(tms).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(0, self.user() / TICK_NS)
                    .putLong(8, self.system() / TICK_NS).putLong(16, cutime / TICK_NS).putLong(24, cstime / TICK_NS);
            c.memory().write(buf, tms);
        }
        return uptime / TICK_NS;
    }

    private static final int RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;

    /**
     * Implements Linux getrusage(2): user and system time, the largest resident set and the
     * context switches of the process (RUSAGE_SELF), the calling thread (RUSAGE_THREAD), or the
     * reaped children and their own reaped children (RUSAGE_CHILDREN); fields Phoenix does not
     * count (faults, blocks, IPC) are 0. A virtual clock moves as it is read.
     */
    static long getrusage(SyscallContext c, long whoWord, long usage, long a2, long a3, long a4, long a5) {
        int who = (int) whoWord; // an int: RUSAGE_CHILDREN arrives as 0xffffffff in a 64-bit register
        if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD) {
            return -Errno.EINVAL;
        }
        Clock clock = c.kernel().clock();
        clock.monotonicNanos();
        Process p = c.process();
        Rusage r = switch (who) {
            case RUSAGE_SELF -> Rusage.self(p, clock);
            case RUSAGE_THREAD -> new Rusage(c.task().times.sample(clock), Rusage.maxRss(p),
                    c.task().sched.voluntarySwitches, c.task().sched.involuntarySwitches);
            default -> Rusage.children(c.kernel(), p);
        };
        r.write(c, usage);
        return 0;
    }

    /** Implements Linux time(2). */
    static long time(SyscallContext c, long tloc, long a1, long a2, long a3, long a4, long a5) {
        long s = Math.floorDiv(c.kernel().clock().realtimeNanos(), NS);
        if (tloc != 0) {
            c.memory().writeLong(tloc, s);
        }
        return s;
    }
}
