package dev.phoenix.net.loopback;

import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.net.Network;
import dev.phoenix.net.Socket;
import dev.phoenix.net.unix.UnixDomain;
import java.nio.charset.StandardCharsets;

/**
 * The isolated network of {@code --net none}: 127.0.0.0/8 and ::1 inside Phoenix, and nothing
 * else (ENETUNREACH). A TCP or UDP socket here is a {@link LoopbackSocket} around a stream or
 * datagram socket of a private AF_UNIX domain, whose abstract name encodes the family, protocol
 * and port ("inet4/tcp/8080"), so connections, queues, waits and readiness are the AF_UNIX
 * sockets' own; the wrapper speaks sockaddr_in and sockaddr_in6 and gives TCP's and UDP's
 * answers where they differ from AF_UNIX's. Guest traffic never touches the host. Each network
 * namespace that is not the host's has one of these, reachable only from its own sockets, and
 * while the namespace's lo is down nothing is reachable (ENETUNREACH, as Linux has no route).
 */
public final class LoopbackNetwork implements Network {
    static final int IPPROTO_TCP = 6, IPPROTO_UDP = 17;
    /** The capability a raw socket needs (capabilities(7)). */
    private static final int CAP_NET_RAW = 13;
    /** net.ipv4.ip_local_port_range: where ephemeral ports come from. */
    static final int EPHEMERAL_LOW = 32768, EPHEMERAL_HIGH = 60999;

    final Clock clock;
    final UnixDomain domain;
    /** The next ephemeral port to try. @GuardedBy("this") */
    private int nextPort = EPHEMERAL_LOW;

    /** The namespace whose lo this network is; null for one whose lo is always up. */
    private final dev.phoenix.libos.ns.NetNamespace namespace;

    public LoopbackNetwork(Clock clock) {
        this(clock, null);
    }

    /** The loopback network of {@code namespace}, up or down with its lo. */
    public LoopbackNetwork(Clock clock, dev.phoenix.libos.ns.NetNamespace namespace) {
        this.clock = clock;
        this.domain = new UnixDomain(clock);
        this.namespace = namespace;
    }

    /** True while the namespace's lo is up, so 127.0.0.0/8 and ::1 can be reached. */
    boolean up() {
        return namespace == null || namespace.loopbackUp();
    }

    /**
     * socket(2): TCP (SOCK_STREAM, protocol 0 or IPPROTO_TCP), UDP (SOCK_DGRAM, 0 or
     * IPPROTO_UDP) and ICMP over IPv4 for ping (SOCK_DGRAM, or SOCK_RAW with CAP_NET_RAW, else
     * EPERM); another protocol of those types is EPROTONOSUPPORT, other types ESOCKTNOSUPPORT.
     */
    @Override
    public Socket open(int family, int type, int protocol, boolean nonBlocking) {
        if (family == Socket.AF_INET && protocol == IcmpSocket.IPPROTO_ICMP
                && (type == Socket.SOCK_DGRAM || type == Socket.SOCK_RAW)) {
            Socket.Caller caller = Socket.Caller.current();
            if (type == Socket.SOCK_RAW && caller != null && !caller.capable().test(CAP_NET_RAW)) {
                throw Errno.of(Errno.EPERM);
            }
            return new IcmpSocket(this, type == Socket.SOCK_RAW, nonBlocking);
        }
        int wanted = switch (type) {
            case Socket.SOCK_STREAM -> IPPROTO_TCP;
            case Socket.SOCK_DGRAM -> IPPROTO_UDP;
            default -> throw Errno.of(Errno.ESOCKTNOSUPPORT);
        };
        if (protocol != 0 && protocol != wanted) {
            throw Errno.of(Errno.EPROTONOSUPPORT);
        }
        return new LoopbackSocket(this, family, type, nonBlocking);
    }

    /** The abstract AF_UNIX sockaddr that names port {@code port} of {@code family} and {@code type}. */
    static byte[] unixName(int family, int type, int port) {
        String name = "\0inet" + (family == Socket.AF_INET ? 4 : 6) + "/" + (type == Socket.SOCK_STREAM ? "tcp" : "udp")
                + "/" + port;
        byte[] n = name.getBytes(StandardCharsets.ISO_8859_1);
        byte[] sa = new byte[2 + n.length];
        sa[0] = (byte) Socket.AF_UNIX;
        System.arraycopy(n, 0, sa, 2, n.length);
        return sa;
    }

