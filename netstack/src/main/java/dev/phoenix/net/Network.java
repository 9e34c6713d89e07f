package dev.phoenix.net;

/**
 * Where a kernel's AF_INET and AF_INET6 sockets live: the host's network (host mode, the
 * default) or a loopback of Phoenix's own that nothing outside the run can reach ({@code --net
 * none}).
 */
public interface Network extends AutoCloseable {
    /** socket(2) for AF_INET or AF_INET6 with {@code type} (SOCK_STREAM, SOCK_DGRAM, ...) and {@code protocol}. */
    Socket open(int family, int type, int protocol, boolean nonBlocking);

    /** The kernel's run is over: threads the network keeps end. */
    @Override
    default void close() {}
}
