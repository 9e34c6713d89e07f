package dev.phoenix.net;

import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.proc.WaitQueue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A socket: an open file description with the BSD socket calls on it. A family (AF_UNIX here,
 * the internet families next) implements the calls; this class keeps what every family shares,
 * as Linux's struct sock does: the socket options of SOL_SOCKET, the pending error (SO_ERROR),
 * the receive and send timeouts, O_NONBLOCK, the readiness queue, and the inode that fstat and
 * /proc/PID/fd show ("socket:[N]").
 *
 * <p>Addresses cross this interface as the guest's struct sockaddr bytes, which each family
 * reads and writes itself. Calls throw {@link Errno}.
 */
public abstract class Socket implements OpenFile {
    public static final int AF_UNSPEC = 0, AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;
    public static final int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_RAW = 3, SOCK_RDM = 4, SOCK_SEQPACKET = 5;
    public static final int MSG_OOB = 1, MSG_PEEK = 2, MSG_DONTROUTE = 4, MSG_CTRUNC = 8, MSG_TRUNC = 0x20,
            MSG_DONTWAIT = 0x40, MSG_EOR = 0x80, MSG_WAITALL = 0x100, MSG_NOSIGNAL = 0x4000, MSG_CMSG_CLOEXEC = 0x40000000;
    public static final int SHUT_RD = 0, SHUT_WR = 1, SHUT_RDWR = 2;
    public static final int SOL_SOCKET = 1;
    public static final int SO_DEBUG = 1, SO_REUSEADDR = 2, SO_TYPE = 3, SO_ERROR = 4, SO_DONTROUTE = 5,
            SO_BROADCAST = 6, SO_SNDBUF = 7, SO_RCVBUF = 8, SO_KEEPALIVE = 9, SO_OOBINLINE = 10, SO_PRIORITY = 12,
            SO_LINGER = 13, SO_REUSEPORT = 15, SO_PASSCRED = 16, SO_PEERCRED = 17, SO_RCVLOWAT = 18,
            SO_SNDLOWAT = 19, SO_RCVTIMEO_OLD = 20, SO_SNDTIMEO_OLD = 21, SO_ACCEPTCONN = 30, SO_SNDBUFFORCE = 32,
            SO_RCVBUFFORCE = 33, SO_PROTOCOL = 38, SO_DOMAIN = 39, SO_RCVTIMEO_NEW = 66, SO_SNDTIMEO_NEW = 67;
    /** POLLRDHUP (0x2000 on x86_64, arm64 and riscv64): the peer has shut down its writing half. */
    public static final int POLLRDHUP = 0x2000;
    /** net.core.wmem_default and rmem_default, and the _max that caps SO_SNDBUF and SO_RCVBUF. */
    public static final int WMEM_DEFAULT = 212992, WMEM_MAX = 212992;
    /** SOCK_MIN_SNDBUF and SOCK_MIN_RCVBUF on a 64-bit kernel (twice an skb's truesize for 2 KiB, half of it). */
    private static final int SOCK_MIN_SNDBUF = 4608, SOCK_MIN_RCVBUF = 2304;
    private static final AtomicLong INODES = new AtomicLong(20_000);
    private static final int O_RDWR = 2, O_NONBLOCK = 04000;

    /** Woken at every change of this socket's readiness: bytes in or out, a connection, a shutdown, an error. */
    protected final WaitQueue changed = new WaitQueue();
    /** The clock timeouts (SO_RCVTIMEO, SO_SNDTIMEO) are measured on. */
    protected final Clock clock;
    private final long inode = INODES.incrementAndGet();
    private volatile boolean nonBlocking;
    /** sk_err: an error the next call reports once (SO_ERROR reads and clears it). */
    private volatile int pendingError;
    protected volatile int sendBuffer = WMEM_DEFAULT, receiveBuffer = WMEM_DEFAULT;
    /** SO_RCVTIMEO and SO_SNDTIMEO in ns; 0 waits for ever. */
    private volatile long receiveTimeout, sendTimeout;
    private volatile boolean reuseAddress, reusePort, keepAlive, broadcast, passCredentials, dontRoute, oobInline;
    private volatile int lingerOnOff, lingerSeconds, priority, receiveLowat = 1;

