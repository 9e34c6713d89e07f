package dev.phoenix.libos.ns;

import java.util.List;

/**
 * A network interface of a {@link NetNamespace} as Linux's {@code struct net_device} shows it to
 * netdevice(7) ioctls and rtnetlink(7): index, name, ARP hardware type, flags, MTU, transmit
 * queue length, hardware address and the addresses assigned to it. Immutable: the namespace
 * replaces an interface whole when it changes, so readers need no lock.
 *
 * @param flags the IFF_* flags as dev_get_flags reports them (IFF_RUNNING and IFF_LOWER_UP
 *     included; the 16-bit ifr_flags of SIOCGIFFLAGS are the low half)
 * @param qdisc the queueing discipline's name: "noop" until the interface first goes up, then the
 *     one dev_activate attached ("noqueue" for lo), which stays after it goes down
 */
public record NetInterface(int index, String name, int type, int flags, int mtu, int txqlen, byte[] hwaddr,
        List<Address> addresses, String qdisc) {
    public static final int IFF_UP = 0x1, IFF_BROADCAST = 0x2, IFF_LOOPBACK = 0x8, IFF_RUNNING = 0x40,
            IFF_NOARP = 0x80, IFF_PROMISC = 0x100, IFF_ALLMULTI = 0x200, IFF_MULTICAST = 0x1000,
            IFF_LOWER_UP = 0x10000;
    /** ARPHRD_LOOPBACK, the hardware type of lo. */
    public static final int ARPHRD_LOOPBACK = 772;
    /** The flags a caller may change (dev_change_flags' mask, less those Phoenix has no use for). */
    public static final int CHANGEABLE = IFF_UP | IFF_PROMISC | IFF_ALLMULTI;
    /** RT_SCOPE_HOST: an address valid only inside this host (lo's). */
    public static final int SCOPE_HOST = 254;
    /** IFA_F_PERMANENT: an address configured rather than learnt. */
    public static final int IFA_F_PERMANENT = 0x80;
    public static final int AF_INET = 2, AF_INET6 = 10;

    /**
     * An address assigned to an interface (Linux's in_ifaddr and inet6_ifaddr): its family, bytes
     * (4 or 16), prefix length, scope, IFA_F_* flags and label (IPv4 only; null for IPv6).
     */
    public record Address(int family, byte[] address, int prefixLength, int scope, int flags, String label) {
        /** True when this is {@code family}'s address {@code bytes}. */
        public boolean is(int family, byte[] bytes) {
            return this.family == family && java.util.Arrays.equals(address, bytes);
        }
    }

    /** lo as a new network namespace makes it (loopback_net_init): down, no addresses, MTU 65536. */
    static NetInterface loopback() {
        return new NetInterface(1, "lo", ARPHRD_LOOPBACK, IFF_LOOPBACK, 65536, 1000, new byte[6], List.of(), "noop");
    }

    /** True while IFF_UP is set. */
    public boolean up() {
        return (flags & IFF_UP) != 0;
    }

    /** This interface with {@code flags}. */
    NetInterface withFlags(int flags) {
        return new NetInterface(index, name, type, flags, mtu, txqlen, hwaddr, addresses, qdisc);
    }

    /** This interface with queueing discipline {@code qdisc}. */
    NetInterface withQdisc(String qdisc) {
        return new NetInterface(index, name, type, flags, mtu, txqlen, hwaddr, addresses, qdisc);
    }

    /** This interface with {@code mtu}. */
    NetInterface withMtu(int mtu) {
        return new NetInterface(index, name, type, flags, mtu, txqlen, hwaddr, addresses, qdisc);
    }

    /** This interface with {@code addresses}. */
    NetInterface withAddresses(List<Address> addresses) {
        return new NetInterface(index, name, type, flags, mtu, txqlen, hwaddr, List.copyOf(addresses), qdisc);
    }

    /** The first address of {@code family}, or null. */
    public Address first(int family) {
        for (Address a : addresses) {
            if (a.family() == family) {
                return a;
            }
        }
        return null;
    }
}
