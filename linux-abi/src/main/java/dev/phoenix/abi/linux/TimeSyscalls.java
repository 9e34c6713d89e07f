package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;

/** clock_gettime(2), clock_getres(2), gettimeofday(2) and time(2), read from the kernel's {@link Clock}. */
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

    /** The time of clock {@code id} in nanoseconds; EINVAL for an id Linux does not have. */
    static long now(Clock clock, int id) {
        return switch (id) {
            case CLOCK_REALTIME, CLOCK_REALTIME_COARSE, CLOCK_REALTIME_ALARM -> clock.realtimeNanos();
            case CLOCK_TAI -> clock.realtimeNanos() + 37 * NS; // TAI-UTC since 2017
            case CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME, CLOCK_BOOTTIME_ALARM ->
                clock.monotonicNanos();
            case CLOCK_PROCESS_CPUTIME_ID, CLOCK_THREAD_CPUTIME_ID -> clock.cpuTimeNanos();
            default -> throw Errno.of(Errno.EINVAL);
        };
    }

    /**
     * The clock a negative id names: a CPU-time clock of a process or thread, as
     * clock_getcpuclockid(3) and pthread_getcpuclockid(3) make them (Linux's
     * {@code MAKE_PROCESS_CPUCLOCK}): bits 0-1 the kind (PROF, VIRT, SCHED), bit 2 set for a
     * thread, the rest the complement of the pid or tid, 0 meaning the caller. The one process a
     * Phoenix guest sees is itself, and its one thread; any other id is EINVAL, as Linux says of
     * a pid that does not exist or a thread outside the caller's group. All three kinds read the
     * task's CPU time (Phoenix does not split user and system time). Non-negative ids pass through.
     */
    static int cpuClock(SyscallContext c, int id) {
        if (id >= 0) {
            return id;
        }
        int kind = id & CPUCLOCK_KIND_MASK;
        boolean thread = (id & CPUCLOCK_PERTHREAD) != 0;
        int who = ~(id >> 3);
        if (kind == CPUCLOCK_KIND_MASK
                || (who != 0 && who != (thread ? c.task().tid() : c.process().pid()))) {
            throw Errno.of(Errno.EINVAL);
        }
        return thread ? CLOCK_THREAD_CPUTIME_ID : CLOCK_PROCESS_CPUTIME_ID;
    }

    private static final int CPUCLOCK_KIND_MASK = 3, CPUCLOCK_PERTHREAD = 4;

    /** Implements Linux clock_gettime(2). */
    static long clockGettime(SyscallContext c, long id, long tp, long a2, long a3, long a4, long a5) {
        long ns = now(c.kernel().clock(), cpuClock(c, (int) id));
        c.memory().writeLong(tp, Math.floorDiv(ns, NS));
        c.memory().writeLong(tp + 8, Math.floorMod(ns, NS));
        return 0;
    }

    /** Implements Linux clock_getres(2). */
    static long clockGetres(SyscallContext c, long id, long res, long a2, long a3, long a4, long a5) {
        long ns = resolution(c.kernel().clock(), cpuClock(c, (int) id));
        if (res != 0) {
            c.memory().writeLong(res, 0);
            c.memory().writeLong(res + 8, ns);
        }
        return 0;
    }

    /** The resolution of clock {@code id} in nanoseconds; EINVAL for an id Linux does not have. */
    static long resolution(Clock clock, int id) {
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
        long now = now(c.kernel().clock(), (int) id);
        boolean absolute = (flags & TIMER_ABSTIME) != 0;
        long relative = absolute ? ns - now : ns;
        // An absolute sleep interrupted reports no time left: it is restarted with the same deadline.
        return sleepUntil(c, deadlineAfter(c.kernel().clock(), Math.max(0, relative)), absolute ? 0 : rem);
    }

    /** Implements Linux times(2): CPU time in USER_HZ ticks; the result is ticks since an arbitrary point. */
    static long times(SyscallContext c, long buf, long a1, long a2, long a3, long a4, long a5) {
        if (buf != 0) {
            long user = c.kernel().clock().cpuTimeNanos() / TICK_NS;
            c.memory().write(buf, new byte[32]);
            c.memory().writeLong(buf, user);
            c.memory().writeLong(buf + 16, c.process().childrenUserNanos / TICK_NS); // tms_cutime: reaped children
        }
        return c.kernel().clock().monotonicNanos() / TICK_NS;
    }

    /** Implements Linux getrusage(2): user CPU time of the guest thread, or of the reaped children (RUSAGE_CHILDREN). */
    static long getrusage(SyscallContext c, long whoWord, long usage, long a2, long a3, long a4, long a5) {
        int who = (int) whoWord; // an int: RUSAGE_CHILDREN arrives as 0xffffffff in a 64-bit register
        if (who != 0 && who != -1 && who != 1) { // RUSAGE_SELF, RUSAGE_CHILDREN, RUSAGE_THREAD
            return -Errno.EINVAL;
        }
        byte[] zero = new byte[144]; // struct rusage on 64-bit arches
        c.memory().write(usage, zero);
        if (who == -1) {
            long children = c.process().childrenUserNanos;
            c.memory().writeLong(usage, children / NS);
            c.memory().writeLong(usage + 8, (children % NS) / 1000);
        } else {
            long cpu = c.kernel().clock().cpuTimeNanos();
            c.memory().writeLong(usage, cpu / NS);
            c.memory().writeLong(usage + 8, (cpu % NS) / 1000);
        }
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
