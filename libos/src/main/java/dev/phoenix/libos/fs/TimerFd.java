package dev.phoenix.libos.fs;

import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;

/**
 * A timerfd (timerfd_create(2)): a timer on the kernel's clock (virtual under --deterministic)
 * whose expirations a read of 8 bytes returns as a count, waiting while there is none. The
 * timer keeps its next expiry on the monotonic clock, converted from the timer's clock when it
 * is set, and counts expirations when it is looked at; a clock timer wakes the waiters (poll,
 * epoll, a blocked read) at each expiry that finds none counted. TFD_TIMER_CANCEL_ON_SET is
 * accepted: the guest cannot set Phoenix's clock, so a read never ends with ECANCELED.
 */
public final class TimerFd extends QueuedAnonymousFile {

    private final Clock clock;
    private final int clockId;
    /** @GuardedBy("this") The next expiry (monotonic ns), and the interval; 0 when disarmed or none. */
    private long deadline, interval;
    private boolean armed;
    /** @GuardedBy("this") Expirations counted and not read yet. */
    private long ticks;
    /** @GuardedBy("this") The clock timer that wakes the waiters at the next expiry, or null. */
    private Clock.Timer waker;

    /** A timer of clock {@code clockId} (clock_gettime(2)'s id), kept on {@code clock}. */
    public TimerFd(Clock clock, int clockId, boolean nonBlocking) {
        super(nonBlocking);
        this.clock = clock;
        this.clockId = clockId;
    }

    /** The clock it was made on. */
    public int clockId() {
        return clockId;
    }

    /**
     * Arms the timer to expire at monotonic time {@code at} and then every {@code every} ns (0:
     * once), or disarms it when {@code at} is 0; the expirations not read are dropped. Returns
     * what it was set to before, as {@link #get} gives it.
     */
    public synchronized long[] set(long at, long every) {
        long[] old = get();
        ticks = 0;
        armed = at != 0;
        deadline = at;
        interval = armed ? every : 0;
        scheduleWake();
        return old;
    }

    /** The time left to the next expiry (at least 1 ns while armed) and the interval; {0, 0} when disarmed. */
    public synchronized long[] get() {
        long now = clock.monotonicNanos();
        count(now);
        if (!armed) {
            return new long[] {0, 0};
        }
        return new long[] {Math.max(1, deadline - now), interval};
    }

    /** @GuardedBy("this") Counts the expirations due by {@code now}; a one-shot timer is disarmed by its expiry. */
    private void count(long now) {
        if (!armed || now - deadline < 0) {
            return;
        }
        if (interval > 0) {
            long n = (now - deadline) / interval + 1;
            ticks += n;
            deadline += n * interval;
        } else {
            ticks++;
            armed = false;
        }
    }

    /** @GuardedBy("this") Sets a clock timer to wake the waiters at the next expiry, when none is counted. */
    private void scheduleWake() {
        if (waker != null) {
            waker.cancel();
            waker = null;
        }
        if (armed && ticks == 0) {
            long at = deadline;
            waker = clock.schedule(at, this::expired);
        }
    }

    private synchronized void expired() {
        waker = null;
        count(clock.monotonicNanos());
        changed.wakeAll();
        notifyAll();
        if (ticks == 0) {
            scheduleWake(); // woken early
        }
    }

    private synchronized boolean due() {
        count(clock.monotonicNanos());
        return ticks > 0;
    }

    @Override
    public int read(byte[] buf, int offset, int length) {
        if (length < 8) {
            throw Errno.of(Errno.EINVAL);
        }
        while (true) {
            long until;
            synchronized (this) {
                count(clock.monotonicNanos());
                if (ticks > 0) {
                    EventFd.putLong(buf, offset, ticks);
                    ticks = 0;
                    scheduleWake();
                    return 8;
                }
                if (nonBlocking) {
                    throw Errno.of(Errno.EAGAIN);
                }
                until = armed ? deadline : Long.MAX_VALUE;
            }
            FileWaits.await(this, changed, this::due, until, 0, clock);
        }
    }

    /** Releases the clock timer with the last descriptor. */
    @Override
    public synchronized void release() {
        armed = false;
        scheduleWake();
    }

    @Override
    public synchronized int pollEvents() {
        count(clock.monotonicNanos());
        return ticks > 0 ? PollEvents.POLLIN | PollEvents.POLLRDNORM : 0;
    }

    @Override
    public String procLink() {
        return "anon_inode:[timerfd]";
    }
}
