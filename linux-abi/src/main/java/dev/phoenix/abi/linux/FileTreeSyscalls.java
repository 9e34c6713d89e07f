package dev.phoenix.abi.linux;

import static dev.phoenix.abi.linux.FileSyscalls.AT_FDCWD;
import static dev.phoenix.abi.linux.FileSyscalls.AT_SYMLINK_NOFOLLOW;
import static dev.phoenix.abi.linux.FileSyscalls.path;
import static dev.phoenix.abi.linux.FileSyscalls.resolve;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.HostErrors;
import dev.phoenix.libos.fs.HostFile;
import dev.phoenix.libos.fs.Vfs;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Changes to the file tree and inode attributes, on host files inside the rootfs:
 * mkdir, unlink, rmdir, rename, link, symlink, chmod, chown, truncate. The host's own system
 * calls (reached through the JDK) give Linux's semantics and errors.
 */
final class FileTreeSyscalls {
    private FileTreeSyscalls() {}

    private static final int AT_REMOVEDIR = 0x200, AT_SYMLINK_FOLLOW = 0x400, AT_EMPTY_PATH = 0x1000;
    private static final int RENAME_NOREPLACE = 1;
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    /** Implements Linux mkdirat(2). */
    static long mkdirat(SyscallContext c, long dirfd, long pathAddr, long mode, long a3, long a4, long a5) {
        Vfs.Resolved r = resolve(c, dirfd, path(c, pathAddr), false);
        if (r.synthetic() != null && r.opened() == null) {
            r.synthetic().mkdir(r.relative(), c.process(), (int) mode & 07777 & ~c.task().fs().umask);
            return 0;
        }
        if (r.exists()) {
            return -Errno.EEXIST;
        }
        try {
            Files.createDirectory(r.writableHostPath());
            Files.setAttribute(r.hostPath(), "unix:mode", (int) mode & 07777 & ~c.task().fs().umask, NOFOLLOW);
            return 0;
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        }
    }

    /** Implements Linux mkdir(2). */
    static long mkdir(SyscallContext c, long pathAddr, long mode, long a2, long a3, long a4, long a5) {
        return mkdirat(c, AT_FDCWD, pathAddr, mode, 0, 0, 0);
    }

    /** Implements Linux unlinkat(2): files, or empty directories with AT_REMOVEDIR. */
    static long unlinkat(SyscallContext c, long dirfd, long pathAddr, long flags, long a3, long a4, long a5) {
        if ((flags & ~(long) AT_REMOVEDIR) != 0) {
            return -Errno.EINVAL;
        }
        String p = path(c, pathAddr);
        Vfs.Resolved r = resolve(c, dirfd, p, false);
        if (!r.exists()) {
            return -Errno.ENOENT;
        }
        if (r.synthetic() != null && r.opened() == null && (flags & AT_REMOVEDIR) != 0 && !r.relative().isEmpty()) {
            r.synthetic().rmdir(r.relative(), c.process());
            return 0;
        }
        if (r.synthetic() != null && r.opened() == null && flags == 0 && !r.relative().isEmpty()) {
            r.synthetic().unlink(r.relative(), c.process());
            return 0;
        }
        boolean dir = Files.isDirectory(r.hostPath(), LinkOption.NOFOLLOW_LINKS);
        if ((flags & AT_REMOVEDIR) != 0) {
            if (!dir) {
                return -Errno.ENOTDIR;
            }
            if (r.guestPath().equals("/")) {
                return -Errno.EBUSY;
            }
            if (p.endsWith("/.") || p.equals(".")) {
                return -Errno.EINVAL;
            }
        } else if (dir) {
            return -Errno.EISDIR;
        }
        if (r.mount() != null && r.mount().point().equals(r.guestPath())) {
            return -Errno.EBUSY; // a mount point
        }
        try {
            Object shmem = !dir && r.mount() != null && "tmpfs".equals(r.mount().fstype()) ? lastLinkKey(r.hostPath()) : null;
            Files.delete(r.writableHostPath());
            c.kernel().cgroups().shmemGone(shmem); // a tmpfs file's last link: its pages go back
            return 0;
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        }
    }

