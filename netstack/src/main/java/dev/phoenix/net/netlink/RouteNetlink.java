package dev.phoenix.net.netlink;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.ns.NetInterface;
import dev.phoenix.libos.ns.NetNamespace;
import dev.phoenix.net.Socket;
import dev.phoenix.net.netlink.Messages.Builder;
import dev.phoenix.net.netlink.Messages.Message;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * NETLINK_ROUTE's answers (rtnetlink(7)) from a {@link NetNamespace}'s interfaces: RTM_GETLINK
 * (a dump, or one interface by index or IFLA_IFNAME), RTM_GETADDR dumps, RTM_NEWLINK and
 * RTM_SETLINK changing the flags (what {@code ip link set lo up} sends) and the MTU,
 * RTM_NEWADDR and RTM_DELADDR, and empty dumps of the tables Phoenix does not keep (routes,
 * neighbours, rules). The attributes are those Linux's rtnl_fill_ifinfo and inet_fill_ifaddr /
 * inet6_fill_ifaddr put first, which is what glibc's and musl's getifaddrs, if_nameindex and
 * busybox and iproute2's {@code ip} read. Errors and acks are NLMSG_ERROR as netlink_ack writes
 * them; changes need CAP_NET_ADMIN.
 */
final class RouteNetlink {
    private RouteNetlink() {}

    static final int RTM_NEWLINK = 16, RTM_DELLINK = 17, RTM_GETLINK = 18, RTM_SETLINK = 19, RTM_NEWADDR = 20,
            RTM_DELADDR = 21, RTM_GETADDR = 22, RTM_GETROUTE = 26, RTM_GETNEIGH = 30, RTM_GETRULE = 34,
            RTM_GETQDISC = 38, RTM_GETNETCONF = 82, RTM_GETNSID = 90;
    private static final int IFLA_ADDRESS = 1, IFLA_BROADCAST = 2, IFLA_IFNAME = 3, IFLA_MTU = 4, IFLA_QDISC = 6,
            IFLA_STATS = 7, IFLA_TXQLEN = 13, IFLA_OPERSTATE = 16, IFLA_LINKMODE = 17, IFLA_STATS64 = 23,
            IFLA_GROUP = 27, IFLA_PROMISCUITY = 30, IFLA_NUM_TX_QUEUES = 31, IFLA_NUM_RX_QUEUES = 32,
            IFLA_CARRIER = 33, IFLA_MIN_MTU = 50, IFLA_MAX_MTU = 51;
    private static final int IFA_ADDRESS = 1, IFA_LOCAL = 2, IFA_LABEL = 3, IFA_CACHEINFO = 6, IFA_FLAGS = 8;
    private static final int IF_OPER_UNKNOWN = 0, IF_OPER_DOWN = 2;
    private static final int CAP_NET_ADMIN = 12;
    /** struct ifinfomsg and struct ifaddrmsg. */
    private static final int IFINFOMSG = 16, IFADDRMSG = 8;
    private static final int[] IFINFO_FIELDS = {1, 1, 2, 4, 4, 4}, IFADDR_FIELDS = {1, 1, 1, 1, 4};

    /**
     * netlink_rcv_skb: answers every message of {@code request}, sent by port {@code port};
     * returns the datagrams the sender will read, in order. A message shorter than its header or
     * longer than what is left ends the walk silently, as Linux does.
     */
    static List<byte[]> handle(NetNamespace ns, byte[] request, int port, Socket.Caller caller) {
        List<byte[]> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(request).order(ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + Messages.NLMSG_HDRLEN <= request.length;) {
            int len = b.getInt(at);
            if (len < Messages.NLMSG_HDRLEN || len > request.length - at) {
                break;
            }
            Message m = new Message(b.getShort(at + 4) & 0xffff, b.getShort(at + 6) & 0xffff, b.getInt(at + 8),
                    b.getInt(at + 12), request, at + Messages.NLMSG_HDRLEN, len);
            int err = 0;
            if ((m.flags() & Messages.NLM_F_REQUEST) != 0 && m.type() >= Messages.NLMSG_MIN_TYPE) {
                try {
                    err = one(ns, m, port, caller, out);
                } catch (Errno e) {
                    err = e.errno();
                }
            }
            if (err != 0 || (m.flags() & Messages.NLM_F_ACK) != 0) {
                out.add(ack(m, port, err));
            }
            at += Messages.align(len);
        }
        return out;
    }

