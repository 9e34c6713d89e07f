package dev.phoenix.abi.linux;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.libos.fs.DirEntry;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.HostDirectory;
import dev.phoenix.libos.fs.HostErrors;
import dev.phoenix.libos.fs.FlockTable;
import dev.phoenix.libos.fs.HostFile;
import dev.phoenix.libos.fs.HostFiles;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.SyntheticDirectory;
import dev.phoenix.libos.fs.Vfs;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Paths and open files over the {@link Vfs}: open, seek, positional I/O, directories, cwd, access. */
final class FileSyscalls {
    private FileSyscalls() {}

    static final int AT_FDCWD = -100;
    static final int AT_SYMLINK_NOFOLLOW = 0x100, AT_EACCESS = 0x200, AT_EMPTY_PATH = 0x1000;
    private static final int O_ACCMODE = 3, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0100, O_EXCL = 0200,
            O_TRUNC = 01000, O_APPEND = 02000, O_CLOEXEC = 02000000, O_PATH = 010000000;
    private static final int PATH_MAX = 4096;
    private static final int R_OK = 4, W_OK = 2, X_OK = 1;

    /** Reads the path argument. */
    static String path(SyscallContext c, long address) {
        return c.memory().readCString(address, PATH_MAX);
    }

    /** The guest directory a relative path starts from: the cwd, or the directory open as {@code dirfd}. */
    static String base(SyscallContext c, long dirfd) {
        if ((int) dirfd == AT_FDCWD) {
            return c.task().fs().cwd;
        }
        OpenFile f = c.fds().get((int) dirfd);
        if (!(f instanceof HostDirectory) && !(f instanceof SyntheticDirectory)) {
            throw Errno.of(Errno.ENOTDIR);
        }
        return f.guestPath();
    }

    /** Resolves a path argument against {@code dirfd}. */
    static Vfs.Resolved resolve(SyscallContext c, long dirfd, String path, boolean followLast) {
        return resolve(c, dirfd, path, followLast, 0);
    }

    /** Resolves a path argument against {@code dirfd} with openat2's RESOLVE_* flags. */
    static Vfs.Resolved resolve(SyscallContext c, long dirfd, String path, boolean followLast, int resolveFlags) {
        boolean confined = (resolveFlags & (Vfs.RESOLVE_BENEATH | Vfs.RESOLVE_IN_ROOT)) != 0;
        String base = path.startsWith("/") && !confined ? "/" : base(c, dirfd);
        return c.kernel().vfs().resolve(c.task().fs().root, base, path, followLast, c.process(), resolveFlags);
    }

    /**
     * Resolves {@code guestPath} again, a path Phoenix made (an open file's, the cwd's: absolute
     * in the caller's mount namespace, free of links), in the caller's mounts and whatever its
     * root.
     */
    static Vfs.Resolved again(SyscallContext c, String guestPath) {
        return c.kernel().vfs().resolve(guestPath, ".", true, c.process());
    }

    private static final int RESOLVE_ALL = 0x3f, RESOLVE_CACHED = 0x20;
    /** sizeof(struct open_how) in the first version (Linux 5.6): flags, mode, resolve. */
    private static final int OPEN_HOW_SIZE_VER0 = 24;

    /** Implements Linux openat2(2): struct open_how with strict checks and the RESOLVE_* flags. */
    static long openat2(SyscallContext c, long dirfd, long pathAddr, long how, long size, long a4, long a5) {
        if (size < OPEN_HOW_SIZE_VER0 || size > 4096) {
            return -Errno.EINVAL;
        }
        long flags = c.memory().readLong(how);
        long mode = c.memory().readLong(how + 8);
        long resolve = c.memory().readLong(how + 16);
        for (long extra = OPEN_HOW_SIZE_VER0; extra < size; extra += 8) {
            if (c.memory().readLong(how + extra) != 0) {
                return -Errno.E2BIG; // a newer struct with fields this kernel does not know
            }
        }
        if ((resolve & ~(long) RESOLVE_ALL) != 0 || (flags >>> 32) != 0
                || (mode != 0 && (flags & O_CREAT) == 0) || (mode & ~07777L) != 0
                || (resolve & (Vfs.RESOLVE_BENEATH | Vfs.RESOLVE_IN_ROOT)) == (Vfs.RESOLVE_BENEATH | Vfs.RESOLVE_IN_ROOT)) {
            return -Errno.EINVAL;
        }
        if ((resolve & RESOLVE_CACHED) != 0 && (flags & (O_CREAT | O_TRUNC)) != 0) {
            return -Errno.EAGAIN; // as Linux: creating or truncating cannot be done from the cache alone
        }
        return openResolved(c, dirfd, pathAddr, flags, mode, (int) resolve);
    }

