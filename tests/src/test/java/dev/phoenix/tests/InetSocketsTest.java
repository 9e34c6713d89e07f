package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * AF_INET and AF_INET6 sockets in host mode (issue 15): {@code inetsock.c} runs TCP echo servers
 * in a child and in a thread (1 MiB through one while a child writes), UDP with source addresses,
 * truncation and timeouts, IPv6 on ::1, non-blocking connect, a refused connection, half-close,
 * resets, EPIPE, socket options, SO_REUSEPORT listeners sharing a port, poll, select and epoll,
 * all on 127.0.0.1 at ephemeral ports,
 * sendfile into a socket and into a file (the host's own transfer in host mode), and resolves
 * "localhost" from /etc/hosts (on any machine: only that it is a loopback address). The
 * expected output is what it prints natively on x86_64 (Linux 6.18), where each run is also
 * compared with a native one; aarch64 and riscv64 must print the same, and so must every target
 * under {@code --net none}, where the sockets are Phoenix's own. The timeout is a hang guard only.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
class InetSocketsTest {
    private static final String INETSOCK = """
            listener: port chosen 1, SO_ACCEPTCONN 1, SO_TYPE 1, SO_DOMAIN 2, SO_PROTOCOL 6
            client 0: connect ok, peer is the listener 1, my address 127.0.0.1 1, 100 of 100 echoed
            client 1: connect ok, peer is the listener 1, my address 127.0.0.1 1, 100 of 100 echoed
            client 2: connect ok, peer is the listener 1, my address 127.0.0.1 1, 100 of 100 echoed
            echo server exit 0
            TCP_NODELAY: ok, reads back 1
            thread server: 200 of 200 echoed
            1 MiB through the echo: 1048576 bytes, same 1, writer exit 0
            then end of file: 0
            thread echoed 1052266 bytes
            bind to a port in use: EADDRINUSE
            bind twice: EINVAL
            bind with the wrong family: EAFNOSUPPORT
            bind with a short address: EINVAL
            connect to a closed port: ECONNREFUSED
            non-blocking connect: EINPROGRESS
            poll for POLLOUT: 1, SO_ERROR ok
            connect again: ok
            recv on an empty non-blocking socket: EAGAIN
            MSG_PEEK: 4 peek, FIONREAD 10, recv 10 peek-a-boo
            after the peer's SHUT_WR: POLLIN 1 POLLRDHUP 1, read 0
            the other way still works: 5, 5
            write after my SHUT_WR: EPIPE
            the peer closed with unread bytes: POLLIN 1 POLLHUP 1 POLLERR 1, recv ECONNRESET, then 0
            send after the reset: EPIPE
            recv with a 30 ms timeout: EAGAIN, after at least 30 ms 1
            SO_LINGER: ok, reads back 1 0
            SO_KEEPALIVE 1, SO_REUSEADDR of the listener 1
            TCP_INFO: ok, state ESTABLISHED 1
            UDP sendto: 4
            recvfrom: 4 ping, from a's port 1, addrlen 16
            a 9-byte datagram into 4: 4, MSG_TRUNC 1
            with MSG_TRUNC the whole length: 9
            recv with a timeout: EAGAIN
            MSG_DONTWAIT: EAGAIN
            connect a to b: ok, send 11, received 11
            5 datagrams, 5 received: 1
            send on an unconnected UDP socket: EDESTADDRREQ
            getpeername: ENOTCONN
            IPV6_V6ONLY default 0, set 1
            bind [::1]: ok, addrlen 28
            connect [::1]: ok, read 3 six
            epoll, nothing yet: 0
            epoll_wait wakes for a connection: 1, data 1
            edge-triggered: 9 bytes, EPOLLRDHUP 1
            select says readable at end of file: 1 1
            child exit 0
            SOCK_SEQPACKET over IPv4: ESOCKTNOSUPPORT
            UDP with IPPROTO_TCP: EPROTONOSUPPORT
            listen before bind picks a port: ok
            recv unconnected: ENOTCONN
            send unconnected: EPIPE
            accept unlistened: EINVAL
            shutdown unconnected: ENOTCONN
            unknown TCP option: ENOPROTOOPT
            SO_REUSEPORT: a second bind ok, one without it EADDRINUSE, 4 connections, accepted 4
            sendfile into TCP: 60000, offset 61000, received 60000, same 1
            without an offset: 10, the file position moves to 15
            file to file: 200000, offset 200000, read back 200000, same 1
            into an O_APPEND file: EINVAL
            getaddrinfo(localhost): ok, some addresses 1, all loopback 1
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void internetSocketsAreTheHostsAndBehaveAsOnLinux(Target t) throws Exception {
        Guests.runsAsExpected(t, "inetsock", new Result(0, INETSOCK, ""));
    }

    /** With --net none the same program talks over Phoenix's own loopback, and Linux's answers stay. */
    @ParameterizedTest
    @EnumSource(Target.class)
    void theIsolatedLoopbackBehavesAsLinuxsToo(Target t) {
        assertEquals(new Result(0, INETSOCK, ""),
                Guests.phoenix("run", "--net", "none", Guests.binary(t, "inetsock").toString()));
    }
}