    /** One request; 0 when done (its replies added to {@code out}), or the errno to report. */
    private static int one(NetNamespace ns, Message m, int port, Socket.Caller caller, List<byte[]> out) {
        boolean dump = (m.flags() & Messages.NLM_F_DUMP) == Messages.NLM_F_DUMP;
        switch (m.type()) {
            case RTM_GETLINK -> {
                if (dump) {
                    ByteArrayOutputStream all = new ByteArrayOutputStream();
                    for (NetInterface i : ns.interfaces()) {
                        all.writeBytes(link(i, Messages.NLM_F_MULTI, m.seq(), port));
                    }
                    addDump(out, all, m, port);
                    return 0;
                }
                NetInterface i = target(ns, m);
                out.add(link(i, 0, m.seq(), port));
                return 0;
            }
            case RTM_GETADDR -> {
                if (!dump) {
                    return Errno.EOPNOTSUPP; // inet_rtm_getaddr needs strict checking; a plain get is refused
                }
                int family = m.size() >= 1 ? m.u8(0) : 0;
                ByteArrayOutputStream all = new ByteArrayOutputStream();
                for (int f : new int[] {NetInterface.AF_INET, NetInterface.AF_INET6}) {
                    if (family != 0 && family != f) {
                        continue;
                    }
                    for (NetInterface i : ns.interfaces()) {
                        for (NetInterface.Address a : i.addresses()) {
                            if (a.family() == f) {
                                all.writeBytes(address(i, a, Messages.NLM_F_MULTI, m.seq(), port));
                            }
                        }
                    }
                }
                addDump(out, all, m, port);
                return 0;
            }
            case RTM_NEWLINK, RTM_SETLINK -> {
                admin(caller);
                if (m.size() < IFINFOMSG) {
                    return Errno.EINVAL;
                }
                NetInterface i;
                try {
                    i = target(ns, m);
                } catch (Errno e) {
                    // a new device (a veth, a dummy) is a kind Phoenix does not make
                    return m.type() == RTM_NEWLINK ? Errno.EOPNOTSUPP : e.errno();
                }
                Map<Integer, byte[]> attrs = m.attributes(IFINFOMSG);
                byte[] mtu = attrs.get(IFLA_MTU);
                if (mtu != null && mtu.length >= 4) {
                    int v = ByteBuffer.wrap(mtu).order(ByteOrder.LITTLE_ENDIAN).getInt();
                    if (v < 0) {
                        return Errno.EINVAL;
                    }
                    ns.setMtu(i.index(), v);
                }
                int flags = m.u32(8), change = m.u32(12);
                if (flags != 0 || change != 0) {
                    // rtnl_dev_combine_flags: ifi_change 0 means every flag, for old callers
                    int f = change == 0 ? flags : (flags & change) | (i.flags() & ~change);
                    ns.changeFlags(i.index(), f);
                }
                return 0;
            }
            case RTM_NEWADDR, RTM_DELADDR -> {
                admin(caller);
                if (m.size() < IFADDRMSG) {
                    return Errno.EINVAL;
                }
                int family = m.u8(0), prefix = m.u8(1), index = m.u32(4);
                NetInterface i = ns.byIndex(index);
                if (i == null) {
                    return Errno.ENODEV;
                }
                Map<Integer, byte[]> attrs = m.attributes(IFADDRMSG);
                byte[] local = attrs.getOrDefault(IFA_LOCAL, attrs.get(IFA_ADDRESS));
                int size = family == NetInterface.AF_INET ? 4 : family == NetInterface.AF_INET6 ? 16 : -1;
                if (size < 0) {
                    return Errno.EAFNOSUPPORT;
                }
                if (local == null || local.length != size || prefix > 8 * size) {
                    return Errno.EINVAL;
                }
                if (m.type() == RTM_DELADDR) {
                    return ns.removeAddress(index, family, local) ? 0 : Errno.EADDRNOTAVAIL;
                }
                byte[] label = attrs.get(IFA_LABEL);
                String l = family == NetInterface.AF_INET ? label != null ? Messages.string(label) : i.name() : null;
                int scope = m.u8(3);
                return ns.addAddress(index, new NetInterface.Address(family, local, prefix, scope,
                        NetInterface.IFA_F_PERMANENT, l)) ? 0 : Errno.EEXIST;
            }
            case RTM_DELLINK -> {
                admin(caller);
                return Errno.EOPNOTSUPP; // lo cannot be deleted (Linux: EOPNOTSUPP, it has no rtnl_link_ops)
            }
            case RTM_GETROUTE, RTM_GETNEIGH, RTM_GETRULE, RTM_GETQDISC, RTM_GETNETCONF, RTM_GETNSID -> {
                if (!dump) {
                    return m.type() == RTM_GETROUTE ? Errno.ENETUNREACH : Errno.EOPNOTSUPP;
                }
                addDump(out, new ByteArrayOutputStream(), m, port); // tables Phoenix keeps empty
                return 0;
            }
            default -> {
                return Errno.EOPNOTSUPP;
            }
        }
    }

