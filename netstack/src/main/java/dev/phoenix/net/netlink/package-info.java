/**
 * AF_NETLINK sockets of the NETLINK_ROUTE protocol (netlink(7), rtnetlink(7)) for network
 * namespaces that are Phoenix's own: {@link dev.phoenix.net.netlink.NetlinkSocket} is the socket
 * (port ids, a queue of replies), {@link dev.phoenix.net.netlink.RouteNetlink} answers the
 * requests from the namespace's interfaces, and {@link dev.phoenix.net.netlink.Messages} writes
 * and reads nlmsghdr and rtattr. A socket's lock guards its queue and port id; the namespace's
 * own lock, taken inside it, guards the interfaces.
 */
package dev.phoenix.net.netlink;
