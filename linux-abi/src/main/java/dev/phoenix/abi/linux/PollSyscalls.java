package dev.phoenix.abi.linux;

import dev.phoenix.abi.signal.SignalDelivery;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.PollEvents;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.libos.proc.WaitQueue;

/**
 * poll(2), ppoll(2), select(2) and pselect6(2), all on each file's own poll events
 * ({@link OpenFile#pollEvents()}): a pipe's ends say what pipe_poll says (POLLHUP once no writer
 * is left, POLLERR once no reader is), a socket what its family's poll says (a host socket the
 * host's), an epoll whether an event waits in it, and files that never block are readable and
 * writable. With nothing ready, the call waits on every queue that wakes when one of the fds'
 * readiness may change ({@link OpenFile#readinessQueues()}), until its timeout or a signal.
 */
final class PollSyscalls {
    private PollSyscalls() {}

    private static final int POLLIN = PollEvents.POLLIN, POLLOUT = PollEvents.POLLOUT, POLLERR = PollEvents.POLLERR,
            POLLHUP = PollEvents.POLLHUP, POLLNVAL = PollEvents.POLLNVAL;
    /**
     * The events that make an fd ready in select's read, write and exception sets
     * (POLLIN_SET, POLLOUT_SET and POLLEX_SET in Linux's fs/select.c): a hang-up reads as end of
     * file, and an error is both readable and writable, so that the read or write reports it.
     */
    private static final int POLLIN_SET = POLLIN | PollEvents.POLLRDNORM | PollEvents.POLLRDBAND | POLLHUP | POLLERR,
            POLLOUT_SET = POLLOUT | PollEvents.POLLWRNORM | PollEvents.POLLWRBAND | POLLERR,
            POLLEX_SET = PollEvents.POLLPRI;

    /** Implements Linux poll(2); a negative timeout waits for ever. */
    static long poll(SyscallContext c, long fds, long nfds, long timeoutMs, long a3, long a4, long a5) {
        int ms = (int) timeoutMs;
        return doPoll(c, fds, nfds, ms < 0 ? -1 : ms * 1_000_000L);
    }

    /** Implements Linux ppoll(2): the sigmask, if given, is in force while waiting, as with sigsuspend. */
    static long ppoll(SyscallContext c, long fds, long nfds, long tmo, long sigmask, long size, long a5) {
        long timeout = tmo == 0 ? -1 : TimeSyscalls.timespecNanos(c, tmo);
        if (sigmask != 0) {
            if (size != 8) {
                return -Errno.EINVAL;
            }
            maskWhileWaiting(c, sigmask);
        }
        return doPoll(c, fds, nfds, timeout);
    }

    /** Puts the sigset at {@code address} in force until the call returns, as sigsuspend does (restored at syscall exit). */
    static void maskWhileWaiting(SyscallContext c, long address) {
        Task t = c.task();
        long mask = c.memory().readLong(address);
        if (t.resuming()) {
            return; // parked and running again: the mask is in force already
        }
        t.savedMask = t.blocked;
        t.blocked = mask & ~SignalDelivery.UNBLOCKABLE;
    }

    private static long doPoll(SyscallContext c, long fds, long nfds, long timeoutNs) {
        if (nfds < 0 || nfds > c.process().rlimitCurOrMax(7)) { // RLIMIT_NOFILE
            return -Errno.EINVAL;
        }
        int n = (int) nfds;
        java.util.List<WaitQueue> queues = new java.util.ArrayList<>();
        int ready = scanPoll(c, fds, n, queues);
        if (ready > 0 || timeoutNs == 0) {
            return ready;
        }
        long deadline = timeoutNs < 0 ? Long.MAX_VALUE : TimeSyscalls.deadlineAfter(c.kernel().clock(), timeoutNs);
        return switch (c.task().block(c.task().deadline(deadline), () -> scanPoll(c, fds, n, null) > 0,
                queues.toArray(new WaitQueue[0]))) {
            case READY -> scanPoll(c, fds, n, null);
            case TIMED_OUT -> 0;
            case SIGNALED -> -Errno.EINTR;
        };
    }

