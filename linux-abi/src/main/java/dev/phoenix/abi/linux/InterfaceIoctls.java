package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.host.HostNet;
import dev.phoenix.emu.host.HostOs;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.ns.NetInterface;
import dev.phoenix.libos.ns.NetNamespace;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The interface ioctls of netdevice(7) on any socket: SIOCGIFCONF, SIOCGIFFLAGS, SIOCSIFFLAGS,
 * SIOCGIFINDEX, SIOCGIFNAME, SIOCGIFMTU, SIOCSIFMTU, SIOCGIFTXQLEN, SIOCGIFMETRIC,
 * SIOCGIFHWADDR, and the IPv4 address ones (SIOCGIFADDR, SIOCGIFNETMASK, SIOCGIFBRDADDR,
 * SIOCGIFDSTADDR), in the caller's network namespace. In the host's namespace (host mode) the
 * host answers them on a host socket, as it answers the socket calls; in a namespace of
 * Phoenix's own they follow Linux's dev_ifsioc_locked, dev_ifsioc and devinet_ioctl over the
 * namespace's {@link NetInterface}s. struct ifreq (40 bytes: a 16-byte name, then a 24-byte
 * union) and struct ifconf (int length, then a pointer at 8) have one layout on x86_64, arm64
 * and riscv64, and the numbers are the asm-generic sockios ones on all three.
 */
final class InterfaceIoctls {
    private InterfaceIoctls() {}

    static final int SIOCGIFNAME = 0x8910, SIOCGIFCONF = 0x8912, SIOCGIFFLAGS = 0x8913, SIOCSIFFLAGS = 0x8914,
            SIOCGIFADDR = 0x8915, SIOCGIFDSTADDR = 0x8917, SIOCGIFBRDADDR = 0x8919, SIOCGIFNETMASK = 0x891b,
            SIOCGIFMETRIC = 0x891d, SIOCGIFMTU = 0x8921, SIOCSIFMTU = 0x8922, SIOCGIFHWADDR = 0x8927,
            SIOCGIFINDEX = 0x8933, SIOCGIFTXQLEN = 0x8942;
    private static final int IFREQ = 40, IFNAMSIZ = 16, IFCONF = 16;
    private static final int CAP_NET_ADMIN = 12;
    private static final int AF_INET = 2, SOCK_DGRAM = 2, SOCK_CLOEXEC = 02000000;

    /** True for the requests this class answers. */
    static boolean handles(int request) {
        return switch (request) {
            case SIOCGIFNAME, SIOCGIFCONF, SIOCGIFFLAGS, SIOCSIFFLAGS, SIOCGIFADDR, SIOCGIFDSTADDR, SIOCGIFBRDADDR,
                    SIOCGIFNETMASK, SIOCGIFMETRIC, SIOCGIFMTU, SIOCSIFMTU, SIOCGIFHWADDR, SIOCGIFINDEX,
                    SIOCGIFTXQLEN -> true;
            default -> false;
        };
    }

    /** Implements interface ioctl {@code request} with the guest's struct at {@code arg}. */
    static long ioctl(SyscallContext c, int request, long arg) {
        NetNamespace ns = c.process().namespaces.net();
        if (request == SIOCGIFCONF) {
            return ns.hostInterfaces() ? hostConf(c, arg) : conf(c, ns, arg);
        }
        byte[] ifr = c.memory().read(arg, IFREQ);
        if (ns.hostInterfaces()) {
            return host(c, request, arg, ifr);
        }
        ByteBuffer b = ByteBuffer.wrap(ifr).order(ByteOrder.LITTLE_ENDIAN);
        if (request == SIOCGIFNAME) { // by ifr_ifindex
            NetInterface i = ns.byIndex(b.getInt(IFNAMSIZ));
            if (i == null) {
                return -Errno.ENODEV;
            }
            byte[] name = new byte[IFNAMSIZ];
            byte[] n = i.name().getBytes(StandardCharsets.UTF_8);
            System.arraycopy(n, 0, name, 0, Math.min(n.length, IFNAMSIZ - 1));
            c.memory().write(arg, name);
            return 0;
        }
        NetInterface i = ns.byName(name(ifr));
        if (i == null) {
            return -Errno.ENODEV;
        }
        switch (request) {
            case SIOCGIFFLAGS -> b.putShort(IFNAMSIZ, (short) i.flags());
            case SIOCGIFINDEX -> b.putInt(IFNAMSIZ, i.index());
            case SIOCGIFMTU -> b.putInt(IFNAMSIZ, i.mtu());
            case SIOCGIFTXQLEN -> b.putInt(IFNAMSIZ, i.txqlen());
            case SIOCGIFMETRIC -> b.putInt(IFNAMSIZ, 0);
            case SIOCGIFHWADDR -> { // sa_family is the ARP hardware type, sa_data the address
                java.util.Arrays.fill(ifr, IFNAMSIZ, IFNAMSIZ + 16, (byte) 0);
                b.putShort(IFNAMSIZ, (short) i.type());
                System.arraycopy(i.hwaddr(), 0, ifr, IFNAMSIZ + 2, Math.min(i.hwaddr().length, 14));
            }
            case SIOCSIFFLAGS, SIOCSIFMTU -> {
                if (!dev.phoenix.net.Socket.Caller.capableOverNetwork(c.process()).test(CAP_NET_ADMIN)) {
                    return -Errno.EPERM;
                }
                if (request == SIOCSIFFLAGS) {
                    // dev_change_flags keeps the flags only the kernel sets (IFF_RUNNING, IFF_LOWER_UP ...)
                    ns.changeFlags(i.index(), b.getShort(IFNAMSIZ) & 0xffff);
                } else {
                    int mtu = b.getInt(IFNAMSIZ);
                    if (mtu < 0) {
                        return -Errno.EINVAL;
                    }
                    ns.setMtu(i.index(), mtu);
                }
                return 0;
            }
            case SIOCGIFADDR, SIOCGIFNETMASK, SIOCGIFBRDADDR, SIOCGIFDSTADDR -> {
                NetInterface.Address a = labelled(i, name(ifr));
                if (a == null) {
                    return -Errno.EADDRNOTAVAIL; // devinet_ioctl: no address with this label
                }
                byte[] v = switch (request) {
                    case SIOCGIFNETMASK -> mask(a.prefixLength());
                    case SIOCGIFBRDADDR -> new byte[4];
                    default -> a.address();
                };
                java.util.Arrays.fill(ifr, IFNAMSIZ, IFNAMSIZ + 16, (byte) 0);
                b.putShort(IFNAMSIZ, (short) AF_INET);
                System.arraycopy(v, 0, ifr, IFNAMSIZ + 4, 4);
            }
            default -> {
                return -Errno.ENOTTY;
            }
        }
        c.memory().write(arg, ifr);
        return 0;
    }

