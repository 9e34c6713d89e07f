package dev.phoenix.net.loopback;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.PollEvents;
import dev.phoenix.net.Ancillary;
import dev.phoenix.net.ReplySocket;
import dev.phoenix.net.Socket;

/**
 * An ICMP socket of the isolated loopback, for ping: a ping socket (SOCK_DGRAM, IPPROTO_ICMP,
 * icmp(7)), whose echo requests get replies carrying the socket's identifier, or a raw one
 * (SOCK_RAW, for a guest with CAP_NET_RAW), whose replies come with their IPv4 header as on
 * Linux. The loopback answers every echo request to 127.0.0.0/8 at once; other ICMP messages
 * and other destinations go nowhere (ENETUNREACH beyond the loopback).
 */
final class IcmpSocket extends ReplySocket {
    static final int IPPROTO_ICMP = 1;
    private static final int ECHO_REPLY = 0, ECHO_REQUEST = 8, ICMP_HEADER = 8, IP_HEADER = 20, SIN_LEN = 16;
    /** SOL_RAW (255), the level of ICMP_FILTER. */
    private static final int SOL_RAW = 255;

    private final LoopbackNetwork net;
    private final boolean raw;
    /** The identifier a ping socket puts in its requests (its "port"), from bind or the first send. */
    private int identifier = -1;
    private byte[] local, remote;

    IcmpSocket(LoopbackNetwork net, boolean raw, boolean nonBlocking) {
        super(net.clock, AF_INET, raw ? SOCK_RAW : SOCK_DGRAM, nonBlocking);
        this.net = net;
        this.raw = raw;
    }



    @Override
    public int protocol() {
        return IPPROTO_ICMP;
    }

    /** A sockaddr_in of 127.0.0.0/8 (or the any address, which is this host); ENETUNREACH for another. */
    private byte[] loopbackAddress(byte[] a, boolean forBind) {
        if (a.length < SIN_LEN) {
            throw Errno.of(Errno.EINVAL);
        }
        if (((a[0] & 0xff) | (a[1] & 0xff) << 8) != AF_INET) {
            throw Errno.of(Errno.EAFNOSUPPORT);
        }
        boolean any = a[4] == 0 && a[5] == 0 && a[6] == 0 && a[7] == 0;
        if (!any && a[4] != 127) {
            throw Errno.of(forBind ? Errno.EADDRNOTAVAIL : Errno.ENETUNREACH);
        }
        if (!forBind && !net.up()) {
            throw Errno.of(Errno.ENETUNREACH); // lo is down: no route
        }
        byte[] sa = java.util.Arrays.copyOf(a, SIN_LEN);
        if (any && !forBind) {
            sa[4] = 127;
            sa[7] = 1;
        }
        return sa;
    }

    @Override
    public synchronized void bind(byte[] address, Caller caller) {
        if (local != null) {
            throw Errno.of(Errno.EINVAL);
        }
        local = loopbackAddress(address, true);
        int port = (local[2] & 0xff) << 8 | (local[3] & 0xff);
        identifier = port != 0 ? port : net.nextEphemeral();
    }

    @Override
    public void listen(int backlog, Caller caller) {
        throw Errno.of(Errno.EOPNOTSUPP);
    }

    @Override
    public Socket accept(boolean nonBlocking) {
        throw Errno.of(Errno.EOPNOTSUPP);
    }

    @Override
    public synchronized void connect(byte[] address, Caller caller) {
        if (address.length >= 2 && ((address[0] & 0xff) | (address[1] & 0xff) << 8) == AF_UNSPEC) {
            remote = null;
            return;
        }
        remote = loopbackAddress(address, false);
    }

    @Override
    public synchronized byte[] localAddress() {
        if (local != null) {
            return local.clone();
        }
        byte[] sa = new byte[SIN_LEN];
        sa[0] = (byte) AF_INET;
        return sa;
    }

    @Override
    public synchronized byte[] peerAddress() {
        if (remote == null) {
            throw Errno.of(Errno.ENOTCONN);
        }
        return remote.clone();
    }

    @Override
    protected boolean listening() {
        return false;
    }

