package dev.phoenix.libos;

/**
 * The LibOS's only source of time; handlers never read the host clock directly, so a
 * deterministic run substitutes a {@link VirtualClock}. Timers and timed waits go through the
 * clock too, so that they follow whichever time it keeps: every one is an {@link HrTimer} in the
 * clock's monotonic {@link HrTimerQueue} ({@link #timers}), which the clock expires as its time
 * passes.
 */
public interface Clock {
    /** Nanoseconds since the Unix epoch (CLOCK_REALTIME). */
    long realtimeNanos();

    /** Nanoseconds since an arbitrary fixed point (CLOCK_MONOTONIC). */
    long monotonicNanos();

    /** Nanoseconds since the machine booted (CLOCK_BOOTTIME, /proc/uptime). */
    long uptimeNanos();

    /** An armed timer. */
    interface Timer {
        /** Disarms it; its action will not run (if it has not yet). */
        void cancel();
    }

    /**
     * Monotonic time as the kernel reads it for its own bookkeeping (CPU-time accounting at every
     * turn and syscall, timers' expiries): the time base of {@link #monotonicNanos}, but reading
     * it does not move a virtual clock, which only the guest's readings move.
     */
    default long kernelNanos() {
        return monotonicNanos();
    }

    /**
     * The CPU time the host has given host thread {@code hostTid} (0: the calling thread), ns:
     * what a task's turn on a runner's thread costs (see {@link #hostThreadId}). A virtual clock
     * answers its own time, as one task runs at a time and only as the guest makes it pass.
     */
    long threadCpuNanos(int hostTid);

    /** The calling thread's host thread id, for {@link #threadCpuNanos} from other threads. */
    int hostThreadId();

    /** The timers of the monotonic clock, which this clock expires as its time passes. */
    HrTimerQueue timers();

    /** Runs {@code action} once monotonic time reaches {@code deadlineNanos}: a new timer on {@link #timers}. */
    default Timer schedule(long deadlineNanos, Runnable action) {
        HrTimer t = new HrTimer(action);
        timers().start(t, deadlineNanos);
        return t;
    }

    /**
     * Waits on {@code monitor}, which the caller holds, until a notify or until monotonic time
     * reaches {@code deadlineNanos} (Long.MAX_VALUE: no deadline); may return early.
     */
    void await(Object monitor, long deadlineNanos) throws InterruptedException;

    /** True when time is virtual (a deterministic run): it passes only as the guest observes or waits for it. */
    default boolean isVirtual() {
        return false;
    }

    /** The host's clocks. */
    Clock HOST = new HostClock();
}
