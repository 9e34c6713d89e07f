package dev.phoenix.libos.sched;

import java.util.ArrayDeque;

/**
 * Round robin over every runnable entity, first come first served, with one fixed slice: the
 * scheduling class until the real-time issue's classes replace it. Priorities and nice values
 * are recorded by the caller but do not change the order.
 */
public final class RoundRobin implements Scheduler {
    /**
     * The slice: 10 ms, close to what Linux's fair class gives a few runnable tasks (its 6 ms
     * latency target, 0.75 ms at least each) rather than SCHED_RR's 100 ms, so a thread spinning
     * for another to act waits at most this long.
     */
    public static final long SLICE_NANOS = 10_000_000L;

    private final ArrayDeque<SchedEntity> queue = new ArrayDeque<>();
    private final long slice;

    public RoundRobin() {
        this(SLICE_NANOS);
    }

    public RoundRobin(long sliceNanos) {
        this.slice = sliceNanos;
    }

    @Override
    public void enqueue(SchedEntity e) {
        if (!e.queued) {
            e.queued = true;
            queue.addLast(e);
        }
    }

    @Override
    public void dequeue(SchedEntity e) {
        if (e.queued) {
            e.queued = false;
            queue.remove(e);
        }
    }

    @Override
    public SchedEntity pickNext() {
        SchedEntity e = queue.pollFirst();
        if (e != null) {
            e.queued = false;
        }
        return e;
    }

    @Override
    public SchedEntity peekNext() {
        return queue.peekFirst();
    }

    @Override
    public boolean hasRunnable() {
        return !queue.isEmpty();
    }

    @Override
    public long sliceNanos(SchedEntity running) {
        return slice;
    }

    @Override
    public void yield(SchedEntity running) {
        enqueue(running);
    }

    @Override
    public void changed(SchedEntity e) {
        // one class, one order: nothing to move
    }
}
