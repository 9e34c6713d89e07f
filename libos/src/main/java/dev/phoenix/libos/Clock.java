package dev.phoenix.libos;

/**
 * The LibOS's only source of time; handlers never read the host clock directly, so a
 * deterministic run can substitute a virtual clock.
 */
public interface Clock {
    /** Nanoseconds since the Unix epoch (CLOCK_REALTIME). */
    long realtimeNanos();

    /** Nanoseconds since an arbitrary fixed point (CLOCK_MONOTONIC). */
    long monotonicNanos();

    /** CPU time consumed by the calling guest thread, in nanoseconds. */
    long cpuTimeNanos();

    /** The host's clocks. */
    Clock HOST = new Clock() {
        @Override
        public long realtimeNanos() {
            java.time.Instant now = java.time.Instant.now();
            return now.getEpochSecond() * 1_000_000_000L + now.getNano();
        }

        @Override
        public long monotonicNanos() {
            return System.nanoTime();
        }

        @Override
        public long cpuTimeNanos() {
            return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
        }
    };
}