    /** Implements Linux openat(2) for host files and directories. */
    static long openat(SyscallContext c, long dirfd, long pathAddr, long flags, long mode, long a4, long a5) {
        return openResolved(c, dirfd, pathAddr, flags, mode, 0);
    }

    private static long openResolved(SyscallContext c, long dirfd, long pathAddr, long flags, long mode,
            int resolveFlags) {
        ArchAbi.OpenFlags arch = c.abi().openFlags();
        int f = (int) flags;
        if ((f & (O_CREAT | arch.directory())) == (O_CREAT | arch.directory())) {
            return -Errno.EINVAL; // as Linux since 6.4: O_DIRECTORY | O_CREAT once made regular files
        }
        // Access mode 3 is Linux's "ioctl only": the file opens, but neither reads nor writes.
        int acc = f & O_ACCMODE;
        boolean creat = (f & O_CREAT) != 0;
        boolean excl = creat && (f & O_EXCL) != 0;
        boolean nofollow = (f & arch.nofollow()) != 0 || excl;
        String path = path(c, pathAddr);
        if (!c.fds().hasFree(c.process().fdLimit())) {
            return -Errno.EMFILE; // Linux takes the descriptor before it looks the path up
        }
        Vfs.Resolved r = resolve(c, dirfd, path, !nofollow, resolveFlags);
        if (r.synthetic() != null) {
            return openSynthetic(c, r, f, arch);
        }
        Path host = r.hostPath();
        boolean exists = r.exists();
        if (exists && excl) {
            return -Errno.EEXIST;
        }
        if (exists && Files.isSymbolicLink(host)) {
            return -Errno.ELOOP; // O_NOFOLLOW on a symlink
        }
        if (!exists && !creat) {
            return -Errno.ENOENT;
        }
        boolean write = acc == O_WRONLY || acc == O_RDWR || acc == O_ACCMODE;
        if (exists && Files.isDirectory(host, LinkOption.NOFOLLOW_LINKS)) {
            if (write || creat) {
                return -Errno.EISDIR;
            }
            String guest = r.guestPath();
            Vfs.Resolved parent = c.kernel().vfs().resolve(guest, "..", true, c.process());
            return c.fds().install(new HostDirectory(host, guest, parent.hostPath()), 0,
                    (f & O_CLOEXEC) != 0, c.process().fdLimit());
        }
        if ((f & arch.directory()) != 0) {
            return -Errno.ENOTDIR;
        }
        if ((f & O_PATH) != 0) {
            return -Errno.EINVAL; // O_PATH descriptors are not supported yet (PARTIAL in the table)
        }
        if (write || !exists || (f & O_TRUNC) != 0) {
            r.requireWritable(); // EROFS through a read-only mount
        }
        Set<OpenOption> opts = new HashSet<>();
        opts.add(LinkOption.NOFOLLOW_LINKS);
        opts.add(acc == O_WRONLY ? StandardOpenOption.WRITE : StandardOpenOption.READ);
        if (acc == O_RDWR || acc == O_ACCMODE) {
            opts.add(StandardOpenOption.WRITE);
        }
        if (write && (f & O_TRUNC) != 0) {
            opts.add(StandardOpenOption.TRUNCATE_EXISTING);
        }
        boolean writes = opts.contains(StandardOpenOption.WRITE);
        if (exists && opts.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
            TruncateGuard.check(c, host, 0);
        }
        Object key = exists && writes ? Vfs.fileKey(host) : null;
        c.kernel().vfs().getWriteAccess(key); // ETXTBSY for a program running now, before any truncation
        boolean opened = false;
        try {
            FileChannel ch;
            if (!exists) {
                opts.add(StandardOpenOption.CREATE_NEW);
                if (!opts.contains(StandardOpenOption.WRITE)) {
                    opts.add(StandardOpenOption.WRITE); // the JDK creates only for writing; access is ours to check
                }
                int perm = (int) mode & 0777 & ~c.task().fs().umask;
                ch = FileChannel.open(host, opts, PosixFilePermissions.asFileAttribute(Permissions.of(perm)));
            } else {
                ch = FileChannel.open(host, opts);
            }
            HostFile file = new HostFile(ch, host, r.guestPath(), acc == 0 || acc == O_RDWR,
                    acc == O_WRONLY || acc == O_RDWR, (f & O_APPEND) != 0);
            if (r.mount() != null && r.mount().tmpfs() != null) {
                file.chargeTo(r.mount().tmpfs()); // size= of a tmpfs mount
            }
            if (writes) {
                Object written = key != null ? key : Vfs.fileKey(host);
                if (key == null) {
                    c.kernel().vfs().getWriteAccess(written); // created now: nobody runs it yet
                }
                file.onRelease(() -> c.kernel().vfs().putWriteAccess(written));
                if (r.mount() != null && "tmpfs".equals(r.mount().fstype())) {
                    // shmem pages: charged to a memory cgroup as they are written, freed by O_TRUNC
                    file.chargeMemoryTo(c.kernel().cgroups(), written);
                    if (opts.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
                        c.kernel().cgroups().shmemTruncated(written, 0);
                    }
                }
            }
            opened = true;
            if (opts.contains(StandardOpenOption.TRUNCATE_EXISTING)) {
                c.process().addressSpace().filesShrunk();
            }
            return install(c, file, (f & O_CLOEXEC) != 0);
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        } finally {
            if (!opened) {
                c.kernel().vfs().putWriteAccess(key);
            }
        }
    }

