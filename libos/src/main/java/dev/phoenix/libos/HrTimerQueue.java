package dev.phoenix.libos;

/**
 * The timers of one time base, earliest expiry first (Linux's hrtimer_clock_base with its
 * timerqueue, kernel/time/hrtimer.c): a binary min-heap keyed by expiry, where each timer knows
 * its place, so that starting, cancelling and re-arming cost O(log n) whatever the number of
 * timers (a run queue's blocked tasks each have one). Every timer Phoenix arms goes through
 * one: the kernel {@link Clock}'s monotonic queue holds the wait deadlines of tasks, timerfds,
 * ITIMER_REAL and the POSIX timers of the wall clocks; a process's and a thread's CPU-time
 * bases hold the CPU-time timers, keyed in nanoseconds of CPU time.
 *
 * <p>A queue does not keep time itself: whoever drives its base calls {@link #expire} with the
 * base's time now (the host clock's timer thread, a virtual clock as it moves, the runner as it
 * accounts CPU time), and is told through {@code reprogram} when a timer started becomes the
 * earliest, as Linux reprograms the clock event device, so that it can wake sooner. Actions run
 * outside the queue's lock, one at a time in expiry order; an action may start timers again.
 * Safe from any thread.
 */
public final class HrTimerQueue {
    private final Runnable reprogram;
    /** @GuardedBy("this") The heap: heap[0] is the earliest; a timer's index is its place. */
    private HrTimer[] heap = new HrTimer[16];
    /** @GuardedBy("this") */
    private int size;
    /** @GuardedBy("this") Start order, which breaks ties between equal expiries. */
    private long sequence;

    /** A queue whose driver {@code reprogram} hears when a newly started timer is the earliest. */
    public HrTimerQueue(Runnable reprogram) {
        this.reprogram = reprogram;
    }

    /**
     * Arms {@code t} to expire at {@code expiry} on this base (Linux's hrtimer_start with an
     * absolute expiry): a timer already queued, here or on another queue, moves.
     */
    public void start(HrTimer t, long expiry) {
        HrTimerQueue other = t.queue;
        if (other != null && other != this) {
            other.cancel(t);
        }
        boolean first;
        synchronized (this) {
            if (t.queue == this && t.index >= 0) {
                remove(t.index);
            }
            t.queue = this;
            t.expiry = expiry;
            t.order = sequence++;
            add(t);
            first = t.index == 0;
        }
        if (first) {
            reprogram.run();
        }
    }

    /** Takes {@code t} off the queue; true when it was queued (its action will not run for it). */
    public synchronized boolean cancel(HrTimer t) {
        if (t.queue != this || t.index < 0) {
            return false;
        }
        remove(t.index);
        return true;
    }

    /** The earliest expiry queued, or Long.MAX_VALUE when none is. */
    public synchronized long nextExpiry() {
        return size == 0 ? Long.MAX_VALUE : heap[0].expiry;
    }

    /** The timers queued. */
    public synchronized int size() {
        return size;
    }

    /**
     * Runs the actions of the timers due by {@code now} (expiry at or before it), earliest first,
     * each taken off the queue before its action runs (Linux's __hrtimer_run_queues); a timer an
     * action starts again for {@code now} or earlier runs in the same call. Returns how many ran.
     */
    public int expire(long now) {
        int ran = 0;
        while (true) {
            HrTimer t;
            synchronized (this) {
                if (size == 0 || heap[0].expiry > now) {
                    return ran;
                }
                t = heap[0];
                remove(0);
            }
            t.action.run();
            ran++;
        }
    }

    // ---- the heap, under this queue's lock ----

    private void add(HrTimer t) {
        if (size == heap.length) {
            heap = java.util.Arrays.copyOf(heap, size * 2);
        }
        heap[size] = t;
        t.index = size;
        size++;
        up(t.index);
    }

    private void remove(int i) {
        HrTimer gone = heap[i];
        gone.index = -1;
        size--;
        if (i != size) {
            HrTimer last = heap[size];
            heap[i] = last;
            last.index = i;
            heap[size] = null;
            if (!up(i)) {
                down(i);
            }
        } else {
            heap[size] = null;
        }
    }

    /** Moves the timer at {@code i} towards the root while it is earlier than its parent; true if it moved. */
    private boolean up(int i) {
        HrTimer t = heap[i];
        int start = i;
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            HrTimer p = heap[parent];
            if (!earlier(t, p)) {
                break;
            }
            heap[i] = p;
            p.index = i;
            i = parent;
        }
        heap[i] = t;
        t.index = i;
        return i != start;
    }

    private void down(int i) {
        HrTimer t = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            }
            if (child + 1 < size && earlier(heap[child + 1], heap[child])) {
                child++;
            }
            HrTimer c = heap[child];
            if (!earlier(c, t)) {
                break;
            }
            heap[i] = c;
            c.index = i;
            i = child;
        }
        heap[i] = t;
        t.index = i;
    }

    private static boolean earlier(HrTimer a, HrTimer b) {
        return a.expiry != b.expiry ? a.expiry < b.expiry : a.order < b.order;
    }
}