    private final int family, type;

    protected Socket(Clock clock, int family, int type, boolean nonBlocking) {
        this.clock = clock;
        this.family = family;
        this.type = type;
        this.nonBlocking = nonBlocking;
    }

    /**
     * Queues {@code datagram} from the kernel for a netlink socket to read, as netlink_sendskb
     * does (a POSIX message queue's SIGEV_THREAD cookie, which the C library's helper thread
     * reads); EINVAL for any other socket, as netlink_getsockbyfd answers.
     */
    public void deliverFromKernel(byte[] datagram) {
        throw Errno.of(Errno.EINVAL);
    }

    /** AF_UNIX, AF_INET or AF_INET6. */
    public final int family() {
        return family;
    }

    /** SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET (SOCK_RAW for raw ICMP). */
    public final int type() {
        return type;
    }

    /** The protocol number SO_PROTOCOL reports. */
    public abstract int protocol();

    /** bind(2) to the sockaddr {@code address}. */
    public abstract void bind(byte[] address, Caller caller);

    /** listen(2) with {@code backlog} (already capped at somaxconn). */
    public abstract void listen(int backlog, Caller caller);

    /** accept4(2): the next connection, a new socket with O_NONBLOCK when {@code nonBlocking}. */
    public abstract Socket accept(boolean nonBlocking);

    /** connect(2) to the sockaddr {@code address}. */
    public abstract void connect(byte[] address, Caller caller);

    /** getsockname(2): this socket's sockaddr. */
    public abstract byte[] localAddress();

    /** getpeername(2): the peer's sockaddr; ENOTCONN when not connected. */
    public abstract byte[] peerAddress();

    /**
     * sendmsg(2): sends {@code data} (to {@code address} when not null) with the control data
     * {@code ancillary} (may be null); returns the bytes sent. EPIPE is thrown as such: the
     * caller raises SIGPIPE unless MSG_NOSIGNAL.
     */
    public abstract int send(byte[] data, int offset, int length, byte[] address, Ancillary ancillary, int flags,
            Caller caller);

    /**
     * recvmsg(2) of at most {@code length} bytes, handed to {@code sink} as they are taken (so a
     * MSG_WAITALL receive that waits keeps what it has: the sink has stored it).
     */
    public abstract Received receive(Sink sink, int length, int flags);

    /** Where received bytes go: {@code n} bytes of {@code src[offset..]} at position {@code at} of the buffer. */
    @FunctionalInterface
    public interface Sink {
        void put(int at, byte[] src, int offset, int n);
    }

    /**
     * True when {@link #sendHostFile} works: a host stream socket, which the host kernel can
     * feed from a host file (sendfile(2) without a copy through the JVM).
     */
    public boolean sendsHostFiles() {
        return false;
    }

    /**
     * sendfile(2) from host descriptor {@code in} at {@code position}, at most {@code count}
     * bytes, waiting for room as a send does; the count sent, short at the end of the file.
     */
    public long sendHostFile(int in, long position, long count) {
        throw Errno.of(Errno.EINVAL);
    }

    /** shutdown(2) with SHUT_RD, SHUT_WR or SHUT_RDWR (checked by the caller). */
    public abstract void shutdown(int how);

    /** FIONREAD (SIOCINQ): bytes a read would find. */
    public abstract int bytesToRead();

    /** SIOCOUTQ: bytes sent and not yet taken by the peer. */
    public abstract int bytesUnsent();

    /** True for a socket in the listening state (SO_ACCEPTCONN). */
    protected abstract boolean listening();