    /** Opens a file of a synthetic file system (/dev): devices and directories, never created. */
    private static long openSynthetic(SyscallContext c, Vfs.Resolved r, int f, ArchAbi.OpenFlags arch) {
        if (r.opened() != null) {
            // Reached through /proc/PID/fd/N (or /dev/stdin ...): the same open file, as dup(2)
            // gives it; a pipe, a terminal or a stream is never a directory.
            if ((f & arch.directory()) != 0) {
                return -Errno.ENOTDIR;
            }
            return c.fds().install(r.opened(), 0, (f & O_CLOEXEC) != 0, c.process().fdLimit());
        }
        FileStatus st = r.synthetic().stat(r.relative(), c.process());
        if (st == null) {
            return (f & O_CREAT) != 0 ? -Errno.EACCES : -Errno.ENOENT;
        }
        if ((f & O_CREAT) != 0 && (f & O_EXCL) != 0) {
            return -Errno.EEXIST;
        }
        if ((st.mode() & FileStatus.S_IFMT) == FileStatus.S_IFLNK) {
            return -Errno.ELOOP; // a link not followed (O_NOFOLLOW), as open(2) refuses it
        }
        boolean dir = (st.mode() & FileStatus.S_IFMT) == FileStatus.S_IFDIR;
        if (!dir && (f & arch.directory()) != 0) {
            return -Errno.ENOTDIR;
        }
        if (dir && (f & O_ACCMODE) != 0) {
            return -Errno.EISDIR;
        }
        OpenFile file = dir ? r.synthetic().openDirectory(r.relative(), r.guestPath(), c.process())
                : r.synthetic().open(r.relative(), c.process(), f & O_ACCMODE, f);
        int fd = install(c, file, (f & O_CLOEXEC) != 0);
        JobControl.opened(c, file, f); // a session leader's first terminal becomes its controlling terminal
        return fd;
    }