    /**
     * Writes each pollfd's revents and returns how many have some; adds the queues that wake
     * when their readiness changes to {@code queues} (when not null).
     */
    private static int scanPoll(SyscallContext c, long fds, int n, java.util.List<WaitQueue> queues) {
        int ready = 0;
        for (int i = 0; i < n; i++) {
            long at = fds + 8L * i;
            int fd = c.memory().readInt(at);
            int events = c.memory().readInt(at + 4) & 0xffff;
            // POLLERR and POLLHUP are reported whether asked for or not (poll(2)).
            int revents = fd < 0 ? 0 : pollEvents(c, fd) & (events | POLLERR | POLLHUP | POLLNVAL);
            c.memory().writeInt(at + 4, events | (revents << 16));
            if (revents != 0) {
                ready++;
            }
            if (queues != null && fd >= 0) {
                queues.addAll(java.util.List.of(readiness(c, fd)));
            }
        }
        return ready;
    }

    /** The queues that wake when {@code fd}'s readiness may change; none for a bad fd. */
    private static WaitQueue[] readiness(SyscallContext c, int fd) {
        try {
            return c.fds().get(fd).readinessQueues();
        } catch (Errno e) {
            return new WaitQueue[0];
        }
    }

    /**
     * Implements Linux select(2) on the same poll events as poll: an fd is ready in a set when
     * one of the set's events holds (POLLIN_SET, POLLOUT_SET, POLLEX_SET); the exception set wants
     * out-of-band data (POLLPRI), which no Phoenix file has. The timeval gets the time left, as
     * Linux writes it back.
     */
    static long select(SyscallContext c, long nfds, long readfds, long writefds, long exceptfds, long timeval,
            long a5) {
        long timeout = -1;
        if (timeval != 0) {
            long sec = c.memory().readLong(timeval);
            long usec = c.memory().readLong(timeval + 8);
            if (sec < 0 || usec < 0) {
                return -Errno.EINVAL;
            }
            // Linux normalises an oversized tv_usec rather than refusing it.
            timeout = sec > Long.MAX_VALUE / 2_000_000_000L ? Long.MAX_VALUE / 2 : sec * 1_000_000_000L + usec * 1000;
        }
        return doSelect(c, nfds, readfds, writefds, exceptfds, timeout, timeval, false);
    }

    /**
     * Implements Linux pselect6(2): select with a timespec, and a sigmask in force while waiting
     * (the sixth argument points at {sigset pointer, its size}).
     */
    static long pselect6(SyscallContext c, long nfds, long readfds, long writefds, long exceptfds, long timespec,
            long sigmaskArg) {
        long timeout = timespec == 0 ? -1 : TimeSyscalls.timespecNanos(c, timespec);
        if (sigmaskArg != 0) {
            long set = c.memory().readLong(sigmaskArg);
            long size = c.memory().readLong(sigmaskArg + 8);
            if (set != 0) {
                if (size != 8) {
                    return -Errno.EINVAL;
                }
                maskWhileWaiting(c, set);
            }
        }
        return doSelect(c, nfds, readfds, writefds, exceptfds, timeout, timespec, true);
    }

