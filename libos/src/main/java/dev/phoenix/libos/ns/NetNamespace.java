package dev.phoenix.libos.ns;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A network namespace (network_namespaces(7)): its interfaces, their addresses, and the networks
 * its sockets live on. A new namespace has only lo, down and without addresses, as Linux's
 * loopback_net_init makes it; bringing lo up assigns 127.0.0.1/8 (inetdev_event) and ::1/128
 * (addrconf), and taking it down drops the IPv6 one, as Linux does.
 *
 * <p>The initial namespace of a host-mode run ({@link #hostInterfaces}) is the host's own: its
 * sockets are host sockets, and the interface calls ask the host; the interfaces kept here are
 * then unused. Under {@code --net none} the initial namespace has lo, up.
 *
 * <p>The sockets' side (netstack's loopback network, netlink port ids) is kept here as
 * attachments made on first use ({@link #attachment}): netstack depends on libos, not the other
 * way, so the namespace holds them by their class without knowing them, and they live and die
 * with it, which a kernel-wide map from namespace to network would have to arrange by hand.
 */
public final class NetNamespace extends Namespace {
    private final boolean host;
    /** The interfaces by index; replaced whole under this object's lock. */
    private volatile List<NetInterface> interfaces;
    private final Map<Class<?>, Object> attachments = new ConcurrentHashMap<>();

    /** A namespace owned by {@code owner}; {@code initial} for the one the first process starts in (host mode). */
    public NetNamespace(UserNamespace owner, boolean initial) {
        this(owner, initial, initial);
    }

    /**
     * A namespace owned by {@code owner}; {@code host} when its interfaces are the host's (the
     * initial namespace in host mode). An initial namespace that is not the host's ({@code --net
     * none}) starts with lo up.
     */
    public NetNamespace(UserNamespace owner, boolean initial, boolean host) {
        super(NsKind.NET, owner, initial);
        this.host = host;
        NetInterface lo = NetInterface.loopback();
        this.interfaces = List.of(initial ? up(lo) : lo);
    }

    /** A new namespace owned by {@code owner}, made by clone(2) or unshare(2) from this one: lo alone, down. */
    public NetNamespace copy(UserNamespace owner) {
        return new NetNamespace(owner, false, false);
    }

    /** True when the interfaces are the host's (the initial namespace in host mode). */
    public boolean hostInterfaces() {
        return host;
    }

    /** The interfaces, by index. */
    public List<NetInterface> interfaces() {
        return interfaces;
    }

    /** The interface with {@code index}, or null. */
    public NetInterface byIndex(int index) {
        for (NetInterface i : interfaces) {
            if (i.index() == index) {
                return i;
            }
        }
        return null;
    }

    /** The interface named {@code name}, or null. */
    public NetInterface byName(String name) {
        for (NetInterface i : interfaces) {
            if (i.name().equals(name)) {
                return i;
            }
        }
        return null;
    }

    /** True while lo is up: 127.0.0.0/8 and ::1 are reachable only then. */
    public boolean loopbackUp() {
        NetInterface lo = byIndex(1);
        return lo != null && lo.up();
    }

    /**
     * dev_change_flags: sets the changeable flags of interface {@code index} to those of
     * {@code flags}; going up or down adds or drops lo's addresses as Linux's notifiers do.
     * Returns the interface as it now is, or null when there is none.
     */
    public synchronized NetInterface changeFlags(int index, int flags) {
        NetInterface i = byIndex(index);
        if (i == null) {
            return null;
        }
        int f = (i.flags() & ~NetInterface.CHANGEABLE) | (flags & NetInterface.CHANGEABLE);
        NetInterface n = i.withFlags(f);
        if (!i.up() && n.up()) {
            n = up(n);
        } else if (i.up() && !n.up()) {
            n = down(n);
        }
        replace(n);
        return n;
    }

    /** dev_set_mtu for interface {@code index}; false when there is none. */
    public synchronized boolean setMtu(int index, int mtu) {
        NetInterface i = byIndex(index);
        if (i == null) {
            return false;
        }
        replace(i.withMtu(mtu));
        return true;
    }

    /**
     * Adds {@code a} to interface {@code index} (RTM_NEWADDR, SIOCSIFADDR): false when the
     * interface already has that address (EEXIST).
     */
    public synchronized boolean addAddress(int index, NetInterface.Address a) {
        NetInterface i = byIndex(index);
        for (NetInterface.Address x : i.addresses()) {
            if (x.is(a.family(), a.address())) {
                return false;
            }
        }
        List<NetInterface.Address> l = new ArrayList<>(i.addresses());
        l.add(a);
        replace(i.withAddresses(l));
        return true;
    }

    /** Removes {@code family}'s address {@code bytes} from interface {@code index} (RTM_DELADDR); false when absent. */
    public synchronized boolean removeAddress(int index, int family, byte[] bytes) {
        NetInterface i = byIndex(index);
        List<NetInterface.Address> l = new ArrayList<>(i.addresses());
        if (!l.removeIf(x -> x.is(family, bytes))) {
            return false;
        }
        replace(i.withAddresses(l));
        return true;
    }

    private void replace(NetInterface n) {
        List<NetInterface> l = new ArrayList<>(interfaces);
        l.replaceAll(x -> x.index() == n.index() ? n : x);
        interfaces = List.copyOf(l);
    }

    /** An interface going up: running with its carrier; lo gets 127.0.0.1/8 (when it has no IPv4 address) and ::1. */
    private static NetInterface up(NetInterface i) {
        NetInterface n = i.withFlags(i.flags() | NetInterface.IFF_UP | NetInterface.IFF_RUNNING
                | NetInterface.IFF_LOWER_UP).withQdisc("noqueue");
        if (i.type() != NetInterface.ARPHRD_LOOPBACK) {
            return n;
        }
        List<NetInterface.Address> l = new ArrayList<>(n.addresses());
        if (n.first(NetInterface.AF_INET) == null) {
            l.add(0, new NetInterface.Address(NetInterface.AF_INET, new byte[] {127, 0, 0, 1}, 8,
                    NetInterface.SCOPE_HOST, NetInterface.IFA_F_PERMANENT, i.name()));
        }
        byte[] one = new byte[16];
        one[15] = 1;
        l.add(new NetInterface.Address(NetInterface.AF_INET6, one, 128, NetInterface.SCOPE_HOST,
                NetInterface.IFA_F_PERMANENT, null));
        return n.withAddresses(l);
    }

    /** An interface going down: IPv6 addresses go (addrconf_ifdown), IPv4 ones stay. */
    private static NetInterface down(NetInterface i) {
        List<NetInterface.Address> l = new ArrayList<>(i.addresses());
        l.removeIf(a -> a.family() == NetInterface.AF_INET6);
        return i.withFlags(i.flags() & ~(NetInterface.IFF_RUNNING | NetInterface.IFF_LOWER_UP)).withAddresses(l);
    }

    /**
     * What the sockets' side keeps for this namespace under {@code key} (its loopback network,
     * its netlink port ids), made by {@code make} the first time it is asked for.
     */
    @SuppressWarnings("unchecked")
    public <T> T attachment(Class<T> key, Supplier<? extends T> make) {
        return (T) attachments.computeIfAbsent(key, k -> make.get());
    }
}