    /** Gives the opened {@code file} the lowest free fd; on EMFILE the file is closed again. */
    private static int install(SyscallContext c, OpenFile file, boolean cloexec) {
        try {
            return c.fds().install(file, 0, cloexec, c.process().fdLimit());
        } catch (Errno e) {
            file.release();
            throw e;
        }
    }

    /** Status of a resolved path, host or synthetic; ENOENT when it does not exist. */
    static FileStatus status(SyscallContext c, Vfs.Resolved r) {
        if (r.opened() != null) {
            return r.opened().status();
        }
        if (r.synthetic() != null) {
            FileStatus st = r.synthetic().stat(r.relative(), c.process());
            if (st == null) {
                throw Errno.of(Errno.ENOENT);
            }
            return st;
        }
        FileStatus st = HostFiles.status(r.hostPath(), false);
        if (r.mount() != null && r.mount().tmpfs() != null) {
            // A tmpfs's files live in a host directory of /dev/shm; they are on a device of their own.
            st = new FileStatus(r.mount().devNumber(), st.ino(), st.mode(), st.nlink(), st.uid(), st.gid(), st.rdev(),
                    st.size(), st.blksize(), st.blocks(), st.atimeNs(), st.mtimeNs(), st.ctimeNs());
        }
        return st;
    }

    /** Implements Linux open(2). */
    static long open(SyscallContext c, long pathAddr, long flags, long mode, long a3, long a4, long a5) {
        return openat(c, AT_FDCWD, pathAddr, flags, mode, 0, 0);
    }

    /** Implements Linux lseek(2). */
    static long lseek(SyscallContext c, long fd, long offset, long whence, long a3, long a4, long a5) {
        return c.fds().get(fd).seek(offset, (int) whence);
    }

    /**
     * Implements Linux pread64(2): a regular file reads as much as asked (up to MAX_RW_COUNT), as
     * read(2) does, with its preemption points; other files read one chunk.
     */
    static long pread64(SyscallContext c, long fd, long buf, long count, long pos, long a4, long a5) {
        OpenFile f = c.fds().get(fd);
        if (count < 0 || pos < 0) {
            return -Errno.EINVAL;
        }
        if (f instanceof dev.phoenix.libos.fs.HostFile) {
            return IoSyscalls.readFileAt(c, f, buf, count, pos);
        }
        byte[] b = new byte[(int) Math.min(count, 1 << 20)];
        int n = f.pread(b, 0, b.length, pos);
        c.memory().write(buf, b, 0, n);
        return n;
    }

    /** Implements Linux pwrite64(2). */
    static long pwrite64(SyscallContext c, long fd, long buf, long count, long pos, long a4, long a5) {
        OpenFile f = c.fds().get(fd);
        if (count < 0) {
            return -Errno.EINVAL;
        }
        if (pos < 0) {
            return -Errno.EINVAL;
        }
        long allowed = FileSizeLimit.allowed(c, f, pos, count);
        if (!(f instanceof dev.phoenix.libos.fs.HostFile)) {
            byte[] b = c.memory().read(buf, (int) Math.min(allowed, 1 << 20));
            return f.pwrite(b, 0, b.length, pos);
        }
        // A regular file takes all of it (up to MAX_RW_COUNT), in write(2)'s steps.
        return IoSyscalls.writeFileInSteps(c, f, buf, Math.min(allowed, 0x7ffff000L), pos);
    }

    /** Implements Linux getdents64(2): as many whole records as fit in {@code count} bytes. */
    static long getdents64(SyscallContext c, long fd, long dirp, long count, long a3, long a4, long a5) {
        return readDirectory(c, fd, dirp, count, false);
    }

    /**
     * Implements Linux getdents(2), x86_64's older call: struct linux_dirent, whose d_type is the
     * last byte of each record. Its d_ino and d_off are unsigned longs, 64 bits on x86_64 as in
     * getdents64, so the EOVERFLOW of 32-bit kernels cannot happen.
     */
    static long getdents(SyscallContext c, long fd, long dirp, long count, long a3, long a4, long a5) {
        return readDirectory(c, fd, dirp, count, true);
    }

