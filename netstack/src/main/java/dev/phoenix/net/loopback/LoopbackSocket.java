package dev.phoenix.net.loopback;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.WaitQueue;
import dev.phoenix.net.Ancillary;
import dev.phoenix.net.Socket;
import dev.phoenix.net.unix.UnixSocket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashMap;
import java.util.Map;

/**
 * A TCP or UDP socket of the isolated loopback ({@link LoopbackNetwork}): an AF_UNIX stream or
 * datagram socket underneath, named by port, and the internet family's face on top: sockaddr_in
 * and sockaddr_in6 with their checks (EINVAL, EAFNOSUPPORT, EADDRNOTAVAIL, ENETUNREACH for
 * anything but loopback), ephemeral ports, and TCP's and UDP's own answers: a TCP send before
 * connecting is EPIPE and a receive ENOTCONN, a non-blocking connect says EINPROGRESS (then 0 once),
 * listen binds an unbound socket, and UDP drops a datagram nobody can take instead of failing.
 */
final class LoopbackSocket extends Socket {
    private static final int IPPROTO_IP = 0, IPPROTO_IPV6 = 41, IPV6_V6ONLY = 26;
    private static final int SIN_LEN = 16, SIN6_LEN = 28, SIN6_LEN_RFC2133 = 24;
    private static final int TCP_NODELAY = 1, TCP_MAXSEG = 2, TCP_CORK = 3, TCP_KEEPIDLE = 4, TCP_KEEPINTVL = 5,
            TCP_KEEPCNT = 6, TCP_SYNCNT = 7, TCP_LINGER2 = 8, TCP_DEFER_ACCEPT = 9, TCP_WINDOW_CLAMP = 10,
            TCP_INFO = 11, TCP_QUICKACK = 12, TCP_USER_TIMEOUT = 18, TCP_FASTOPEN = 23, TCP_NOTSENT_LOWAT = 25;
    /** sizeof(struct tcp_info) in Linux 6.x, and its tcpi_state values. */
    private static final int TCP_INFO_SIZE = 248, TCP_ESTABLISHED = 1, TCP_CLOSE = 7, TCP_LISTEN = 10;
    /** The largest UDP payload over IPv4 (65535 less the IP and UDP headers). */
    private static final int UDP_MAX = 65507;

    private final LoopbackNetwork net;
    private final UnixSocket inner;
    /** The bound address, the connected peer's (sockaddr bytes), or null. @GuardedBy("this") */
    private byte[] local, remote;
    private boolean listening;
    /** A non-blocking connect completed at once and said EINPROGRESS: the next connect says 0. */
    private boolean connectToReport;
    /** Options of the IP, IPv6, TCP and UDP levels, by (level << 32 | name). @GuardedBy("this") */
    private final Map<Long, byte[]> options = new HashMap<>();

    LoopbackSocket(LoopbackNetwork net, int family, int type, boolean nonBlocking) {
        this(net, family, type, net.domain.open(type, 0, nonBlocking), nonBlocking, null, null);
    }

    private LoopbackSocket(LoopbackNetwork net, int family, int type, UnixSocket inner, boolean nonBlocking,
            byte[] local, byte[] remote) {
        super(net.clock, family, type, nonBlocking);
        this.net = net;
        this.inner = inner;
        this.local = local;
        this.remote = remote;
    }



    @Override
    public int protocol() {
        return type() == SOCK_STREAM ? LoopbackNetwork.IPPROTO_TCP : LoopbackNetwork.IPPROTO_UDP;
    }

    // ---- addresses ----

    /** An address of this family: the IP's bytes and the port. */
    private record Endpoint(byte[] ip, int port) {}

    /**
     * Reads a sockaddr_in or sockaddr_in6 as inet_bind and inet_stream_connect check it: EINVAL
     * when shorter than the family's struct, EAFNOSUPPORT for another family.
     */
    private Endpoint parse(byte[] a) {
        int min = family() == AF_INET ? SIN_LEN : SIN6_LEN_RFC2133;
        if (a.length < min) {
            throw Errno.of(Errno.EINVAL);
        }
        int f = (a[0] & 0xff) | (a[1] & 0xff) << 8;
        if (f != family()) {
            throw Errno.of(Errno.EAFNOSUPPORT);
        }
        int port = (a[2] & 0xff) << 8 | (a[3] & 0xff);
        byte[] ip = family() == AF_INET ? java.util.Arrays.copyOfRange(a, 4, 8) : java.util.Arrays.copyOfRange(a, 8, 24);
        return new Endpoint(ip, port);
    }

