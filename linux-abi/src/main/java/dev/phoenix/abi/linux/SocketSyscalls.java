package dev.phoenix.abi.linux;

import dev.phoenix.abi.Signals;
import dev.phoenix.abi.signal.SigInfo;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.host.HostOs;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.HostFiles;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.Vfs;
import dev.phoenix.libos.mm.GuestMemory;
import dev.phoenix.libos.proc.Credentials;
import dev.phoenix.net.Ancillary;
import dev.phoenix.net.Socket;
import dev.phoenix.net.SocketFiles;
import dev.phoenix.net.unix.UnixSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * The BSD socket calls: the guest's structs (sockaddr, msghdr, cmsghdr, mmsghdr, the option
 * values) read and written here, the semantics in the netstack module's sockets. AF_UNIX
 * sockets live in the kernel's {@link dev.phoenix.net.unix.UnixDomain}; AF_INET and AF_INET6
 * sockets are host sockets ({@link dev.phoenix.net.host.HostNetwork}, host mode) or, with
 * {@code --net none}, sockets of a loopback of Phoenix's own
 * ({@link dev.phoenix.net.loopback.LoopbackNetwork}); other families are EAFNOSUPPORT. The structs have one layout on x86_64, arm64 and riscv64 (LP64,
 * asm-generic socket constants), and the x86_64 host's too, so addresses and option values pass
 * to the host as the guest wrote them.
 */
final class SocketSyscalls {
    private SocketSyscalls() {}

    private static final int SOCK_TYPE_MASK = 0xf, SOCK_MAX = 11, NPROTO = 46;
    private static final int SOCK_NONBLOCK = 04000, SOCK_CLOEXEC = 02000000;
    /** sizeof(struct sockaddr_storage): the most of an address the kernel reads. */
    private static final int SOCKADDR_MAX = 128;
    /** net.core.somaxconn, the cap on listen's backlog. */
    private static final int SOMAXCONN = 4096;
    /** net.core.optmem_max: the most control data one sendmsg may carry. */
    private static final int OPTMEM_MAX = 131072;
    private static final int SCM_RIGHTS = 1, SCM_CREDENTIALS = 2;
    /** sizeof(struct cmsghdr) and struct msghdr's field offsets and size; struct mmsghdr's size. */
    private static final int CMSGHDR = 16, MSGHDR = 56, MMSGHDR = 64;
    private static final int MSG_NAME = 0, MSG_NAMELEN = 8, MSG_IOV = 16, MSG_IOVLEN = 24, MSG_CONTROL = 32,
            MSG_CONTROLLEN = 40, MSG_FLAGS = 48;
    private static final int UIO_MAXIOV = 1024;
    /** The most a stream send takes in one call (the rest is a short count, as a signal would leave it). */
    private static final int SEND_MAX = 64 << 20;
    private static final int SIOCINQ = 0x541B, SIOCOUTQ = 0x5411;
    private static final int CAP_SETUID = 7, CAP_SETGID = 6, CAP_SYS_ADMIN = 21;