    /** The interface a link request names: by ifi_index, else by IFLA_IFNAME; ENODEV when none. */
    private static NetInterface target(NetNamespace ns, Message m) {
        if (m.size() < IFINFOMSG) {
            throw Errno.of(Errno.EINVAL);
        }
        int index = m.u32(4);
        NetInterface i = null;
        if (index > 0) {
            i = ns.byIndex(index);
        } else {
            byte[] name = m.attributes(IFINFOMSG).get(IFLA_IFNAME);
            if (name != null) {
                i = ns.byName(Messages.string(name));
            }
        }
        if (i == null) {
            throw Errno.of(Errno.ENODEV);
        }
        return i;
    }

    /** Changes need CAP_NET_ADMIN over the namespace (rtnetlink_rcv_msg's netlink_net_capable). */
    private static void admin(Socket.Caller caller) {
        if (caller != null && !caller.capable().test(CAP_NET_ADMIN)) {
            throw Errno.of(Errno.EPERM);
        }
    }

    /** A dump's replies: one datagram of its messages (when any), then NLMSG_DONE in a datagram of its own. */
    private static void addDump(List<byte[]> out, ByteArrayOutputStream all, Message m, int port) {
        if (all.size() > 0) {
            out.add(all.toByteArray());
        }
        out.add(new Builder(Messages.NLMSG_DONE, Messages.NLM_F_MULTI, m.seq(), port).bytes(new byte[4]).build());
    }

    /** netlink_ack: NLMSG_ERROR with {@code err} (0 for an ack, which quotes only the header; an error quotes the message). */
    private static byte[] ack(Message m, int port, int err) {
        byte[] quoted = err == 0 ? java.util.Arrays.copyOf(m.bytes(), Messages.NLMSG_HDRLEN) : m.bytes();
        return new Builder(Messages.NLMSG_ERROR, err == 0 ? Messages.NLM_F_CAPPED : 0, m.seq(), port)
                .fields(new int[] {4}, -err).bytes(quoted).build();
    }

    /** rtnl_fill_ifinfo: RTM_NEWLINK for interface {@code i}. */
    static byte[] link(NetInterface i, int flags, int seq, int port) {
        boolean up = i.up();
        return new Builder(RTM_NEWLINK, flags, seq, port)
                .fields(IFINFO_FIELDS, 0, 0, i.type(), i.index(), i.flags(), 0)
                .string(IFLA_IFNAME, i.name())
                .u32(IFLA_TXQLEN, i.txqlen())
                .u8(IFLA_OPERSTATE, up ? IF_OPER_UNKNOWN : IF_OPER_DOWN)
                .u8(IFLA_LINKMODE, 0)
                .u32(IFLA_MTU, i.mtu())
                .u32(IFLA_MIN_MTU, 0)
                .u32(IFLA_MAX_MTU, 0)
                .u32(IFLA_GROUP, 0)
                .u32(IFLA_PROMISCUITY, 0)
                .u32(IFLA_NUM_TX_QUEUES, 1)
                .u32(IFLA_NUM_RX_QUEUES, 1)
                .u8(IFLA_CARRIER, 1)
                .attr(IFLA_ADDRESS, i.hwaddr())
                .attr(IFLA_BROADCAST, new byte[i.hwaddr().length])
                .attr(IFLA_STATS64, new byte[25 * 8]) // struct rtnl_link_stats64: Phoenix counts no packets
                .attr(IFLA_STATS, new byte[24 * 4]) // struct rtnl_link_stats
                .string(IFLA_QDISC, i.qdisc())
                .build();
    }

    /** inet_fill_ifaddr and inet6_fill_ifaddr: RTM_NEWADDR for address {@code a} of {@code i}. */
    static byte[] address(NetInterface i, NetInterface.Address a, int flags, int seq, int port) {
        Builder b = new Builder(RTM_NEWADDR, flags, seq, port)
                .fields(IFADDR_FIELDS, a.family(), a.prefixLength(), a.flags() & 0xff, a.scope(), i.index())
                .attr(IFA_ADDRESS, a.address());
        if (a.family() == NetInterface.AF_INET) {
            b.attr(IFA_LOCAL, a.address());
            b.string(IFA_LABEL, a.label() != null ? a.label() : i.name());
        }
        // struct ifa_cacheinfo: preferred and valid lifetimes forever, timestamps 0
        byte[] cache = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(-1).putInt(-1).array();
        return b.u32(IFA_FLAGS, a.flags()).attr(IFA_CACHEINFO, cache).build();
    }
}