    private boolean isAny(byte[] ip) {
        for (byte b : ip) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** 127.0.0.0/8; ::1 or ::ffff:127.x.x.x. */
    private boolean isLoopback(byte[] ip) {
        if (family() == AF_INET) {
            return ip[0] == 127;
        }
        for (int i = 0; i < 15; i++) {
            if (ip[i] != 0 && !(i >= 10 && i <= 11 && ip[i] == (byte) 0xff)) {
                return false;
            }
        }
        return ip[15] == 1 && ip[10] == 0 || ip[10] == (byte) 0xff && ip[11] == (byte) 0xff && ip[12] == 127;
    }

    private byte[] loopbackIp() {
        if (family() == AF_INET) {
            return new byte[] {127, 0, 0, 1};
        }
        byte[] ip = new byte[16];
        ip[15] = 1;
        return ip;
    }

    private byte[] sockaddr(byte[] ip, int port) {
        byte[] sa = new byte[family() == AF_INET ? SIN_LEN : SIN6_LEN];
        sa[0] = (byte) family();
        sa[2] = (byte) (port >> 8);
        sa[3] = (byte) port;
        System.arraycopy(ip, 0, sa, family() == AF_INET ? 4 : 8, ip.length);
        return sa;
    }

    private static int portOf(byte[] sockaddr) {
        return (sockaddr[2] & 0xff) << 8 | (sockaddr[3] & 0xff);
    }

    private byte[] anyIp() {
        return new byte[family() == AF_INET ? 4 : 16];
    }

    @Override
    public void bind(byte[] address, Caller caller) {
        Endpoint e = parse(address);
        if (!isAny(e.ip()) && !isLoopback(e.ip())
                || family() == AF_INET6 && !isAny(e.ip()) && !net.up()) {
            throw Errno.of(Errno.EADDRNOTAVAIL); // ::1 is assigned only while lo is up; 127/8 is lo's route
        }
        synchronized (this) {
            if (local != null) {
                throw Errno.of(Errno.EINVAL);
            }
            bindTo(e.ip(), e.port(), caller);
        }
    }

    /** Binds to {@code ip}:{@code port}, an ephemeral port for 0 (EADDRINUSE when all are taken). Under this socket's lock. */
    private void bindTo(byte[] ip, int port, Caller caller) {
        if (port != 0) {
            try {
                bindPort(ip, port, caller);
            } catch (Errno e) {
                byte[] member = e.errno() == Errno.EADDRINUSE && reusePort()
                        ? net.joinReuseGroup(family(), type(), port) : null;
                if (member == null) {
                    throw e;
                }
                inner.bind(member, caller); // SO_REUSEPORT: one more socket on the port
                groupName = member;
                bound(ip, port);
            }
            return;
        }
        for (int tries = LoopbackNetwork.EPHEMERAL_LOW; tries <= LoopbackNetwork.EPHEMERAL_HIGH; tries++) {
            try {
                bindPort(ip, net.nextEphemeral(), caller);
                return;
            } catch (Errno err) {
                if (err.errno() != Errno.EADDRINUSE) {
                    throw err;
                }
            }
        }
        throw Errno.of(Errno.EADDRINUSE);
    }

    /** Takes the port's own name (EADDRINUSE when held), starting its SO_REUSEPORT group if this socket asks for one. */
    private void bindPort(byte[] ip, int port, Caller caller) {
        byte[] name = LoopbackNetwork.unixName(family(), type(), port);
        inner.bind(name, caller);
        if (reusePort()) {
            net.startReuseGroup(family(), type(), port);
            groupName = name;
        }
        bound(ip, port);
    }

    /** Records the bound address; an IPv6 socket on [::] without IPV6_V6ONLY takes IPv4 traffic too. */
    private void bound(byte[] ip, int port) {
        local = sockaddr(ip, port);
        if (family() == AF_INET6 && isAny(ip) && !v6only()) {
            net.registerDualStack(type(), port, this);
        }
    }

    /** The name this socket has in its port's SO_REUSEPORT group, or null. @GuardedBy("this") */
    private byte[] groupName;

    private boolean reusePort() {
        return intOf(inner.option(SOL_SOCKET, SO_REUSEPORT)) != 0;
    }

    private boolean v6only() {
        byte[] v = options.get(key(IPPROTO_IPV6, IPV6_V6ONLY));
        return v != null && intOf(v) != 0;
    }

    /**
     * The abstract name of {@code port} for a destination of this family, or, for IPv4 with no
     * IPv4 socket there, of the IPv6 socket that takes IPv4 traffic to that port.
     */
    private byte[] destinationName(int port) {
        byte[] name = LoopbackNetwork.unixName(family(), type(), port);
        if (family() == AF_INET && net.dualStack(type(), port)) {
            return LoopbackNetwork.unixName(AF_INET6, type(), port);
        }
        return name;
    }

    /** The address of a peer whose abstract name is {@code unixName}: IPv4 ones are ::ffff:127.0.0.1 to an IPv6 socket. */
    private byte[] peerSockaddr(byte[] unixName) {
        int port = Math.max(LoopbackNetwork.portOf(unixName), 0);
        if (family() == AF_INET6 && LoopbackNetwork.isInet4(unixName)) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            mapped[12] = 127;
            mapped[15] = 1;
            return sockaddr(mapped, port);
        }
        return sockaddr(loopbackIp(), port);
    }

