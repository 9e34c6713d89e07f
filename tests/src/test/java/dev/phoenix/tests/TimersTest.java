package dev.phoenix.tests;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Timers and CPU-time accounting (issue 17): POSIX timers on every kind of clock with Linux's
 * ids, errors, overruns and stale signals, SIGEV_THREAD_ID and libc's SIGEV_THREAD, CPU-time
 * timers, fork and exec, setitimer's three timers (tests/guest/timers.c); the CPU clocks of the
 * process, of threads and of other processes, consistent with getrusage, times, wait4 and
 * /proc (tests/guest/cputime.c). The texts are the native runs' (Linux 6.18), which on x86_64
 * are checked again.
 */
class TimersTest {
    static final String TIMERS = """
            three timers: ok ok ok, ids 0 1 2
            delete id 1: ok, again: EINVAL
            next id after a delete: 3 (ok)
            timer on CLOCK_REALTIME: ok
            timer on CLOCK_BOOTTIME: ok
            timer on CLOCK_TAI: ok
            timer on CLOCK_PROCESS_CPUTIME_ID: ok
            timer on CLOCK_THREAD_CPUTIME_ID: ok
            timer on CLOCK_MONOTONIC_RAW: EOPNOTSUPP
            timer on CLOCK_REALTIME_COARSE: EOPNOTSUPP
            timer on clock 10: EINVAL
            timer on clock 16: EINVAL
            timer on a descriptor's clock: EOPNOTSUPP
            timer on a thread clock of kind 3: EINVAL
            bad timer id pointer: EFAULT
            bad sigevent pointer: EFAULT
            sigev_notify 99: EINVAL
            SIGEV_SIGNAL with signal 0: EINVAL
            SIGEV_SIGNAL with signal 65: EINVAL
            SIGEV_NONE with signal 0: ok
            SIGEV_THREAD_ID of another process: EINVAL
            SIGEV_THREAD_ID 0: EINVAL
            SIGEV_THREAD_ID of this thread: ok
            raw SIGEV_THREAD: ok
            next id after the failures: 19 (ok)
            timer_settime NULL: EINVAL
            timer_settime 1e9 ns: EINVAL
            timer_settime negative: EINVAL
            timer_settime negative interval: EINVAL
            timer_settime bad pointer: EFAULT
            timer_settime bad id: EINVAL
            timer_gettime bad pointer: EFAULT
            timer_gettime bad id: EINVAL, negative id: EINVAL
            timer_getoverrun bad id: EINVAL
            timer_getoverrun of a fresh timer: 0
            timer_delete bad id: EINVAL
            alarm clock timer as root: yes
            alarm clock timer without CAP_WAKE_ALARM refused: yes
            armed: time left in (0, 200 ms]: yes, interval 0
            one-shot: signal 10, SI_TIMER yes, timer id yes, value 42, overrun 0, after >= 2 ms yes
            after it fired: left 0 interval 0, overrun 0
            re-armed then disarmed: old left in (0, 100 ms] yes, old interval 5 ms, now left 0
            default sigevent: SIGALRM yes, value is the id yes
            absolute realtime expiry: signal yes value 7
            absolute expiry already past: pending at once yes
            periodic with its signal pending: left in (0, 1 ms] yes, interval 1000000
            timer_getoverrun before the signal is taken: 0
            first taken: SI_TIMER yes, overrun >= 5 yes, timer_getoverrun matches yes
            then the sigqueue'd one: SI_QUEUE yes value 8
            after a disarm nothing is left: yes, overrun reset to 0
            signal of the previous setting: pending yes, taken no
            signal of a deleted timer: pending yes, taken no
            SIGEV_NONE: left in (0, 200 ms] yes
            SIGEV_NONE expired: left 0
            SIGEV_NONE periodic: left in (0, 2 ms] yes, interval 2000000, overrun 0, nothing pending yes
            SIGEV_THREAD_ID: taken by the target thread yes, SI_TIMER yes, not pending for this one yes
            SIGEV_THREAD_ID timer of an exited thread sends nothing: yes
            SIGEV_THREAD: 3 notifications with value 77
            thread CPU timer quiet while the thread sleeps: yes
            thread CPU timer fired after >= 5 ms of the thread's CPU: yes, SI_TIMER yes, left now 0
            process CPU timer with an expiry already past: pending at once yes
            periodic process CPU timer: 3 signals after >= 9 ms of CPU yes
            disarmed CPU timer reads: 0
            timer on another thread's CPU clock: ok, fired yes, value 2
            timer_create with RLIMIT_SIGPENDING 0: EAGAIN
            setitimer 3: EINVAL, getitimer 3: EINVAL
            setitimer 1000000 us: EINVAL
            ITIMER_VIRTUAL 10 ms: left > 10 ms yes, <= 20 ms yes
            ITIMER_VIRTUAL quiet while the process sleeps: yes
            SIGVTALRM after >= 10 ms of CPU: yes, SI_KERNEL yes
            ITIMER_VIRTUAL done: left 0
            ITIMER_PROF every 3 ms: 3 SIGPROF after >= 9 ms of CPU yes, old interval 3000 us
            ITIMER_REAL with SIGALRM pending: left 0, interval 1000 us
            once taken (SI_KERNEL yes) it runs again: yes
            fork child: parent's timer EINVAL, ITIMER_REAL 0, its first id 0 (ok)
            before exec: timer id 33, its signal pending yes
            after exec: timer EINVAL, its signal pending no, ITIMER_REAL kept yes, next id 34
            """;

    static final String CPUTIME = """
            CPU clocks never go back: yes; the thread's within the process's: yes
            20 ms of work moves the process clock >= 20 ms: yes
            process CPU clock resolution: 1 ns
            clock_getcpuclockid(getpid()): ok, encodes the pid yes, reads yes
            clock_getres of no process's clock: EINVAL
            another thread's clock: encodes its tid yes, moves as it works yes
            its /proc stat shows its CPU time: yes
            the process's user-time clock within its total: yes
            clock of kind 3: EINVAL; of a descriptor: EINVAL
            RUSAGE_CHILDREN before any child: 0 ns
            the child's process clock: ok, readable yes; its thread clock: EINVAL
            wait4's rusage: child and grandchild >= 50 ms yes
            RUSAGE_CHILDREN: >= 50 ms yes, as wait4's yes
            times: children's ticks >= 4 yes
            /proc/self/stat: children's ticks >= 4 yes
            getrusage: the thread's within the process's yes, the process's within its clock yes, maxrss > 0 yes
            times: within the process clock yes
            /proc/self/stat: read yes, within the process clock yes
            /proc/self/schedstat: read yes, run time > 0 and within the thread clock yes, turns >= 1 yes
            5 sleeps count >= 5 voluntary switches: yes
            getrusage 5: EINVAL, bad pointer: EFAULT
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void posixTimersAndIntervalTimersBehaveAsLinux(Target t) throws Exception {
        Guests.runsAsExpected(t, "timers", new Result(0, TIMERS, ""));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void cpuClocksAgreeWithGetrusageTimesAndProc(Target t) throws Exception {
        Guests.runsAsExpected(t, "cputime", new Result(0, CPUTIME, ""));
    }
}
