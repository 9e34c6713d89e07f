package dev.phoenix.net.netlink;

import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.PollEvents;
import dev.phoenix.libos.ns.NetNamespace;
import dev.phoenix.net.Ancillary;
import dev.phoenix.net.ReplySocket;
import dev.phoenix.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HashSet;
import java.util.Set;

/**
 * An AF_NETLINK socket of protocol NETLINK_ROUTE in a network namespace of Phoenix's own
 * (netlink(7)). A message sent to the kernel (port 0) is answered at once by
 * {@link RouteNetlink}, whose replies wait here, one datagram each, for recvmsg. Port ids are
 * unique in the namespace: bind with nl_pid 0 (or the first send) takes the process's pid, or
 * when that is taken the next of -4096, -4097 ... as netlink_autobind does. Multicast groups
 * are recorded but nothing is announced to them; messages to another socket (a port other than
 * 0) are refused (ECONNREFUSED), as Linux answers when no socket has that port.
 */
public final class NetlinkSocket extends ReplySocket {
    public static final int AF_NETLINK = 16, NETLINK_ROUTE = 0;
    /** sizeof(struct sockaddr_nl). */
    private static final int SOCKADDR_NL = 12;
    private static final int SOL_NETLINK = 270;

    /** The port ids taken in one namespace. */
    static final class Ports {
        private final Set<Integer> taken = new HashSet<>();
        private int rover = -4096;

        synchronized boolean claim(int port) {
            return taken.add(port);
        }

        /** netlink_autobind: the pid when free, else the next free negative id. */
        synchronized int autobind(int pid) {
            if (pid > 0 && taken.add(pid)) {
                return pid;
            }
            while (!taken.add(rover)) {
                rover = rover == Integer.MIN_VALUE ? -4096 : rover - 1;
            }
            return rover;
        }

        synchronized void release(int port) {
            taken.remove(port);
        }
    }

    private final NetNamespace namespace;
    private final Ports ports;
    /** The port id; 0 while unbound. @GuardedBy("this") */
    private int port;
    /** The multicast groups of bind, and the port and groups of connect. @GuardedBy("this") */
    private int groups, peerPort, peerGroups;
    /** SOL_NETLINK options set (NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK ...), by name. @GuardedBy("this") */
    private final java.util.Map<Integer, Integer> options = new java.util.HashMap<>();

    private NetlinkSocket(Clock clock, NetNamespace namespace, int type, boolean nonBlocking) {
        super(clock, AF_NETLINK, type, nonBlocking);
        this.namespace = namespace;
        this.ports = namespace.attachment(Ports.class, Ports::new);
    }

    /**
     * socket(2) for AF_NETLINK in {@code namespace}: SOCK_RAW or SOCK_DGRAM (else
     * ESOCKTNOSUPPORT), protocol NETLINK_ROUTE (another is EPROTONOSUPPORT: Phoenix has no other
     * netlink family).
     */
    public static NetlinkSocket open(Clock clock, NetNamespace namespace, int type, int protocol,
            boolean nonBlocking) {
        if (type != SOCK_RAW && type != SOCK_DGRAM) {
            throw Errno.of(Errno.ESOCKTNOSUPPORT);
        }
        if (protocol != NETLINK_ROUTE) {
            throw Errno.of(Errno.EPROTONOSUPPORT);
        }
        return new NetlinkSocket(clock, namespace, type, nonBlocking);
    }

    @Override
    public int protocol() {
        return NETLINK_ROUTE;
    }

