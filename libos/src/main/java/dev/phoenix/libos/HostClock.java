package dev.phoenix.libos;

import java.util.concurrent.locks.LockSupport;

/**
 * {@link Clock#HOST}: the host's clocks. Its timers are one {@link HrTimerQueue}, expired by one
 * daemon thread, "phoenix-timers", which sleeps until the earliest expiry and is woken when a
 * timer started earlier than that becomes the earliest (the queue's reprogram), as a clock
 * event device is reprogrammed.
 */
final class HostClock implements Clock {
    private final HrTimerQueue timers = new HrTimerQueue(this::reprogram);
    /** The thread that expires {@link #timers}, started with the first timer. */
    private volatile Thread expirer;

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
    public long uptimeNanos() {
        try {
            String up = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/uptime"));
            return (long) (Double.parseDouble(up.substring(0, up.indexOf(' '))) * 1e9);
        } catch (java.io.IOException | RuntimeException e) {
            return 0; // not a Linux host: informational only
        }
    }

    /** Each host thread's id, asked of the host once. */
    private static final ThreadLocal<Integer> TID = ThreadLocal.withInitial(dev.phoenix.emu.host.HostOs::gettid);

    @Override
    public long threadCpuNanos(int hostTid) {
        return dev.phoenix.emu.host.HostOs.threadCpuNanos(hostTid);
    }

    @Override
    public int hostThreadId() {
        return TID.get();
    }

    @Override
    public HrTimerQueue timers() {
        return timers;
    }

    /** A timer became the earliest: the expirer sleeps until it instead (and starts, the first time). */
    private void reprogram() {
        Thread t = expirer;
        if (t == null) {
            synchronized (this) {
                t = expirer;
                if (t == null) {
                    expirer = Thread.ofPlatform().daemon().name("phoenix-timers").start(this::expireForever);
                    return;
                }
            }
        }
        LockSupport.unpark(t);
    }

    /**
     * The expirer's loop: runs the due timers' actions, then sleeps until the next expiry. A
     * reprogram between its look at the queue and its sleep leaves a permit, so the sleep ends
     * at once and it looks again.
     */
    private void expireForever() {
        dev.phoenix.emu.host.HostOs.setTimerSlack(1); // timers fire on time, not up to 50 µs late
        while (true) {
            long next = timers.nextExpiry();
            if (next == Long.MAX_VALUE) {
                LockSupport.park(this);
                continue;
            }
            long now = System.nanoTime();
            if (next - now > 0) {
                LockSupport.parkNanos(this, next - now);
                continue;
            }
            try {
                timers.expire(now);
            } catch (RuntimeException | Error e) {
                // An action failed (a bug): the others must still fire, as the executor this
                // replaces went on. Report it where the JVM reports an uncaught exception.
                Thread.currentThread().getUncaughtExceptionHandler().uncaughtException(Thread.currentThread(), e);
            }
        }
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
