package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.Pipe;
import dev.phoenix.libos.fs.PollEvents;

/**
 * splice(2), tee(2) and vmsplice(2): data moved between a pipe and another descriptor, or
 * between two pipes, or between a pipe and memory. Each call moves what can go across at once,
 * at most a pipe's capacity: it first waits for room in an output pipe, then takes from the
 * input only what fits, so a call that must wait has consumed nothing and can run again.
 */
final class SpliceSyscalls {
    private SpliceSyscalls() {}

    /** SPLICE_F_MOVE, SPLICE_F_NONBLOCK, SPLICE_F_MORE, SPLICE_F_GIFT. */
    private static final int SPLICE_F_NONBLOCK = 2, SPLICE_F_ALL = 0xf;
    private static final int O_NONBLOCK = 04000, O_APPEND = 02000, O_ACCMODE = 3, O_RDONLY = 0, O_WRONLY = 1;
    private static final int IOV_MAX = 1024;

    /** Implements Linux splice(2). */
    static long splice(SyscallContext c, long fdIn, long offIn, long fdOut, long offOut, long len, long flags) {
        if ((flags & ~SPLICE_F_ALL) != 0) {
            return -Errno.EINVAL;
        }
        OpenFile in = c.fds().get(fdIn);
        OpenFile out = c.fds().get(fdOut);
        if ((in.statusFlags() & O_ACCMODE) == O_WRONLY || (out.statusFlags() & O_ACCMODE) == O_RDONLY) {
            return -Errno.EBADF;
        }
        Pipe from = Pipe.ofReadEnd(in);
        Pipe to = Pipe.ofWriteEnd(out);
        if (from == null && to == null) {
            return -Errno.EINVAL; // neither is a pipe
        }
        if ((from != null && offIn != 0) || (to != null && offOut != 0)) {
            return -Errno.ESPIPE;
        }
        if (from != null && from == to) {
            return -Errno.EINVAL; // a pipe into itself
        }
        if (to == null && (out.statusFlags() & O_APPEND) != 0) {
            return -Errno.EINVAL;
        }
        if (len == 0) {
            return 0;
        }
        boolean flagNonBlocking = (flags & SPLICE_F_NONBLOCK) != 0;
        int want = (int) Math.min(Integer.toUnsignedLong((int) Math.min(len, Integer.MAX_VALUE)), Pipe.CAPACITY);
        if (to != null) {
            want = Math.min(want, to.awaitRoom(flagNonBlocking || nonBlocking(out)));
        }
        byte[] buf = new byte[want];
        int n;
        if (from != null) {
            n = from.read(buf, 0, want, flagNonBlocking || nonBlocking(in));
        } else if (offIn != 0) {
            long pos = offset(c, offIn);
            n = in.pread(buf, 0, want, pos);
            if (n > 0) {
                c.memory().writeLong(offIn, pos + n);
            }
        } else {
            n = in.read(buf, 0, want);
        }
        if (n <= 0) {
            return 0;
        }
        if (to == null && offOut != 0) {
            long pos = offset(c, offOut);
            int w = out.pwrite(buf, 0, n, pos);
            c.memory().writeLong(offOut, pos + w);
            return w;
        }
        return IoSyscalls.writeTo(c, out, buf, 0, n); // fits: the room was there before the read
    }

    /** Implements Linux tee(2): copies up to {@code len} bytes from one pipe to another without consuming them. */
    static long tee(SyscallContext c, long fdIn, long fdOut, long len, long flags, long a4, long a5) {
        if ((flags & ~SPLICE_F_ALL) != 0) {
            return -Errno.EINVAL;
        }
        OpenFile in = c.fds().get(fdIn);
        OpenFile out = c.fds().get(fdOut);
        Pipe from = Pipe.ofReadEnd(in);
        Pipe to = Pipe.ofWriteEnd(out);
        if (from == null || to == null || from == to) {
            return -Errno.EINVAL;
        }
        if (len == 0) {
            return 0;
        }
        boolean flagNonBlocking = (flags & SPLICE_F_NONBLOCK) != 0;
        int want = (int) Math.min(Math.min(len & Long.MAX_VALUE, Pipe.CAPACITY),
                to.awaitRoom(flagNonBlocking || nonBlocking(out)));
        byte[] buf = new byte[want];
        int n = from.peek(buf, 0, want, flagNonBlocking || nonBlocking(in));
        return n <= 0 ? 0 : IoSyscalls.writeTo(c, out, buf, 0, n);
    }

    /**
     * Implements Linux vmsplice(2): into a pipe's write end from the iovecs (as writev), or from a
     * read end into them (as readv); EBADF for a descriptor that is no pipe.
     */
    static long vmsplice(SyscallContext c, long fd, long iov, long nrSegs, long flags, long a4, long a5) {
        if ((flags & ~SPLICE_F_ALL) != 0 || nrSegs > IOV_MAX) {
            return -Errno.EINVAL;
        }
        OpenFile f = c.fds().get(fd);
        boolean reading = Pipe.ofReadEnd(f) != null;
        if (!reading && Pipe.ofWriteEnd(f) == null) {
            return -Errno.EBADF;
        }
        if ((flags & SPLICE_F_NONBLOCK) != 0
                && (f.pollEvents() & (reading ? PollEvents.POLLIN | PollEvents.POLLHUP : PollEvents.POLLOUT)) == 0) {
            return -Errno.EAGAIN;
        }
        return reading ? IoSyscalls.readv(c, fd, iov, nrSegs, 0, 0, 0) : IoSyscalls.writev(c, fd, iov, nrSegs, 0, 0, 0);
    }

    private static boolean nonBlocking(OpenFile f) {
        return (f.statusFlags() & O_NONBLOCK) != 0;
    }

    /** A loff_t an offset pointer names; EINVAL when negative. */
    private static long offset(SyscallContext c, long address) {
        long pos = c.memory().readLong(address);
        if (pos < 0) {
            throw Errno.of(Errno.EINVAL);
        }
        return pos;
    }
}
