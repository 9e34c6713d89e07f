package dev.phoenix.libos.fs;

import dev.phoenix.emu.host.HostOs;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.HostWaits;
import dev.phoenix.libos.proc.Reactor;
import dev.phoenix.libos.proc.Task;

/**
 * One of Phoenix's own file descriptors (its stdin, stdout or stderr) given to the guest as
 * it is: reads, writes, lseek, fstat and fsync go to the host fd, so a guest whose stdout is
 * redirected to a file can seek in it, and one on a terminal gets the terminal's answers.
 */
public final class HostFd implements OpenFile {
    private final int fd;
    private final int accessMode;
    private final boolean terminal;
    /** A terminal, pipe or socket: a read or write may wait, and a signal must be able to end the wait. */
    private final boolean mayBlock;
    /** The guest's controlling terminal when this is it, else null. */
    private volatile dev.phoenix.libos.tty.Terminal controlling;

    /** Host {@code fd}, opened by Phoenix's parent with access mode {@code accessMode} (O_RDONLY 0, O_WRONLY 1, O_RDWR 2). */
    public HostFd(int fd, int accessMode) {
        this.fd = fd;
        this.accessMode = accessMode;
        this.terminal = HostOs.isatty(fd);
        int type;
        try {
            type = HostOs.fstat(fd).mode() & FileStatus.S_IFMT;
        } catch (HostOs.HostError e) {
            type = 0;
        }
        this.mayBlock = type == FileStatus.S_IFIFO || type == FileStatus.S_IFCHR || type == FileStatus.S_IFSOCK;
    }

    /**
     * Waits until the host descriptor is ready for {@code events}: through the reactor when the
     * calling task runs on a run queue (it parks, and the engine runs its other threads), else
     * in this thread ({@link HostWaits}). ERESTARTSYS when a signal ends the wait.
     */
    private void await(int events) {
        Task task = Task.current();
        Reactor reactor = task != null ? task.reactor() : null;
        if (reactor == null) {
            HostWaits.await(fd, events);
            return;
        }
        if (task.block(Long.MAX_VALUE, () -> Reactor.ready(fd, events), reactor.watch(fd, events))
                == Task.Wait.SIGNALED) {
            throw Errno.of(Errno.ERESTARTSYS);
        }
    }

    /**
     * A terminal, pipe or socket reports what the host says of it now, so poll, select and
     * epoll wait for it as for a pipe of the guest's own (bash's read -t selects on its stdin);
     * a file is always ready.
     */
    @Override
    public int pollEvents() {
        if (!mayBlock) {
            return PollEvents.DEFAULT;
        }
        int revents = Reactor.revents(fd, PollEvents.POLLIN | PollEvents.POLLOUT);
        // The host's POLLIN, POLLOUT, POLLERR, POLLHUP and POLLNVAL are Linux's, the guest's too.
        revents &= PollEvents.POLLIN | PollEvents.POLLOUT | PollEvents.POLLERR | PollEvents.POLLHUP | PollEvents.POLLNVAL;
        if ((revents & PollEvents.POLLIN) != 0) {
            revents |= PollEvents.POLLRDNORM;
        }
        if ((revents & PollEvents.POLLOUT) != 0) {
            revents |= PollEvents.POLLWRNORM;
        }
        return revents;
    }

    /**
     * For a terminal, pipe or socket, the reactor's queue for the direction the descriptor is
     * open for (Phoenix's stdin for reading, stdout and stderr for writing); null for a file,
     * whose readiness never changes, and for a task without a run queue.
     */
    @Override
    public dev.phoenix.libos.proc.WaitQueue readiness() {
        if (!mayBlock) {
            return null;
        }
        Task task = Task.current();
        Reactor reactor = task != null ? task.reactor() : null;
        return reactor == null ? null : reactor.watch(fd, accessMode == 0 ? HostWaits.POLLIN : HostWaits.POLLOUT);
    }

    @Override
    public int read(byte[] buf, int offset, int length) {
        if (mayBlock) {
            await(HostWaits.POLLIN);
        }
        try {
            return HostOs.read(fd, buf, offset, length);
        } catch (HostOs.HostError e) {
            throw Errno.of(e.errno());
        }
    }

    @Override
    public int write(byte[] buf, int offset, int length) {
        try {
            Task task = Task.current();
            int done = task != null ? task.writtenBefore(length) : 0; // what went out before this call parked
            while (done < length) {
                if (mayBlock) {
                    try {
                        if (task != null) {
                            task.setProgress(task.writeBase + done);
                        }
                        await(HostWaits.POLLOUT);
                    } catch (Errno e) {
                        if (done > 0) {
                            return done; // interrupted after some bytes: a short write, as pipe_write gives
                        }
                        throw e;
                    }
                }
                done += HostOs.write(fd, buf, offset + done, length - done);
            }
            return done;
        } catch (HostOs.HostError e) {
            throw Errno.of(e.errno());
        }
    }

    @Override
    public long seek(long offset, int whence) {
        try {
            return HostOs.lseek(fd, offset, whence);
        } catch (HostOs.HostError e) {
            throw Errno.of(e.errno());
        }
    }

    /** fsync(2) of the host fd (EINVAL for pipes and terminals, as the host says). */
    public void sync() {
        try {
            HostOs.fsync(fd);
        } catch (HostOs.HostError e) {
            throw Errno.of(e.errno());
        }
    }

    @Override
    public int terminalFd() {
        return terminal ? fd : -1;
    }

    /** Makes this host terminal the guest's controlling terminal {@code t} (set once, at load). */
    public void setTerminal(dev.phoenix.libos.tty.Terminal t) {
        this.controlling = t;
    }

    @Override
    public dev.phoenix.libos.tty.Terminal terminal() {
        return controlling;
    }

    @Override
    public boolean openedByPath() {
        return false;
    }

    @Override
    public int statusFlags() {
        return accessMode;
    }

    @Override
    public FileStatus status() {
        return HostFiles.status(fd);
    }

    @Override
    public String procLink() {
        return HostFiles.fdLink(fd);
    }
}