    /**
     * Fills {@code dirp} with whole records from the directory offset (filldir and filldir64 in
     * Linux's fs/readdir.c): d_ino, d_off (the next record's offset), d_reclen, then d_type and the
     * name (getdents64) or the name and d_type as the record's last byte ({@code legacy}). Both
     * take 8-byte-aligned records of 20 bytes plus the name. EINVAL when not even one fits.
     */
    private static long readDirectory(SyscallContext c, long fd, long dirp, long count, boolean legacy) {
        OpenFile f = c.fds().get(fd);
        // count is an unsigned int in both calls.
        int size = (int) Math.min(Integer.toUnsignedLong((int) count), 1 << 20);
        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        long start = -1;
        while (true) {
            List<DirEntry> next = f.readDirectory(1);
            if (next.isEmpty()) {
                break;
            }
            DirEntry e = next.get(0);
            if (start < 0) {
                start = e.nextOffset() - 1;
            }
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            int reclen = (20 + name.length + 7) & ~7; // d_ino, d_off, d_reclen, the name, its NUL and d_type
            if (reclen > out.remaining()) {
                f.seek(e.nextOffset() - 1, 0); // give it back for the next call
                if (out.position() == 0) {
                    return -Errno.EINVAL; // buffer too small for even one entry
                }
                break;
            }
            int at = out.position();
            out.putLong(e.ino()).putLong(e.nextOffset()).putShort((short) reclen);
            if (legacy) {
                out.put(name).put(at + reclen - 1, (byte) e.type());
            } else {
                out.put((byte) e.type()).put(name);
            }
            out.position(at + reclen);
        }
        if (out.position() == 0) {
            return 0; // end of the directory: nothing is written, so the buffer is never touched
        }
        try {
            c.memory().write(dirp, out.array(), 0, out.position());
        } catch (Errno e) {
            f.seek(start, 0); // Linux advances the offset only past records it could write
            throw e;
        }
        return out.position();
    }

    /** Implements Linux getcwd(2). */
    static long getcwd(SyscallContext c, long buf, long size, long a2, long a3, long a4, long a5) {
        String path = c.task().fs().cwd;
        String root = c.task().fs().root;
        if (!root.equals("/")) {
            // Seen from a chroot: below the root, or "(unreachable)" as Linux's getcwd says.
            path = path.equals(root) ? "/" : path.startsWith(root + "/") ? path.substring(root.length())
                    : "(unreachable)" + path;
        }
        byte[] cwd = (path + "\0").getBytes(StandardCharsets.UTF_8);
        if (size < cwd.length) {
            return -Errno.ERANGE;
        }
        c.memory().write(buf, cwd);
        return cwd.length;
    }

    /** Implements Linux chdir(2). */
    static long chdir(SyscallContext c, long pathAddr, long a1, long a2, long a3, long a4, long a5) {
        Vfs.Resolved r = resolve(c, AT_FDCWD, path(c, pathAddr), true);
        if (!r.exists()) {
            return -Errno.ENOENT;
        }
        if ((status(c, r).mode() & FileStatus.S_IFMT) != FileStatus.S_IFDIR) {
            return -Errno.ENOTDIR;
        }
        c.task().fs().cwd = r.guestPath();
        return 0;
    }

    /** Implements Linux fchdir(2). */
    static long fchdir(SyscallContext c, long fd, long a1, long a2, long a3, long a4, long a5) {
        c.task().fs().cwd = base(c, fd);
        return 0;
    }

