package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.ns.NetNamespace;
import dev.phoenix.net.Socket;
import dev.phoenix.net.netlink.NetlinkSocket;

/**
 * socket(2) for AF_NETLINK: in the host's network namespace (host mode) a host netlink socket,
 * so rtnetlink answers with the host's interfaces, addresses and routes exactly; in a namespace
 * of Phoenix's own a {@link NetlinkSocket} answering from that namespace's interfaces.
 */
final class NetlinkSockets {
    private NetlinkSockets() {}

    static final int AF_NETLINK = NetlinkSocket.AF_NETLINK;

    /** Opens a netlink socket of {@code type} and {@code protocol} in the caller's network namespace. */
    static Socket open(SyscallContext c, int type, int protocol, boolean nonBlocking) {
        NetNamespace ns = c.process().namespaces.net();
        if (ns.hostInterfaces()) {
            return c.kernel().network(ns).open(AF_NETLINK, type, protocol, nonBlocking);
        }
        return NetlinkSocket.open(c.kernel().clock(), ns, type, protocol, nonBlocking);
    }
}
