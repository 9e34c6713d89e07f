package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.Arch;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.PollEvents;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.libos.proc.WaitQueue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * epoll(7) over the readiness every pollable file reports ({@link OpenFile#pollEvents} and
 * {@link OpenFile#readiness}): level-triggered entries are reported while ready; edge-triggered
 * ones (EPOLLET) once per wake of the file's readiness queue; EPOLLONESHOT entries until
 * re-armed with EPOLL_CTL_MOD. A file whose readiness never changes (a regular file, a
 * directory, /dev/null) cannot be added (EPERM), as Linux refuses files without a poll method,
 * which is how the Go runtime tells such files from pollable ones. An epoll descriptor is
 * pollable itself, readable while an event waits in it: an epoll may watch another (loops and
 * chains deeper than EP_MAX_NESTS are ELOOP), and a wait on the outer one waits on the inner
 * one's entries.
 */
final class EpollSyscalls {
    private EpollSyscalls() {}

    private static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    private static final int EPOLLEXCLUSIVE = 1 << 28, EPOLLWAKEUP = 1 << 29, EPOLLONESHOT = 1 << 30, EPOLLET = 1 << 31;
    private static final int EPOLL_CLOEXEC = 02000000;
    /** Linux's EP_MAX_NESTS: how deep epolls may watch epolls. */
    private static final int EP_MAX_NESTS = 4;
    /** Linux's EP_MAX_EVENTS: INT_MAX / sizeof(struct epoll_event). */
    private static final int EP_MAX_EVENTS = Integer.MAX_VALUE / 16;

    /** One watched file: the fd and description it was added with, its events and data word. */
    private static final class Entry {
        final int fd;
        final OpenFile file;
        int events;
        long data;
        long lastGeneration = -1;
        int lastReported;
        boolean disarmed;

        Entry(int fd, OpenFile file) {
            this.fd = fd;
            this.file = file;
        }
    }

    /** An epoll instance. */
    static final class Epoll implements dev.phoenix.libos.fs.AnonymousFile {
        /** @GuardedBy("this") */
        private final Map<Integer, Entry> interest = new LinkedHashMap<>();
        /** Woken when the interest list changes, so a waiter looks at the new entries. */
        private final WaitQueue changed = new WaitQueue();

        @Override
        public FileStatus status() {
            return new FileStatus(0xe, 2, 0600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0); // an anon_inode
        }

        /** Readable while an event waits in it (ep_eventpoll_poll), so epoll, poll and select can wait on it. */
        @Override
        public int pollEvents() {
            return collect(null, null, 1) > 0 ? PollEvents.POLLIN | PollEvents.POLLRDNORM : 0;
        }

        @Override
        public WaitQueue readiness() {
            return changed;
        }

        /** The queues of every entry (an inner epoll's, all of its own) and the interest list's. */
        @Override
        public synchronized WaitQueue[] readinessQueues() {
            List<WaitQueue> qs = new ArrayList<>();
            qs.add(changed);
            for (Entry e : interest.values()) {
                qs.addAll(List.of(e.file.readinessQueues()));
            }
            return qs.toArray(new WaitQueue[0]);
        }

        /**
         * True when {@code target} is this epoll or is watched by it, directly or through epolls
         * it watches, or when the chain is deeper than Linux's EP_MAX_NESTS (ep_loop_check: ELOOP).
         */
        private synchronized boolean reaches(Epoll target, int depth) {
            if (this == target || depth > EP_MAX_NESTS) {
                return true;
            }
            for (Entry e : interest.values()) {
                if (e.file instanceof Epoll inner && inner.reaches(target, depth + 1)) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Reports up to {@code max} ready entries into {@code out} (pairs of revents and data), or,
         * with {@code out} null, only says whether one is ready. With {@code c} null (this epoll
         * polled from another) closed fds are not looked for. Entries whose fd no longer names the
         * description they were added with (it was closed) are dropped, as Linux drops them when the
         * file is released.
         */
        private synchronized int collect(SyscallContext c, long[] out, int max) {
            int n = 0;
            for (var it = interest.values().iterator(); it.hasNext() && n < max;) {
                Entry e = it.next();
                if (c != null && (!c.fds().isOpen(e.fd) || c.fds().get(e.fd) != e.file)) {
                    it.remove();
                    continue;
                }
                if (e.disarmed) {
                    continue;
                }
                int revents = e.file.pollEvents() & (e.events | PollEvents.POLLERR | PollEvents.POLLHUP);
                if (revents == 0) {
                    continue;
                }
                long generation = e.file.readinessGeneration();
                if ((e.events & EPOLLET) != 0 && generation == e.lastGeneration && revents == e.lastReported) {
                    continue; // nothing new since it was last reported
                }
                if (out == null) {
                    return 1;
                }
                out[2 * n] = revents;
                out[2 * n + 1] = e.data;
                n++;
                e.lastGeneration = generation;
                e.lastReported = revents;
                if ((e.events & EPOLLONESHOT) != 0) {
                    e.disarmed = true;
                }
            }
            return n;
        }
    }

    /** Implements Linux epoll_create(2): as epoll_create1(0); the size hint must be positive. */
    static long epollCreate(SyscallContext c, long size, long a1, long a2, long a3, long a4, long a5) {
        if ((int) size <= 0) {
            return -Errno.EINVAL;
        }
        return epollCreate1(c, 0, a1, a2, a3, a4, a5);
    }

    /** Implements Linux epoll_create1(2). */
    static long epollCreate1(SyscallContext c, long flags, long a1, long a2, long a3, long a4, long a5) {
        if ((flags & ~EPOLL_CLOEXEC) != 0) {
            return -Errno.EINVAL;
        }
        return c.fds().install(new Epoll(), 0, (flags & EPOLL_CLOEXEC) != 0, c.process().fdLimit());
    }

    /** Implements Linux epoll_ctl(2). */
    static long epollCtl(SyscallContext c, long epfd, long op, long fd, long event, long a4, long a5) {
        OpenFile ep = c.fds().get(epfd);
        OpenFile file = c.fds().get(fd);
        int events = 0;
        long data = 0;
        if (op != EPOLL_CTL_DEL) {
            events = c.memory().readInt(event);
            data = c.memory().readLong(event + (c.abi().arch() == Arch.X86_64 ? 4 : 8));
        }
        if (!(ep instanceof Epoll e) || fd == epfd) {
            return -Errno.EINVAL;
        }
        if (file.readiness() == null) {
            return -Errno.EPERM; // no poll method: always ready, nothing to wait for
        }
        if (op == EPOLL_CTL_ADD && file instanceof Epoll inner && inner.reaches(e, 1)) {
            return -Errno.ELOOP;
        }
        if ((events & EPOLLEXCLUSIVE) != 0 && (op != EPOLL_CTL_ADD
                || (events & ~(EPOLLEXCLUSIVE | EPOLLET | EPOLLWAKEUP | PollEvents.POLLIN | PollEvents.POLLOUT
                        | PollEvents.POLLERR | PollEvents.POLLHUP)) != 0)) {
            return -Errno.EINVAL;
        }
        synchronized (e) {
            Entry existing = e.interest.get((int) fd);
            if (existing != null && existing.file != file) {
                e.interest.remove((int) fd); // the fd was closed and reused: the old entry is gone
                existing = null;
            }
            switch ((int) op) {
                case EPOLL_CTL_ADD -> {
                    if (existing != null) {
                        return -Errno.EEXIST;
                    }
                    Entry n = new Entry((int) fd, file);
                    n.events = events;
                    n.data = data;
                    e.interest.put((int) fd, n);
                }
                case EPOLL_CTL_MOD -> {
                    if (existing == null) {
                        return -Errno.ENOENT;
                    }
                    if ((existing.events & EPOLLEXCLUSIVE) != 0) {
                        return -Errno.EINVAL;
                    }
                    existing.events = events;
                    existing.data = data;
                    existing.disarmed = false;
                    existing.lastGeneration = -1;
                }
                case EPOLL_CTL_DEL -> {
                    if (existing == null) {
                        return -Errno.ENOENT;
                    }
                    e.interest.remove((int) fd);
                }
                default -> {
                    return -Errno.EINVAL;
                }
            }
        }
        e.changed.wakeAll();
        return 0;
    }

    /** Implements Linux epoll_wait(2): epoll_pwait without a mask. */
    static long epollWait(SyscallContext c, long epfd, long events, long max, long timeoutMs, long a4, long a5) {
        return waitFor(c, epfd, events, max, (int) timeoutMs < 0 ? -1 : (int) timeoutMs * 1_000_000L);
    }

    /** Implements Linux epoll_pwait(2): the signal mask in force while it waits. */
    static long epollPwait(SyscallContext c, long epfd, long events, long max, long timeoutMs, long sigmask,
            long size) {
        if (sigmask != 0) {
            if (size != 8) {
                return -Errno.EINVAL;
            }
            PollSyscalls.maskWhileWaiting(c, sigmask);
        }
        return waitFor(c, epfd, events, max, (int) timeoutMs < 0 ? -1 : (int) timeoutMs * 1_000_000L);
    }

    /** Implements Linux epoll_pwait2(2): a timespec timeout (NULL: none). */
    static long epollPwait2(SyscallContext c, long epfd, long events, long max, long timeout, long sigmask,
            long size) {
        long ns = timeout == 0 ? -1 : TimeSyscalls.timespecNanos(c, timeout);
        if (sigmask != 0) {
            if (size != 8) {
                return -Errno.EINVAL;
            }
            PollSyscalls.maskWhileWaiting(c, sigmask);
        }
        return waitFor(c, epfd, events, max, ns);
    }

    private static long waitFor(SyscallContext c, long epfd, long events, long max, long timeoutNs) {
        if ((int) max <= 0 || (int) max > EP_MAX_EVENTS) {
            return -Errno.EINVAL;
        }
        int size = c.abi().arch() == Arch.X86_64 ? 12 : 16; // x86_64's struct epoll_event is packed
        if (c.memory().accessible(events, (long) size * (int) max, dev.phoenix.emu.Prot.WRITE) < (long) size * (int) max) {
            return -Errno.EFAULT;
        }
        if (!(c.fds().get(epfd) instanceof Epoll ep)) {
            return -Errno.EINVAL;
        }
        Task t = c.task();
        if (timeoutNs != 0 && ep.collect(c, null, 1) == 0) {
            long deadline = t.deadline(timeoutNs < 0 ? Long.MAX_VALUE
                    : TimeSyscalls.deadlineAfter(c.kernel().clock(), timeoutNs));
            switch (t.block(deadline, () -> ep.collect(c, null, 1) > 0, ep.readinessQueues())) {
                case TIMED_OUT -> {
                    return 0;
                }
                case SIGNALED -> {
                    return -Errno.EINTR;
                }
                case READY -> { }
            }
        }
        long[] out = new long[2 * (int) Math.min(max, 1024)];
        int n = ep.collect(c, out, out.length / 2);
        for (int i = 0; i < n; i++) {
            long at = events + (long) size * i;
            c.memory().writeInt(at, (int) out[2 * i]);
            c.memory().writeLong(at + (size == 12 ? 4 : 8), out[2 * i + 1]);
        }
        return n;
    }
}
