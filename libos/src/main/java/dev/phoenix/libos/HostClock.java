package dev.phoenix.libos;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** {@link Clock#HOST}: the host's clocks, with timers on one shared daemon thread. */
final class HostClock implements Clock {
    private static final ScheduledExecutorService TIMERS = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "phoenix-timers");
        t.setDaemon(true);
        return t;
    });

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

    @Override
    public long uptimeNanos() {
        try {
            String up = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime"));
            return (long) (Double.parseDouble(up.substring(0, up.indexOf(' '))) * 1e9);
        } catch (java.io.IOException | RuntimeException e) {
            return 0; // not a Linux host: informational only
        }
    }

    @Override
    public Timer schedule(long deadlineNanos, Runnable action) {
        ScheduledFuture<?> f = TIMERS.schedule(action, Math.max(0, deadlineNanos - monotonicNanos()),
                TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void await(Object monitor, long deadlineNanos) throws InterruptedException {
        if (deadlineNanos == Long.MAX_VALUE) {
            monitor.wait();
            return;
        }
        long left = deadlineNanos - monotonicNanos();
        if (left > 0) {
            monitor.wait(left / 1_000_000, (int) (left % 1_000_000));
        }
    }
}
