package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.CpuTimerBase;
import dev.phoenix.libos.proc.CpuTimes;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.Task;

/**
 * The CPU-time clocks (Linux's kernel/time/posix-cpu-timers.c): CLOCK_PROCESS_CPUTIME_ID and
 * CLOCK_THREAD_CPUTIME_ID, and the negative ids clock_getcpuclockid(3) and
 * pthread_getcpuclockid(3) make for another process or thread (MAKE_PROCESS_CPUCLOCK: bits 0-1
 * the kind, PROF, VIRT or SCHED; bit 2 set for a thread; the rest the complement of the pid or
 * tid, 0 for the caller). A thread's clock must be a thread of the caller's process; a process's
 * may be any process (a zombie until it is reaped), and for clock_gettime the caller's own tid
 * names its process. Anything else is EINVAL; glibc and musl turn that into clock_getcpuclockid's
 * ESRCH. PROF and SCHED both read user plus system time (Phoenix's accounting is exact, where
 * Linux's PROF samples at ticks); VIRT reads user time. Ids whose low bits are 3 name a dynamic
 * clock (a PTP device's descriptor), which Phoenix has none of.
 */
final class CpuClocks {
    private CpuClocks() {}

    static final int CLOCK_PROCESS_CPUTIME_ID = 2, CLOCK_THREAD_CPUTIME_ID = 3;
    private static final int CPUCLOCK_VIRT = 1, CPUCLOCK_SCHED = 2, CPUCLOCK_WHICH_MASK = 3, CPUCLOCK_PERTHREAD = 4,
            CLOCKFD = 3, CLOCKFD_MASK = 7;
    /** Resolution of the PROF and VIRT clocks, which Linux samples at ticks: a jiffy at HZ=250. */
    static final long TICK_NS = 4_000_000;

    /** A CPU clock: the process (thread null) or thread whose time it is, and whether it counts user time only. */
    record CpuClock(Process process, Task thread, boolean userOnly, boolean sched) {
        /** Its time now, read on {@code clock}, ns. */
        long now(Clock clock) {
            CpuTimes.Sample s = thread != null ? thread.times.sample(clock) : process.cpuTimes(clock);
            return userOnly ? s.user() : s.total();
        }

        /** The CPU-time timer base of its process or thread, on {@code clock}. */
        CpuTimerBase base(Clock clock) {
            return thread != null ? thread.cpuTimers(clock) : process.timers.cpuBase(clock);
        }
    }

    /** True when {@code id} names a CPU-time clock (or a dynamic clock, which is not one Phoenix has). */
    static boolean isCpuClock(int id) {
        return id == CLOCK_PROCESS_CPUTIME_ID || id == CLOCK_THREAD_CPUTIME_ID || id < 0;
    }

    /** True when {@code id} is a dynamic (descriptor) clock's: timer_create answers EOPNOTSUPP. */
    static boolean isDynamic(int id) {
        return id < 0 && (id & CLOCKFD_MASK) == CLOCKFD;
    }

    /**
     * The clock CPU-clock {@code id} names for the caller (Linux's pid_for_clock); {@code gettime}
     * allows a process clock named by the caller's own tid. EINVAL for a kind that does not exist,
     * a thread outside the caller's process, a pid nobody has, and a dynamic clock.
     */
    static CpuClock resolve(SyscallContext c, int id, boolean gettime) {
        if (id == CLOCK_PROCESS_CPUTIME_ID) {
            return new CpuClock(c.process(), null, false, true);
        }
        if (id == CLOCK_THREAD_CPUTIME_ID) {
            return new CpuClock(c.process(), c.task(), false, true);
        }
        if (id >= 0 || isDynamic(id) || (id & CPUCLOCK_WHICH_MASK) == CPUCLOCK_WHICH_MASK) {
            throw Errno.of(Errno.EINVAL);
        }
        int which = id & CPUCLOCK_WHICH_MASK;
        boolean userOnly = which == CPUCLOCK_VIRT;
        boolean sched = which == CPUCLOCK_SCHED;
        boolean thread = (id & CPUCLOCK_PERTHREAD) != 0;
        int who = ~(id >> 3);
        if (who == 0) {
            return new CpuClock(c.process(), thread ? c.task() : null, userOnly, sched);
        }
        if (thread) {
            Task t = c.process().task(Pids.global(c, who));
            if (t == null) {
                throw Errno.of(Errno.EINVAL);
            }
            return new CpuClock(c.process(), t, userOnly, sched);
        }
        if (gettime && Pids.global(c, who) == c.task().tid()) {
            return new CpuClock(c.process(), null, userOnly, sched);
        }
        Process p = Pids.global(c, who) == c.process().pid() ? c.process() : Pids.process(c, who);
        if (p == null) {
            throw Errno.of(Errno.EINVAL);
        }
        return new CpuClock(p, null, userOnly, sched);
    }

    /**
     * The time of CPU clock {@code id} for clock_gettime(2). The read moves a virtual clock, as
     * every reading of time does, so that a guest polling its CPU time sees it pass.
     */
    static long now(SyscallContext c, int id) {
        CpuClock clock = resolve(c, id, true);
        Clock k = c.kernel().clock();
        k.monotonicNanos();
        return clock.now(k);
    }

    /** clock_getres(2) of a CPU clock: 1 ns for SCHED, which Linux reads exactly, a tick for PROF and VIRT. */
    static long resolution(SyscallContext c, int id) {
        return resolve(c, id, false).sched() ? 1 : TICK_NS;
    }
}
