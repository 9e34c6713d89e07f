package dev.phoenix.libos;

import java.util.PriorityQueue;

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
    private long now;
    private long sequence;
    private final PriorityQueue<Event> events = new PriorityQueue<>();

    private final class Event implements Comparable<Event>, Timer {
        final long deadline;
        final long order = sequence++;
        final Runnable action;
        boolean cancelled;

        Event(long deadline, Runnable action) {
            this.deadline = deadline;
            this.action = action;
        }

        @Override
        public int compareTo(Event o) {
            return deadline != o.deadline ? Long.compare(deadline, o.deadline) : Long.compare(order, o.order);
        }

        @Override
        public void cancel() {
            synchronized (VirtualClock.this) {
                cancelled = true;
                events.remove(this);
            }
        }
    }

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
    public long cpuTimeNanos() {
        return tick(); // one guest thread, always running: its CPU time is the time since boot
    }

    @Override
    public long uptimeNanos() {
        return tick();
    }

    private long tick() {
        return advance(TICK_NANOS);
    }

    @Override
    public synchronized Timer schedule(long deadlineNanos, Runnable action) {
        Event e = new Event(deadlineNanos, action);
        events.add(e);
        return e;
    }

    /** Jumps to {@code deadlineNanos}, or to the next timer before it and fires it; without either, waits for a notify. */
    @Override
    public void await(Object monitor, long deadlineNanos) throws InterruptedException {
        long target;
        synchronized (this) {
            Event next = events.peek();
            target = next != null && next.deadline < deadlineNanos ? next.deadline : deadlineNanos;
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
        while (true) {
            Event e;
            synchronized (this) {
                e = events.peek();
                if (e == null || e.deadline > t) {
                    return;
                }
                events.poll();
            }
            e.action.run();
        }
    }

    /** Nanoseconds until the next timer is due (at least 1), or Long.MAX_VALUE when none is armed. */
    public synchronized long untilNextTimer() {
        Event next = events.peek();
        return next == null ? Long.MAX_VALUE : Math.max(1, next.deadline - now);
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
