package dev.phoenix.libos;

/**
 * One high-resolution timer (Linux's struct hrtimer): an action and, while it is armed, its
 * expiry on the time base of the {@link HrTimerQueue} it was started on. A timer is made once
 * and may be started, cancelled and started again any number of times, on one base or another;
 * its action runs on whatever thread expires the queue (the clock's, or the runner that
 * accounts CPU time), outside the queue's lock, and may start the timer again.
 */
public final class HrTimer implements Clock.Timer {
    final Runnable action;
    /** The queue it was last started on, or null. @GuardedBy("queue") for the fields below. */
    volatile HrTimerQueue queue;
    /** Its expiry on its queue's base; kept after it expires (Linux's hrtimer_get_expires). */
    long expiry;
    /** Orders timers of equal expiry by when they were started: the first started fires first. */
    long order;
    /** Its place in its queue's heap, or -1 while it is not queued. */
    int index = -1;

    /** A timer that runs {@code action} when it expires. */
    public HrTimer(Runnable action) {
        this.action = action;
    }

    /** Disarms it: its action will not run, if it has not started already (Linux's hrtimer_try_to_cancel). */
    @Override
    public void cancel() {
        HrTimerQueue q = queue;
        if (q != null) {
            q.cancel(this);
        }
    }

    /** True while it waits in a queue for its expiry (Linux's hrtimer_is_queued). */
    public boolean isQueued() {
        HrTimerQueue q = queue;
        if (q == null) {
            return false;
        }
        synchronized (q) {
            return index >= 0 && queue == q;
        }
    }

    /** The expiry it was last started with, on its queue's time base. */
    public long expiry() {
        HrTimerQueue q = queue;
        if (q == null) {
            return expiry;
        }
        synchronized (q) {
            return expiry;
        }
    }
}