    /**
     * socket(2): the flags and type are checked as Linux's __sys_socket_create and
     * __sock_create check them (EINVAL); AF_UNIX sockets are Phoenix's, AF_INET and AF_INET6
     * ones the host's, and other families EAFNOSUPPORT, as a kernel built without them answers.
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
        boolean nonBlocking = (t & SOCK_NONBLOCK) != 0;
        Socket s = switch ((int) family) {
            case Socket.AF_UNIX -> c.kernel().unixDomain().open(t & SOCK_TYPE_MASK, (int) protocol, nonBlocking,
                    c.process().namespaces.net());
            case Socket.AF_INET, Socket.AF_INET6 -> c.kernel().network(c.process().namespaces.net())
                    .open((int) family, t & SOCK_TYPE_MASK, (int) protocol, nonBlocking);
            case NetlinkSockets.AF_NETLINK -> NetlinkSockets.open(c, t & SOCK_TYPE_MASK, (int) protocol, nonBlocking);
            default -> throw Errno.of(Errno.EAFNOSUPPORT);
        };
        return install(c, s, (t & SOCK_CLOEXEC) != 0);
    }

    private static int install(SyscallContext c, OpenFile f, boolean cloexec) {
        try {
            return c.fds().install(f, 0, cloexec, c.process().fdLimit());
        } catch (Errno e) {
            f.release();
            throw e;
        }
    }

    /** socketpair(2): AF_UNIX only; the internet families cannot (EOPNOTSUPP), others are EAFNOSUPPORT. */
    static long socketpair(SyscallContext c, long family, long type, long protocol, long sv, long a4, long a5) {
        int t = (int) type;
        if (((t & ~SOCK_TYPE_MASK) & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0 || (t & SOCK_TYPE_MASK) >= SOCK_MAX) {
            return -Errno.EINVAL;
        }
        if ((int) family == Socket.AF_INET || (int) family == Socket.AF_INET6) {
            return -Errno.EOPNOTSUPP;
        }
        if ((int) family != Socket.AF_UNIX) {
            return -Errno.EAFNOSUPPORT;
        }
        UnixSocket[] pair = c.kernel().unixDomain().pair(t & SOCK_TYPE_MASK, (int) protocol,
                (t & SOCK_NONBLOCK) != 0, caller(c), c.process().namespaces.net());
        boolean cloexec = (t & SOCK_CLOEXEC) != 0;
        int a = install(c, pair[0], cloexec);
        int b;
        try {
            b = install(c, pair[1], cloexec);
        } catch (Errno e) {
            c.fds().close(a);
            throw e;
        }
        try {
            c.memory().writeInt(sv, a);
            c.memory().writeInt(sv + 4, b);
        } catch (Errno e) {
            c.fds().close(a);
            c.fds().close(b);
            throw e;
        }
        return 0;
    }

    /** The socket behind {@code fd}: EBADF for a closed fd, ENOTSOCK for any other file. */
    static Socket socketOf(SyscallContext c, long fd) {
        if (c.fds().get(fd) instanceof Socket s) {
            return s;
        }
        throw Errno.of(Errno.ENOTSOCK);
    }

    /** The caller's credentials and view of the file system, for the socket calls. */
    static Socket.Caller caller(SyscallContext c) {
        Credentials cr = c.process().credentials();
        return new Socket.Caller(c.process().pid(), cr.euid, cr.egid, Socket.Caller.capableOverNetwork(c.process()),
                files(c));
    }

    /** Socket file names in the caller's view: made by bind, found by connect and sendto. */
    private static SocketFiles files(SyscallContext c) {
        return new SocketFiles() {
            @Override
            public Object create(String path) {
                if (path.isEmpty()) {
                    throw Errno.of(Errno.ENOENT);
                }
                Vfs.Resolved r = FileSyscalls.resolve(c, FileSyscalls.AT_FDCWD, path, false);
                if (r.exists()) {
                    throw Errno.of(Errno.EADDRINUSE);
                }
                java.nio.file.Path host = r.hostPath();
                try {
                    HostOs.mknod(host.toString(), FileStatus.S_IFSOCK | 0600);
                    HostOs.chmod(host.toString(), 0777 & ~c.task().fs().umask);
                } catch (HostOs.HostError e) {
                    throw Errno.of(e.errno() == Errno.EEXIST ? Errno.EADDRINUSE : e.errno());
                }
                return Vfs.fileKey(host);
            }

            @Override
            public void remove(String path) {
                try {
                    java.nio.file.Files.deleteIfExists(FileSyscalls.resolve(c, FileSyscalls.AT_FDCWD, path, false)
                            .hostPath());
                } catch (java.io.IOException | Errno e) {
                    // the name stays, as it would if another process had unlinked and remade it
                }
            }

            @Override
            public Object find(String path) {
                if (path.isEmpty()) {
                    throw Errno.of(Errno.ENOENT);
                }
                Vfs.Resolved r = FileSyscalls.resolve(c, FileSyscalls.AT_FDCWD, path, true);
                if (!r.exists()) {
                    throw Errno.of(Errno.ENOENT);
                }
                if (r.synthetic() != null) {
                    throw Errno.of(Errno.ECONNREFUSED);
                }
                FileStatus st = HostFiles.status(r.hostPath(), true);
                if ((st.mode() & 0170000) != FileStatus.S_IFSOCK) {
                    throw Errno.of(Errno.ECONNREFUSED);
                }
                Object key = Vfs.fileKey(r.hostPath());
                if (key == null) {
                    throw Errno.of(Errno.ECONNREFUSED);
                }
                return key;
            }
        };
    }

    /** Reads a sockaddr of {@code length} bytes (move_addr_to_kernel: EINVAL beyond sockaddr_storage). */
    private static byte[] address(SyscallContext c, long addr, long length) {
        if (length < 0 || length > SOCKADDR_MAX) {
            throw Errno.of(Errno.EINVAL);
        }
        return length == 0 ? new byte[0] : c.memory().read(addr, (int) length);
    }

    /**
     * move_addr_to_user: writes as much of {@code address} as the guest's *lenp allows to
     * {@code addr}, and the whole length to *lenp. Nothing when {@code addr} is NULL.
     */
    private static void putAddress(SyscallContext c, byte[] address, long addr, long lenp) {
        if (addr == 0) {
            return;
        }
        int room = c.memory().readInt(lenp);
        if (room < 0) {
            throw Errno.of(Errno.EINVAL);
        }
        int n = Math.min(room, address.length);
        if (n > 0) {
            c.memory().write(addr, address, 0, n);
        }
        c.memory().writeInt(lenp, address.length);
    }

    /** bind(2). */
    static long bind(SyscallContext c, long fd, long addr, long len, long a3, long a4, long a5) {
        Socket s = socketOf(c, fd);
        s.bind(address(c, addr, len), caller(c));
        return 0;
    }

    /** listen(2): a backlog above somaxconn (or negative, read as unsigned) is somaxconn. */
    static long listen(SyscallContext c, long fd, long backlog, long a2, long a3, long a4, long a5) {
        long b = Integer.toUnsignedLong((int) backlog);
        socketOf(c, fd).listen((int) Math.min(b, SOMAXCONN), caller(c));
        return 0;
    }

    /** connect(2). */
    static long connect(SyscallContext c, long fd, long addr, long len, long a3, long a4, long a5) {
        Socket s = socketOf(c, fd);
        s.connect(address(c, addr, len), caller(c));
        return 0;
    }

    /** accept(2). */
    static long accept(SyscallContext c, long fd, long addr, long lenp, long a3, long a4, long a5) {
        return accept4(c, fd, addr, lenp, 0, 0, 0);
    }

    /** accept4(2): SOCK_NONBLOCK and SOCK_CLOEXEC on the new socket, other flags EINVAL. */
    static long accept4(SyscallContext c, long fd, long addr, long lenp, long flags, long a4, long a5) {
        if ((flags & ~(long) (SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) {
            return -Errno.EINVAL;
        }
        Socket s = socketOf(c, fd);
        if (addr != 0 && c.memory().readInt(lenp) < 0) {
            return -Errno.EINVAL;
        }
        Socket accepted = s.accept((flags & SOCK_NONBLOCK) != 0);
        int newFd = install(c, accepted, (flags & SOCK_CLOEXEC) != 0);
        try {
            putAddress(c, accepted.peerAddress(), addr, lenp);
        } catch (Errno e) {
            if (e.errno() == Errno.ENOTCONN) {
                putAddress(c, new byte[] {(byte) s.family(), 0}, addr, lenp);
            } else {
                c.fds().close(newFd);
                throw e;
            }
        }
        return newFd;
    }

    /** getsockname(2). */
    static long getsockname(SyscallContext c, long fd, long addr, long lenp, long a3, long a4, long a5) {
        Socket s = socketOf(c, fd);
        putAddress(c, s.localAddress(), addr, lenp);
        return 0;
    }

    /** getpeername(2): ENOTCONN when not connected. */
    static long getpeername(SyscallContext c, long fd, long addr, long lenp, long a3, long a4, long a5) {
        Socket s = socketOf(c, fd);
        putAddress(c, s.peerAddress(), addr, lenp);
        return 0;
    }

    /** shutdown(2): SHUT_RD, SHUT_WR or SHUT_RDWR, else EINVAL. */
    static long shutdown(SyscallContext c, long fd, long how, long a2, long a3, long a4, long a5) {
        Socket s = socketOf(c, fd);
        if (how < Socket.SHUT_RD || how > Socket.SHUT_RDWR) {
            return -Errno.EINVAL;
        }
        s.shutdown((int) how);
        return 0;
    }

    /** setsockopt(2): a negative optlen is EINVAL; the value is read whole (at most a page). */
    static long setsockopt(SyscallContext c, long fd, long level, long name, long value, long len, long a5) {
        Socket s = socketOf(c, fd);
        if ((int) len < 0) {
            return -Errno.EINVAL;
        }
        byte[] v = c.memory().read(value, Math.min((int) len, 4096));
        s.setOption((int) level, (int) name, v, caller(c));
        return 0;
    }

    /** getsockopt(2): the value truncated to the guest's *optlen, and its length written back. */
    static long getsockopt(SyscallContext c, long fd, long level, long name, long value, long lenp, long a5) {
        Socket s = socketOf(c, fd);
        int room = c.memory().readInt(lenp);
        if (room < 0) {
            return -Errno.EINVAL;
        }
        byte[] v = s.option((int) level, (int) name);
        int n = Math.min(room, v.length);
        c.memory().write(value, v, 0, n);
        c.memory().writeInt(lenp, n);
        return 0;
    }

    /**
     * FIONREAD (SIOCINQ) and SIOCOUTQ of a socket, and the interface ioctls of netdevice(7)
     * ({@link InterfaceIoctls}); other requests are ENOTTY.
     */
    static long ioctl(SyscallContext c, Socket s, int request, long arg) {
        if (InterfaceIoctls.handles(request)) {
            return InterfaceIoctls.ioctl(c, request, arg);
        }
        switch (request) {
            case SIOCINQ -> c.memory().writeInt(arg, s.bytesToRead());
            case SIOCOUTQ -> c.memory().writeInt(arg, s.bytesUnsent());
            default -> {
                return -Errno.ENOTTY;
            }
        }
        return 0;
    }

    // ---- sending ----

    /** sendto(2): send(2) when {@code addr} is NULL. */
    static long sendto(SyscallContext c, long fd, long buf, long len, long flags, long addr, long addrLen) {
        Socket s = socketOf(c, fd);
        byte[] to = addr == 0 ? null : address(c, addr, addrLen);
        int n = (int) Math.min(Math.max(len, 0), SEND_MAX);
        byte[] data = c.memory().read(buf, n);
        return send(c, s, data, to, null, (int) flags);
    }

    /** Sends, raising SIGPIPE for EPIPE unless MSG_NOSIGNAL, as sock_sendmsg's callers see it. */
    private static int send(SyscallContext c, Socket s, byte[] data, byte[] to, Ancillary rights, int flags) {
        try {
            return s.send(data, 0, data.length, to, rights, flags, caller(c));
        } catch (Errno e) {
            if (e.errno() == Errno.EPIPE && (flags & Socket.MSG_NOSIGNAL) == 0) {
                SignalSyscalls.sendToSelf(c, Signals.SIGPIPE, SigInfo.SI_USER);
            }
            throw e;
        }
    }

    /** sendmsg(2). */
    static long sendmsg(SyscallContext c, long fd, long msg, long flags, long a3, long a4, long a5) {
        Socket s = socketOf(c, fd);
        return sendOne(c, s, msg, (int) flags);
    }

    private static int sendOne(SyscallContext c, Socket s, long msg, int flags) {
        GuestMemory mem = c.memory();
        long name = mem.readLong(msg + MSG_NAME);
        int nameLen = mem.readInt(msg + MSG_NAMELEN);
        long[] vec = iovec(c, msg);
        byte[] to = name == 0 ? null : address(c, name, nameLen);
        byte[] data = gather(mem, vec);
        Ancillary rights = control(c, s, mem.readLong(msg + MSG_CONTROL), mem.readLong(msg + MSG_CONTROLLEN));
        return send(c, s, data, to, rights, flags);
    }

    /** A msghdr's iovec array: UIO_MAXIOV at most (EMSGSIZE beyond, as Linux's import_iovec answers). */
    private static long[] iovec(SyscallContext c, long msg) {
        long iov = c.memory().readLong(msg + MSG_IOV);
        long count = c.memory().readLong(msg + MSG_IOVLEN);
        if (count < 0 || count > UIO_MAXIOV) {
            throw Errno.of(Errno.EMSGSIZE);
        }
        return IoSyscalls.iovec(c.memory(), iov, (int) count);
    }

    /** The bytes of an iovec array, at most SEND_MAX of them. */
    private static byte[] gather(GuestMemory mem, long[] vec) {
        long total = Math.min(IoSyscalls.iovecBytes(vec), SEND_MAX);
        byte[] data = new byte[(int) total];
        int at = 0;
        for (int i = 0; i < vec.length && at < total; i += 2) {
            int n = (int) Math.min(vec[i + 1], total - at);
            mem.read(vec[i], data, at, n);
            at += n;
        }
        return data;
    }

    /**
     * __scm_send: the control messages of a sendmsg. SCM_RIGHTS fds (at most 253 in all, each
     * open, EBADF otherwise) become descriptors in flight; SCM_CREDENTIALS must name the caller
     * (its pid and one of its uids and gids) unless it has CAP_SYS_ADMIN, CAP_SETUID and
     * CAP_SETGID (EPERM); another SOL_SOCKET type is EINVAL; other levels are ignored.
     */
    private static Ancillary control(SyscallContext c, Socket s, long control, long controlLen) {
        if (controlLen == 0) {
            return null;
        }
        if (controlLen < 0 || controlLen > OPTMEM_MAX) {
            throw Errno.of(Errno.ENOBUFS);
        }
        GuestMemory mem = c.memory();
        byte[] ctl = mem.read(control, (int) controlLen);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(ctl).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        List<OpenFile> files = new ArrayList<>();
        for (int at = 0; at + CMSGHDR <= ctl.length;) {
            long len = b.getLong(at);
            int level = b.getInt(at + 8), type = b.getInt(at + 12);
            if (len < CMSGHDR || len > ctl.length - at) {
                throw Errno.of(Errno.EINVAL);
            }
            if (level == Socket.SOL_SOCKET) {
                if (type == SCM_RIGHTS) {
                    if (s.family() != Socket.AF_UNIX) {
                        throw Errno.of(Errno.EINVAL);
                    }
                    int count = (int) ((len - CMSGHDR) / 4);
                    if (files.size() + count > Ancillary.MAX_FILES) {
                        throw Errno.of(Errno.EINVAL);
                    }
                    for (int i = 0; i < count; i++) {
                        files.add(c.fds().get(b.getInt(at + CMSGHDR + 4 * i)));
                    }
                } else if (type == SCM_CREDENTIALS) {
                    if (len != CMSGHDR + 12) {
                        throw Errno.of(Errno.EINVAL);
                    }
                    checkCredentials(c, b.getInt(at + CMSGHDR), b.getInt(at + CMSGHDR + 4), b.getInt(at + CMSGHDR + 8));
                } else {
                    throw Errno.of(Errno.EINVAL);
                }
            }
            at += (int) ((len + 7) & ~7L);
        }
        return files.isEmpty() ? null : new Ancillary(c.fds(), files);
    }

    /**
     * scm_check_creds: a sender may claim only its own pid and ids unless it holds the
     * capability; the ids are its user namespace's (__scm_send: EINVAL for one it does not map).
     */
    private static void checkCredentials(SyscallContext c, int pid, int userUid, int userGid) {
        int uid = UserIds.kuidOrInvalid(c, userUid), gid = UserIds.kgidOrInvalid(c, userGid);
        if (uid == dev.phoenix.libos.ns.IdMap.INVALID || gid == dev.phoenix.libos.ns.IdMap.INVALID) {
            throw Errno.of(Errno.EINVAL);
        }
        Credentials cr = c.process().credentials();
        if (Pids.global(c, pid) != c.process().pid() && !cr.capable(CAP_SYS_ADMIN)) {
            throw Errno.of(Errno.EPERM);
        }
        if (uid != cr.uid && uid != cr.euid && uid != cr.suid && !cr.capable(CAP_SETUID)) {
            throw Errno.of(Errno.EPERM);
        }
        if (gid != cr.gid && gid != cr.egid && gid != cr.sgid && !cr.capable(CAP_SETGID)) {
            throw Errno.of(Errno.EPERM);
        }
    }

    /**
     * sendmmsg(2): sends until one fails; the count sent, or the error when none was. A message
     * that has to wait parks the call, which runs again from where it was: the task's progress
     * holds the message's index in its high half and the bytes of it already sent in its low
     * half (what a stream send resumes from), as Linux's loop would have gone on.
     */
    static long sendmmsg(SyscallContext c, long fd, long vec, long vlen, long flags, long a4, long a5) {
        Socket s = socketOf(c, fd);
        int n = (int) Math.min(Integer.toUnsignedLong((int) vlen), UIO_MAXIOV);
        int sent = (int) (c.task().progress() >>> 32);
        for (; sent < n; sent++) {
            long m = vec + (long) MMSGHDR * sent;
            int r;
            try {
                c.task().writeBase = (long) sent << 32; // a wait records it: the call resumes here
                r = sendOne(c, s, m, (int) flags);
            } catch (Errno e) {
                if (sent > 0 && !Errno.isRestart(e.errno())) {
                    break;
                }
                throw e;
            }
            c.memory().writeInt(m + MSGHDR, r);
        }
        return sent;
    }

    // ---- receiving ----

    /** recvfrom(2): recv(2) when {@code addr} is NULL. */
    static long recvfrom(SyscallContext c, long fd, long buf, long len, long flags, long addr, long lenp) {
        Socket s = socketOf(c, fd);
        if (addr != 0 && c.memory().readInt(lenp) < 0) {
            return -Errno.EINVAL;
        }
        int n = (int) Math.min(Math.max(len, 0), Integer.MAX_VALUE);
        GuestMemory mem = c.memory();
        Socket.Received r = s.receive((at, src, o, k) -> mem.write(buf + at, src, o, k), n, (int) flags);
        if (r.rights() != null && (flags & Socket.MSG_PEEK) == 0) {
            r.rights().release(); // descriptors without a control buffer are closed
        }
        if (addr != 0) {
            putAddress(c, r.from() == null ? new byte[0] : r.from(), addr, lenp);
        }
        return r.length();
    }

    /** read(2) of a socket: recv(2) without flags, the bytes written to guest memory as they are taken. */
    static int read(SyscallContext c, Socket s, long buf, int length) {
        GuestMemory mem = c.memory();
        Socket.Received r = s.receive((at, src, o, k) -> mem.write(buf + at, src, o, k), length, 0);
        if (r.rights() != null) {
            r.rights().release(); // descriptors without a control buffer are closed
        }
        return r.length();
    }

    /** recvmsg(2). */
    static long recvmsg(SyscallContext c, long fd, long msg, long flags, long a3, long a4, long a5) {
        Socket s = socketOf(c, fd);
        return receiveOne(c, s, msg, (int) flags);
    }

    private static int receiveOne(SyscallContext c, Socket s, long msg, int flags) {
        GuestMemory mem = c.memory();
        long[] vec = iovec(c, msg);
        long name = mem.readLong(msg + MSG_NAME);
        long control = mem.readLong(msg + MSG_CONTROL);
        long controlLen = mem.readLong(msg + MSG_CONTROLLEN);
        int total = (int) Math.min(IoSyscalls.iovecBytes(vec), Integer.MAX_VALUE);
        Socket.Received r = s.receive((at, src, o, k) -> scatter(mem, vec, at, src, o, k), total,
                flags & ~Socket.MSG_CMSG_CLOEXEC);
        int msgFlags = r.flags();
        if (name != 0) {
            putAddress(c, r.from() == null ? new byte[0] : r.from(), name, msg + MSG_NAMELEN);
        }
        long used = 0;
        if (r.credentials() != null) {
            Socket.Caller cr = r.credentials();
            java.nio.ByteBuffer v = java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putInt(Pids.nr(c, cr.pid())).putInt(UserIds.uid(c, cr.uid())).putInt(UserIds.gid(c, cr.gid()));
            long[] put = putControl(mem, control + used, controlLen - used, SCM_CREDENTIALS, v.array());
            used += put[0];
            msgFlags |= (int) put[1];
        }
        if (r.rights() != null) {
            long[] put = detachFiles(c, r.rights(), control + used, controlLen - used,
                    (flags & Socket.MSG_CMSG_CLOEXEC) != 0, (flags & Socket.MSG_PEEK) != 0);
            used += put[0];
            msgFlags |= (int) put[1];
        }
        mem.writeLong(msg + MSG_CONTROLLEN, control == 0 && used == 0 ? controlLen : used);
        mem.writeInt(msg + MSG_FLAGS, msgFlags);
        return r.length();
    }

    /** Writes received bytes at position {@code at} of the iovecs {@code vec}. */
    private static void scatter(GuestMemory mem, long[] vec, int at, byte[] src, int offset, int n) {
        long skip = at;
        for (int i = 0; i < vec.length && n > 0; i += 2) {
            long len = vec[i + 1];
            if (skip >= len) {
                skip -= len;
                continue;
            }
            int k = (int) Math.min(len - skip, n);
            mem.write(vec[i] + skip, src, offset, k);
            offset += k;
            n -= k;
            skip = 0;
        }
    }

    /**
     * put_cmsg: one SOL_SOCKET control message of {@code type} into the room left; a message
     * that does not fit is cut (MSG_CTRUNC). Returns {bytes used, flags}.
     */
    private static long[] putControl(GuestMemory mem, long at, long room, int type, byte[] data) {
        if (room < CMSGHDR) {
            return new long[] {0, Socket.MSG_CTRUNC};
        }
        long len = CMSGHDR + data.length, flags = 0;
        if (room < len) {
            flags = Socket.MSG_CTRUNC;
            len = room;
        }
        mem.writeLong(at, len);
        mem.writeInt(at + 8, Socket.SOL_SOCKET);
        mem.writeInt(at + 12, type);
        mem.write(at + CMSGHDR, data, 0, (int) (len - CMSGHDR));
        long space = Math.min((CMSGHDR + data.length + 7) & ~7L, room);
        return new long[] {space, flags};
    }

    /**
     * scm_detach_fds: installs as many of the descriptors as the control buffer has room for
     * (MSG_CTRUNC for the rest, which are closed), with FD_CLOEXEC under MSG_CMSG_CLOEXEC.
     * Returns {bytes used, flags}.
     */
    private static long[] detachFiles(SyscallContext c, Ancillary rights, long at, long room, boolean cloexec,
            boolean peek) {
        List<OpenFile> files = rights.files();
        int max = room > CMSGHDR ? (int) Math.min((room - CMSGHDR) / 4, files.size()) : 0;
        int[] fds = new int[max];
        int installed = 0;
        for (; installed < max; installed++) {
            try {
                fds[installed] = c.fds().install(files.get(installed), 0, cloexec, c.process().fdLimit());
            } catch (Errno e) {
                break;
            }
        }
        long used = 0, flags = installed < files.size() ? Socket.MSG_CTRUNC : 0;
        if (installed > 0) {
            byte[] data = new byte[4 * installed];
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(data).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < installed; i++) {
                b.putInt(fds[i]);
            }
            used = putControl(c.memory(), at, room, SCM_RIGHTS, data)[0];
        }
        if (!peek) {
            rights.release(); // the installed fds hold their own references; the rest close
        }
        return new long[] {used, flags};
    }

    /**
     * recvmmsg(2): receives up to {@code vlen} messages, waiting for each (for the first only
     * with MSG_WAITFORONE). A wait parks the call, which runs again from the message after those
     * already received (the task's progress holds its index in the high half, and the bytes a
     * MSG_WAITALL stream receive took in the low half), so none is lost. The timeout is looked at
     * after each message, as Linux does (it bounds the call only between messages), and the
     * time left is written back.
     */
    static long recvmmsg(SyscallContext c, long fd, long vec, long vlen, long flags, long timeout, long a5) {
        Socket s = socketOf(c, fd);
        int n = (int) Math.min(Integer.toUnsignedLong((int) vlen), UIO_MAXIOV);
        int f = (int) flags;
        final int MSG_WAITFORONE = 0x10000;
        long end = timeout == 0 ? Long.MAX_VALUE
                : TimeSyscalls.deadlineAfter(c.kernel().clock(), TimeSyscalls.timespecNanos(c, timeout));
        int got = (int) (c.task().progress() >>> 32);
        for (; got < n; got++) {
            long m = vec + (long) MMSGHDR * got;
            int r;
            try {
                c.task().writeBase = (long) got << 32; // a wait records it: the call resumes here
                boolean noWait = got > 0 && (f & MSG_WAITFORONE) != 0;
                r = receiveOne(c, s, m, (f & ~MSG_WAITFORONE) | (noWait ? Socket.MSG_DONTWAIT : 0));
            } catch (Errno e) {
                if (got > 0 && !Errno.isRestart(e.errno())) {
                    break;
                }
                throw e;
            }
            c.memory().writeInt(m + MSGHDR, r);
            if (end != Long.MAX_VALUE) {
                long left = Math.max(0, end - c.kernel().clock().monotonicNanos());
                c.memory().writeLong(timeout, left / 1_000_000_000L);
                c.memory().writeLong(timeout + 8, left % 1_000_000_000L);
                if (left == 0) {
                    got++;
                    break;
                }
            }
        }
        return got;
    }
}
