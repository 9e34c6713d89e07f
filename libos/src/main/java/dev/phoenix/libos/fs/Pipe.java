package dev.phoenix.libos.fs;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.libos.proc.WaitQueue;

/**
 * A pipe(7): a 64 KiB buffer with a read end and a write end. Reading an empty pipe blocks
 * while a writer exists and returns 0 (end of file) once none does; writing with no reader is
 * EPIPE. O_NONBLOCK ends return EAGAIN instead of blocking.
 */
public final class Pipe {
    /** Linux's default pipe capacity. */
    public static final int CAPACITY = 65536;
    /** The unit Linux fills and frees a pipe's buffer in. */
    private static final int PAGE = 4096;

    private final byte[] buffer = new byte[CAPACITY];
    private int head;
    private int size;
    private int readers = 1;
    private int writers = 1;

    private final ReadEnd readEnd;
    private final End writeEnd;

    /** A new pipe; {@code nonBlocking} sets O_NONBLOCK on both ends. */
    public Pipe(boolean nonBlocking) {
        readEnd = new ReadEnd(nonBlocking);
        writeEnd = new End(false, nonBlocking);
    }

    public OpenFile readEnd() {
        return readEnd;
    }

    public OpenFile writeEnd() {
        return writeEnd;
    }

    /** Woken at every change: bytes in or out, an end closed. */
    private final WaitQueue changed = new WaitQueue();

    /** pipe(7): writes of at most PIPE_BUF bytes are atomic. */
    private static final int PIPE_BUF = 4096;

    /** Reads as the read end does, waiting unless {@code nonBlocking} (splice's SPLICE_F_NONBLOCK too). */
    public int read(byte[] buf, int offset, int length, boolean nonBlocking) {
        return take(buf, offset, length, nonBlocking, true);
    }

    /**
     * For tee: copies up to {@code length} waiting bytes without consuming them, waiting as a
     * read does; 0 once no writer is left and nothing waits.
     */
    public int peek(byte[] buf, int offset, int length, boolean nonBlocking) {
        return take(buf, offset, length, nonBlocking, false);
    }

    /** A read ({@code consume}) or a peek: waits for bytes while a writer exists, unless {@code nonBlocking}. */
    private int take(byte[] buf, int offset, int length, boolean nonBlocking, boolean consume) {
        while (true) {
            synchronized (this) {
                if (size > 0) {
                    int n = Math.min(length, size);
                    for (int i = 0; i < n; i++) {
                        buf[offset + i] = buffer[(head + i) % CAPACITY];
                    }
                    if (consume) {
                        head = (head + n) % CAPACITY;
                        size -= n;
                        changed.wakeAll();
                    }
                    return n;
                }
                if (writers == 0) {
                    return 0;
                }
                if (nonBlocking) {
                    throw Errno.of(Errno.EAGAIN);
                }
            }
            await(() -> readable(), 0);
        }
    }

    private synchronized boolean readable() {
        return size > 0 || writers == 0;
    }

    /** Room for the rest of a write of {@code length} bytes, {@code done} of them written: all of it when atomic. */
    private synchronized boolean writable(int length, int done) {
        int room = CAPACITY - size;
        return readers == 0 || (length <= PIPE_BUF ? room >= length : room > 0);
    }

    private int write(byte[] buf, int offset, int length, boolean nonBlocking) {
        Task task = Task.current();
        int done = task != null ? task.writtenBefore(length) : 0; // what went in before this call parked
        while (done < length) {
            synchronized (this) {
                if (readers == 0) {
                    if (done > 0) {
                        return done;
                    }
                    throw Errno.of(Errno.EPIPE);
                }
                int room = CAPACITY - size;
                boolean fits = length <= PIPE_BUF ? room >= length : room > 0;
                if (fits) {
                    int n = Math.min(length - done, room);
                    for (int i = 0; i < n; i++) {
                        buffer[(head + size + i) % CAPACITY] = buf[offset + done + i];
                    }
                    size += n;
                    done += n;
                    changed.wakeAll();
                    continue;
                }
                if (nonBlocking) {
                    if (done > 0) {
                        return done;
                    }
                    throw Errno.of(Errno.EAGAIN);
                }
            }
            int sofar = done;
            try {
                await(() -> writable(length, sofar), done);
            } catch (Errno e) {
                if (done > 0) {
                    return done; // a signal after some bytes went in: a short write
                }
                throw e;
            }
        }
        return done;
    }