    /** The identity of host file {@code p} when it has one link left (unlink frees it), else null. */
    private static Object lastLinkKey(Path p) {
        try {
            Object nlink = Files.getAttribute(p, "unix:nlink", LinkOption.NOFOLLOW_LINKS);
            return nlink instanceof Integer n && n == 1 ? Files.readAttributes(p,
                    java.nio.file.attribute.BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Implements Linux unlink(2). */
    static long unlink(SyscallContext c, long pathAddr, long a1, long a2, long a3, long a4, long a5) {
        return unlinkat(c, AT_FDCWD, pathAddr, 0, 0, 0, 0);
    }

    /** Implements Linux rmdir(2). */
    static long rmdir(SyscallContext c, long pathAddr, long a1, long a2, long a3, long a4, long a5) {
        return unlinkat(c, AT_FDCWD, pathAddr, AT_REMOVEDIR, 0, 0, 0);
    }

    /** Implements Linux renameat2(2) with RENAME_NOREPLACE; RENAME_EXCHANGE and RENAME_WHITEOUT are EINVAL. */
    static long renameat2(SyscallContext c, long olddirfd, long oldAddr, long newdirfd, long newAddr, long flags,
            long a5) {
        if ((flags & ~(long) RENAME_NOREPLACE) != 0) {
            return -Errno.EINVAL;
        }
        Vfs.Resolved from = resolve(c, olddirfd, path(c, oldAddr), false);
        Vfs.Resolved to = resolve(c, newdirfd, path(c, newAddr), false);
        if (!from.exists()) {
            return -Errno.ENOENT;
        }
        if ((flags & RENAME_NOREPLACE) != 0 && to.exists()) {
            return -Errno.EEXIST;
        }
        if (from.mount() != to.mount()) {
            return -Errno.EXDEV; // across mounts, even of one file system (do_renameat2)
        }
        if (to.guestPath().startsWith(from.guestPath() + "/")) {
            return -Errno.EINVAL; // a directory into its own subtree
        }
        if (from.mount() != null && (from.mount().point().equals(from.guestPath())
                || to.mount().point().equals(to.guestPath()))) {
            return -Errno.EBUSY; // a mount point
        }
        from.requireWritable();
        try {
            // ATOMIC_MOVE is rename(2) itself, with its replace rules and errors.
            Files.move(from.hostPath(), to.hostPath(), StandardCopyOption.ATOMIC_MOVE);
            return 0;
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        }
    }

    /** Implements Linux renameat(2). */
    static long renameat(SyscallContext c, long olddirfd, long oldAddr, long newdirfd, long newAddr, long a4,
            long a5) {
        return renameat2(c, olddirfd, oldAddr, newdirfd, newAddr, 0, 0);
    }

    /** Implements Linux rename(2). */
    static long rename(SyscallContext c, long oldAddr, long newAddr, long a2, long a3, long a4, long a5) {
        return renameat2(c, AT_FDCWD, oldAddr, AT_FDCWD, newAddr, 0, 0);
    }

    /** Implements Linux linkat(2); the old path's last symlink is followed only with AT_SYMLINK_FOLLOW. */
    static long linkat(SyscallContext c, long olddirfd, long oldAddr, long newdirfd, long newAddr, long flags,
            long a5) {
        if ((flags & ~(long) (AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) != 0) {
            return -Errno.EINVAL;
        }
        Vfs.Resolved from = resolve(c, olddirfd, path(c, oldAddr), (flags & AT_SYMLINK_FOLLOW) != 0);
        Vfs.Resolved to = resolve(c, newdirfd, path(c, newAddr), false);
        if (!from.exists()) {
            return -Errno.ENOENT;
        }
        if (to.exists()) {
            return -Errno.EEXIST;
        }
        if (from.mount() != to.mount()) {
            return -Errno.EXDEV;
        }
        if (Files.isDirectory(from.hostPath(), LinkOption.NOFOLLOW_LINKS)) {
            return -Errno.EPERM;
        }
        to.requireWritable();
        try {
            Files.createLink(to.hostPath(), from.hostPath());
            return 0;
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        }
    }

    /** Implements Linux link(2). */
    static long link(SyscallContext c, long oldAddr, long newAddr, long a2, long a3, long a4, long a5) {
        return linkat(c, AT_FDCWD, oldAddr, AT_FDCWD, newAddr, 0, 0);
    }

    /** Implements Linux symlinkat(2): the target is stored as given, and resolved inside the rootfs when used. */
    static long symlinkat(SyscallContext c, long targetAddr, long newdirfd, long linkAddr, long a3, long a4, long a5) {
        String target = path(c, targetAddr);
        if (target.isEmpty()) {
            return -Errno.ENOENT;
        }
        Vfs.Resolved at = resolve(c, newdirfd, path(c, linkAddr), false);
        if (at.exists()) {
            return -Errno.EEXIST;
        }
        try {
            Files.createSymbolicLink(at.writableHostPath(), Path.of(target));
            return 0;
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        }
    }

    /** Implements Linux symlink(2). */
    static long symlink(SyscallContext c, long targetAddr, long linkAddr, long a2, long a3, long a4, long a5) {
        return symlinkat(c, targetAddr, AT_FDCWD, linkAddr, 0, 0, 0);
    }

    /** Implements Linux fchmodat(2): the syscall has no flags argument (libc emulates AT_SYMLINK_NOFOLLOW). */
    static long fchmodat(SyscallContext c, long dirfd, long pathAddr, long mode, long a3, long a4, long a5) {
        return setAttribute(resolve(c, dirfd, path(c, pathAddr), true).writableHostPath(), "unix:mode",
                (int) mode & 07777);
    }

    /** Implements Linux chmod(2). */
    static long chmod(SyscallContext c, long pathAddr, long mode, long a2, long a3, long a4, long a5) {
        return fchmodat(c, AT_FDCWD, pathAddr, mode, 0, 0, 0);
    }

    /** Implements Linux fchmod(2). */
    static long fchmod(SyscallContext c, long fd, long mode, long a2, long a3, long a4, long a5) {
        return setAttribute(hostPathOf(c, fd), "unix:mode", (int) mode & 07777);
    }

    /** Implements Linux fchownat(2); -1 leaves an id unchanged. */
    static long fchownat(SyscallContext c, long dirfd, long pathAddr, long uid, long gid, long flags, long a5) {
        if ((flags & ~(long) (AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) {
            return -Errno.EINVAL;
        }
        boolean follow = (flags & AT_SYMLINK_NOFOLLOW) == 0;
        Path host = resolve(c, dirfd, path(c, pathAddr), follow).writableHostPath();
        // chown_common: the ids are the caller's namespace's, mapped after the lookup (EINVAL unmapped)
        return chown(host, UserIds.kuid(c, uid), UserIds.kgid(c, gid));
    }

    /** Implements Linux chown(2). */
    static long chown(SyscallContext c, long pathAddr, long uid, long gid, long a3, long a4, long a5) {
        return fchownat(c, AT_FDCWD, pathAddr, uid, gid, 0, 0);
    }

    /** Implements Linux lchown(2). */
    static long lchown(SyscallContext c, long pathAddr, long uid, long gid, long a3, long a4, long a5) {
        return fchownat(c, AT_FDCWD, pathAddr, uid, gid, AT_SYMLINK_NOFOLLOW, 0);
    }

    /** Implements Linux fchown(2). */
    static long fchown(SyscallContext c, long fd, long uid, long gid, long a3, long a4, long a5) {
        Path host = hostPathOf(c, fd);
        return chown(host, UserIds.kuid(c, uid), UserIds.kgid(c, gid));
    }

    private static long chown(Path p, int uid, int gid) {
        if (uid != -1) {
            setAttribute(p, "unix:uid", uid);
        }
        if (gid != -1) {
            setAttribute(p, "unix:gid", gid);
        }
        return 0;
    }

    private static long setAttribute(Path p, String attribute, int value) {
        try {
            Files.setAttribute(p, attribute, value, NOFOLLOW);
            return 0;
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        }
    }

    private static Path hostPathOf(SyscallContext c, long fd) {
        String guest = c.fds().get(fd).guestPath();
        if (guest == null) {
            throw Errno.of(Errno.EPERM); // a pipe or terminal: attributes are not ours to change
        }
        return c.kernel().vfs().resolve(guest, ".", false, c.process()).writableHostPath();
    }

    /** Implements Linux truncate(2). */
    static long truncate(SyscallContext c, long pathAddr, long length, long a2, long a3, long a4, long a5) {
        if (length < 0) {
            return -Errno.EINVAL;
        }
        Vfs.Resolved r = resolve(c, AT_FDCWD, path(c, pathAddr), true);
        if (Files.isDirectory(r.hostPath(), LinkOption.NOFOLLOW_LINKS)) {
            return -Errno.EISDIR;
        }
        r.requireWritable();
        TruncateGuard.check(c, r.hostPath(), length);
        // As vfs_truncate: a file some process runs is ETXTBSY (get_write_access).
        Object key = Vfs.fileKey(r.hostPath());
        if (key != null) {
            c.kernel().vfs().getWriteAccess(key);
        }
        try (FileChannel ch = FileChannel.open(r.hostPath(), StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
            FileSizeLimit.checkGrowth(c, ch.size(), length);
            HostFile.truncate(ch, length);
            c.kernel().cgroups().shmemTruncated(key, length); // a tmpfs file's pages past the end go back
            c.process().addressSpace().filesShrunk();
            return 0;
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        } finally {
            if (key != null) {
                c.kernel().vfs().putWriteAccess(key);
            }
        }
    }
}
