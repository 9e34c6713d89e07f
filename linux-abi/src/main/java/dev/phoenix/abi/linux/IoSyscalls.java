package dev.phoenix.abi.linux;

import dev.phoenix.abi.Signals;
import dev.phoenix.abi.signal.SigInfo;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.Prot;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.mm.GuestMemory;
import dev.phoenix.libos.proc.Task;

/** read/write and vectored I/O, close, fstat and stat, readlink, and terminal ioctls. */
final class IoSyscalls {
    private IoSyscalls() {}

    /** Bytes moved per copy between guest memory and a file. */
    private static final int CHUNK = 64 * 1024;
    private static final int IOV_MAX = 1024;

    /** Implements Linux read(2). */
    static long read(SyscallContext c, long fd, long buf, long count, long a3, long a4, long a5) {
        OpenFile f = c.fds().get(fd);
        if (count < 0) {
            return -Errno.EINVAL;
        }
        JobControl.beforeRead(c, f);
        // Only as much as the buffer can take is read from the file: a bad buffer is EFAULT
        // with the file untouched, a partly bad one a short read.
        long room = count == 0 ? 0 : c.memory().accessible(buf, Math.min(count, CHUNK), Prot.WRITE);
        if (count > 0 && room == 0) {
            return -Errno.EFAULT;
        }
        if (f instanceof dev.phoenix.net.Socket s) {
            return SocketSyscalls.read(c, s, buf, (int) room); // straight into guest memory, no 64 KiB array
        }
        if (f instanceof dev.phoenix.libos.fs.HostFile) {
            return readFile(c, f, buf, count, room, -1);
        }
        byte[] b = new byte[(int) room];
        int n = f.read(b, 0, b.length);
        c.memory().write(buf, b, 0, n);
        return n;
    }

    /**
     * How much a read or write of a regular file moves between two preemption points (Linux's
     * cond_resched in its copy loops): a better task waits at most about this long behind it.
     */
    private static final long PREEMPT_EVERY = 1 << 20;

    /** pread64(2) of a regular file at {@code pos}: as read(2), EFAULT when the buffer's start cannot be written. */
    static long readFileAt(SyscallContext c, OpenFile f, long buf, long count, long pos) {
        long room = count == 0 ? 0 : c.memory().accessible(buf, Math.min(count, CHUNK), Prot.WRITE);
        if (count > 0 && room == 0) {
            return -Errno.EFAULT;
        }
        return readFile(c, f, buf, count, room, pos);
    }

    /** Linux's MAX_RW_COUNT: the most one read or write moves. */
    private static final long MAX_RW_COUNT = 0x7ffff000L;

    /**
     * A regular file reads as much as asked, as Linux's does (up to MAX_RW_COUNT), a chunk at a
     * time; a short chunk is the end of the file, and a buffer that stops being writable ends
     * the read short. {@code pos} is where pread64 reads from, or -1 for the file's offset.
     */
    static long readFile(SyscallContext c, OpenFile f, long buf, long count, long room, long pos) {
        count = Math.min(count, MAX_RW_COUNT);
        byte[] b = new byte[(int) room];
        Task t = c.task();
        long done = t.progress(); // read before a preemption point gave way
        long checked = done;
        while (done < count) {
            if (done - checked >= PREEMPT_EVERY) { // a long read gives way to a better task
                checked = done;
                if (t.preemptionWanted()) {
                    throw t.preemptInSyscall(done);
                }
            }
            int want = (int) Math.min(b.length, count - done);
            if (done > 0) {
                want = (int) c.memory().accessible(buf + done, want, Prot.WRITE);
                if (want == 0) {
                    break;
                }
            }
            int n = pos < 0 ? f.read(b, 0, want) : f.pread(b, 0, want, pos + done);
            if (n <= 0) {
                break;
            }
            c.memory().write(buf + done, b, 0, n);
            done += n;
            if (n < want) {
                break;
            }
        }
        return done;
    }

