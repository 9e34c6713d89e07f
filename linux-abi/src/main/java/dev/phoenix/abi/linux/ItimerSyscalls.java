package dev.phoenix.abi.linux;

import dev.phoenix.abi.Signals;
import dev.phoenix.abi.signal.SigInfo;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.HrTimer;
import dev.phoenix.libos.HrTimerQueue;
import dev.phoenix.libos.proc.CpuTimerBase;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.ProcessTimers;
import dev.phoenix.libos.proc.Task;

/**
 * The interval timers of setitimer(2), getitimer(2) and alarm(2) (Linux's kernel/time/itimer.c),
 * one of each per process, kept in {@link ProcessTimers}: ITIMER_REAL, an {@link HrTimer} on the
 * kernel clock sending SIGALRM, which, as in Linux 6.13 and later, waits for its pending SIGALRM
 * to be taken before it runs again ({@link #rearmReal}); ITIMER_VIRTUAL and ITIMER_PROF, timers
 * on the process's CPU-time base counting user time, and user plus system time, sending
 * SIGVTALRM and SIGPROF, which move on by one interval at each expiry (check_cpu_itimer). Each
 * signal is the kernel's (SI_KERNEL) to the process.
 */
public final class ItimerSyscalls {
    private ItimerSyscalls() {}

    private static final int ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;
    private static final long NS = 1_000_000_000L;
    /** What Linux adds to a CPU itimer's first expiry, and reports for one about to fire: a jiffy (HZ=250). */
    private static final long TICK_NSEC = CpuClocks.TICK_NS;

    /** Implements Linux alarm(2): returns the seconds left on the previous alarm, rounded to nearest. */
    static long alarm(SyscallContext c, long seconds, long a1, long a2, long a3, long a4, long a5) {
        long left = setReal(c, (seconds & 0xffffffffL) * NS, 0)[0];
        return left <= 0 ? 0 : Math.max(1, (left + NS / 2) / NS);
    }

    /** Implements Linux setitimer(2): ITIMER_REAL, ITIMER_VIRTUAL and ITIMER_PROF; a null value disarms. */
    static long setitimer(SyscallContext c, long which, long value, long old, long a3, long a4, long a5) {
        long interval = 0;
        long delay = 0;
        if (value != 0) {
            interval = timevalNanos(c, value);
            delay = timevalNanos(c, value + 16);
        }
        long[] prev = switch ((int) which) {
            case ITIMER_REAL -> setReal(c, delay, interval);
            case ITIMER_VIRTUAL, ITIMER_PROF -> setCpu(c, (int) which - 1, delay, interval);
            default -> throw Errno.of(Errno.EINVAL);
        };
        if (old != 0) {
            writeItimerval(c, old, prev[0], prev[1]);
        }
        return 0;
    }

    /** Implements Linux getitimer(2). */
    static long getitimer(SyscallContext c, long which, long value, long a2, long a3, long a4, long a5) {
        long[] now = switch ((int) which) {
            case ITIMER_REAL -> getReal(c.process(), c.kernel().clock());
            case ITIMER_VIRTUAL, ITIMER_PROF -> getCpu(c, (int) which - 1);
            default -> throw Errno.of(Errno.EINVAL);
        };
        writeItimerval(c, value, now[0], now[1]);
        return 0;
    }

    private static long timevalNanos(SyscallContext c, long address) {
        long sec = c.memory().readLong(address);
        long usec = c.memory().readLong(address + 8);
        if (sec < 0 || usec < 0 || usec >= 1_000_000) {
            throw Errno.of(Errno.EINVAL);
        }
        return sec > Long.MAX_VALUE / NS - 1 ? Long.MAX_VALUE / 2 : sec * NS + usec * 1000;
    }

    private static void writeItimerval(SyscallContext c, long address, long leftNs, long intervalNs) {
        c.memory().writeLong(address, intervalNs / NS);
        c.memory().writeLong(address + 8, (intervalNs % NS) / 1000);
        c.memory().writeLong(address + 16, leftNs / NS);
        c.memory().writeLong(address + 24, (leftNs % NS) / 1000);
    }

    // ---- ITIMER_REAL ----

    /** ITIMER_REAL's {time left, interval}: 0 left while it waits for its SIGALRM to be taken (itimer_get_remtime). */
    private static long[] getReal(Process p, Clock clock) {
        ProcessTimers timers = p.timers;
        synchronized (p) {
            HrTimer t = timers.real;
            long left = t != null && t.isQueued() ? Math.max(1000, t.expiry() - clock.monotonicNanos()) : 0;
            return new long[] {left, timers.realInterval};
        }
    }