    /**
     * Who makes a call: the credentials a socket records and passes (SO_PEERCRED,
     * SCM_CREDENTIALS), the capabilities it checks, and the caller's view of socket file names.
     */
    public record Caller(int pid, int uid, int gid, java.util.function.IntPredicate capable, SocketFiles files) {
        /** The task running on this thread, without a view of file names (read and write of a socket); null if none. */
        public static Caller current() {
            dev.phoenix.libos.proc.Task t = dev.phoenix.libos.proc.Task.current();
            if (t == null) {
                return null;
            }
            dev.phoenix.libos.proc.Credentials cr = t.process().credentials();
            return new Caller(t.process().pid(), cr.euid, cr.egid, capableOverNetwork(t.process()), null);
        }

        /**
         * Whether {@code p} holds a capability over its network namespace (Linux's
         * ns_capable(net->user_ns, cap), as CAP_NET_ADMIN and CAP_NET_RAW are checked): in the user
         * namespace that owns it, so root of a container's own user namespace configures its network.
         */
        public static java.util.function.IntPredicate capableOverNetwork(dev.phoenix.libos.proc.Process p) {
            dev.phoenix.libos.ns.Namespaces ns = p.namespaces;
            dev.phoenix.libos.proc.Credentials cr = p.credentials();
            return cap -> dev.phoenix.libos.ns.UserNamespace.capable(ns.user(), cr, ns.net().owner(), cap);
        }

        /** The same pid, uid and gid (what SCM_CREDENTIALS compares). */
        public boolean sameIds(Caller o) {
            return o != null && pid == o.pid && uid == o.uid && gid == o.gid;
        }
    }

    /**
     * What recvmsg(2) got: the byte count (the whole datagram's with MSG_TRUNC), the sender's
     * sockaddr (null when it has none), the descriptors that came with the bytes (null if none),
     * the sender's credentials when SO_PASSCRED asks for them (else null), and msg_flags.
     */
    public record Received(int length, byte[] from, Ancillary rights, Caller credentials, int flags) {}

    @Override
    public int read(byte[] buf, int offset, int length) {
        Received r = receive((at, src, o, n) -> System.arraycopy(src, o, buf, offset + at, n), length, 0);
        if (r.rights() != null) {
            r.rights().release(); // read(2) drops descriptors that came with the bytes, as Linux's scm_destroy
        }
        return r.length();
    }

    @Override
    public int write(byte[] buf, int offset, int length) {
        return send(buf, offset, length, null, null, 0, Caller.current());
    }


    @Override
    public boolean openedByPath() {
        return false;
    }

    @Override
    public FileStatus status() {
        return new FileStatus(0x8, inode, FileStatus.S_IFSOCK | 0777, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0);
    }

    @Override
    public String procLink() {
        return "socket:[" + inode + "]";
    }

    @Override
    public int statusFlags() {
        return O_RDWR | (nonBlocking ? O_NONBLOCK : 0);
    }

    @Override
    public void setStatusFlags(int flags) {
        nonBlocking = (flags & O_NONBLOCK) != 0;
    }

    @Override
    public WaitQueue readiness() {
        return changed;
    }

    /** True when a call with {@code flags} must not wait: O_NONBLOCK or MSG_DONTWAIT. */
    protected final boolean nonBlocking(int flags) {
        return nonBlocking || (flags & MSG_DONTWAIT) != 0;
    }

    /** The deadline (the clock's monotonic ns) of a receive or send wait starting now, Long.MAX_VALUE for none. */
    protected final long deadline(boolean receiving) {
        long t = receiving ? receiveTimeout : sendTimeout;
        return t == 0 ? Long.MAX_VALUE : clock.monotonicNanos() + t;
    }

    /** Sets sk_err and wakes waiters, which report it. */
    protected final void setError(int errno) {
        pendingError = errno;
        changed.wakeAll();
    }

    /** True while an error waits to be reported. */
    protected final boolean hasError() {
        return pendingError != 0;
    }