    /** inet_autobind: an unbound socket gets an ephemeral port (at {@code ip}) when it must have one. */
    private synchronized void autobind(byte[] ip, Caller caller) {
        if (local == null) {
            bindTo(ip, 0, caller);
        }
    }

    @Override
    public synchronized byte[] localAddress() {
        return local != null ? local.clone() : sockaddr(anyIp(), 0);
    }

    @Override
    public synchronized byte[] peerAddress() {
        if (remote == null) {
            throw Errno.of(Errno.ENOTCONN);
        }
        return remote.clone();
    }

    /** A destination: loopback only (ENETUNREACH); the any address means this host, as Linux takes it. */
    private Endpoint destination(byte[] address) {
        Endpoint e = parse(address);
        if (isAny(e.ip())) {
            return new Endpoint(loopbackIp(), e.port());
        }
        if (!isLoopback(e.ip())) {
            throw Errno.of(Errno.ENETUNREACH);
        }
        if (!net.up()) { // no route while lo is down; IPv6 finds no source address first
            throw Errno.of(family() == AF_INET6 ? Errno.EADDRNOTAVAIL : Errno.ENETUNREACH);
        }
        return e;
    }

    // ---- connections ----

    @Override
    public void listen(int backlog, Caller caller) {
        if (type() != SOCK_STREAM) {
            throw Errno.of(Errno.EOPNOTSUPP);
        }
        synchronized (this) {
            if (remote != null) {
                throw Errno.of(Errno.EINVAL);
            }
        }
        autobind(anyIp(), caller);
        inner.listen(backlog, caller);
        synchronized (this) {
            listening = true;
        }
    }

    @Override
    protected synchronized boolean listening() {
        return listening;
    }

    @Override
    public void connect(byte[] address, Caller caller) {
        if (type() == SOCK_DGRAM) {
            if (address.length >= 2 && ((address[0] & 0xff) | (address[1] & 0xff) << 8) == AF_UNSPEC) {
                synchronized (this) {
                    remote = null;
                }
                return;
            }
            Endpoint e = destination(address);
            autobind(loopbackIp(), caller);
            synchronized (this) {
                remote = sockaddr(e.ip(), e.port());
            }
            return;
        }
        synchronized (this) {
            if (connectToReport) {
                connectToReport = false; // the connection a non-blocking connect began is made
                return;
            }
            if (remote != null || listening) {
                throw Errno.of(Errno.EISCONN);
            }
        }
        Endpoint e = destination(address);
        autobind(loopbackIp(), caller);
        try {
            connectToPort(e.port(), caller);
        } catch (Errno err) {
            byte[] other = destinationName(e.port());
            if (err.errno() != Errno.ECONNREFUSED || family() != AF_INET || other[7] != '6') {
                throw err;
            }
            inner.connect(other, caller); // an IPv6 socket on [::] takes it
        }
        synchronized (this) {
            remote = sockaddr(e.ip(), e.port());
            if (nonBlocking(0)) {
                connectToReport = true; // TCP's handshake, even on loopback, ends after connect returns
                throw Errno.of(Errno.EINPROGRESS);
            }
        }
    }