    /**
     * ping_v4_sendmsg and raw_sendmsg for ICMP: an echo request (a ping socket takes nothing else,
     * EINVAL) is answered at once by the loopback; what the request asked for comes back as the
     * reply, with the type, the checksum and (for a ping socket) the identifier set.
     */
    @Override
    public int send(byte[] data, int offset, int length, byte[] address, Ancillary rights, int flags, Caller caller) {
        if (rights != null) {
            rights.release();
            throw Errno.of(Errno.EINVAL);
        }
        byte[] to;
        synchronized (this) {
            to = address != null ? loopbackAddress(address, false) : remote;
            if (to == null) {
                throw Errno.of(Errno.EDESTADDRREQ);
            }
            if (length < ICMP_HEADER) {
                throw Errno.of(Errno.EINVAL);
            }
            if (!raw && identifier < 0) {
                identifier = net.nextEphemeral();
            }
        }
        byte[] icmp = java.util.Arrays.copyOfRange(data, offset, offset + length);
        if ((icmp[0] & 0xff) != ECHO_REQUEST || icmp[1] != 0) {
            if (!raw) {
                throw Errno.of(Errno.EINVAL);
            }
            return length; // another ICMP message: nothing on the loopback answers it
        }
        icmp[0] = ECHO_REPLY;
        if (!raw) {
            icmp[4] = (byte) (identifier >> 8);
            icmp[5] = (byte) identifier;
        }
        icmp[2] = 0;
        icmp[3] = 0;
        int sum = checksum(icmp, 0, icmp.length);
        icmp[2] = (byte) (sum >> 8);
        icmp[3] = (byte) sum;
        byte[] reply = raw ? withIpHeader(icmp, to) : icmp;
        synchronized (this) {
            replies.add(new Reply(reply, java.util.Arrays.copyOf(to, SIN_LEN)));
        }
        changed.wakeAll();
        return length;
    }

    /** The reply as a raw socket reads it: an IPv4 header from {@code from} to 127.0.0.1, then the ICMP message. */
    private static byte[] withIpHeader(byte[] icmp, byte[] from) {
        byte[] p = new byte[IP_HEADER + icmp.length];
        p[0] = 0x45;
        int total = p.length;
        p[2] = (byte) (total >> 8);
        p[3] = (byte) total;
        p[6] = 0x40; // don't fragment
        p[8] = 64; // TTL
        p[9] = IPPROTO_ICMP;
        System.arraycopy(from, 4, p, 12, 4);
        p[16] = 127;
        p[19] = 1;
        int sum = checksum(p, 0, IP_HEADER);
        p[10] = (byte) (sum >> 8);
        p[11] = (byte) sum;
        System.arraycopy(icmp, 0, p, IP_HEADER, icmp.length);
        return p;
    }

    /** The Internet checksum (RFC 1071) of {@code b[offset..offset+length)}. */
    private static int checksum(byte[] b, int offset, int length) {
        long sum = 0;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += (b[offset + i] & 0xff) << 8 | (b[offset + i + 1] & 0xff);
        }
        if ((length & 1) != 0) {
            sum += (b[offset + length - 1] & 0xff) << 8;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) ~sum & 0xffff;
    }

    @Override
    public void shutdown(int how) {
        throw Errno.of(Errno.ENOTCONN);
    }

    @Override
    public synchronized int pollEvents() {
        return PollEvents.POLLOUT | PollEvents.POLLWRNORM | PollEvents.POLLWRBAND
                | (replies.isEmpty() ? 0 : PollEvents.POLLIN | PollEvents.POLLRDNORM);
    }

    /** IP-level and SOL_RAW options (IP_TTL, IP_RECVERR, ICMP_FILTER ...) are taken and read as 0. */
    @Override
    protected byte[] protocolOption(int level, int name) {
        if (level != 0 && level != SOL_RAW) {
            throw Errno.of(Errno.ENOPROTOOPT);
        }
        return intValue(0);
    }

    @Override
    protected void setProtocolOption(int level, int name, byte[] value) {
        if (level != 0 && level != SOL_RAW) {
            throw Errno.of(Errno.ENOPROTOOPT);
        }
    }
}