    /** sock_error: takes the pending error, 0 if none. */
    protected final synchronized int takeError() {
        int e = pendingError;
        pendingError = 0;
        return e;
    }

    /** Throws the pending error, if any, taking it (a call that reports sk_err). */
    protected final void throwPendingError() {
        int e = takeError();
        if (e != 0) {
            throw Errno.of(e);
        }
    }

    /** SO_PASSCRED: the receiver wants SCM_CREDENTIALS with every message. */
    public final boolean passCredentials() {
        return passCredentials;
    }

    /** The SO_PEERCRED answer: the peer's pid, uid and gid when it connected, or null. */
    protected Caller peerCredentials() {
        return null;
    }

    /**
     * getsockopt(2) of option {@code name} at {@code level}: the value's bytes (the caller copies
     * as many as the guest's optlen allows). ENOPROTOOPT for an unknown option, EOPNOTSUPP for a
     * level the family does not have.
     */
    public byte[] option(int level, int name) {
        if (level != SOL_SOCKET) {
            return protocolOption(level, name);
        }
        return switch (name) {
            case SO_TYPE -> intValue(type());
            case SO_DOMAIN -> intValue(family());
            case SO_PROTOCOL -> intValue(protocol());
            case SO_ERROR -> intValue(takeError());
            case SO_ACCEPTCONN -> intValue(listening() ? 1 : 0);
            case SO_SNDBUF -> intValue(sendBuffer);
            case SO_RCVBUF -> intValue(receiveBuffer);
            case SO_REUSEADDR -> intValue(reuseAddress ? 1 : 0);
            case SO_REUSEPORT -> intValue(reusePort ? 1 : 0);
            case SO_KEEPALIVE -> intValue(keepAlive ? 1 : 0);
            case SO_BROADCAST -> intValue(broadcast ? 1 : 0);
            case SO_DONTROUTE -> intValue(dontRoute ? 1 : 0);
            case SO_OOBINLINE -> intValue(oobInline ? 1 : 0);
            case SO_PASSCRED -> intValue(passCredentials ? 1 : 0);
            case SO_PRIORITY -> intValue(priority);
            case SO_RCVLOWAT -> intValue(receiveLowat);
            case SO_SNDLOWAT -> intValue(1);
            case SO_DEBUG -> intValue(0);
            case SO_LINGER -> ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(lingerOnOff)
                    .putInt(lingerSeconds).array();
            case SO_RCVTIMEO_OLD, SO_RCVTIMEO_NEW -> timeval(receiveTimeout);
            case SO_SNDTIMEO_OLD, SO_SNDTIMEO_NEW -> timeval(sendTimeout);
            case SO_PEERCRED -> {
                Caller p = peerCredentials();
                dev.phoenix.libos.proc.Task reader = dev.phoenix.libos.proc.Task.current();
                int pid = p == null ? 0 : reader == null ? p.pid() : reader.process().namespaces.pid().nr(p.pid());
                // cred_to_ucred: the ids as the reader's user namespace names them
                dev.phoenix.libos.ns.UserNamespace users = reader == null ? null : reader.process().namespaces.user();
                int uid = p == null ? -1 : users == null ? p.uid() : users.uidMunged(p.uid());
                int gid = p == null ? -1 : users == null ? p.gid() : users.gidMunged(p.gid());
                yield ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(pid).putInt(uid).putInt(gid)
                        .array();
            }
            default -> throw Errno.of(Errno.ENOPROTOOPT);
        };
    }

