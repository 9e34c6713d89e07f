package dev.phoenix.libos;

/**
 * Time for a deterministic run: it starts at a fixed instant and passes only as the guest
 * looks at it or waits for it. Each reading advances it by {@link #TICK_NANOS}, so a guest
 * polling the clock sees it move; a sleep jumps straight to its deadline, firing the timers due
 * on the way, so sleeps take no host time and a run's output depends on nothing but its input.
 */
public final class VirtualClock implements Clock {
    /** How far one reading moves the clock: 1 µs. */
    public static final long TICK_NANOS = 1_000;

    private final long bootRealtimeNanos;
    /** Virtual monotonic time: written under this clock's lock, read without it. */
    private volatile long now;
    /** The timers, expired as time moves (nothing to reprogram: the time that passes is the clock's own). */
    private final HrTimerQueue timers = new HrTimerQueue(() -> { });

    /** A clock whose boot (monotonic 0) is at {@code bootRealtimeNanos} since the epoch. */
    public VirtualClock(long bootRealtimeNanos) {
        this.bootRealtimeNanos = bootRealtimeNanos;
    }

    @Override
    public long realtimeNanos() {
        return bootRealtimeNanos + tick();
    }

    @Override
    public long monotonicNanos() {
        return tick();
    }

    @Override
    public long uptimeNanos() {
        return tick();
    }

    /** The time now, without the tick a reading costs: accounting CPU time must not move the clock. */
    @Override
    public long kernelNanos() {
        return now;
    }

    /** Its own time, whatever the thread: one task runs at a time, and its turn's CPU time is the time that passed. */
    @Override
    public long threadCpuNanos(int hostTid) {
        return now;
    }

    @Override
    public int hostThreadId() {
        return 0;
    }

    @Override
    public HrTimerQueue timers() {
        return timers;
    }

    private long tick() {
        return advance(TICK_NANOS);
    }

    /** Jumps to {@code deadlineNanos}, or to the next timer before it and fires it; without either, waits for a notify. */
    @Override
    public void await(Object monitor, long deadlineNanos) throws InterruptedException {
        long target;
        synchronized (this) {
            long next = timers.nextExpiry();
            target = next < deadlineNanos ? next : deadlineNanos;
            if (target == Long.MAX_VALUE) {
                target = -1;
            } else {
                now = Math.max(now, target);
            }
        }
        if (target < 0) {
            monitor.wait(); // nothing will ever happen in virtual time: as Linux, sleep until a signal
            return;
        }
        fireDue(target);
    }

    /** Runs, outside this clock's lock, the actions of the timers due by {@code t}. */
    private void fireDue(long t) {
        timers.expire(t);
    }

    /** Nanoseconds until the next timer is due (at least 1), or Long.MAX_VALUE when none is armed. */
    public synchronized long untilNextTimer() {
        long next = timers.nextExpiry();
        return next == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, next - now);
    }

    /** Lets {@code nanos} pass (the guest ran that long), firing the timers due; returns the new time. */
    public long advance(long nanos) {
        long t;
        synchronized (this) {
            now += nanos;
            t = now;
        }
        fireDue(t);
        return t;
    }

    @Override
    public boolean isVirtual() {
        return true;
    }
}
