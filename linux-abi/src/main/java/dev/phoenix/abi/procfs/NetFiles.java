package dev.phoenix.abi.procfs;

import dev.phoenix.libos.ns.NetInterface;
import dev.phoenix.libos.ns.NetNamespace;
import dev.phoenix.libos.proc.Process;
import java.util.HexFormat;
import java.util.List;

/**
 * /proc/net/dev and /proc/net/if_inet6 of the reader's network namespace, what busybox ifconfig
 * and net-tools read beside the interface ioctls: the host's own files when the namespace is
 * the host's (host mode), else the namespace's interfaces in the formats of Linux's
 * dev_seq_show and if6_seq_show, with zero counters (Phoenix counts no packets).
 */
final class NetFiles {
    private NetFiles() {}

    /** The files, relative to /proc. */
    static final List<String> NAMES = List.of("net/dev", "net/if_inet6");

    /** The text of {@code rel} as {@code p} reads it, or null when it is not one of these. */
    static String text(String rel, Process p) {
        if (!NAMES.contains(rel)) {
            return null;
        }
        NetNamespace ns = p.namespaces.net();
        if (ns.hostInterfaces()) {
            try {
                return java.nio.file.Files.readString(java.nio.file.Path.of("/proc", rel));
            } catch (java.io.IOException e) {
                return ""; // not a Linux host
            }
        }
        return rel.equals("net/dev") ? dev(ns.interfaces()) : ifInet6(ns.interfaces());
    }

    private static String dev(List<NetInterface> interfaces) {
        StringBuilder sb = new StringBuilder("Inter-|   Receive                                                |  Transmit\n")
                .append(" face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs "
                        + "drop fifo colls carrier compressed\n");
        for (NetInterface i : interfaces) {
            sb.append(String.format("%6s: %7d %7d %4d %4d %4d %5d %10d %9d %8d %7d %4d %4d %4d %5d %7d %10d%n",
                    i.name(), 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        }
        return sb.toString();
    }

    /** One line per IPv6 address: address, interface index, prefix length, scope, flags (all hex), name. */
    private static String ifInet6(List<NetInterface> interfaces) {
        StringBuilder sb = new StringBuilder();
        for (NetInterface i : interfaces) {
            for (NetInterface.Address a : i.addresses()) {
                if (a.family() == NetInterface.AF_INET6) {
                    // if6_seq_show prints the scope as ipv6_addr_scope's value: 0x10 for host scope (::1)
                    int scope = a.scope() == NetInterface.SCOPE_HOST ? 0x10 : 0;
                    sb.append(String.format("%s %02x %02x %02x %02x %8s%n", HexFormat.of().formatHex(a.address()),
                            i.index(), a.prefixLength(), scope, a.flags(), i.name()));
                }
            }
        }
        return sb.toString();
    }
}
