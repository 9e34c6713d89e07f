package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.host.HostOs;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FdTable;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.HostFile;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.Pipe;

/** Descriptor-level syscalls: dup family, pipes, close_range, ftruncate, fsync, umask. */
final class FdSyscalls {
    private FdSyscalls() {}

    private static final int O_CLOEXEC = 02000000, O_NONBLOCK = 04000, O_DIRECT_GENERIC = 040000;
    private static final int CLOSE_RANGE_UNSHARE = 2, CLOSE_RANGE_CLOEXEC = 4;

    /** Implements Linux dup(2). */
    static long dup(SyscallContext c, long fd, long a1, long a2, long a3, long a4, long a5) {
        FdTable fds = c.fds();
        return fds.install(fds.get(fd), 0, false, c.process().fdLimit());
    }

    /** Implements Linux dup3(2). */
    static long dup3(SyscallContext c, long oldfd, long newfd, long flags, long a3, long a4, long a5) {
        if (oldfd == newfd || (flags & ~(long) O_CLOEXEC) != 0) {
            return -Errno.EINVAL;
        }
        FdTable fds = c.fds();
        return fds.installAt(fds.get(oldfd), (int) newfd, (flags & O_CLOEXEC) != 0, c.process().fdLimit());
    }

    /** Implements Linux dup2(2). */
    static long dup2(SyscallContext c, long oldfd, long newfd, long a2, long a3, long a4, long a5) {
        FdTable fds = c.fds();
        OpenFile f = fds.get(oldfd);
        return oldfd == newfd ? newfd : fds.installAt(f, (int) newfd, false, c.process().fdLimit());
    }

    /** Implements Linux pipe2(2). */
    static long pipe2(SyscallContext c, long fdsAddr, long flags, long a2, long a3, long a4, long a5) {
        if ((flags & ~(long) (O_CLOEXEC | O_NONBLOCK | O_DIRECT_GENERIC)) != 0) {
            return -Errno.EINVAL;
        }
        // Check the destination before creating anything, so a bad pointer leaks no fds.
        c.memory().writeLong(fdsAddr, c.memory().readLong(fdsAddr));
        Pipe p = new Pipe((flags & O_NONBLOCK) != 0);
        FdTable fds = c.fds();
        boolean cloexec = (flags & O_CLOEXEC) != 0;
        int r = fds.install(p.readEnd(), 0, cloexec, c.process().fdLimit());
        int w;
        try {
            w = fds.install(p.writeEnd(), 0, cloexec, c.process().fdLimit());
        } catch (Errno e) {
            fds.close(r);
            throw e;
        }
        c.memory().writeInt(fdsAddr, r);
        c.memory().writeInt(fdsAddr + 4, w);
        return 0;
    }

    /** Implements Linux pipe(2). */
    static long pipe(SyscallContext c, long fdsAddr, long a1, long a2, long a3, long a4, long a5) {
        return pipe2(c, fdsAddr, 0, 0, 0, 0, 0);
    }