    /** ifr_name, cut at its NUL or at IFNAMSIZ - 1 (dev_ioctl ends the name there). */
    private static String name(byte[] ifr) {
        int n = 0;
        while (n < IFNAMSIZ - 1 && ifr[n] != 0) {
            n++;
        }
        return new String(ifr, 0, n, StandardCharsets.UTF_8);
    }

    /** The IPv4 address of {@code i} whose label is {@code label} (devinet_ioctl looks addresses up by label). */
    private static NetInterface.Address labelled(NetInterface i, String label) {
        for (NetInterface.Address a : i.addresses()) {
            if (a.family() == NetInterface.AF_INET && label.equals(a.label())) {
                return a;
            }
        }
        return null;
    }

    private static byte[] mask(int prefix) {
        int m = prefix == 0 ? 0 : -1 << (32 - prefix);
        return new byte[] {(byte) (m >>> 24), (byte) (m >>> 16), (byte) (m >>> 8), (byte) m};
    }

    /**
     * SIOCGIFCONF (dev_ifconf, inet_gifconf): one ifreq per IPv4 address, named by its label,
     * as many as fit in ifc_len; with a NULL ifc_buf only the length all of them need.
     */
    private static long conf(SyscallContext c, NetNamespace ns, long arg) {
        int len = c.memory().readInt(arg);
        long buf = c.memory().readLong(arg + 8);
        int used = 0;
        for (NetInterface i : ns.interfaces()) {
            for (NetInterface.Address a : i.addresses()) {
                if (a.family() != NetInterface.AF_INET) {
                    continue;
                }
                if (buf != 0) {
                    if (len - used < IFREQ) {
                        break;
                    }
                    c.memory().write(buf + used, entry(a.label(), a.address()));
                }
                used += IFREQ;
            }
        }
        c.memory().writeInt(arg, used);
        return 0;
    }

    private static byte[] entry(String label, byte[] address) {
        byte[] e = new byte[IFREQ];
        byte[] n = label.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(n, 0, e, 0, Math.min(n.length, IFNAMSIZ - 1));
        e[IFNAMSIZ] = AF_INET;
        System.arraycopy(address, 0, e, IFNAMSIZ + 4, 4);
        return e;
    }

    /** An ifreq request passed to the host on a host socket of its own; the struct written back on success. */
    private static long host(SyscallContext c, int request, long arg, byte[] ifr) {
        int fd;
        try {
            fd = HostNet.socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        } catch (HostOs.HostError e) {
            return -e.errno();
        }
        try {
            int r = HostOs.ioctl(fd, request, ifr);
            if (r < 0) {
                return r;
            }
            c.memory().write(arg, ifr);
            return r;
        } finally {
            HostOs.close(fd);
        }
    }

    /**
     * SIOCGIFCONF of the host's namespace: its IPv4 addresses as Java's NetworkInterface lists
     * them (each interface by index, with the name of the address's alias), since the host's
     * answer holds a pointer into the guest's memory that a host ioctl cannot write.
     */
    private static long hostConf(SyscallContext c, long arg) {
        int len = c.memory().readInt(arg);
        long buf = c.memory().readLong(arg + 8);
        java.util.List<java.net.NetworkInterface> all = new java.util.ArrayList<>();
        try {
            java.util.Enumeration<java.net.NetworkInterface> e = java.net.NetworkInterface.getNetworkInterfaces();
            while (e != null && e.hasMoreElements()) {
                java.net.NetworkInterface n = e.nextElement();
                all.add(n);
                all.addAll(java.util.Collections.list(n.getSubInterfaces()));
            }
        } catch (java.net.SocketException e) {
            return -Errno.EIO;
        }
        all.sort(java.util.Comparator.comparingInt(java.net.NetworkInterface::getIndex));
        int used = 0;
        for (java.net.NetworkInterface n : all) {
            java.util.List<java.net.InetAddress> addrs = java.util.Collections.list(n.getInetAddresses());
            java.util.Collections.reverse(addrs); // Java lists the latest first
            for (java.net.InetAddress a : addrs) {
                if (!(a instanceof java.net.Inet4Address)) {
                    continue;
                }
                if (buf != 0) {
                    if (len - used < IFREQ) {
                        break;
                    }
                    c.memory().write(buf + used, entry(n.getName(), a.getAddress()));
                }
                used += IFREQ;
            }
        }
        c.memory().writeInt(arg, used);
        return 0;
    }
}
