package dev.phoenix.libos.fs;

import dev.phoenix.libos.Errno;

/**
 * An eventfd (eventfd(2)): a 64-bit unsigned counter. A write of 8 bytes adds a value to it,
 * waiting while the sum would pass 0xfffffffffffffffe (a value of all ones is EINVAL); a read of
 * 8 bytes waits while it is 0, then takes it all and leaves 0, or with EFD_SEMAPHORE takes 1.
 * Readable while the counter is not 0, writable while it is below 0xfffffffffffffffe.
 */
public final class EventFd extends QueuedAnonymousFile {
    /** The largest value the counter holds (ULLONG_MAX - 1). */
    private static final long MAX = 0xfffffffffffffffeL;

    private final boolean semaphore;
    /** @GuardedBy("this"), unsigned. */
    private long count;

    /** An eventfd starting at {@code initial} (an unsigned int, as eventfd2's initval is). */
    public EventFd(long initial, boolean semaphore, boolean nonBlocking) {
        super(nonBlocking);
        this.count = initial;
        this.semaphore = semaphore;
    }

    @Override
    public int read(byte[] buf, int offset, int length) {
        if (length < 8) {
            throw Errno.of(Errno.EINVAL);
        }
        while (true) {
            synchronized (this) {
                if (count != 0) {
                    long v = semaphore ? 1 : count;
                    count -= v;
                    woke();
                    putLong(buf, offset, v);
                    return 8;
                }
                if (nonBlocking) {
                    throw Errno.of(Errno.EAGAIN);
                }
            }
            FileWaits.await(this, changed, this::readable, Long.MAX_VALUE, 0, null);
        }
    }

    @Override
    public int write(byte[] buf, int offset, int length) {
        if (length < 8) {
            throw Errno.of(Errno.EINVAL);
        }
        long v = getLong(buf, offset);
        if (v == -1L) {
            throw Errno.of(Errno.EINVAL);
        }
        while (true) {
            synchronized (this) {
                if (Long.compareUnsigned(v, MAX - count) <= 0) {
                    count += v;
                    woke();
                    return 8;
                }
                if (nonBlocking) {
                    throw Errno.of(Errno.EAGAIN);
                }
            }
            FileWaits.await(this, changed, () -> fits(v), Long.MAX_VALUE, 0, null);
        }
    }

    private synchronized boolean readable() {
        return count != 0;
    }

    private synchronized boolean fits(long v) {
        return Long.compareUnsigned(v, MAX - count) <= 0;
    }

    /** @GuardedBy("this") */
    private void woke() {
        changed.wakeAll();
        notifyAll();
    }

    @Override
    public synchronized int pollEvents() {
        int events = 0;
        if (count != 0) {
            events |= PollEvents.POLLIN | PollEvents.POLLRDNORM;
        }
        if (Long.compareUnsigned(count, MAX) < 0) {
            events |= PollEvents.POLLOUT | PollEvents.POLLWRNORM;
        }
        return events;
    }

    @Override
    public String procLink() {
        return "anon_inode:[eventfd]";
    }

    /** Stores {@code v} little-endian, as all three arches keep a u64. */
    static void putLong(byte[] buf, int offset, long v) {
        for (int i = 0; i < 8; i++) {
            buf[offset + i] = (byte) (v >>> (8 * i));
        }
    }

    static long getLong(byte[] buf, int offset) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (buf[offset + i] & 0xff);
        }
        return v;
    }
}
