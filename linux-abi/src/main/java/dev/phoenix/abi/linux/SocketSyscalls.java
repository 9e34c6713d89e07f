package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;

/**
 * Socket calls while Phoenix supports no address family: socket(2) answers EAFNOSUPPORT, so no
 * descriptor can be a socket, and the calls on descriptors give EBADF for a bad fd and ENOTSOCK
 * for any other, as Linux answers for a file, pipe or terminal. Shells ask getpeername(2) of
 * their stdin to see whether it is a socket.
 */
final class SocketSyscalls {
    private SocketSyscalls() {}

    private static final int SOCK_TYPE_MASK = 0xf, SOCK_MAX = 11, NPROTO = 46;
    private static final int SOCK_NONBLOCK = 04000, SOCK_CLOEXEC = 02000000;

    /**
     * socket(2) while Phoenix supports no address family: the flags and type are checked as
     * Linux's __sys_socket_create and __sock_create check them (EINVAL), then the family is
     * EAFNOSUPPORT, as a kernel built without it answers (glibc's nscd lookup, for one, takes
     * that as "no nscd" and reads /etc/passwd).
     */
    static long socket(SyscallContext c, long family, long type, long protocol, long a3, long a4, long a5) {
        int t = (int) type;
        if (((t & ~SOCK_TYPE_MASK) & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) {
            return -Errno.EINVAL;
        }
        if ((int) family < 0 || (int) family >= NPROTO) {
            return -Errno.EAFNOSUPPORT;
        }
        if ((t & SOCK_TYPE_MASK) >= SOCK_MAX) {
            return -Errno.EINVAL;
        }
        return -Errno.EAFNOSUPPORT;
    }

    /** getsockname(2), getpeername(2): EBADF or ENOTSOCK. */
    static long notASocket(SyscallContext c, long fd, long a1, long a2, long a3, long a4, long a5) {
        c.fds().get(fd);
        return -Errno.ENOTSOCK;
    }
}
