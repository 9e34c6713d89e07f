package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.host.HostOs;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.HostDirectory;
import dev.phoenix.libos.fs.HostFile;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.Vfs;

/**
 * Extended attributes (xattr(7)): getxattr, setxattr, listxattr and removexattr with their l-
 * (no final symlink) and f- (open file) forms. The rootfs is the host's file system, so a host
 * file's attributes are the host's, read and written by the host's calls with Linux's own checks
 * and errors; Phoenix checks what Linux checks before reaching the file system (name length,
 * value size, flags). Files that are not host files have none and take none, with Linux's errors:
 * those of /proc EOPNOTSUPP (procfs has no xattr handlers), pipes, sockets, terminals and devices
 * ENODATA to read and EPERM to write (xattr_permission: user attributes only on regular files and
 * directories).
 */
final class XattrSyscalls {
    private XattrSyscalls() {}

    /** Linux's limits (include/uapi/linux/limits.h). */
    private static final int XATTR_NAME_MAX = 255, XATTR_SIZE_MAX = 65536, XATTR_LIST_MAX = 65536;
    private static final int XATTR_CREATE = 1, XATTR_REPLACE = 2;

    /** The file a call acts on: a host path, or the errors a file without attributes gives to reads and writes. */
    private record Target(String host, int readError, int writeError) {
        static final Target PROC = new Target(null, Errno.ENOTSUP, Errno.ENOTSUP);
        static final Target SPECIAL = new Target(null, Errno.ENODATA, Errno.EPERM);
    }

    static long getxattr(SyscallContext c, long path, long name, long value, long size, long a4, long a5) {
        return get(c, pathTarget(c, path, true), name, value, size, "getxattr");
    }

    static long lgetxattr(SyscallContext c, long path, long name, long value, long size, long a4, long a5) {
        return get(c, pathTarget(c, path, false), name, value, size, "lgetxattr");
    }

    static long fgetxattr(SyscallContext c, long fd, long name, long value, long size, long a4, long a5) {
        return get(c, fdTarget(c, fd), name, value, size, "getxattr");
    }

    static long listxattr(SyscallContext c, long path, long list, long size, long a3, long a4, long a5) {
        return list(c, pathTarget(c, path, true), list, size, "listxattr");
    }

    static long llistxattr(SyscallContext c, long path, long list, long size, long a3, long a4, long a5) {
        return list(c, pathTarget(c, path, false), list, size, "llistxattr");
    }

    static long flistxattr(SyscallContext c, long fd, long list, long size, long a3, long a4, long a5) {
        return list(c, fdTarget(c, fd), list, size, "listxattr");
    }

    static long setxattr(SyscallContext c, long path, long name, long value, long size, long flags, long a5) {
        return set(c, pathTarget(c, path, true), name, value, size, flags, "setxattr");
    }

    static long lsetxattr(SyscallContext c, long path, long name, long value, long size, long flags, long a5) {
        return set(c, pathTarget(c, path, false), name, value, size, flags, "lsetxattr");
    }

    static long fsetxattr(SyscallContext c, long fd, long name, long value, long size, long flags, long a5) {
        return set(c, fdTarget(c, fd), name, value, size, flags, "setxattr");
    }

    static long removexattr(SyscallContext c, long path, long name, long a2, long a3, long a4, long a5) {
        return remove(c, pathTarget(c, path, true), name, "removexattr");
    }

    static long lremovexattr(SyscallContext c, long path, long name, long a2, long a3, long a4, long a5) {
        return remove(c, pathTarget(c, path, false), name, "lremovexattr");
    }

    static long fremovexattr(SyscallContext c, long fd, long name, long a2, long a3, long a4, long a5) {
        return remove(c, fdTarget(c, fd), name, "removexattr");
    }