    /**
     * Waits for the other end to act; a signal for the waiting task ends the wait with
     * ERESTARTSYS, as pipe_read and pipe_write return it. {@code done} is what a write has put
     * in so far, kept if the task parks.
     */
    private void await(java.util.function.BooleanSupplier ready, int done) {
        FileWaits.await(this, changed, ready, Long.MAX_VALUE, done, null);
    }

    private synchronized void close(boolean reader) {
        if (reader) {
            readers--;
        } else {
            writers--;
        }
        changed.wakeAll();
        notifyAll();
    }

    /**
     * The poll events of one end, as pipe_poll (Linux's fs/pipe.c) gives them: the read end is
     * readable while bytes wait and hung up once no writer is left; the write end is writable
     * while a page is free and in error once no reader is left. Linux fills a pipe page by page
     * (small writes share the last page) and frees a page only when all of it has been read, so
     * a pipe with less than a page free is full to it.
     */
    private synchronized int pollEvents(boolean reader) {
        int events = 0;
        if (reader) {
            events |= size > 0 ? PollEvents.POLLIN | PollEvents.POLLRDNORM : 0;
            events |= writers == 0 ? PollEvents.POLLHUP : 0;
        } else {
            events |= CAPACITY - size >= PAGE ? PollEvents.POLLOUT | PollEvents.POLLWRNORM : 0;
            events |= readers == 0 ? PollEvents.POLLERR : 0;
        }
        return events;
    }

    /** Bytes waiting to be read (FIONREAD). */
    public synchronized int available() {
        return size;
    }

    /** The pipe whose read end {@code f} is, or null (splice(2), tee(2), vmsplice(2)). */
    public static Pipe ofReadEnd(OpenFile f) {
        return f instanceof End e && e.reader ? e.pipe() : null;
    }

    /** The pipe whose write end {@code f} is, or null. */
    public static Pipe ofWriteEnd(OpenFile f) {
        return f instanceof End e && !e.reader ? e.pipe() : null;
    }

    /**
     * For splice and tee into this pipe: waits until a write can put a byte in (EAGAIN instead
     * when {@code nonBlocking}) and returns how many it can put in without waiting; with no
     * reader left, the whole capacity, so that the write finds EPIPE.
     */
    public int awaitRoom(boolean nonBlocking) {
        while (true) {
            synchronized (this) {
                if (readers == 0) {
                    return CAPACITY;
                }
                if (size < CAPACITY) {
                    return CAPACITY - size;
                }
                if (nonBlocking) {
                    throw Errno.of(Errno.EAGAIN);
                }
            }
            await(this::roomOrNoReader, 0);
        }
    }

    private synchronized boolean roomOrNoReader() {
        return readers == 0 || size < CAPACITY;
    }


    /** The read end, which can say how much is waiting (FIONREAD). */
    public final class ReadEnd extends End {
        ReadEnd(boolean nonBlocking) {
            super(true, nonBlocking);
        }

        /** Bytes waiting to be read. */
        public int available() {
            return Pipe.this.available();
        }

    }

    private class End implements OpenFile {
        private final boolean reader;
        private boolean nonBlocking;

        Pipe pipe() {
            return Pipe.this;
        }

        End(boolean reader, boolean nonBlocking) {
            this.reader = reader;
            this.nonBlocking = nonBlocking;
        }

        @Override
        public int read(byte[] buf, int offset, int length) {
            if (!reader) {
                throw Errno.of(Errno.EBADF);
            }
            return Pipe.this.read(buf, offset, length, nonBlocking);
        }

        @Override
        public int write(byte[] buf, int offset, int length) {
            if (reader) {
                throw Errno.of(Errno.EBADF);
            }
            return Pipe.this.write(buf, offset, length, nonBlocking);
        }


        @Override
        public boolean openedByPath() {
            return false;
        }

        @Override
        public int statusFlags() {
            return (reader ? 0 : 1) | (nonBlocking ? 04000 : 0);
        }

        @Override
        public void setStatusFlags(int flags) {
            nonBlocking = (flags & 04000) != 0;
        }

        @Override
        public FileStatus status() {
            return new FileStatus(0xc, System.identityHashCode(Pipe.this), FileStatus.S_IFIFO | 0600, 1, 0, 0, 0,
                    0, 4096, 0, 0, 0, 0);
        }

        @Override
        public int pollEvents() {
            return Pipe.this.pollEvents(reader);
        }

        @Override
        public WaitQueue readiness() {
            return changed;
        }

        @Override
        public void release() {
            close(reader);
        }
    }
}