    /** Implements Linux close_range(2); CLOSE_RANGE_UNSHARE is a no-op while fd tables are never shared. */
    static long closeRange(SyscallContext c, long first, long last, long flags, long a3, long a4, long a5) {
        if ((flags & ~(long) (CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) != 0
                || Integer.toUnsignedLong((int) first) > Integer.toUnsignedLong((int) last)) {
            return -Errno.EINVAL;
        }
        FdTable fds = c.fds();
        long end = Math.min(Integer.toUnsignedLong((int) last), fds.limit() - 1L);
        for (long fd = Integer.toUnsignedLong((int) first); fd <= end; fd++) {
            if (fds.isOpen(fd)) {
                if ((flags & CLOSE_RANGE_CLOEXEC) != 0) {
                    fds.setCloseOnExec(fd, true);
                } else {
                    fds.close(fd);
                }
            }
        }
        return 0;
    }

    /** Implements Linux ftruncate(2). */
    static long ftruncate(SyscallContext c, long fd, long length, long a2, long a3, long a4, long a5) {
        if (length < 0) {
            return -Errno.EINVAL;
        }
        if (!(c.fds().get(fd) instanceof HostFile f)) {
            return -Errno.EINVAL;
        }
        if ((f.statusFlags() & 3) != 0) {
            FileSizeLimit.checkGrowth(c, f.status().size(), length);
        }
        TruncateGuard.check(c, f.hostPath(), length);
        f.truncate(length);
        c.process().addressSpace().filesShrunk();
        return 0;
    }

    /** Implements Linux fsync(2). */
    static long fsync(SyscallContext c, long fd, long a1, long a2, long a3, long a4, long a5) {
        return sync(c, fd, true);
    }

    /** Implements Linux fdatasync(2). */
    static long fdatasync(SyscallContext c, long fd, long a1, long a2, long a3, long a4, long a5) {
        return sync(c, fd, false);
    }

    private static long sync(SyscallContext c, long fd, boolean metadata) {
        OpenFile f = c.fds().get(fd);
        if (f instanceof HostFile h) {
            h.sync(metadata);
            return 0;
        }
        if (f instanceof dev.phoenix.libos.fs.HostFd h) {
            h.sync();
            return 0;
        }
        return f.guestPath() != null ? 0 : -Errno.EINVAL; // directories sync trivially; pipes and ttys cannot
    }

    /**
     * Implements Linux sync(2). Guest files are host files, so the host's sync makes them durable;
     * it cannot fail.
     */
    static long syncAll(SyscallContext c, long a0, long a1, long a2, long a3, long a4, long a5) {
        HostOs.sync();
        return 0;
    }

    /** Implements Linux syncfs(2): any open fd names a file system (a pipe's too); the host's sync covers it. */
    static long syncfs(SyscallContext c, long fd, long a1, long a2, long a3, long a4, long a5) {
        c.fds().get(fd);
        HostOs.sync();
        return 0;
    }

    private static final int POSIX_FADV_NOREUSE = 5;

    /**
     * Implements Linux fadvise64(2) (posix_fadvise): advice about a file's page cache, which the
     * host keeps, so it is checked as Linux checks it and then has no effect: EBADF for a bad
     * descriptor, ESPIPE for a pipe or FIFO, EINVAL for unknown advice or a negative length.
     */
    static long fadvise64(SyscallContext c, long fd, long offset, long length, long advice, long a4, long a5) {
        OpenFile f = c.fds().get(fd);
        if ((f.status().mode() & FileStatus.S_IFMT) == FileStatus.S_IFIFO) {
            return -Errno.ESPIPE;
        }
        if (length < 0 || advice < 0 || advice > POSIX_FADV_NOREUSE) {
            return -Errno.EINVAL;
        }
        return 0;
    }

    private static final int SYNC_FILE_RANGE_ALL = 1 | 2 | 4; // WAIT_BEFORE | WRITE | WAIT_AFTER
    private static final int S_IFLNK = 0120000, S_IFBLK = 0060000;

    /**
     * Implements Linux sync_file_range(2): flags and range checked as Linux does; a range with
     * SYNC_FILE_RANGE_WRITE writes the file's data (the whole file: the host channel has no
     * range flush); what is not a regular file, directory, symlink or block device is ESPIPE.
     */
    static long syncFileRange(SyscallContext c, long fd, long offset, long nbytes, long flags, long a4, long a5) {
        OpenFile f = c.fds().get(fd);
        if ((flags & ~(long) SYNC_FILE_RANGE_ALL) != 0 || offset < 0 || nbytes < 0 || offset + nbytes < 0) {
            return -Errno.EINVAL;
        }
        int type = f.status().mode() & FileStatus.S_IFMT;
        if (type != FileStatus.S_IFREG && type != FileStatus.S_IFDIR && type != S_IFLNK && type != S_IFBLK) {
            return -Errno.ESPIPE; // pipes, sockets and character devices
        }
        if ((flags & 2) != 0 && f instanceof HostFile h) {
            h.sync(false);
        }
        return 0;
    }

    /** Implements Linux umask(2). */
    static long umask(SyscallContext c, long mask, long a1, long a2, long a3, long a4, long a5) {
        int old = c.task().fs().umask;
        c.task().fs().umask = (int) mask & 0777;
        return old;
    }
}
