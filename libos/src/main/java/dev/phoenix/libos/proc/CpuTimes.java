package dev.phoenix.libos.proc;

import dev.phoenix.libos.Clock;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The CPU time of one task, split as Linux splits it (task->utime and stime, their sum
 * se.sum_exec_runtime): user time while its turn on the engine runs guest code, system time
 * while a syscall handler runs for it (from the dispatcher's entry to its return, a park
 * included), nothing while it waits its turn or sleeps. With it, what /proc/PID/schedstat shows:
 * the time it waited runnable for its turns (sched_info's run_delay) and how many turns it had.
 *
 * <p>A turn costs the CPU time the host gave the runner's thread during it
 * ({@link Clock#threadCpuNanos}), so a runner the host preempts, on a busy machine, does not make
 * its guest look busy; within the turn, the split into user and system time follows the clock
 * time ({@link Clock#kernelNanos}) spent in and out of syscalls, which costs two clock readings
 * per syscall and no more. A virtual clock answers both with its own time, which moves only as
 * the guest reads it, sleeps or runs counted instructions, so that a deterministic run's CPU
 * times are the same in every run. Readings are made monotonic in user and in system time as
 * Linux's cputime_adjust makes them (the split of a turn in progress may shift).
 *
 * <p>Only the thread that runs the task writes the turn's fields (at its start and end and at
 * every syscall's entry and exit); any thread may read them, through a sequence lock whose
 * readers retry while a write is in progress (Linux's vtime_seqcount).
 */
public final class CpuTimes {
    private static final int IDLE = 0, USER = 1, KERNEL = 2;
    private static final VarHandle SEQ;

    static {
        try {
            SEQ = MethodHandles.lookup().findVarHandle(CpuTimes.class, "seq", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Odd while the writer changes the fields below. */
    @SuppressWarnings("unused")
    private int seq;
    /** User and system time of the turns that have ended, ns. */
    private long user, system;
    /** Where the task is (IDLE, USER or KERNEL) and since when (clock time). */
    private int mode;
    private long since;
    /** The turn in progress: the runner's host thread, its CPU time at the start, and the clock time spent in and out of syscalls. */
    private int runnerTid;
    private long turnCpuStart, userWall, kernelWall;
    /** The time it waited for its turns, and its turns. */
    private long runDelay, turns;
    /** When it last became runnable (0: not known): set by whoever wakes it, so outside the sequence lock. */
    private volatile long readyAt;
    /** @GuardedBy("this") The last reading, which the next may not go below. */
    private long lastUser, lastSystem;

    /** A reading: user and system time, ns. */
    public record Sample(long user, long system) {
        /** Both together: the task's CPU time (Linux's sum_exec_runtime, CLOCK_*_CPUTIME_ID). */
        public long total() {
            return user + system;
        }

        /** This sample and {@code o} added. */
        public Sample plus(Sample o) {
            return new Sample(user + o.user, system + o.system);
        }
    }

    /** No time at all. */
    public static final Sample ZERO = new Sample(0, 0);

    private void beginWrite() {
        SEQ.setOpaque(this, (int) SEQ.getOpaque(this) + 1);
        VarHandle.storeStoreFence();
    }

    private void endWrite() {
        SEQ.setRelease(this, (int) SEQ.getOpaque(this) + 1);
    }

    /** Counts the clock time from {@link #since} to {@code now} to the mode it was spent in, and makes {@code next} the mode. */
    private void switchMode(long now, int next) {
        long spent = Math.max(0, now - since);
        if (mode == USER) {
            userWall += spent;
        } else if (mode == KERNEL) {
            kernelWall += spent;
        }
        mode = next;
        since = now;
    }

    /**
     * Its turn begins at clock time {@code now} on the host thread {@code runnerTid}, which has
     * had {@code cpuNow} of CPU time (-1: not read; the turn counts its clock time, see
     * {@link #usesHostCpu}): guest code runs, user time.
     */
    public void startTurn(long now, long cpuNow, int runnerTid) {
        beginWrite();
        long ready = readyAt;
        if (ready != 0) {
            runDelay += Math.max(0, now - ready);
            readyAt = 0;
        }
        turns++;
        this.runnerTid = runnerTid;
        turnCpuStart = cpuNow;
        userWall = 0;
        kernelWall = 0;
        mode = USER;
        since = now;
        endWrite();
    }

    /**
     * Its turn ends at clock time {@code now}, its runner's thread having had {@code cpuNow} of
     * CPU time: the turn's CPU time goes to user and system time as its clock time went; it waits
     * for another turn from now, unless it blocked (then its wake sets {@link #runnable}).
     */
    public void endTurn(long now, long cpuNow) {
        if (mode == IDLE) {
            return;
        }
        beginWrite();
        switchMode(now, IDLE);
        long host = turnHostCpu(cpuNow);
        long cpu = host < 0 ? userWall + kernelWall : host;
        long sys = split(cpu, userWall, kernelWall);
        user += cpu - sys;
        system += sys;
        userWall = 0;
        kernelWall = 0;
        readyAt = now;
        endWrite();
    }

    /** The system part of {@code cpu} when its clock time went {@code userWall} out of syscalls and {@code kernelWall} in. */
    private static long split(long cpu, long userWall, long kernelWall) {
        long wall = userWall + kernelWall;
        if (wall <= 0 || kernelWall <= 0) {
            return 0;
        }
        return kernelWall >= wall ? cpu : (long) (cpu * ((double) kernelWall / wall));
    }

    /** It became runnable at clock time {@code now} (a wake, on any thread): its wait for a turn starts. */
    public void runnable(long now) {
        readyAt = now;
    }

    /** A syscall's handler begins at clock time {@code now}: system time, when it runs on a turn. */
    public void enterKernel(long now) {
        if (mode == USER) {
            beginWrite();
            switchMode(now, KERNEL);
            endWrite();
        }
    }

    /** The syscall returns to the guest at clock time {@code now}: user time again. */
    /**
     * True when the turn in progress is charged by its runner thread's host CPU time. Reading it
     * costs about 0.9 µs on this kind of machine, more than a whole short turn of a task that parks
     * at once, so Task reads it only for a task whose last turn was long (CPU-bound), where a busy
     * host would otherwise skew the accounting; short turns count their clock time.
     */
    public boolean usesHostCpu() {
        return turnCpuStart >= 0;
    }

    /**
     * The host CPU time the turn in progress has had by {@code cpuNow} (its runner thread's CPU
     * clock), or -1 when the turn is not charged by host CPU time (the runner's thread only).
     */
    public long turnHostCpu(long cpuNow) {
        return turnCpuStart < 0 ? -1 : Math.max(0, cpuNow - turnCpuStart);
    }

    /** True between a timed syscall's entry and its exit (the runner's thread only). */
    public boolean inKernel() {
        return mode == KERNEL;
    }

    public void exitKernel(long now) {
        if (mode == KERNEL) {
            beginWrite();
            long spent = Math.max(0, now - since);
            switchMode(now, USER);
            // This syscall stands for SYSCALL_SAMPLE of them (Task times one in that many): the
            // others' time was counted as user time, so move that much from user to system.
            long others = spent * (SYSCALL_SAMPLE - 1);
            long moved = Math.min(others, userWall);
            userWall -= moved;
            kernelWall += moved;
            endWrite();
        }
    }

    /**
     * One syscall in this many is timed (Task.enterKernel): two clock readings on every syscall
     * cost about 50 ns (getppid went from 110 to 160 ns), a sample of one in eight about 6 ns.
     * Totals stay exact (each turn is measured whole); only the split of a turn between user and
     * system time is estimated, as Linux's default tick-based accounting estimates it.
     */
    public static final int SYSCALL_SAMPLE = 8;

    /**
     * Its times now, the turn in progress included (its runner's CPU time read from
     * {@code clock}); never less than a reading before it, in user or in system time.
     */
    public Sample sample(Clock clock) {
        long u, k, from, uw, kw, cpuStart;
        int m, tid;
        while (true) {
            int s = (int) SEQ.getAcquire(this);
            u = user;
            k = system;
            m = mode;
            from = since;
            uw = userWall;
            kw = kernelWall;
            cpuStart = turnCpuStart;
            tid = runnerTid;
            VarHandle.loadLoadFence();
            if ((s & 1) == 0 && (int) SEQ.getOpaque(this) == s) {
                break;
            }
            Thread.onSpinWait();
        }
        if (m != IDLE) {
            long now = clock.kernelNanos();
            long running = Math.max(0, now - from);
            uw += m == USER ? running : 0;
            kw += m == KERNEL ? running : 0;
            long cpu = cpuStart < 0 ? uw + kw : Math.max(0, clock.threadCpuNanos(tid) - cpuStart);
            long sys = split(cpu, uw, kw);
            u += cpu - sys;
            k += sys;
        }
        return monotonic(u, k);
    }

    /** As Linux's cputime_adjust: user and system time each at least as last read, their sum as measured (or the last one's). */
    private synchronized Sample monotonic(long u, long k) {
        long total = Math.max(u + k, lastUser + lastSystem);
        long sys = Math.max(k, lastSystem);
        long usr = total - sys;
        if (usr < lastUser) {
            usr = lastUser;
            sys = total - usr;
        }
        lastUser = usr;
        lastSystem = sys;
        return new Sample(usr, sys);
    }

    /** True while its turn runs. */
    public boolean running() {
        return stable(() -> mode) != IDLE;
    }

    /** The time it waited runnable for its turns, ns (/proc/PID/schedstat's run_delay). */
    public long runDelay() {
        return stable(() -> runDelay);
    }

    /** How many turns it has had (/proc/PID/schedstat's pcount). */
    public long turns() {
        return stable(() -> turns);
    }

    /** One field read under the sequence lock: retried while the writer changes the fields. */
    private long stable(java.util.function.LongSupplier field) {
        while (true) {
            int s = (int) SEQ.getAcquire(this);
            long v = field.getAsLong();
            VarHandle.loadLoadFence();
            if ((s & 1) == 0 && (int) SEQ.getOpaque(this) == s) {
                return v;
            }
            Thread.onSpinWait();
        }
    }
}
