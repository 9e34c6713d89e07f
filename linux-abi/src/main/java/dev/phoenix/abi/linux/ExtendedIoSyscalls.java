package dev.phoenix.abi.linux;

import static dev.phoenix.abi.linux.FileSyscalls.AT_EMPTY_PATH;
import static dev.phoenix.abi.linux.FileSyscalls.AT_SYMLINK_NOFOLLOW;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.HostFile;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.Vfs;
import dev.phoenix.libos.mm.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** statx, positional vectored I/O, fallocate and copy_file_range. */
final class ExtendedIoSyscalls {
    private ExtendedIoSyscalls() {}

    private static final int STATX_SIZE = 256;
    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final int AT_NO_AUTOMOUNT = 0x800, AT_STATX_SYNC_TYPE = 0x6000;
    private static final int STATX_RESERVED = 0x80000000;
    private static final int FALLOC_FL_KEEP_SIZE = 1;
    private static final int IOV_MAX = 1024;
    private static final int CHUNK = 1 << 16;

    /** Implements Linux statx(2) with the basic stats (no birth time). */
    static long statx(SyscallContext c, long dirfd, long pathAddr, long flags, long mask, long buf, long a5) {
        if ((flags & ~(long) (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | AT_NO_AUTOMOUNT | AT_STATX_SYNC_TYPE)) != 0
                || (flags & AT_STATX_SYNC_TYPE) == AT_STATX_SYNC_TYPE || (mask & STATX_RESERVED) != 0) {
            return -Errno.EINVAL;
        }
        String path = FileSyscalls.path(c, pathAddr);
        FileStatus st;
        if (path.isEmpty()) {
            if ((flags & AT_EMPTY_PATH) == 0) {
                return -Errno.ENOENT;
            }
            st = c.fds().get(dirfd).status();
        } else {
            Vfs.Resolved r = FileSyscalls.resolve(c, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) == 0);
            st = FileSyscalls.status(c, r);
        }
        st = UserIds.seen(c.process(), st);
        ByteBuffer b = ByteBuffer.allocate(STATX_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, STATX_BASIC_STATS).putInt(4, st.blksize()).putInt(16, (int) st.nlink()).putInt(20, st.uid())
                .putInt(24, st.gid()).putShort(28, (short) st.mode()).putLong(32, st.ino()).putLong(40, st.size())
                .putLong(48, st.blocks());
        timestamp(b, 64, st.atimeNs());
        timestamp(b, 96, st.ctimeNs());
        timestamp(b, 112, st.mtimeNs());
        b.putInt(128, major(st.rdev())).putInt(132, minor(st.rdev())).putInt(136, major(st.dev()))
                .putInt(140, minor(st.dev()));
        c.memory().write(buf, b.array());
        return 0;
    }

    private static void timestamp(ByteBuffer b, int offset, long ns) {
        b.putLong(offset, Math.floorDiv(ns, 1_000_000_000L)).putInt(offset + 8, (int) Math.floorMod(ns, 1_000_000_000L));
    }

    /** glibc's major(3) of a dev_t. */
    static int major(long dev) {
        return (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL));
    }

    /** glibc's minor(3) of a dev_t. */
    static int minor(long dev) {
        return (int) ((dev & 0xff) | ((dev >>> 12) & ~0xffL));
    }

    /** Implements Linux preadv(2): the 64-bit offset is in one register on 64-bit arches. */
    static long preadv(SyscallContext c, long fd, long iov, long iovcnt, long pos, long a4, long a5) {
        return vectored(c, fd, iov, iovcnt, pos, false);
    }

    /** Implements Linux pwritev(2). */
    static long pwritev(SyscallContext c, long fd, long iov, long iovcnt, long pos, long a4, long a5) {
        return vectored(c, fd, iov, iovcnt, pos, true);
    }

    /** Implements Linux preadv2(2); offset -1 uses and moves the file offset; no RWF_* flags yet. */
    static long preadv2(SyscallContext c, long fd, long iov, long iovcnt, long pos, long posHigh, long flags) {
        return flags != 0 ? -Errno.ENOTSUP : pos == -1 ? IoSyscalls.readv(c, fd, iov, iovcnt, 0, 0, 0)
                : vectored(c, fd, iov, iovcnt, pos, false);
    }

    /** Implements Linux pwritev2(2). */
    static long pwritev2(SyscallContext c, long fd, long iov, long iovcnt, long pos, long posHigh, long flags) {
        return flags != 0 ? -Errno.ENOTSUP : pos == -1 ? IoSyscalls.writev(c, fd, iov, iovcnt, 0, 0, 0)
                : vectored(c, fd, iov, iovcnt, pos, true);
    }

    private static long vectored(SyscallContext c, long fd, long iov, long iovcnt, long pos, boolean write) {
        OpenFile f = c.fds().get(fd);
        if (iovcnt < 0 || iovcnt > IOV_MAX || pos < 0) {
            return -Errno.EINVAL;
        }
        GuestMemory mem = c.memory();
        long[] vec = IoSyscalls.iovec(mem, iov, (int) iovcnt);
        long budget = write ? FileSizeLimit.allowed(c, f, pos, IoSyscalls.iovecBytes(vec)) : Long.MAX_VALUE;
        long total = 0;
        for (int i = 0; i < vec.length && total < budget; i += 2) {
            long len = Math.min(vec[i + 1], budget - total);
            for (long done = 0; done < len; ) {
                int n = (int) Math.min(CHUNK, len - done);
                byte[] buf;
                int moved;
                if (write) {
                    buf = mem.read(vec[i] + done, n);
                    moved = f.pwrite(buf, 0, n, pos + total);
                } else {
                    buf = new byte[n];
                    moved = f.pread(buf, 0, n, pos + total);
                    mem.write(vec[i] + done, buf, 0, moved);
                }
                total += moved;
                done += moved;
                if (moved < n) {
                    return total;
                }
            }
        }
        return total;
    }

    /** Implements Linux fallocate(2) for mode 0 and FALLOC_FL_KEEP_SIZE; hole punching is EOPNOTSUPP. */
    static long fallocate(SyscallContext c, long fd, long mode, long offset, long len, long a4, long a5) {
        OpenFile f = c.fds().get(fd);
        if (offset < 0 || len <= 0) {
            return -Errno.EINVAL;
        }
        if ((mode & ~(long) FALLOC_FL_KEEP_SIZE) != 0) {
            return -Errno.ENOTSUP;
        }
        if (!(f instanceof HostFile h)) {
            return f.guestPath() == null ? -Errno.ESPIPE : -Errno.ENODEV;
        }
        if ((f.statusFlags() & 3) == 0) {
            return -Errno.EBADF;
        }
        long size = f.status().size();
        if (mode == 0 && offset + len > size) {
            FileSizeLimit.checkGrowth(c, size, offset + len);
            h.truncate(offset + len);
        }
        return 0;
    }

    /** Implements Linux copy_file_range(2) between regular files. */
    static long copyFileRange(SyscallContext c, long fdIn, long offInAddr, long fdOut, long offOutAddr, long len,
            long flags) {
        if (flags != 0) {
            return -Errno.EINVAL;
        }
        OpenFile in = c.fds().get(fdIn);
        OpenFile out = c.fds().get(fdOut);
        if (!(in instanceof HostFile) || !(out instanceof HostFile)) {
            return -Errno.EINVAL;
        }
        long inPos = offInAddr != 0 ? c.memory().readLong(offInAddr) : -1;
        long outPos = offOutAddr != 0 ? c.memory().readLong(offOutAddr) : -1;
        len = FileSizeLimit.allowed(c, out, outPos, len);
        byte[] buf = new byte[(int) Math.min(Math.max(len, 0), CHUNK)];
        long done = 0;
        while (done < len) {
            int want = (int) Math.min(buf.length, len - done);
            int n = inPos >= 0 ? in.pread(buf, 0, want, inPos + done) : in.read(buf, 0, want);
            if (n <= 0) {
                break;
            }
            int w = outPos >= 0 ? out.pwrite(buf, 0, n, outPos + done) : out.write(buf, 0, n);
            done += w;
            if (w < n) {
                break;
            }
        }
        if (offInAddr != 0) {
            c.memory().writeLong(offInAddr, inPos + done);
        }
        if (offOutAddr != 0) {
            c.memory().writeLong(offOutAddr, outPos + done);
        }
        return done;
    }
}