    /** Connects to {@code port}: to one of its SO_REUSEPORT group in turn, the next if that one is not listening. */
    private void connectToPort(int port, Caller caller) {
        Errno refused = null;
        for (byte[] name : net.destinations(family(), type(), port)) {
            try {
                inner.connect(name, caller);
                return;
            } catch (Errno err) {
                if (err.errno() != Errno.ECONNREFUSED) {
                    throw err;
                }
                refused = err;
            }
        }
        throw refused;
    }

    @Override
    public Socket accept(boolean nonBlocking) {
        UnixSocket s = (UnixSocket) inner.accept(nonBlocking);
        byte[] client;
        try {
            client = peerSockaddr(s.peerAddress());
        } catch (Errno e) {
            client = sockaddr(loopbackIp(), 0); // the client is gone already
        }
        byte[] here;
        synchronized (this) {
            Endpoint bound = parse(local);
            byte[] ip = !isAny(bound.ip()) ? bound.ip() : client[10] == (byte) 0xff && family() == AF_INET6
                    ? java.util.Arrays.copyOfRange(client, 8, 24) : loopbackIp();
            here = sockaddr(ip, bound.port());
        }
        return new LoopbackSocket(net, family(), type(), s, nonBlocking, here, client);
    }

    @Override
    public void shutdown(int how) {
        synchronized (this) {
            if (remote == null && !listening) {
                throw Errno.of(Errno.ENOTCONN);
            }
        }
        inner.shutdown(how);
    }

    // ---- data ----

    @Override
    public int send(byte[] data, int offset, int length, byte[] address, Ancillary rights, int flags, Caller caller) {
        if (rights != null) {
            rights.release();
            throw Errno.of(Errno.EINVAL);
        }
        if (type() == SOCK_STREAM) {
            synchronized (this) {
                if (remote == null) {
                    throw Errno.of(Errno.EPIPE); // sk_stream_wait_connect on a closed socket
                }
            }
            return inner.send(data, offset, length, null, null, flags, caller);
        }
        byte[] to;
        synchronized (this) {
            to = remote;
        }
        if (address != null) {
            Endpoint e = destination(address);
            to = sockaddr(e.ip(), e.port());
        }
        if (to == null) {
            throw Errno.of(Errno.EDESTADDRREQ);
        }
        if (length > UDP_MAX) {
            throw Errno.of(Errno.EMSGSIZE);
        }
        autobind(anyIp(), caller);
        try {
            try {
                inner.send(data, offset, length, net.destinations(family(), type(), portOf(to)).get(0), null,
                        flags | MSG_DONTWAIT, caller);
            } catch (Errno e) {
                byte[] other = destinationName(portOf(to));
                if (e.errno() != Errno.ECONNREFUSED || family() != AF_INET || other[7] != '6') {
                    throw e;
                }
                inner.send(data, offset, length, other, null, flags | MSG_DONTWAIT, caller);
            }
        } catch (Errno e) {
            if (e.errno() != Errno.ECONNREFUSED && e.errno() != Errno.EAGAIN && e.errno() != Errno.EPERM) {
                throw e;
            }
            // nobody bound there, or no room: UDP drops the datagram, and the send succeeds
        }
        return length;
    }

    @Override
    public Received receive(Sink sink, int length, int flags) {
        if (type() == SOCK_STREAM) {
            synchronized (this) {
                if (remote == null) {
                    throw Errno.of(Errno.ENOTCONN);
                }
            }
            Received r = inner.receive(sink, length, flags);
            return new Received(r.length(), null, null, null, r.flags());
        }
        while (true) {
            Received r = inner.receive(sink, length, flags);
            byte[] from = peerSockaddr(r.from());
            byte[] peer;
            synchronized (this) {
                peer = remote;
            }
            if (peer == null || portOf(peer) == portOf(from) || (flags & MSG_PEEK) != 0) {
                return new Received(r.length(), from, null, null, r.flags());
            }
            // a connected UDP socket takes datagrams from its peer only: others are dropped
        }
    }