    /** Re-arms ITIMER_REAL ({@code delayNs} from now, then every {@code intervalNs}; 0 disarms); returns the previous {time left, interval}. */
    private static long[] setReal(SyscallContext c, long delayNs, long intervalNs) {
        Process p = c.process();
        Clock clock = c.kernel().clock();
        ProcessTimers timers = p.timers;
        synchronized (p) {
            long[] prev = getReal(p, clock);
            if (timers.real == null) {
                timers.real = new HrTimer(() -> realExpired(clock, p));
                timers.realClock = clock;
            }
            timers.real.cancel();
            timers.realInterval = 0;
            timers.realArmed = false;
            if (delayNs > 0 && !p.timersStopped) {
                SignalSyscalls.exactStopsFromNowOn(c);
                timers.realInterval = intervalNs;
                timers.realArmed = true;
                clock.timers().start(timers.real, saturatingAdd(clock.monotonicNanos(), delayNs));
                if (clock.isVirtual()) {
                    p.cpu().requestStop(); // the run loop then counts instructions up to the deadline
                }
            }
            return prev;
        }
    }

    /**
     * ITIMER_REAL fired (on the host's timer thread, or, in virtual time, on the guest's own as it
     * reads or waits for the clock): SIGALRM to the process (Linux's it_real_fn). A periodic timer
     * runs again once the signal is taken. An action under way when setitimer(2) set the timer
     * again does nothing.
     */
    private static void realExpired(Clock clock, Process p) {
        synchronized (p) {
            HrTimer t = p.timers.real;
            if (!p.timers.realArmed || t.isQueued() || clock.kernelNanos() < t.expiry()) {
                return; // set again while this action was on its way: the timer runs for the new setting
            }
            p.timers.realArmed = false;
            if (!p.timersStopped && p.exitStatus() == null) {
                SignalSyscalls.postFromOutside(clock, p, Signals.SIGALRM, SigInfo.SI_KERNEL, Task.SENDER_SELF);
            }
        }
    }

    /**
     * SIGALRM was taken off a pending set: a periodic ITIMER_REAL that is waiting is forwarded
     * past now by whole intervals and armed again (Linux's posixtimer_rearm_itimer).
     */
    public static void rearmReal(Process p) {
        ProcessTimers timers = p.timers;
        synchronized (p) {
            HrTimer t = timers.real;
            long every = timers.realInterval;
            if (t == null || every <= 0 || t.isQueued() || p.timersStopped) {
                return;
            }
            Clock clock = timers.realClock;
            long now = clock.kernelNanos();
            long expiry = t.expiry();
            if (expiry <= now) {
                long n = (now - expiry) / every + 1;
                expiry = n > (Long.MAX_VALUE - expiry) / every ? Long.MAX_VALUE : expiry + n * every;
            }
            timers.realArmed = true;
            clock.timers().start(t, expiry);
        }
    }

    // ---- ITIMER_VIRTUAL and ITIMER_PROF ----

    /** The CPU itimer {@code index}'s {time left, interval} (Linux's get_cpu_itimer): a tick when it is about to fire. */
    private static long[] getCpu(SyscallContext c, int index) {
        Process p = c.process();
        ProcessTimers timers = p.timers;
        synchronized (p) {
            long expires = timers.cpuItimerExpires[index];
            long left = 0;
            if (expires != 0) {
                long now = timers.cpuBase(c.kernel().clock()).now(index == ProcessTimers.VIRTUAL);
                left = expires < now ? TICK_NSEC : expires - now;
            }
            return new long[] {left, timers.cpuItimerIntervals[index]};
        }
    }

    /**
     * Sets CPU itimer {@code index} to expire after {@code delayNs} more of its CPU time (plus a
     * tick, as Linux's set_cpu_itimer adds one) and then every {@code intervalNs}; 0 disarms.
     * Returns the previous {time left, interval}.
     */
    private static long[] setCpu(SyscallContext c, int index, long delayNs, long intervalNs) {
        Process p = c.process();
        Clock clock = c.kernel().clock();
        ProcessTimers timers = p.timers;
        boolean user = index == ProcessTimers.VIRTUAL;
        CpuTimerBase base = timers.cpuBase(clock);
        synchronized (p) {
            long now = base.now(user);
            long old = timers.cpuItimerExpires[index];
            if (old != 0) {
                old = old <= now ? TICK_NSEC : old - now;
            }
            long[] prev = {old, timers.cpuItimerIntervals[index]};
            if (timers.cpuItimers[index] == null) {
                timers.cpuItimers[index] = new HrTimer(() -> cpuExpired(clock, p, index));
            }
            HrTimer t = timers.cpuItimers[index];
            long expires = delayNs > 0 && !p.timersStopped ? saturatingAdd(now, saturatingAdd(delayNs, TICK_NSEC)) : 0;
            timers.cpuItimerExpires[index] = expires;
            timers.cpuItimerIntervals[index] = intervalNs;
            if (expires == 0) {
                t.cancel();
            } else {
                SignalSyscalls.exactStopsFromNowOn(c);
                base.queue(user).start(t, expires);
                if (clock.isVirtual()) {
                    p.cpu().requestStop(); // the run loop counts instructions up to the projection
                }
            }
            return prev;
        }
    }

