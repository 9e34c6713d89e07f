package dev.phoenix.libos.ipc;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.PollEvents;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.libos.proc.WaitQueue;
import java.nio.charset.StandardCharsets;

/**
 * An open POSIX message queue (a message queue descriptor, mq_overview(7)): what mq_open(3) or
 * an open(2) in an mqueue file system gives, with Linux's mqueue_file_operations. The mq_* calls
 * send and receive through it; poll reports POLLIN while a message waits and POLLOUT while one
 * fits; read(2) gives the queue's status line at the file offset; each close drops the closing
 * process's notification (mqueue_flush_file).
 */
public final class MqueueFile implements OpenFile {
    private static final int O_ACCMODE = 3, O_NONBLOCK = 04000;

    public final PosixMq queue;
    private final PosixMqs table;
    private final String guestPath;
    /** open(2)'s flags that F_GETFL reports: the access mode and O_NONBLOCK. */
    private volatile int flags;
    /** @GuardedBy("this") the read offset into the status line. */
    private long position;

    /** A descriptor of {@code queue} of {@code table} opened with {@code oflag} (its access mode and O_NONBLOCK). */
    public MqueueFile(PosixMqs table, PosixMq queue, int oflag, String guestPath) {
        this.table = table;
        this.queue = queue;
        this.flags = oflag & (O_ACCMODE | O_NONBLOCK);
        this.guestPath = guestPath;
        table.opened(queue);
    }

    /** FMODE_READ: O_RDONLY or O_RDWR (OPEN_FMODE). */
    public boolean readable() {
        return (((flags & O_ACCMODE) + 1) & 1) != 0;
    }

    /** FMODE_WRITE: O_WRONLY or O_RDWR. */
    public boolean writable() {
        return (((flags & O_ACCMODE) + 1) & 2) != 0;
    }

    /** True when O_NONBLOCK is set: mq_send and mq_receive answer EAGAIN instead of waiting. */
    public boolean nonBlocking() {
        return (flags & O_NONBLOCK) != 0;
    }

    /** mqueue_read_file: the status line, from the file offset. */
    @Override
    public int read(byte[] buf, int offset, int length) {
        if (!readable()) {
            throw Errno.of(Errno.EBADF);
        }
        Task t = Task.current();
        byte[] line = queue.statusLine(global -> t == null ? global : t.process().namespaces.pid().nr(global))
                .getBytes(StandardCharsets.US_ASCII);
        synchronized (this) {
            if (position >= line.length) {
                return 0;
            }
            int n = (int) Math.min(length, line.length - position);
            System.arraycopy(line, (int) position, buf, offset, n);
            position += n;
            return n;
        }
    }

    /** No write operation: EINVAL (EBADF on a descriptor not open for writing). */
    @Override
    public int write(byte[] buf, int offset, int length) {
        throw Errno.of(writable() ? Errno.EINVAL : Errno.EBADF);
    }

    /** default_llseek over a file of FILENT_SIZE bytes. */
    @Override
    public synchronized long seek(long offset, int whence) {
        long base = switch (whence) {
            case 0 -> 0;
            case 1 -> position;
            case 2 -> PosixMq.FILENT_SIZE;
            default -> throw Errno.of(Errno.EINVAL);
        };
        long to = base + offset;
        if (to < 0) {
            throw Errno.of(Errno.EINVAL);
        }
        position = to;
        return to;
    }

    @Override
    public FileStatus status() {
        synchronized (queue) {
            return new FileStatus(table.devNumber(), queue.ino, FileStatus.S_IFREG | queue.mode,
                    queue.unlinked ? 0 : 1, queue.uid, queue.gid, 0, PosixMq.FILENT_SIZE, 4096, 0, queue.atime,
                    queue.mtime, queue.ctime);
        }
    }

    @Override
    public int pollEvents() {
        int events = 0;
        if (queue.readable()) {
            events |= PollEvents.POLLIN | PollEvents.POLLRDNORM;
        }
        if (queue.writable()) {
            events |= PollEvents.POLLOUT | PollEvents.POLLWRNORM;
        }
        return events;
    }

    @Override
    public WaitQueue readiness() {
        return queue.changed;
    }

    @Override
    public int statusFlags() {
        return flags;
    }

    /** F_SETFL: O_NONBLOCK. */
    @Override
    public void setStatusFlags(int f) {
        flags = (flags & ~O_NONBLOCK) | (f & O_NONBLOCK);
    }

    @Override
    public String guestPath() {
        return guestPath;
    }

    @Override
    public String procLink() {
        return "/" + queue.name;
    }

    /** Every close drops the notification of the closing process (mqueue_flush_file). */
    @Override
    public void flush() {
        Task t = Task.current();
        if (t != null) {
            queue.unregister(t.process());
        }
    }

    @Override
    public void release() {
        table.closed(queue);
    }
}
