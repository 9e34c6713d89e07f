package dev.phoenix.abi.linux;

import dev.phoenix.abi.signal.SignalDelivery;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.Pipe;
import dev.phoenix.libos.proc.Task;

/**
 * poll(2) and ppoll(2). Readiness is known without waiting: a pipe's read end is readable when
 * bytes wait or no writer is left; every other open description (files, devices, terminals, a
 * pipe's write end) is ready for what was asked. With nothing ready, the call waits for its
 * timeout or a signal only: no other guest thread exists yet that could make an fd ready.
 */
final class PollSyscalls {
    private PollSyscalls() {}

    private static final int POLLIN = 1, POLLOUT = 4, POLLNVAL = 0x20, POLLRDNORM = 0x40,
            POLLWRNORM = 0x100;

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
            Task t = c.task();
            long mask = c.memory().readLong(sigmask);
            t.savedMask = t.blocked;
            t.blocked = mask & ~SignalDelivery.UNBLOCKABLE;
        }
        return doPoll(c, fds, nfds, timeout);
    }

    private static long doPoll(SyscallContext c, long fds, long nfds, long timeoutNs) {
        if (nfds < 0 || nfds > c.process().rlimitCurOrMax(7)) { // RLIMIT_NOFILE
            return -Errno.EINVAL;
        }
        int n = (int) nfds;
        int ready = 0;
        for (int i = 0; i < n; i++) {
            long at = fds + 8L * i;
            int fd = c.memory().readInt(at);
            int events = c.memory().readInt(at + 4) & 0xffff;
            int revents = fd < 0 ? 0 : readiness(c, fd, events);
            c.memory().writeInt(at + 4, events | (revents << 16));
            if (revents != 0) {
                ready++;
            }
        }
        if (ready > 0 || timeoutNs == 0) {
            return ready;
        }
        long deadline = timeoutNs < 0 ? Long.MAX_VALUE : TimeSyscalls.deadlineAfter(c.kernel().clock(), timeoutNs);
        return c.task().sleepUntil(deadline, c.kernel().clock()) ? -Errno.EINTR : 0;
    }

    private static int readiness(SyscallContext c, int fd, int events) {
        OpenFile f;
        try {
            f = c.process().fds().get(fd);
        } catch (Errno e) {
            return POLLNVAL;
        }
        int in = events & (POLLIN | POLLRDNORM);
        int out = events & (POLLOUT | POLLWRNORM);
        if (f instanceof Pipe.ReadEnd r) {
            return r.readable() ? in : 0;
        }
        return in | out;
    }
}
