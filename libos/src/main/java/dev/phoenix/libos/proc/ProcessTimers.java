package dev.phoenix.libos.proc;

import dev.phoenix.libos.Clock;
import dev.phoenix.libos.HrTimer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * The timers of a process (what Linux keeps in signal_struct): its POSIX timers by id, the
 * interval timers of setitimer(2) (ITIMER_REAL on the kernel clock; ITIMER_VIRTUAL and
 * ITIMER_PROF on the process's CPU-time base) and that base, made when a CPU-time timer is
 * first armed. The Linux personality drives them; this holds their state.
 *
 * <p>fork(2) gives a child none of them (a new Process starts empty). execve(2) deletes the
 * POSIX timers ({@link #deletePosix}) but keeps the id counter and the interval timers, as
 * Linux's exec keeps signal_struct. The interval timers' fields are guarded by the process's
 * monitor; the POSIX table by this object's.
 */
public final class ProcessTimers {
    /** ITIMER_VIRTUAL and ITIMER_PROF, as setitimer(2) numbers them less one: indices of {@link #cpuItimers}. */
    public static final int VIRTUAL = 0, PROF = 1;

    private final Process process;
    /** @GuardedBy("this") The POSIX timers by id. */
    private final TreeMap<Integer, PosixTimer> posix = new TreeMap<>();
    /** @GuardedBy("this") The next id to try (Linux's next_posix_timer_id): ids are not reused until the counter wraps. */
    private int nextId;
    /** The process's CPU-time base, or null until a CPU-time timer is first armed. */
    private volatile CpuTimerBase cpuBase;

    /** RLIMIT_CPU's timer on the process's total CPU time (made on first use). @GuardedBy("process") */
    public HrTimer cpuLimit;
    /** ITIMER_REAL's timer (made on first use), its interval in ns, and the clock it runs on. @GuardedBy("process") */
    public HrTimer real;
    public long realInterval;
    public Clock realClock;
    /** ITIMER_REAL is armed and has not fired since (an action under way for an older setting finds it false). */
    public boolean realArmed;
    /**
     * ITIMER_VIRTUAL's and ITIMER_PROF's timers (made on first use), their expiries in CPU time
     * (0: disarmed; Linux's cpu_itimer.expires) and intervals. @GuardedBy("process")
     */
    public final HrTimer[] cpuItimers = new HrTimer[2];
    public final long[] cpuItimerExpires = new long[2];
    public final long[] cpuItimerIntervals = new long[2];

    ProcessTimers(Process process) {
        this.process = process;
    }

    /**
     * A free timer id, as Linux's posix_timer_add takes them: the counter's next value, clamped
     * to 0..INT_MAX, passing ids in use; -1 when every id is taken.
     */
    public synchronized int allocateId() {
        for (long tries = 0; tries <= Integer.MAX_VALUE; tries++) {
            int id = nextId & Integer.MAX_VALUE;
            nextId++;
            if (!posix.containsKey(id)) {
                posix.put(id, null); // reserved until add() or release()
                return id;
            }
        }
        return -1;
    }

    /** Makes {@code t} the timer of its reserved id. */
    public synchronized void add(PosixTimer t) {
        posix.put(t.id(), t);
    }

    /** Frees reserved id {@code id} (timer_create failed after taking it). */
    public synchronized void release(int id) {
        posix.remove(id);
    }

    /** Timer {@code id}, or null. */
    public synchronized PosixTimer get(int id) {
        return posix.get(id);
    }

    /** Removes timer {@code id} from the table and returns it, or null when there is none. */
    public synchronized PosixTimer remove(int id) {
        PosixTimer t = posix.get(id);
        if (t != null) {
            posix.remove(id);
        }
        return t;
    }

    /** The POSIX timers, by id. */
    public synchronized List<PosixTimer> posixTimers() {
        List<PosixTimer> all = new ArrayList<>();
        for (PosixTimer t : posix.values()) {
            if (t != null) {
                all.add(t);
            }
        }
        return all;
    }

    /** Deletes every POSIX timer (exec, exit: Linux's exit_itimers); the id counter stays. */
    public void deletePosix() {
        List<PosixTimer> all;
        synchronized (this) {
            all = posixTimers();
            posix.clear();
        }
        for (PosixTimer t : all) {
            t.delete();
        }
    }

    /** The process's CPU-time base on {@code clock}, made on first use. */
    public CpuTimerBase cpuBase(Clock clock) {
        CpuTimerBase b = cpuBase;
        if (b == null) {
            synchronized (this) {
                b = cpuBase;
                if (b == null) {
                    b = new CpuTimerBase(clock, () -> process.cpuTimes(clock), process::isRunning);
                    cpuBase = b;
                }
            }
        }
        return b;
    }

    /** The process's CPU-time base, or null when no CPU-time timer was ever armed. */
    public CpuTimerBase cpuBaseOrNull() {
        return cpuBase;
    }

    /** The process is torn down: every timer stops for good. The caller holds no lock (a timer's comes before the process's). */
    void stop() {
        synchronized (process) {
            if (real != null) {
                real.cancel();
            }
            for (HrTimer t : cpuItimers) {
                if (t != null) {
                    t.cancel();
                }
            }
        }
        deletePosix();
        CpuTimerBase b = cpuBase;
        if (b != null) {
            b.stop();
        }
    }
}
