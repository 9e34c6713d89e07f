package dev.phoenix.libos;

/**
 * The LibOS's only source of time; handlers never read the host clock directly, so a
 * deterministic run substitutes a {@link VirtualClock}. Timers and timed waits go through the
 * clock too, so that they follow whichever time it keeps.
 */
public interface Clock {
    /** Nanoseconds since the Unix epoch (CLOCK_REALTIME). */
    long realtimeNanos();

    /** Nanoseconds since an arbitrary fixed point (CLOCK_MONOTONIC). */
    long monotonicNanos();

    /** CPU time consumed by the calling guest thread, in nanoseconds. */
    long cpuTimeNanos();

    /** Nanoseconds since the machine booted (CLOCK_BOOTTIME, /proc/uptime). */
    long uptimeNanos();

    /** An armed timer. */
    interface Timer {
        /** Disarms it; its action will not run (if it has not yet). */
        void cancel();
    }

    /** Runs {@code action} once monotonic time reaches {@code deadlineNanos}. */
    Timer schedule(long deadlineNanos, Runnable action);

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