    /**
     * setsockopt(2): {@code value} is the guest's optval bytes. EINVAL when shorter than the
     * option's int (or struct), ENOPROTOOPT for an unknown option.
     */
    public void setOption(int level, int name, byte[] value, Caller caller) {
        if (level != SOL_SOCKET) {
            setProtocolOption(level, name, value);
            return;
        }
        switch (name) {
            case SO_RCVTIMEO_OLD, SO_RCVTIMEO_NEW -> receiveTimeout = timeout(value);
            case SO_SNDTIMEO_OLD, SO_SNDTIMEO_NEW -> sendTimeout = timeout(value);
            case SO_LINGER -> {
                if (value.length < 8) {
                    throw Errno.of(Errno.EINVAL);
                }
                ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
                lingerOnOff = b.getInt();
                lingerSeconds = b.getInt();
            }
            default -> {
                int v = intOf(value);
                switch (name) {
                    // sock_setsockopt: the value is capped at the _max sysctl, doubled for the kernel's overhead
                    case SO_SNDBUF, SO_SNDBUFFORCE -> sendBuffer = Math.max(SOCK_MIN_SNDBUF,
                            2 * (int) Math.min(Integer.toUnsignedLong(v), name == SO_SNDBUF ? WMEM_MAX : Integer.MAX_VALUE / 2));
                    case SO_RCVBUF, SO_RCVBUFFORCE -> receiveBuffer = Math.max(SOCK_MIN_RCVBUF,
                            2 * (int) Math.min(Integer.toUnsignedLong(v), name == SO_RCVBUF ? WMEM_MAX : Integer.MAX_VALUE / 2));
                    case SO_REUSEADDR -> reuseAddress = v != 0;
                    case SO_REUSEPORT -> reusePort = v != 0;
                    case SO_KEEPALIVE -> keepAlive = v != 0;
                    case SO_BROADCAST -> broadcast = v != 0;
                    case SO_DONTROUTE -> dontRoute = v != 0;
                    case SO_OOBINLINE -> oobInline = v != 0;
                    case SO_PASSCRED -> passCredentials = v != 0;
                    case SO_PRIORITY -> priority = v;
                    case SO_RCVLOWAT -> receiveLowat = v <= 0 ? 1 : v;
                    case SO_DEBUG, SO_SNDLOWAT -> {
                        if (name == SO_SNDLOWAT) {
                            throw Errno.of(Errno.ENOPROTOOPT);
                        }
                    }
                    case SO_TYPE, SO_DOMAIN, SO_PROTOCOL, SO_ERROR, SO_ACCEPTCONN, SO_PEERCRED ->
                            throw Errno.of(Errno.ENOPROTOOPT);
                    default -> throw Errno.of(Errno.ENOPROTOOPT);
                }
            }
        }
    }

    /** An option of a level other than SOL_SOCKET; AF_UNIX has none (EOPNOTSUPP, as Linux answers). */
    protected byte[] protocolOption(int level, int name) {
        throw Errno.of(Errno.EOPNOTSUPP);
    }

    /** Sets an option of a level other than SOL_SOCKET. */
    protected void setProtocolOption(int level, int name, byte[] value) {
        throw Errno.of(Errno.EOPNOTSUPP);
    }

    /** A value's int, as sock_setsockopt reads it (EINVAL when shorter than an int). */
    protected static int intOf(byte[] value) {
        if (value.length < 4) {
            throw Errno.of(Errno.EINVAL);
        }
        return ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    protected static byte[] intValue(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    private static byte[] timeval(long ns) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(ns / 1_000_000_000L)
                .putLong(ns % 1_000_000_000L / 1000).array();
    }

    /** sock_set_timeout: a struct timeval (16 bytes on every 64-bit arch); EDOM for a bad tv_usec, 0 waits for ever. */
    private static long timeout(byte[] value) {
        if (value.length < 16) {
            throw Errno.of(Errno.EINVAL);
        }
        ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        long sec = b.getLong(), usec = b.getLong();
        if (usec < 0 || usec >= 1_000_000) {
            throw Errno.of(Errno.EDOM);
        }
        if (sec < 0) {
            return 1; // a negative time is "no wait at all" in sock_set_timeout
        }
        if (sec > Long.MAX_VALUE / 2_000_000_000L) {
            return 0;
        }
        return sec * 1_000_000_000L + usec * 1000;
    }
}