    /** Implements Linux write(2). */
    static long write(SyscallContext c, long fd, long buf, long count, long a3, long a4, long a5) {
        OpenFile f = c.fds().get(fd);
        if (count < 0) {
            return -Errno.EINVAL;
        }
        JobControl.beforeWrite(c, f);
        long allowed = FileSizeLimit.allowed(c, f, -1, count);
        if (f instanceof dev.phoenix.libos.fs.HostFile && allowed > PREEMPT_EVERY) {
            return writeFileInSteps(c, f, buf, allowed, -1);
        }
        return writeFrom(c, f, buf, allowed, 0, -1);
    }

    /**
     * A large write of a regular file, {@link #PREEMPT_EVERY} bytes at a time with a preemption
     * point between: when it gives way, the call runs again later and goes on from where it was.
     * {@code pos} is where pwrite64 writes, or -1 for the file's offset.
     */
    static long writeFileInSteps(SyscallContext c, OpenFile f, long buf, long count, long pos) {
        Task t = c.task();
        long done = t.progress();
        while (done < count) {
            if (done > t.progress() && t.preemptionWanted()) {
                throw t.preemptInSyscall(done);
            }
            long want = Math.min(PREEMPT_EVERY, count - done);
            long r = writeFrom(c, f, buf + done, want, done, pos);
            if (r < 0) {
                return done > 0 ? done : r;
            }
            done += r;
            if (r < want) {
                break;
            }
        }
        return done;
    }

    /**
     * Writes to {@code f} for the guest: a write that finds no reader at the other end of a pipe
     * (EPIPE) also sends SIGPIPE to the calling thread, as Linux's pipe_write does; the call still
     * fails with EPIPE when the signal is ignored or handled, and by default the signal ends the
     * process.
     */
    static int writeTo(SyscallContext c, OpenFile f, byte[] b, int offset, int length) {
        try {
            return f.write(b, offset, length);
        } catch (Errno e) {
            if (e.errno() == Errno.EPIPE) {
                SignalSyscalls.sendToSelf(c, Signals.SIGPIPE, SigInfo.SI_USER);
            }
            throw e;
        }
    }

    /** Writes {@code count} bytes at {@code buf} to {@code f}: at its offset, or at {@code pos} when it is not -1 (pwrite64). */
    private static long writeFrom(SyscallContext c, OpenFile f, long buf, long count, long doneBefore, long pos) {
        GuestMemory mem = c.memory();
        long readable = mem.accessible(buf, count, Prot.READ);
        if (count > 0 && readable == 0 && doneBefore == 0) {
            return -Errno.EFAULT;
        }
        count = readable;
        long done = 0;
        byte[] b = new byte[(int) Math.min(count, CHUNK)];
        while (done < count) {
            int n = (int) Math.min(count - done, b.length);
            try {
                mem.read(buf + done, b, 0, n);
            } catch (Errno e) {
                // A fault after some bytes were written is a short write, as in Linux.
                if (done + doneBefore > 0) {
                    return done;
                }
                throw e;
            }
            c.task().writeBase = doneBefore + done; // a resumed call skips what went in before it parked
            int w = pos < 0 ? writeTo(c, f, b, 0, n) : f.pwrite(b, 0, n, pos + doneBefore + done);
            done += w;
            if (w < n) {
                break; // a short write ends the call
            }
        }
        return done;
    }

    /** Implements Linux writev(2). */
    static long writev(SyscallContext c, long fd, long iov, long iovcnt, long a3, long a4, long a5) {
        OpenFile f = c.fds().get(fd);
        if (iovcnt < 0 || iovcnt > IOV_MAX) {
            return -Errno.EINVAL;
        }
        GuestMemory mem = c.memory();
        long[] vec = iovec(mem, iov, (int) iovcnt);
        JobControl.beforeWrite(c, f);
        long budget = FileSizeLimit.allowed(c, f, -1, iovecBytes(vec));
        long total = 0;
        for (int i = 0; i < vec.length && total < budget; i += 2) {
            long len = Math.min(vec[i + 1], budget - total);
            long r = writeFrom(c, f, vec[i], len, total, -1);
            if (r < 0) {
                return r;
            }
            total += r;
            if (r < len) {
                break; // a short write, or a bad buffer after some bytes went out
            }
        }
        return total;
    }

    /** The bytes an iovec array of (base, length) pairs describes. */
    static long iovecBytes(long[] vec) {
        long total = 0;
        for (int i = 1; i < vec.length; i += 2) {
            total = total + vec[i] < 0 ? Long.MAX_VALUE : total + vec[i];
        }
        return total;
    }

