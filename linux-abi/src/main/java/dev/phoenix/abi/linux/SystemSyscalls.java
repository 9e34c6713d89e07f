package dev.phoenix.abi.linux;

import static dev.phoenix.abi.linux.FileSyscalls.AT_SYMLINK_NOFOLLOW;
import static dev.phoenix.abi.linux.FileSyscalls.path;
import static dev.phoenix.abi.linux.FileSyscalls.resolve;

import dev.phoenix.abi.Machine;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.HostErrors;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.Vfs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * File times, file-system statistics, groups, system information, and sendfile: the
 * syscalls busybox's coreutils need beyond plain files.
 */
final class SystemSyscalls {
    private SystemSyscalls() {}

    private static final long UTIME_NOW = (1L << 30) - 1, UTIME_OMIT = (1L << 30) - 2;
    private static final int STATFS_SIZE = 120;
    private static final int SYSINFO_SIZE = 112;
    /** f_type magic numbers (linux/magic.h) by the JDK's file-store type name. */
    private static final Map<String, Long> FS_MAGIC = Map.of("ext2", 0xEF53L, "ext3", 0xEF53L, "ext4", 0xEF53L,
            "tmpfs", 0x01021994L, "xfs", 0x58465342L, "btrfs", 0x9123683EL, "overlay", 0x794c7630L,
            "proc", 0x9fa0L, "sysfs", 0x62656572L);