    /** A sockaddr_nl's port and groups; EINVAL when short or not AF_NETLINK. */
    private static int[] parse(byte[] a) {
        if (a.length < SOCKADDR_NL) {
            throw Errno.of(Errno.EINVAL);
        }
        ByteBuffer b = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN);
        if ((b.getShort(0) & 0xffff) != AF_NETLINK) {
            throw Errno.of(Errno.EINVAL);
        }
        return new int[] {b.getInt(4), b.getInt(8)};
    }

    private static byte[] sockaddr(int port, int groups) {
        return ByteBuffer.allocate(SOCKADDR_NL).order(ByteOrder.LITTLE_ENDIAN).putShort((short) AF_NETLINK)
                .putShort((short) 0).putInt(port).putInt(groups).array();
    }

    /** netlink_bind: a port given, or one chosen when nl_pid is 0; a bound socket may only change its groups. */
    @Override
    public synchronized void bind(byte[] address, Caller caller) {
        int[] a = parse(address);
        if (port != 0) {
            if (a[0] != 0 && a[0] != port) {
                throw Errno.of(Errno.EINVAL);
            }
        } else if (a[0] == 0) {
            port = ports.autobind(caller == null ? 0 : caller.pid());
        } else if (ports.claim(a[0])) {
            port = a[0];
        } else {
            throw Errno.of(Errno.EADDRINUSE);
        }
        groups = a[1];
    }

    /** Binds an unbound socket as its first send or connect does. */
    private synchronized int autobind(Caller caller) {
        if (port == 0) {
            Caller c = caller != null ? caller : Caller.current();
            port = ports.autobind(c == null ? 0 : c.pid());
        }
        return port;
    }

    @Override
    public void listen(int backlog, Caller caller) {
        throw Errno.of(Errno.EOPNOTSUPP);
    }

    @Override
    public Socket accept(boolean nonBlocking) {
        throw Errno.of(Errno.EOPNOTSUPP);
    }

    /** netlink_connect: AF_UNSPEC forgets the peer; otherwise the peer is recorded and the socket bound. */
    @Override
    public void connect(byte[] address, Caller caller) {
        if (address.length >= 2 && ((address[0] & 0xff) | (address[1] & 0xff) << 8) == AF_UNSPEC) {
            synchronized (this) {
                peerPort = 0;
                peerGroups = 0;
            }
            return;
        }
        int[] a = parse(address);
        autobind(caller);
        synchronized (this) {
            peerPort = a[0];
            peerGroups = a[1];
        }
    }

    @Override
    public synchronized byte[] localAddress() {
        return sockaddr(port, groups);
    }

    /** netlink_getname with peer: the connected port and group, never ENOTCONN. */
    @Override
    public synchronized byte[] peerAddress() {
        return sockaddr(peerPort, peerGroups);
    }

    /**
     * netlink_sendmsg: to the kernel (port 0, the default), whose answers are queued before this
     * returns; another port is ECONNREFUSED. The whole length is consumed.
     */
    @Override
    public int send(byte[] data, int offset, int length, byte[] address, Ancillary ancillary, int flags,
            Caller caller) {
        if (ancillary != null) {
            ancillary.release();
        }
        int to;
        synchronized (this) {
            to = peerPort;
        }
        if (address != null) {
            to = parse(address)[0];
        }
        if (to != 0) {
            throw Errno.of(Errno.ECONNREFUSED);
        }
        int me = autobind(caller);
        byte[] request = java.util.Arrays.copyOfRange(data, offset, offset + length);
        java.util.List<byte[]> out = RouteNetlink.handle(namespace, request, me,
                caller != null ? caller : Caller.current());
        if (!out.isEmpty()) {
            synchronized (this) {
                for (byte[] reply : out) {
                    replies.add(new Reply(reply, sockaddr(0, 0)));
                }
            }
            changed.wakeAll();
        }
        return length;
    }

    /**
     * Queues {@code datagram} from the kernel for this socket to read, as netlink_sendskb does
     * (a POSIX message queue's SIGEV_THREAD cookie, which the C library's helper thread reads).
     */
    @Override
    public void deliverFromKernel(byte[] datagram) {
        synchronized (this) {
            replies.add(new Reply(datagram.clone(), sockaddr(0, 0)));
        }
        changed.wakeAll();
    }

    @Override
    public void shutdown(int how) {
        throw Errno.of(Errno.EOPNOTSUPP);
    }

    @Override
    protected boolean listening() {
        return false;
    }

    @Override
    public synchronized int pollEvents() {
        return PollEvents.POLLOUT | PollEvents.POLLWRNORM
                | (replies.isEmpty() ? 0 : PollEvents.POLLIN | PollEvents.POLLRDNORM);
    }

    /** The port goes back to the namespace when the last descriptor closes. */
    @Override
    public synchronized void release() {
        if (port != 0) {
            ports.release(port);
            port = 0;
        }
        replies.clear();
    }

    /** SOL_NETLINK options read back as set (0 when never set); other levels are ENOPROTOOPT. */
    @Override
    protected synchronized byte[] protocolOption(int level, int name) {
        if (level != SOL_NETLINK) {
            throw Errno.of(Errno.ENOPROTOOPT);
        }
        return intValue(options.getOrDefault(name, 0));
    }

    /** SOL_NETLINK options (memberships, NETLINK_EXT_ACK, NETLINK_GET_STRICT_CHK) are taken as ints. */
    @Override
    protected synchronized void setProtocolOption(int level, int name, byte[] value) {
        if (level != SOL_NETLINK) {
            throw Errno.of(Errno.ENOPROTOOPT);
        }
        options.put(name, intOf(value));
    }
}