    /**
     * The port an abstract name of {@link #unixName} holds (a SO_REUSEPORT member's too:
     * "inet4/tcp/8080#2"), or -1 for another name (an unnamed socket).
     */
    static int portOf(byte[] unixSockaddr) {
        if (unixSockaddr == null || unixSockaddr.length <= 3) {
            return -1;
        }
        String s = new String(unixSockaddr, 2, unixSockaddr.length - 2, StandardCharsets.ISO_8859_1);
        int slash = s.lastIndexOf('/');
        int hash = s.indexOf('#', slash + 1);
        try {
            return s.startsWith("\0inet") && slash > 0
                    ? Integer.parseInt(hash < 0 ? s.substring(slash + 1) : s.substring(slash + 1, hash)) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Sockets sharing a port with SO_REUSEPORT, by family, type and port: the names of their
     * AF_UNIX sockets, the first being the port's own. @GuardedBy("this")
     */
    private final java.util.Map<String, java.util.List<byte[]>> reuseGroups = new java.util.HashMap<>();
    /** Each group's turn: where the next connection or datagram starts looking. @GuardedBy("this") */
    private final java.util.Map<String, Integer> reuseTurns = new java.util.HashMap<>();
    private int nextMember;

    private static String groupKey(int family, int type, int port) {
        return family + "/" + type + "/" + port;
    }

    /** Starts the group of {@code port}: its first socket, bound with SO_REUSEPORT to the port's own name. */
    synchronized void startReuseGroup(int family, int type, int port) {
        java.util.List<byte[]> g = new java.util.ArrayList<>();
        g.add(unixName(family, type, port));
        reuseGroups.put(groupKey(family, type, port), g);
    }

    /** A name for one more member of {@code port}'s group, or null when the port has no group (EADDRINUSE). */
    synchronized byte[] joinReuseGroup(int family, int type, int port) {
        java.util.List<byte[]> g = reuseGroups.get(groupKey(family, type, port));
        if (g == null) {
            return null;
        }
        byte[] base = unixName(family, type, port);
        byte[] suffix = ("#" + ++nextMember).getBytes(StandardCharsets.ISO_8859_1);
        byte[] name = java.util.Arrays.copyOf(base, base.length + suffix.length);
        System.arraycopy(suffix, 0, name, base.length, suffix.length);
        g.add(name);
        return name;
    }

    /** A member's socket is gone. */
    synchronized void leaveReuseGroup(int family, int type, int port, byte[] name) {
        String key = groupKey(family, type, port);
        java.util.List<byte[]> g = reuseGroups.get(key);
        if (g != null) {
            g.removeIf(n -> java.util.Arrays.equals(n, name));
            if (g.isEmpty()) {
                reuseGroups.remove(key);
                reuseTurns.remove(key);
            }
        }
    }

    /**
     * The names to try for traffic to {@code port}: its group's members, starting at the next
     * one in turn (connections and datagrams go round them), or the port's own name alone.
     */
    synchronized java.util.List<byte[]> destinations(int family, int type, int port) {
        String key = groupKey(family, type, port);
        java.util.List<byte[]> g = reuseGroups.get(key);
        if (g == null || g.size() < 2) {
            return java.util.List.of(unixName(family, type, port));
        }
        int turn = reuseTurns.merge(key, 1, Integer::sum) % g.size();
        java.util.List<byte[]> out = new java.util.ArrayList<>(g.subList(turn, g.size()));
        out.addAll(g.subList(0, turn));
        return out;
    }

    /**
     * IPv6 sockets bound to [::] without IPV6_V6ONLY, by (type, port): they take IPv4 traffic
     * to their port too (as ::ffff:127.0.0.1), which an IPv4 connect or send tries when no IPv4
     * socket has the port. @GuardedBy("this")
     */
    private final java.util.Map<Long, LoopbackSocket> dualStack = new java.util.HashMap<>();

    private static long dualKey(int type, int port) {
        return (long) type << 32 | port;
    }

    synchronized void registerDualStack(int type, int port, LoopbackSocket s) {
        dualStack.put(dualKey(type, port), s);
    }

    synchronized void unregisterDualStack(int type, int port, LoopbackSocket s) {
        dualStack.remove(dualKey(type, port), s);
    }

    /** True when an IPv6 socket takes IPv4 traffic to {@code port} of {@code type}. */
    synchronized boolean dualStack(int type, int port) {
        return dualStack.containsKey(dualKey(type, port));
    }

    /** True when an abstract name of {@link #unixName} is an IPv4 one. */
    static boolean isInet4(byte[] unixSockaddr) {
        return unixSockaddr != null && unixSockaddr.length > 7 && unixSockaddr[7] == '4';
    }

    /** The next ephemeral port, in turn (the bind that takes it says whether it is free). */
    synchronized int nextEphemeral() {
        int p = nextPort;
        nextPort = p == EPHEMERAL_HIGH ? EPHEMERAL_LOW : p + 1;
        return p;
    }
}