    private static long doSelect(SyscallContext c, long nfds, long readfds, long writefds, long exceptfds,
            long timeoutNs, long timeAddr, boolean timespec) {
        if ((int) nfds < 0) {
            return -Errno.EINVAL;
        }
        int n = (int) Math.min((int) nfds, c.process().rlimitCurOrMax(7)); // as Linux caps it at the fd table
        int words = (n + 63) / 64;
        long[] in = bits(c, readfds, words), out = bits(c, writefds, words), ex = bits(c, exceptfds, words);
        long[] inReady = new long[words], outReady = new long[words], exReady = new long[words];
        int ready = 0;
        for (int fd = 0; fd < n; fd++) {
            long bit = 1L << (fd & 63);
            int w = fd >>> 6;
            boolean asked = ((in[w] | out[w] | ex[w]) & bit) != 0;
            if (!asked) {
                continue;
            }
            if (!c.fds().isOpen(fd)) {
                return -Errno.EBADF;
            }
            int events = pollEvents(c, fd);
            if ((in[w] & bit) != 0 && (events & POLLIN_SET) != 0) {
                inReady[w] |= bit;
                ready++;
            }
            if ((out[w] & bit) != 0 && (events & POLLOUT_SET) != 0) {
                outReady[w] |= bit;
                ready++;
            }
            if ((ex[w] & bit) != 0 && (events & POLLEX_SET) != 0) {
                exReady[w] |= bit;
                ready++;
            }
        }
        long deadline = 0;
        if (ready == 0 && timeoutNs != 0) {
            deadline = c.task().deadline(timeoutNs < 0 ? Long.MAX_VALUE
                    : TimeSyscalls.deadlineAfter(c.kernel().clock(), timeoutNs));
            java.util.List<WaitQueue> queues = new java.util.ArrayList<>();
            for (int fd = 0; fd < n; fd++) {
                long bit = 1L << (fd & 63);
                if (((in[fd >>> 6] | out[fd >>> 6] | ex[fd >>> 6]) & bit) != 0) {
                    queues.addAll(java.util.List.of(readiness(c, fd)));
                }
            }
            Task.Wait w = c.task().block(deadline, () -> anySelected(c, n, in, out, ex),
                    queues.toArray(new WaitQueue[0]));
            if (w == Task.Wait.SIGNALED) {
                writeTimeLeft(c, timeAddr, timespec, deadline);
                return -Errno.ERESTARTNOHAND;
            }
            if (w == Task.Wait.READY) {
                return doSelect(c, nfds, readfds, writefds, exceptfds, 0, timeAddr, timespec);
            }
        }
        writeBits(c, readfds, inReady);
        writeBits(c, writefds, outReady);
        writeBits(c, exceptfds, exReady);
        if (timeoutNs > 0) {
            writeTimeLeft(c, timeAddr, timespec, ready > 0 ? Long.MAX_VALUE : deadline);
        }
        return ready;
    }

    /** True when some fd of the sets is ready for what it is asked for. */
    private static boolean anySelected(SyscallContext c, int n, long[] in, long[] out, long[] ex) {
        for (int fd = 0; fd < n; fd++) {
            long bit = 1L << (fd & 63);
            int w = fd >>> 6;
            if (((in[w] | out[w] | ex[w]) & bit) == 0) {
                continue;
            }
            int events = pollEvents(c, fd);
            if (((in[w] & bit) != 0 && (events & POLLIN_SET) != 0) || ((out[w] & bit) != 0 && (events & POLLOUT_SET) != 0)
                    || ((ex[w] & bit) != 0 && (events & POLLEX_SET) != 0)) {
                return true;
            }
        }
        return false;
    }

    private static long[] bits(SyscallContext c, long address, int words) {
        long[] w = new long[words];
        for (int i = 0; address != 0 && i < words; i++) {
            w[i] = c.memory().readLong(address + 8L * i);
        }
        return w;
    }

    private static void writeBits(SyscallContext c, long address, long[] words) {
        for (int i = 0; address != 0 && i < words.length; i++) {
            c.memory().writeLong(address + 8L * i, words[i]);
        }
    }

    /**
     * Writes the time left until {@code deadline} (none left once it passed; all of it when the
     * call returned at once, {@code deadline} Long.MAX_VALUE) as a timeval or timespec.
     */
    private static void writeTimeLeft(SyscallContext c, long address, boolean timespec, long deadline) {
        if (address == 0 || deadline == Long.MAX_VALUE) {
            return;
        }
        long left = Math.max(0, deadline - c.kernel().clock().monotonicNanos());
        c.memory().writeLong(address, left / 1_000_000_000L);
        c.memory().writeLong(address + 8, timespec ? left % 1_000_000_000L : (left % 1_000_000_000L) / 1000);
    }

    /** The poll events that hold now for {@code fd}: its file's, or POLLNVAL when it is not open. */
    private static int pollEvents(SyscallContext c, int fd) {
        OpenFile f;
        try {
            f = c.fds().get(fd);
        } catch (Errno e) {
            return POLLNVAL;
        }
        return f.pollEvents();
    }
}