    @Override
    public int bytesToRead() {
        return inner.bytesToRead();
    }

    @Override
    public int bytesUnsent() {
        return inner.bytesUnsent();
    }

    @Override
    public int pollEvents() {
        return inner.pollEvents();
    }

    @Override
    public WaitQueue readiness() {
        return inner.readiness();
    }

    @Override
    public void setStatusFlags(int flags) {
        super.setStatusFlags(flags);
        inner.setStatusFlags(flags);
    }

    @Override
    public void release() {
        synchronized (this) {
            if (local != null && family() == AF_INET6) {
                net.unregisterDualStack(type(), portOf(local), this);
            }
            if (groupName != null) {
                net.leaveReuseGroup(family(), type(), portOf(local), groupName);
            }
        }
        inner.release();
    }

    // ---- options ----

    private static long key(int level, int name) {
        return (long) level << 32 | (name & 0xffffffffL);
    }

    private static boolean knownTcpOption(int name) {
        return switch (name) {
            case TCP_NODELAY, TCP_MAXSEG, TCP_CORK, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, TCP_SYNCNT, TCP_LINGER2,
                    TCP_DEFER_ACCEPT, TCP_WINDOW_CLAMP, TCP_INFO, TCP_QUICKACK, TCP_USER_TIMEOUT, TCP_FASTOPEN,
                    TCP_NOTSENT_LOWAT -> true;
            default -> false;
        };
    }

    @Override
    public byte[] option(int level, int name) {
        if (level == SOL_SOCKET) {
            return switch (name) {
                case SO_DOMAIN -> intValue(family());
                case SO_PROTOCOL -> intValue(protocol());
                case SO_ACCEPTCONN -> intValue(listening() ? 1 : 0);
                default -> inner.option(level, name);
            };
        }
        if (level == LoopbackNetwork.IPPROTO_TCP) {
            if (type() != SOCK_STREAM || !knownTcpOption(name)) {
                throw Errno.of(Errno.ENOPROTOOPT);
            }
            if (name == TCP_INFO) {
                byte[] info = new byte[TCP_INFO_SIZE];
                synchronized (this) {
                    info[0] = (byte) (listening ? TCP_LISTEN : remote != null ? TCP_ESTABLISHED : TCP_CLOSE);
                }
                return info;
            }
        } else if (level != IPPROTO_IP && level != IPPROTO_IPV6 && level != LoopbackNetwork.IPPROTO_UDP) {
            throw Errno.of(Errno.ENOPROTOOPT);
        }
        synchronized (this) {
            byte[] v = options.get(key(level, name));
            return v != null ? v.clone() : intValue(defaultOption(level, name));
        }
    }

    /** What an option reads before it is set: Linux's defaults for the few that are not 0. */
    private static int defaultOption(int level, int name) {
        if (level == LoopbackNetwork.IPPROTO_TCP) {
            return switch (name) {
                case TCP_MAXSEG -> 536;
                case TCP_KEEPIDLE -> 7200;
                case TCP_KEEPINTVL -> 75;
                case TCP_KEEPCNT -> 9;
                case TCP_SYNCNT -> 6;
                case TCP_LINGER2 -> 60;
                default -> 0;
            };
        }
        return level == IPPROTO_IP && name == 2 /* IP_TTL */ ? 64 : 0;
    }

    @Override
    public void setOption(int level, int name, byte[] value, Caller caller) {
        if (level == SOL_SOCKET) {
            inner.setOption(level, name, value, caller);
            return;
        }
        if (level == LoopbackNetwork.IPPROTO_TCP
                && (type() != SOCK_STREAM || !knownTcpOption(name) || name == TCP_INFO)) {
            throw Errno.of(Errno.ENOPROTOOPT);
        }
        if (level != LoopbackNetwork.IPPROTO_TCP && level != IPPROTO_IP && level != IPPROTO_IPV6
                && level != LoopbackNetwork.IPPROTO_UDP) {
            throw Errno.of(Errno.ENOPROTOOPT);
        }
        int v = intOf(value);
        synchronized (this) {
            options.put(key(level, name), ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
        }
    }
}