    /** Implements Linux faccessat2(2) (and faccessat(2) with flags 0). */
    static long faccessat2(SyscallContext c, long dirfd, long pathAddr, long mode, long flags, long a4, long a5) {
        if ((mode & ~7L) != 0 || (flags & ~(long) (AT_SYMLINK_NOFOLLOW | AT_EACCESS | AT_EMPTY_PATH)) != 0) {
            return -Errno.EINVAL;
        }
        Vfs.Resolved r = resolve(c, dirfd, path(c, pathAddr), (flags & AT_SYMLINK_NOFOLLOW) == 0);
        if (!r.exists()) {
            return -Errno.ENOENT;
        }
        if (r.synthetic() != null) {
            status(c, r); // ENOENT if missing; root may read and write every device
            return (mode & X_OK) != 0 ? -Errno.EACCES : 0;
        }
        Path h = r.hostPath();
        // The host's access(2) answers for our credentials, which are the guest's.
        if ((mode & R_OK) != 0 && !Files.isReadable(h) || (mode & W_OK) != 0 && !Files.isWritable(h)
                || (mode & X_OK) != 0 && !Files.isExecutable(h)) {
            return -Errno.EACCES;
        }
        return 0;
    }

    /** Implements Linux faccessat(2). */
    static long faccessat(SyscallContext c, long dirfd, long pathAddr, long mode, long a3, long a4, long a5) {
        return faccessat2(c, dirfd, pathAddr, mode, 0, 0, 0);
    }

    /** Implements Linux access(2). */
    static long access(SyscallContext c, long pathAddr, long mode, long a2, long a3, long a4, long a5) {
        return faccessat2(c, AT_FDCWD, pathAddr, mode, 0, 0, 0);
    }

    /** Implements Linux newfstatat(2) through the VFS. */
    static long newfstatat(SyscallContext c, long dirfd, long pathAddr, long statbuf, long flags, long a4, long a5) {
        if ((flags & ~(long) (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH | 0x800 /* AT_NO_AUTOMOUNT */)) != 0) {
            return -Errno.EINVAL;
        }
        String path = path(c, pathAddr);
        if (path.isEmpty() && (flags & AT_EMPTY_PATH) != 0) {
            return IoSyscalls.fstat(c, dirfd, statbuf, 0, 0, 0, 0);
        }
        Vfs.Resolved r = resolve(c, dirfd, path, (flags & AT_SYMLINK_NOFOLLOW) == 0);
        c.abi().writeStat(c.memory(), statbuf, UserIds.seen(c.process(), status(c, r)));
        return 0;
    }

    /** Implements Linux stat(2) (x86_64). */
    static long stat(SyscallContext c, long pathAddr, long statbuf, long a2, long a3, long a4, long a5) {
        return newfstatat(c, AT_FDCWD, pathAddr, statbuf, 0, 0, 0);
    }

    /** Implements Linux lstat(2) (x86_64). */
    static long lstat(SyscallContext c, long pathAddr, long statbuf, long a2, long a3, long a4, long a5) {
        return newfstatat(c, AT_FDCWD, pathAddr, statbuf, AT_SYMLINK_NOFOLLOW, 0, 0);
    }

    private static final int F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_GETLK = 5,
            F_SETLK = 6, F_SETLKW = 7, F_DUPFD_CLOEXEC = 1030;
    private static final int F_RDLCK = 0, F_WRLCK = 1, F_UNLCK = 2;
    private static final int FD_CLOEXEC = 1;

    /** The LibOS's generic O_DIRECTORY in the arch's value, plus O_LARGEFILE on what open(2) made. */
    private static int statusFlags(SyscallContext c, OpenFile f) {
        int flags = f.statusFlags();
        ArchAbi.OpenFlags arch = c.abi().openFlags();
        if ((flags & ArchAbi.OpenFlags.GENERIC.directory()) != 0) {
            flags = flags & ~ArchAbi.OpenFlags.GENERIC.directory() | arch.directory();
        }
        return f.openedByPath() ? flags | arch.largefile() : flags;
    }