    /** Implements Linux readv(2): fills each buffer in turn until a read comes up short. */
    static long readv(SyscallContext c, long fd, long iov, long iovcnt, long a3, long a4, long a5) {
        if (iovcnt < 0 || iovcnt > IOV_MAX) {
            return -Errno.EINVAL;
        }
        long[] vec = iovec(c.memory(), iov, (int) iovcnt);
        long total = 0;
        for (int i = 0; i < vec.length; i += 2) {
            long n = read(c, fd, vec[i], vec[i + 1], 0, 0, 0);
            total += n;
            if (n < vec[i + 1]) {
                break;
            }
        }
        return total;
    }

    /**
     * Reads {@code count} {@code struct iovec}s as (base, length) pairs, all before any I/O, as
     * Linux's import_iovec does: EINVAL for a negative length.
     */
    static long[] iovec(GuestMemory mem, long iov, int count) {
        long[] vec = new long[2 * count];
        for (int i = 0; i < count; i++) {
            vec[2 * i] = mem.readLong(iov + 16L * i);
            vec[2 * i + 1] = mem.readLong(iov + 16L * i + 8);
            if (vec[2 * i + 1] < 0) {
                throw Errno.of(Errno.EINVAL);
            }
        }
        return vec;
    }

    /** Implements Linux close(2). */
    static long close(SyscallContext c, long fd, long a1, long a2, long a3, long a4, long a5) {
        c.fds().close(fd);
        return 0;
    }

    /** Implements Linux fstat(2). */
    static long fstat(SyscallContext c, long fd, long statbuf, long a2, long a3, long a4, long a5) {
        FileStatus st = UserIds.seen(c.process(), c.fds().get(fd).status());
        c.abi().writeStat(c.memory(), statbuf, st);
        return 0;
    }

    private static final int FIONBIO = 0x5421, FIONCLEX = 0x5450, FIOCLEX = 0x5451, FIOASYNC = 0x5452;
    private static final int O_NONBLOCK = 04000, O_ASYNC = 020000;

    /**
     * Implements Linux ioctl(2): FIOCLEX, FIONCLEX, FIONBIO and FIOASYNC on every descriptor; FIONREAD on pipes and files; the terminal ioctls of the host
     * terminal and the guest's pseudo-terminals ({@link TerminalIoctls}); ENOTTY elsewhere.
     */
    static long ioctl(SyscallContext c, long fd, long request, long arg, long a3, long a4, long a5) {
        OpenFile f = c.fds().get(fd);
        switch ((int) request) {
            // do_vfs_ioctl's own, for every kind of file, before the file's ioctl
            case FIOCLEX, FIONCLEX -> {
                c.fds().setCloseOnExec((int) fd, (int) request == FIOCLEX);
                return 0;
            }
            case FIONBIO, FIOASYNC -> {
                int bit = (int) request == FIONBIO ? O_NONBLOCK : O_ASYNC;
                boolean on = c.memory().readInt(arg) != 0;
                f.setStatusFlags((f.statusFlags() & ~bit) | (on ? bit : 0));
                return 0;
            }
            default -> {
                // the file's own
            }
        }
        if (f instanceof dev.phoenix.net.Socket s) {
            return SocketSyscalls.ioctl(c, s, (int) request, arg);
        }
        if (f instanceof dev.phoenix.vgpu.device.Context vgpu) {
            return dev.phoenix.vgpu.device.Ioctls.ioctl(vgpu, c.memory(), c.task(), (int) request, arg);
        }
        if ((int) request == TerminalIoctls.FIONREAD && f.terminalFd() < 0 && f.terminal() == null) {
            if (f instanceof dev.phoenix.libos.fs.Pipe.ReadEnd p) {
                c.memory().writeInt(arg, p.available());
                return 0;
            }
            if (f instanceof dev.phoenix.libos.fs.HostFile h) {
                long left = Math.max(0, h.status().size() - h.seek(0, 1));
                c.memory().writeInt(arg, (int) Math.min(left, Integer.MAX_VALUE));
                return 0;
            }
            return -Errno.ENOTTY;
        }
        return TerminalIoctls.ioctl(c, f, (int) request, arg);
    }
}