    /** Implements Linux utimensat(2), including UTIME_NOW and UTIME_OMIT and a NULL path (futimens). */
    static long utimensat(SyscallContext c, long dirfd, long pathAddr, long timesAddr, long flags, long a4, long a5) {
        // As do_utimes: the times are read and checked first, then the flags, then the path.
        FileTime now = FileTime.fromMillis(c.kernel().clock().realtimeNanos() / 1_000_000);
        FileTime atime = now;
        FileTime mtime = now;
        if (timesAddr != 0) {
            atime = time(c, timesAddr, now);
            mtime = time(c, timesAddr + 16, now);
        }
        if ((flags & ~(long) (AT_SYMLINK_NOFOLLOW | FileSyscalls.AT_EMPTY_PATH)) != 0) {
            return -Errno.EINVAL;
        }
        Path host;
        if (pathAddr == 0 && (int) dirfd == FileSyscalls.AT_FDCWD) {
            return -Errno.EFAULT; // no path and no descriptor: getname(NULL)
        }
        if (pathAddr == 0) {
            OpenFile f = c.fds().get(dirfd);
            if (f.guestPath() == null) {
                return -Errno.EPERM;
            }
            host = FileSyscalls.again(c, f.guestPath()).writableHostPath();
        } else {
            host = resolve(c, dirfd, path(c, pathAddr), (flags & AT_SYMLINK_NOFOLLOW) == 0).writableHostPath();
        }
        LinkOption[] opts = (flags & AT_SYMLINK_NOFOLLOW) != 0 ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS}
                : new LinkOption[0];
        try {
            if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS)) {
                return -Errno.ENOENT;
            }
            Files.getFileAttributeView(host, BasicFileAttributeView.class, opts).setTimes(mtime, atime, null);
            return 0;
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        }
    }

    /** A timespec as a FileTime; null for UTIME_OMIT (leave unchanged). */
    private static FileTime time(SyscallContext c, long address, FileTime now) {
        long sec = c.memory().readLong(address);
        long nsec = c.memory().readLong(address + 8);
        if (nsec == UTIME_NOW) {
            return now;
        }
        if (nsec == UTIME_OMIT) {
            return null;
        }
        if (nsec < 0 || nsec >= 1_000_000_000L) {
            throw Errno.of(Errno.EINVAL);
        }
        // Any second is valid; a file system clamps it to what it can store (timestamp_truncate).
        return FileTime.from(Instant.ofEpochSecond(Math.clamp(sec, Instant.MIN.getEpochSecond(),
                Instant.MAX.getEpochSecond()), nsec));
    }

    /** Implements Linux statfs(2). */
    static long statfs(SyscallContext c, long pathAddr, long buf, long a2, long a3, long a4, long a5) {
        return writeStatfs(c, resolve(c, FileSyscalls.AT_FDCWD, path(c, pathAddr), true), buf);
    }

    /** Implements Linux fstatfs(2). */
    static long fstatfs(SyscallContext c, long fd, long buf, long a2, long a3, long a4, long a5) {
        OpenFile f = c.fds().get(fd);
        String guest = f.guestPath() == null ? "/" : f.guestPath();
        return writeStatfs(c, FileSyscalls.again(c, guest), buf);
    }

    private static long writeStatfs(SyscallContext c, Vfs.Resolved r, long buf) {
        if (r.mount() != null && r.mount().magic() != 0) {
            return writeMountStatfs(c, r, buf);
        }
        if (r.synthetic() != null) {
            FileSyscalls.status(c, r); // ENOENT for a name that is not there
            // /proc, /sys and /dev hold no blocks: statfs says so, as Linux does for proc and sysfs.
            ByteBuffer b = ByteBuffer.allocate(STATFS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(0, r.synthetic().magic()).putLong(8, 4096).putLong(64, 255).putLong(72, 4096);
            c.memory().write(buf, b.array());
            return 0;
        }
        Path host = r.hostPath();
        try {
            FileStore store = Files.getFileStore(host);
            long bsize = store.getBlockSize();
            // struct statfs, the same 120 bytes on x86_64, arm64 and riscv64 (64-bit words).
            ByteBuffer b = ByteBuffer.allocate(STATFS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(0, FS_MAGIC.getOrDefault(store.type(), 0xEF53L)).putLong(8, bsize)
                    .putLong(16, store.getTotalSpace() / bsize).putLong(24, store.getUnallocatedSpace() / bsize)
                    .putLong(32, store.getUsableSpace() / bsize).putLong(64, 255).putLong(72, bsize)
                    .putLong(80, store.isReadOnly() || (r.mount() != null && r.mount().readOnly()) ? 1 : 0);
            c.memory().write(buf, b.array());
            return 0;
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        }
    }

    /**
     * statfs of a file in a mount Phoenix made (tmpfs, proc, sysfs, devpts, mqueue): its type's
     * magic, and for a tmpfs with size= its blocks and those free; the mount's flags in f_flags
     * (ST_RDONLY 1, ST_NOSUID 2, ST_NODEV 4, ST_NOEXEC 8, as statfs(2) says).
     */
    private static long writeMountStatfs(SyscallContext c, Vfs.Resolved r, long buf) {
        FileSyscalls.status(c, r); // ENOENT for a name that is not there
        dev.phoenix.libos.fs.Mount m = r.mount();
        long blocks = 0;
        long free = 0;
        if (m.tmpfs() != null && m.tmpfs().limit() != 0) {
            blocks = m.tmpfs().limit() / 4096;
            free = Math.max(0, blocks - m.tmpfs().used() / 4096);
        }
        ByteBuffer b = ByteBuffer.allocate(STATFS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, m.magic()).putLong(8, 4096).putLong(16, blocks).putLong(24, free).putLong(32, free)
                .putLong(64, 255).putLong(72, 4096).putLong(80, m.flags() & 0xf | 0x20 /* ST_VALID */);
        c.memory().write(buf, b.array());
        return 0;
    }

    /** Implements Linux sysinfo(2) from the machine's memory, load and uptime figures. */
    static long sysinfo(SyscallContext c, long info, long a1, long a2, long a3, long a4, long a5) {
        Machine machine = c.kernel().machine();
        Machine.Memory m = machine.memory();
        ByteBuffer b = ByteBuffer.allocate(SYSINFO_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, machine.clock().uptimeNanos() / 1_000_000_000L);
        double[] load = machine.loadAverage();
        for (int i = 0; i < 3; i++) {
            b.putLong(8 + 8 * i, (long) (load[i] * 65536)); // SI_LOAD_SHIFT 16
        }
        b.putLong(32, m.total()).putLong(40, m.free()).putLong(48, m.shared()).putLong(56, m.buffers())
                .putLong(64, m.swapTotal()).putLong(72, m.swapFree()).putShort(80, (short) 1).putInt(104, 1);
        c.memory().write(info, b.array());
        return 0;
    }

    /**
     * Implements Linux sendfile(2) between any two open files. Without an offset the input's
     * position moves only by what was written, after the writes: a write that parks (a full
     * pipe) runs the call again from its start, and reads made before it must not be lost. A
     * host file into a host socket or another host file is the host's own transfer: no byte
     * passes through the JVM.
     */
    static long sendfile(SyscallContext c, long outFd, long inFd, long offsetAddr, long count, long a4, long a5) {
        OpenFile out = c.fds().get(outFd);
        OpenFile in = c.fds().get(inFd);
        if ((out.statusFlags() & 02000) != 0) {
            return -Errno.EINVAL; // O_APPEND: do_splice_direct refuses it
        }
        long pos = offsetAddr != 0 ? c.memory().readLong(offsetAddr) : -1;
        boolean moveInput = false;
        if (pos < 0 && offsetAddr == 0) {
            try {
                pos = in.seek(0, 1); // SEEK_CUR
                moveInput = true;
            } catch (dev.phoenix.libos.Errno e) {
                pos = -1; // not seekable (a pipe): read it as a stream
            }
        }
        count = FileSizeLimit.allowed(c, out, -1, count);
        long done = 0;
        boolean parked = false;
        int hostIn = pos >= 0 && out instanceof dev.phoenix.net.Socket s && s.sendsHostFiles()
                && in instanceof dev.phoenix.libos.fs.HostFile f ? f.reopenForReading() : -1;
        if (hostIn >= 0) {
            // a file into a host socket: the host kernel moves the bytes, none through the JVM
            try {
                c.task().writeBase = 0;
                done = ((dev.phoenix.net.Socket) out).sendHostFile(hostIn, pos, Math.max(count, 0));
            } catch (dev.phoenix.libos.proc.Park p) {
                parked = true;
                throw p;
            } catch (dev.phoenix.libos.Errno e) {
                if (e.errno() == dev.phoenix.libos.Errno.EPIPE) {
                    SignalSyscalls.sendToSelf(c, dev.phoenix.abi.Signals.SIGPIPE, dev.phoenix.abi.signal.SigInfo.SI_USER);
                }
                throw e;
            } finally {
                dev.phoenix.emu.host.HostOs.close(hostIn);
                if (moveInput && done > 0 && !parked) {
                    in.seek(pos + done, 0);
                }
            }
            if (offsetAddr != 0) {
                c.memory().writeLong(offsetAddr, pos + done);
            }
            return done;
        }
        if (pos >= 0 && count > 0 && in instanceof dev.phoenix.libos.fs.HostFile fin
                && out instanceof dev.phoenix.libos.fs.HostFile fout && fout.takesTransfers()) {
            done = fin.transferTo(pos, count, fout); // file to file: the host copies, never blocks
            if (moveInput && done > 0) {
                in.seek(pos + done, 0);
            }
            if (offsetAddr != 0) {
                c.memory().writeLong(offsetAddr, pos + done);
            }
            return done;
        }
        byte[] buf = new byte[(int) Math.min(Math.max(count, 0), 65536)];
        try {
            while (done < count) {
                int want = (int) Math.min(buf.length, count - done);
                int n;
                try {
                    n = pos >= 0 ? in.pread(buf, 0, want, pos + done) : in.read(buf, 0, want);
                } catch (dev.phoenix.libos.proc.Park p) {
                    if (done == 0) {
                        throw p;
                    }
                    // A stream that has nothing more now: what went across is the result, as a
                    // short transfer (run again, the call would read past what it was asked for).
                    c.task().syscallDone();
                    break;
                }
                if (n <= 0) {
                    break;
                }
                c.task().writeBase = done; // a resumed call skips what went in before it parked
                int w = IoSyscalls.writeTo(c, out, buf, 0, n);
                done += w;
                if (w < n) {
                    break;
                }
            }
        } catch (dev.phoenix.libos.proc.Park p) {
            parked = true; // runs again from the same position, and skips what went in
            throw p;
        } finally {
            if (moveInput && done > 0 && !parked) {
                in.seek(pos + done, 0); // SEEK_SET: what was sent, parked or not
            }
        }
        if (offsetAddr != 0) {
            c.memory().writeLong(offsetAddr, pos + done);
        }
        return done;
    }
}