    /** Implements Linux fcntl(2) for descriptor duplication, FD_CLOEXEC and F_GETFL. */
    static long fcntl(SyscallContext c, long fd, long cmd, long arg, long a3, long a4, long a5) {
        var fds = c.fds();
        OpenFile f = fds.get(fd);
        switch ((int) cmd) {
            case F_DUPFD, F_DUPFD_CLOEXEC -> {
                // The minimum is an unsigned long: at or above RLIMIT_NOFILE (negative too) it is EINVAL.
                if (Long.compareUnsigned(arg, c.process().fdLimit()) >= 0) {
                    return -Errno.EINVAL;
                }
                return fds.install(f, (int) arg, cmd == F_DUPFD_CLOEXEC, c.process().fdLimit());
            }
            case F_GETFD -> {
                return fds.isCloseOnExec(fd) ? FD_CLOEXEC : 0;
            }
            case F_SETFD -> {
                fds.setCloseOnExec(fd, (arg & FD_CLOEXEC) != 0);
                return 0;
            }
            case F_GETFL -> {
                return statusFlags(c, f);
            }
            case F_SETFL -> {
                f.setStatusFlags((int) arg);
                return 0;
            }
            case F_GETLK, F_SETLK, F_SETLKW -> {
                return recordLock(c, f, (int) cmd, arg);
            }
            case F_SETOWN, F_GETOWN, F_SETSIG, F_GETSIG, F_SETOWN_EX, F_GETOWN_EX -> {
                return owner(c, f, (int) cmd, arg);
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    private static final int F_SETOWN = 8, F_GETOWN = 9, F_SETSIG = 10, F_GETSIG = 11, F_SETOWN_EX = 15,
            F_GETOWN_EX = 16;
    private static final int F_OWNER_TID = 0, F_OWNER_PID = 1, F_OWNER_PGRP = 2;

    /**
     * fcntl's owner commands: F_SETOWN, F_SETOWN_EX and F_SETSIG record who would get SIGIO (or
     * the F_SETSIG signal) for an O_ASYNC file and F_GET* read it back, with Linux's checks (an
     * owner that does not exist is ESRCH, a bad type or signal EINVAL). Phoenix sends no SIGIO:
     * programs that set an owner (nginx's channels) wait in epoll all the same.
     */
    private static long owner(SyscallContext c, OpenFile f, int cmd, long arg) {
        int[] owner = c.kernel().fileOwners().getOrDefault(f, new int[] {F_OWNER_PID, 0, 0});
        switch (cmd) {
            case F_GETOWN -> {
                return owner[0] == F_OWNER_PGRP ? -owner[1] : owner[1];
            }
            case F_GETSIG -> {
                return owner[2];
            }
            case F_GETOWN_EX -> {
                c.memory().writeInt(arg, owner[0]);
                c.memory().writeInt(arg + 4, owner[1]);
                return 0;
            }
            case F_SETSIG -> {
                if (arg < 0 || arg > dev.phoenix.abi.Signals.NSIG) {
                    return -Errno.EINVAL;
                }
                c.kernel().fileOwners().put(f, new int[] {owner[0], owner[1], (int) arg});
                return 0;
            }
            default -> {
                int type;
                int who;
                if (cmd == F_SETOWN) {
                    who = (int) arg;
                    if (who == Integer.MIN_VALUE) {
                        return -Errno.EINVAL;
                    }
                    type = who < 0 ? F_OWNER_PGRP : F_OWNER_PID;
                    who = Math.abs(who);
                } else {
                    type = c.memory().readInt(arg);
                    who = c.memory().readInt(arg + 4);
                    if (type < F_OWNER_TID || type > F_OWNER_PGRP) {
                        return -Errno.EINVAL;
                    }
                }
                if (who != 0 && !ownerExists(c, type, who)) {
                    return -Errno.ESRCH;
                }
                c.kernel().fileOwners().put(f, new int[] {type, who, owner[2]});
                return 0;
            }
        }
    }

    /** True when a thread, process or process group {@code who} (by {@code type}) exists in this kernel. */
    private static boolean ownerExists(SyscallContext c, int type, int nr) {
        int who = Pids.global(c, nr);
        for (dev.phoenix.libos.proc.Process p : c.kernel().processes()) {
            if (type == F_OWNER_PGRP ? p.pgid == who : type == F_OWNER_PID ? p.pid() == who : p.task(who) != null) {
                return true;
            }
        }
        return false;
    }

    /**
     * POSIX record locks (fcntl(2) F_GETLK/F_SETLK/F_SETLKW). They belong to the process, and a
     * process's own locks never conflict with each other, so with one guest process every
     * request is granted and F_GETLK finds nothing in the way; the checks are Linux's.
     */
    private static long recordLock(SyscallContext c, OpenFile f, int cmd, long flockAddr) {
        int type = Short.toUnsignedInt((short) c.memory().readInt(flockAddr)) & 0xffff;
        int whence = (c.memory().readInt(flockAddr) >>> 16) & 0xffff;
        if (type != F_RDLCK && type != F_WRLCK && type != F_UNLCK || whence > 2) {
            return -Errno.EINVAL;
        }
        int acc = f.statusFlags() & 3;
        if (cmd != F_GETLK && (type == F_RDLCK && acc == 1 || type == F_WRLCK && acc == 0)) {
            return -Errno.EBADF;
        }
        if (cmd == F_GETLK) {
            c.memory().writeInt(flockAddr, (c.memory().readInt(flockAddr) & 0xffff0000) | F_UNLCK);
        }
        return 0;
    }

    /**
     * Implements Linux flock(2). A caller that blocks lends its priority to the tasks holding
     * the locks in its way while it waits ({@link FlockTable#beginWait}).
     */
    static long flock(SyscallContext c, long fd, long operation, long a2, long a3, long a4, long a5) {
        int op = (int) operation;
        if (!FlockTable.valid(op)) {
            return -Errno.EINVAL; // checked before the fd, as Linux does
        }
        OpenFile f = c.fds().get(fd);
        FlockTable table = c.kernel().vfs().flocks();
        if (f instanceof HostFile h) {
            h.lockedIn(table);
        }
        Task task = c.task();
        if (!task.resuming()) {
            if (table.tryLock(f, op, task)) {
                return 0;
            }
            if (FlockTable.nonBlocking(op)) {
                return -Errno.EAGAIN; // EWOULDBLOCK
            }
            table.beginWait(f, task); // the holders inherit its priority while it waits
        }
        // Wait for the holder to let go; a signal ends the wait (restarted under SA_RESTART).
        Task.Wait outcome = task.block(Long.MAX_VALUE, () -> table.tryLock(f, op, task), table.released());
        table.endWait(f, task);
        return outcome == Task.Wait.READY ? 0 : -Errno.ERESTARTSYS;
    }

    /** Implements Linux readlinkat(2) through the VFS; /proc/self/exe names the guest executable. */
    static long readlinkat(SyscallContext c, long dirfd, long pathAddr, long buf, long size, long a4, long a5) {
        int bufsiz = (int) size; // an int in Linux: the high half of the register is not looked at
        if (bufsiz <= 0) {
            return -Errno.EINVAL;
        }
        String path = path(c, pathAddr);
        String target;
        if (path.equals("/proc/self/exe") || path.equals("/proc/" + Pids.nr(c, c.process().pid()) + "/exe")) {
            target = c.process().executable();
        } else {
            Vfs.Resolved r = resolve(c, dirfd, path, false);
            if (r.synthetic() != null) {
                status(c, r);
                String link = r.synthetic().readlink(r.relative(), c.process());
                if (link == null) {
                    return -Errno.EINVAL;
                }
                byte[] b = link.getBytes(StandardCharsets.UTF_8);
                int n = (int) Math.min(b.length, bufsiz);
                c.memory().write(buf, b, 0, n);
                return n;
            }
            if (!Files.isSymbolicLink(r.hostPath())) {
                return r.exists() ? -Errno.EINVAL : -Errno.ENOENT;
            }
            try {
                target = Files.readSymbolicLink(r.hostPath()).toString();
            } catch (IOException e) {
                throw HostErrors.toErrno(e);
            }
        }
        byte[] b = target.getBytes(StandardCharsets.UTF_8);
        int n = (int) Math.min(b.length, bufsiz);
        c.memory().write(buf, b, 0, n);
        return n;
    }

    /** Implements Linux readlink(2). */
    static long readlink(SyscallContext c, long pathAddr, long buf, long size, long a3, long a4, long a5) {
        return readlinkat(c, AT_FDCWD, pathAddr, buf, size, 0, 0);
    }
}