    /** What a path argument names. */
    private static Target pathTarget(SyscallContext c, long pathAddr, boolean follow) {
        Vfs.Resolved r = FileSyscalls.resolve(c, -100, FileSyscalls.path(c, pathAddr), follow);
        if (r.opened() != null) {
            return Target.SPECIAL; // /proc/self/fd/N of a pipe or socket
        }
        if (r.synthetic() != null) {
            return r.guestPath().startsWith("/proc") ? Target.PROC : Target.SPECIAL;
        }
        if (!java.nio.file.Files.exists(r.hostPath(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw Errno.of(Errno.ENOENT);
        }
        return new Target(r.hostPath().toString(), 0, 0);
    }

    /** What open file {@code fd} is (EBADF when none is open). */
    private static Target fdTarget(SyscallContext c, long fd) {
        OpenFile f = c.fds().get(fd);
        if (f.guestPath() != null && f.guestPath().startsWith("/proc")) {
            return Target.PROC;
        }
        if (!(f instanceof HostFile) && !(f instanceof HostDirectory) || f.guestPath() == null) {
            return Target.SPECIAL;
        }
        Vfs.Resolved r = FileSyscalls.again(c, f.guestPath());
        return r.synthetic() != null ? Target.SPECIAL : new Target(r.hostPath().toString(), 0, 0);
    }

    /** The attribute name argument: ERANGE when empty or longer than XATTR_NAME_MAX, as Linux's strncpy_from_user check. */
    private static String name(SyscallContext c, long address) {
        String name;
        try {
            name = c.memory().readCString(address, XATTR_NAME_MAX + 1);
        } catch (Errno e) {
            throw e.errno() == Errno.ENAMETOOLONG ? Errno.of(Errno.ERANGE) : e;
        }
        if (name.isEmpty() || name.length() > XATTR_NAME_MAX) {
            throw Errno.of(Errno.ERANGE);
        }
        return name;
    }

    private static long get(SyscallContext c, Target t, long nameAddr, long value, long size, String call) {
        String name = name(c, nameAddr);
        if (t.host() == null) {
            return -t.readError();
        }
        int n = (int) Math.min(Long.compareUnsigned(size, XATTR_SIZE_MAX) > 0 ? XATTR_SIZE_MAX : size, XATTR_SIZE_MAX);
        byte[] buf = new byte[n];
        long r = host(call, t.host(), name, buf, n, 0);
        if (r > 0 && n > 0) {
            c.memory().write(value, buf, 0, (int) r);
        }
        return r;
    }

    private static long list(SyscallContext c, Target t, long list, long size, String call) {
        if (t.host() == null) {
            return 0;
        }
        int n = (int) (Long.compareUnsigned(size, XATTR_LIST_MAX) > 0 ? XATTR_LIST_MAX : size);
        byte[] buf = new byte[n];
        long r = host(call, t.host(), null, buf, n, 0);
        if (r > 0 && n > 0) {
            c.memory().write(list, buf, 0, (int) r);
        }
        return r;
    }

    private static long set(SyscallContext c, Target t, long nameAddr, long value, long size, long flags,
            String call) {
        if ((flags & ~(long) (XATTR_CREATE | XATTR_REPLACE)) != 0) {
            return -Errno.EINVAL;
        }
        String name = name(c, nameAddr);
        if (Long.compareUnsigned(size, XATTR_SIZE_MAX) > 0) {
            return -Errno.E2BIG;
        }
        byte[] bytes = size == 0 ? new byte[0] : c.memory().read(value, (int) size);
        if (t.host() == null) {
            return -t.writeError();
        }
        return host(call, t.host(), name, bytes, bytes.length, (int) flags);
    }

    private static long remove(SyscallContext c, Target t, long nameAddr, String call) {
        String name = name(c, nameAddr);
        if (t.host() == null) {
            return -t.writeError();
        }
        return host(call, t.host(), name, null, 0, 0);
    }

    /** The host's answer, or -errno (the host is Linux: its numbers are the guest's). */
    private static long host(String call, String path, String name, byte[] buf, int size, int flags) {
        try {
            return HostOs.xattr(call, path, name, buf, size, flags);
        } catch (HostOs.HostError e) {
            return -e.errno();
        }
    }
}