    /**
     * CPU itimer {@code index} is due (Linux's check_cpu_itimer): SIGVTALRM or SIGPROF to the
     * process, and the expiry moves on by one interval (or the timer is done); at most one
     * signal per look, however far behind it is.
     */
    private static void cpuExpired(Clock clock, Process p, int index) {
        ProcessTimers timers = p.timers;
        boolean user = index == ProcessTimers.VIRTUAL;
        synchronized (p) {
            long expires = timers.cpuItimerExpires[index];
            if (expires == 0 || p.timersStopped || p.exitStatus() != null) {
                return;
            }
            CpuTimerBase base = timers.cpuBase(clock);
            long now = base.now(user);
            HrTimerQueue queue = base.queue(user);
            HrTimer t = timers.cpuItimers[index];
            if (now < expires) {
                queue.start(t, expires); // early: not due yet
                return;
            }
            long every = timers.cpuItimerIntervals[index];
            expires = every > 0 ? saturatingAdd(expires, every) : 0;
            timers.cpuItimerExpires[index] = expires;
            SignalSyscalls.postFromOutside(clock, p, user ? Signals.SIGVTALRM : Signals.SIGPROF, SigInfo.SI_KERNEL,
                    Task.SENDER_SELF);
            if (expires != 0) {
                queue.start(t, Math.max(expires, now + 1));
            }
        }
    }

    /** RLIMIT_CPU's resource number. */
    private static final int RLIMIT_CPU = 0;
    private static final long NS_PER_S = 1_000_000_000L;

    /**
     * Arms (or disarms) {@code p}'s RLIMIT_CPU timer for its limits now (Linux's
     * update_rlimit_cpu): due when the process's total CPU time reaches the soft limit, or the
     * hard one, in seconds; nothing when both are unlimited. Called when the limit changes and
     * for a new process, which inherits the limit with no CPU time.
     */
    static void armCpuLimit(Clock clock, Process p) {
        synchronized (p) {
            long due = cpuLimitDue(p);
            ProcessTimers timers = p.timers;
            if (due == Long.MAX_VALUE) {
                if (timers.cpuLimit != null) {
                    timers.cpuLimit.cancel();
                }
                return;
            }
            if (timers.cpuLimit == null) {
                timers.cpuLimit = new HrTimer(() -> cpuLimitReached(clock, p));
            }
            if (!p.timersStopped) {
                timers.cpuBase(clock).queue(false).start(timers.cpuLimit, due);
            }
        }
    }

    /** When RLIMIT_CPU next acts, in ns of process CPU time: the soft limit, or the hard one if lower; MAX_VALUE for none. */
    private static long cpuLimitDue(Process p) {
        long soft = p.rlimitCur[RLIMIT_CPU], hard = p.rlimitMax[RLIMIT_CPU];
        long first = Long.compareUnsigned(soft, hard) < 0 ? soft : hard;
        return first < 0 || first >= Long.MAX_VALUE / NS_PER_S ? Long.MAX_VALUE : first * NS_PER_S;
    }

    /**
     * RLIMIT_CPU is reached (Linux's check_process_timers): at the hard limit SIGKILL; at the soft
     * limit SIGXCPU, and the soft limit moves on a second while it is below the hard one, so a
     * process that handles or ignores SIGXCPU gets one a second until the hard limit kills it.
     */
    private static void cpuLimitReached(Clock clock, Process p) {
        synchronized (p) {
            if (p.timersStopped || p.exitStatus() != null) {
                return;
            }
            long now = p.timers.cpuBase(clock).now(false);
            long soft = p.rlimitCur[RLIMIT_CPU], hard = p.rlimitMax[RLIMIT_CPU];
            if (hard >= 0 && hard < Long.MAX_VALUE / NS_PER_S && now >= hard * NS_PER_S) {
                SignalSyscalls.postFromOutside(clock, p, Signals.SIGKILL, SigInfo.SI_KERNEL, Task.SENDER_SELF);
                return;
            }
            if (soft >= 0 && soft < Long.MAX_VALUE / NS_PER_S && now >= soft * NS_PER_S) {
                SignalSyscalls.postFromOutside(clock, p, Signals.SIGXCPU, SigInfo.SI_KERNEL, Task.SENDER_SELF);
                if (Long.compareUnsigned(soft, hard) < 0) {
                    p.rlimitCur[RLIMIT_CPU] = soft + 1;
                }
            }
        }
        armCpuLimit(clock, p);
    }

    private static long saturatingAdd(long a, long b) {
        long r = a + b;
        return ((a ^ r) & (b ^ r)) < 0 ? Long.MAX_VALUE : r;
    }
}
