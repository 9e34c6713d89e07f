package dev.phoenix.tests;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * AF_UNIX sockets (issue 15): {@code unixsock.c} uses stream, datagram and seqpacket sockets,
 * socketpair, names in the file system and in the abstract namespace, connections from child
 * processes, descriptor and credential passing, socket options, ioctls, poll, select and epoll
 * (an epoll inside another too), splice and sendfile with socket ends, and Linux's errors. The
 * expected output is what it prints natively on x86_64 (Linux 6.18), where each run is also
 * compared with a native one; aarch64 and riscv64 must print the same. The timeout is a hang
 * guard only.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
class UnixSocketsTest {
    private static final String UNIXSOCK = """
            socketpair stream: ok
            fstat: socket 1, mode 777
            fd link starts with socket:[ 1
            F_GETFL 2
            names: len 2 unnamed, peer len 2 unnamed
            SO_TYPE 1 SO_DOMAIN 1 SO_PROTOCOL 0 SO_ACCEPTCONN 0 SO_ERROR 0
            SO_SNDBUF 212992 SO_RCVBUF 212992
            SO_SNDBUF after setting 65536: 131072
            SO_SNDBUF after setting 1: 4608
            unknown option: ENOPROTOOPT, unknown level: EOPNOTSUPP
            SO_PEERCRED: len 12, pid is mine 1, uid 1, gid 1
            events, idle: OUT / OUT
            write: 5
            send: 7
            FIONREAD 12, events IN|OUT
            MSG_PEEK: 3 hel
            read: 12 hello, world (stream bytes join)
            MSG_DONTWAIT on empty: EAGAIN
            SO_RCVTIMEO: ok
            SO_RCVTIMEO reads back 0.020000, len 16
            recv with the timeout: EAGAIN
            shutdown(SHUT_WR): ok
            events after SHUT_WR: OUT / IN|OUT|RDHUP
            read at the other end: 0
            write after SHUT_WR: EPIPE
            shutdown(7): EINVAL
            the other end still writes: 4
            and it arrives: 4
            events after the peer closed: IN|OUT|HUP|RDHUP
            write to a closed peer: EPIPE, with MSG_NOSIGNAL: EPIPE
            peer closed with unread bytes: SO_ERROR ECONNRESET, SO_ERROR again ok
            read after reset: ECONNRESET, then 0
            SOCK_NONBLOCK F_GETFL 4002
            filling: stops with EAGAIN, more than 64 KiB went in 1, POLLOUT 0
            all of it comes out: 1
            socketpair dgram: ok
            SO_TYPE 2, events OUT
            FIONREAD: 3 (the next datagram)
            recv: 3 one
            empty datagram: 0
            MSG_PEEK|MSG_TRUNC into 2 bytes: 6, MSG_TRUNC in msg_flags 1
            recvmsg into 2 bytes: 2 th, MSG_TRUNC 1
            and the rest is gone: EAGAIN
            sendmmsg: 3, lengths 5 5 5
            recvmmsg: 3, msg-0 msg-1 msg-2, lengths 5 5 5
            a blocking recvmmsg waits for all 3: 3
            a zero timeout, looked at after each message: 1 of 3, then the rest: 2
            send to a closed peer: ECONNREFUSED
            socketpair seqpacket: ok
            records keep their edges: 3 fir, 6 second
            after the peer closed: events IN|OUT|HUP|RDHUP, recv 0
            SOCK_RAW is a datagram socket: ok, SO_TYPE 2
            type 4 (SOCK_RDM): ESOCKTNOSUPPORT
            protocol 7: EPROTONOSUPPORT
            family 45: EAFNOSUPPORT
            socketpair(AF_INET): EOPNOTSUPP
            fresh stream socket: events OUT|HUP, names len 2 unnamed, peer ENOTCONN
            listen on a datagram socket: EOPNOTSUPP
            listen unbound: EINVAL
            accept, not listening: EINVAL
            recv on an unconnected stream socket: EINVAL
            send on an unconnected stream socket: ENOTCONN
            send on an unconnected datagram socket: ENOTCONN
            connect to a missing path: ENOENT
            sendto a missing path: ENOENT
            connect to a regular file: ECONNREFUSED
            bind over an existing file: EADDRINUSE
            bind with AF_INET: EINVAL
            bind with length 1: EINVAL
            bind with length 111: EINVAL
            getsockname of a pipe: ENOTSOCK
            getsockname of a bad fd: EBADF
            setsockopt with a short value: EINVAL
            bind: ok, name len 14 stream.sock
            stat: ok, socket 1, mode 755
            bind again: EADDRINUSE
            another socket on the same path: EADDRINUSE
            connect before listen: ECONNREFUSED
            listen: ok, SO_ACCEPTCONN 1, events none
            datagram connect to a stream name: EPROTOTYPE
            connect: ok, peer len 14 stream.sock
            connect again: EISCONN
            listener after a connect: events IN
            second connect (backlog 1): ok
            third connect, non-blocking, backlog full: EAGAIN
            accept4: ok, client len 2 unnamed, F_GETFL 4002, FD_CLOEXEC 1
            accepted socket: name len 14 stream.sock, peer len 2 unnamed
            bytes written before accept: 13 before accept
            SO_PEERCRED of the accepted socket: pid is mine 1
            second accept: ok
            accept with none waiting: EAGAIN
            accept from a child: client len 14 client.sock
            SO_PEERCRED: pid is the child 1, uid 1
            MSG_WAITALL across three writes: 21 line 0
            line 1
            line 2
            child exit 0
            the name outlives the socket: ok
            connect to a name nobody listens on: ECONNREFUSED
            unlink: ok ok
            abstract bind: ok, name is the same 1
            the same abstract name again: EADDRINUSE
            connect: ok
            seqpacket over an abstract name: 4 8
            the name is free once closed: ok
            autobind: ok, length 8, five hex digits 1
            sendto: 4
            recvfrom: 4 ping from len 15 dgram-a.sock
            reply with a short address buffer: 4, addrlen 15
            from an unnamed socket: 4, addrlen 0
            connect a to b: ok, peer len 15 dgram-b.sock
            send on the connected socket: 11
            received 11
            connect b to a: ok
            a third socket sends to b, which is connected to a: EPERM
            connect to AF_UNSPEC dissolves: ok, peer ENOTCONN
            now it takes it: ok
            send to a peer that closed: ECONNREFUSED
            SCM_RIGHTS sendmsg: 1
            child exit 0; through the passed pipe: written by the child
            the pipe closes once the child's copy is gone: 0
            3 fds into the space of 1: 2 received (the padding holds one more), MSG_CTRUNC 1
            the others were closed, so the pipe has no writer: 0
            a socket closed with fds in flight releases them: 0
            SCM_RIGHTS of a bad fd: EBADF
            a socket may carry itself: 1
            received 1 fd, the same socket 1, a new number 1
            SO_PASSCRED 1
            SCM_CREDENTIALS without asking: controllen 32, level 1 type 2 len 28, pid is mine 1, uid 1, gid 1
            SCM_CREDENTIALS of my own: ok
            SCM_CREDENTIALS with another pid: ok
            an unknown control message: EINVAL
            epoll_ctl of a listener: ok
            nothing yet: 0
            epoll_wait wakes for a connection: 1, data 1, EPOLLIN 1
            edge-triggered: 4 bytes, EPOLLRDHUP 1, at least 2 edges 1
            poll after the peer's SHUT_WR: 1, revents IN 1 RDHUP 1
            select says readable: 1 1
            child exit 0
            splice socket to pipe: 14, pipe to socket: 14, read back 14 through a pipe
            sendfile into a socket: 11, offset 16, read 11 from a file
            an epoll in an epoll: ok, the outer in the inner: ELOOP, itself: EINVAL
            nothing waits: outer 0, poll none
            a write wakes the outer: 1, data 8, the inner has it: 1, data 7, poll IN
            rmdir: ok
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void unixSocketsBehaveAsOnLinux(Target t) throws Exception {
        Guests.runsAsExpected(t, "unixsock", new Result(0, UNIXSOCK, ""));
    }
}
