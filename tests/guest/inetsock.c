/* AF_INET and AF_INET6 sockets (ip(7), tcp(7), udp(7)) on the loopback: TCP echo servers in a
 * child process and in a thread, UDP ping-pong with source addresses, truncation and timeouts,
 * non-blocking connect, ECONNREFUSED, half-close, MSG_PEEK and MSG_WAITALL, EPIPE, resets,
 * socket options and readiness. Ports are ephemeral (bound to port 0) and never printed, so
 * every line is the same on every Linux. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ttycheck.h"
#include "sockcheck.h"

static const char *res(long r) {
    return r >= 0 ? "ok" : err(errno);
}

static int sockopt(int fd, int level, int name) {
    int v = -1;
    socklen_t len = sizeof v;
    return getsockopt(fd, level, name, &v, &len) < 0 ? -errno : v;
}

static struct sockaddr_in loopback(int port) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

/* A TCP listener on 127.0.0.1 at an ephemeral port, which goes to *addr. */
static int listener(struct sockaddr_in *addr, int backlog) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    int on = 1;
    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    *addr = loopback(0);
    if (bind(s, (struct sockaddr *) addr, sizeof *addr) < 0 || listen(s, backlog) < 0) {
        say("listener: %s\n", err(errno));
        exit(1);
    }
    socklen_t len = sizeof *addr;
    getsockname(s, (struct sockaddr *) addr, &len);
    return s;
}

/* Echoes everything on fd back until end of file; returns the bytes echoed. */
static long echo(int fd) {
    char b[4096];
    long total = 0;
    ssize_t n;
    while ((n = read(fd, b, sizeof b)) > 0) {
        for (ssize_t off = 0; off < n;) {
            ssize_t w = write(fd, b + off, n - off);
            if (w <= 0) {
                return -1;
            }
            off += w;
        }
        total += n;
    }
    return total;
}

/* Sends count lines through fd and checks each echo; returns the lines that came back whole. */
static int exchange(int fd, int count) {
    int good = 0;
    for (int i = 0; i < count; i++) {
        char line[64], back[64];
        int n = snprintf(line, sizeof line, "message %d of %d\n", i, count);
        if (write(fd, line, n) != n) {
            break;
        }
        if (recv(fd, back, n, MSG_WAITALL) == n && memcmp(line, back, n) == 0) {
            good++;
        }
    }
    return good;
}

static void tcp_with_fork(void) {
    struct sockaddr_in a;
    int srv = listener(&a, 16);
    say("listener: port chosen %d, SO_ACCEPTCONN %d, SO_TYPE %d, SO_DOMAIN %d, SO_PROTOCOL %d\n", ntohs(a.sin_port) != 0,
        sockopt(srv, SOL_SOCKET, SO_ACCEPTCONN), sockopt(srv, SOL_SOCKET, SO_TYPE),
        sockopt(srv, SOL_SOCKET, SO_DOMAIN), sockopt(srv, SOL_SOCKET, SO_PROTOCOL));
    pid_t pid = fork();
    if (pid == 0) {
        for (int k = 0; k < 3; k++) {
            int c = accept(srv, NULL, NULL);
            if (c < 0) {
                _exit(1);
            }
            echo(c);
            close(c);
        }
        _exit(0);
    }
    for (int k = 0; k < 3; k++) {
        int c = socket(AF_INET, SOCK_STREAM, 0);
        say("client %d: connect %s, ", k, res(connect(c, (struct sockaddr *) &a, sizeof a)));
        struct sockaddr_in peer, me;
        socklen_t plen = sizeof peer, mlen = sizeof me;
        getpeername(c, (struct sockaddr *) &peer, &plen);
        getsockname(c, (struct sockaddr *) &me, &mlen);
        say("peer is the listener %d, my address 127.0.0.1 %d, ", peer.sin_port == a.sin_port && plen == sizeof peer,
            me.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
        say("%d of 100 echoed\n", exchange(c, 100));
        close(c);
    }
    int st;
    waitpid(pid, &st, 0);
    say("echo server exit %d\n", WEXITSTATUS(st));
    close(srv);
}

static void *echo_thread(void *arg) {
    int srv = *(int *) arg;
    int c = accept(srv, NULL, NULL);
    long n = echo(c);
    close(c);
    return (void *) n;
}

static void tcp_with_thread(void) {
    struct sockaddr_in a;
    int srv = listener(&a, 4);
    pthread_t t;
    pthread_create(&t, NULL, echo_thread, &srv);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *) &a, sizeof a);
    int on = 1;
    say("TCP_NODELAY: %s, ", res(setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on)));
    say("reads back %d\n", sockopt(c, IPPROTO_TCP, TCP_NODELAY));
    say("thread server: %d of 200 echoed\n", exchange(c, 200));
    static char big[1 << 20];
    for (size_t i = 0; i < sizeof big; i++) {
        big[i] = (char) (i * 7 + i / 4096);
    }
    /* 1 MiB out while the echo comes back: a child writes, this thread reads */
    pid_t pid = fork();
    if (pid == 0) {
        size_t off = 0;
        while (off < sizeof big) {
            ssize_t w = write(c, big + off, sizeof big - off);
            if (w <= 0) {
                _exit(1);
            }
            off += w;
        }
        shutdown(c, SHUT_WR);
        _exit(0);
    }
    static char back[1 << 20];
    ssize_t got = recv(c, back, sizeof back, MSG_WAITALL);
    int st;
    waitpid(pid, &st, 0);
    say("1 MiB through the echo: %zd bytes, same %d, writer exit %d\n", got, memcmp(big, back, sizeof big) == 0,
        WEXITSTATUS(st));
    char b[8];
    say("then end of file: %zd\n", read(c, b, sizeof b));
    void *echoed;
    pthread_join(t, &echoed);
    say("thread echoed %ld bytes\n", (long) echoed);
    close(c);
    close(srv);
}

static void tcp_edges(void) {
    struct sockaddr_in a;
    int srv = listener(&a, 4);
    int other = socket(AF_INET, SOCK_STREAM, 0);
    say("bind to a port in use: %s\n", res(bind(other, (struct sockaddr *) &a, sizeof a)));
    say("bind twice: %s\n", res(bind(srv, (struct sockaddr *) &a, sizeof a)));
    struct sockaddr_in bad = loopback(0);
    bad.sin_family = AF_INET6;
    say("bind with the wrong family: %s\n", res(bind(other, (struct sockaddr *) &bad, sizeof bad)));
    say("bind with a short address: %s\n", res(bind(other, (struct sockaddr *) &bad, 4)));
    close(other);

    /* a refused connection: a port nobody listens on */
    struct sockaddr_in closed;
    int tmp = listener(&closed, 1);
    close(tmp);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    say("connect to a closed port: %s\n", res(connect(c, (struct sockaddr *) &closed, sizeof closed)));
    close(c);

    /* non-blocking connect */
    c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int r = connect(c, (struct sockaddr *) &a, sizeof a);
    say("non-blocking connect: %s\n", r == 0 ? "ok" : err(errno));
    struct pollfd p = {.fd = c, .events = POLLOUT};
    say("poll for POLLOUT: %d, SO_ERROR %s\n", poll(&p, 1, 5000), err(sockopt(c, SOL_SOCKET, SO_ERROR)));
    say("connect again: %s\n", res(connect(c, (struct sockaddr *) &a, sizeof a)));
    int s = accept(srv, NULL, NULL);
    char b[64];
    say("recv on an empty non-blocking socket: %s\n", res(recv(c, b, sizeof b, 0)));
    write(s, "peek-a-boo", 10);
    p.events = POLLIN;
    poll(&p, 1, 5000);
    ssize_t n = recv(c, b, 4, MSG_PEEK);
    say("MSG_PEEK: %zd %.4s, ", n, b);
    int avail = -1;
    ioctl(c, FIONREAD, &avail);
    say("FIONREAD %d, ", avail);
    n = recv(c, b, sizeof b, 0);
    say("recv %zd %.*s\n", n, (int) n, b);

    /* half-close: each way on its own */
    shutdown(c, SHUT_WR);
    p.fd = s;
    p.events = POLLIN | POLLRDHUP;
    poll(&p, 1, 5000);
    say("after the peer's SHUT_WR: POLLIN %d POLLRDHUP %d, read %zd\n", (p.revents & POLLIN) != 0,
        (p.revents & POLLRDHUP) != 0, read(s, b, sizeof b));
    say("the other way still works: %zd, ", write(s, "still", 5));
    p.fd = c;
    p.events = POLLIN;
    poll(&p, 1, 5000);
    n = read(c, b, sizeof b);
    say("%zd\n", n);
    signal(SIGPIPE, SIG_IGN);
    say("write after my SHUT_WR: %s\n", res(write(c, "x", 1)));
    close(c);
    close(s);

    /* a reset: closing with unread bytes */
    c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *) &a, sizeof a);
    s = accept(srv, NULL, NULL);
    write(c, "unread", 6);
    p.fd = s;
    p.events = POLLIN;
    poll(&p, 1, 5000);
    close(s);
    p.fd = c;
    p.events = POLLIN;
    poll(&p, 1, 5000);
    say("the peer closed with unread bytes: POLLIN %d POLLHUP %d POLLERR %d, ", (p.revents & POLLIN) != 0,
        (p.revents & POLLHUP) != 0, (p.revents & POLLERR) != 0);
    say("recv %s, ", res(recv(c, b, sizeof b, 0)));
    say("then %zd\n", recv(c, b, sizeof b, 0));
    say("send after the reset: %s\n", res(send(c, "x", 1, MSG_NOSIGNAL)));
    close(c);

    /* SO_RCVTIMEO on a TCP socket */
    c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *) &a, sizeof a);
    s = accept(srv, NULL, NULL);
    struct timeval tv = {0, 30000};
    setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    say("recv with a 30 ms timeout: %s, ", res(recv(c, b, sizeof b, 0)));
    clock_gettime(CLOCK_MONOTONIC, &t1);
    long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
    say("after at least 30 ms %d\n", ms >= 29);
    struct linger lg = {1, 0};
    say("SO_LINGER: %s, ", res(setsockopt(c, SOL_SOCKET, SO_LINGER, &lg, sizeof lg)));
    socklen_t ll = sizeof lg;
    getsockopt(c, SOL_SOCKET, SO_LINGER, &lg, &ll);
    say("reads back %d %d\n", lg.l_onoff, lg.l_linger);
    int v = 1;
    setsockopt(c, SOL_SOCKET, SO_KEEPALIVE, &v, sizeof v);
    say("SO_KEEPALIVE %d, SO_REUSEADDR of the listener %d\n", sockopt(c, SOL_SOCKET, SO_KEEPALIVE),
        sockopt(srv, SOL_SOCKET, SO_REUSEADDR));
    struct tcp_info ti;
    socklen_t tl = sizeof ti;
    say("TCP_INFO: %s, ", res(getsockopt(c, IPPROTO_TCP, TCP_INFO, &ti, &tl)));
    say("state ESTABLISHED %d\n", ti.tcpi_state == 1);
    close(c);
    close(s);
    close(srv);
}

static void udp(void) {
    int a = socket(AF_INET, SOCK_DGRAM, 0), b = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in aa = loopback(0), ba = loopback(0), from;
    bind(a, (struct sockaddr *) &aa, sizeof aa);
    bind(b, (struct sockaddr *) &ba, sizeof ba);
    socklen_t len = sizeof aa;
    getsockname(a, (struct sockaddr *) &aa, &len);
    len = sizeof ba;
    getsockname(b, (struct sockaddr *) &ba, &len);
    say("UDP sendto: %zd\n", sendto(a, "ping", 4, 0, (struct sockaddr *) &ba, sizeof ba));
    char buf[64];
    socklen_t flen = sizeof from;
    ssize_t n = recvfrom(b, buf, sizeof buf, 0, (struct sockaddr *) &from, &flen);
    say("recvfrom: %zd %.*s, from a's port %d, addrlen %u\n", n, (int) n, buf, from.sin_port == aa.sin_port,
        (unsigned) flen);
    sendto(b, "pong-pong", 9, 0, (struct sockaddr *) &from, flen);
    struct iovec iov = {buf, 4};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    n = recvmsg(a, &m, 0);
    say("a 9-byte datagram into 4: %zd, MSG_TRUNC %d\n", n, (m.msg_flags & MSG_TRUNC) != 0);
    sendto(b, "pong-pong", 9, 0, (struct sockaddr *) &from, flen);
    n = recv(a, buf, 4, MSG_TRUNC);
    say("with MSG_TRUNC the whole length: %zd\n", n);
    struct timeval tv = {0, 20000};
    setsockopt(a, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    say("recv with a timeout: %s\n", res(recv(a, buf, sizeof buf, 0)));
    say("MSG_DONTWAIT: %s\n", res(recv(a, buf, sizeof buf, MSG_DONTWAIT)));
    say("connect a to b: %s, ", res(connect(a, (struct sockaddr *) &ba, sizeof ba)));
    say("send %zd, ", send(a, "via-connect", 11, 0));
    n = recv(b, buf, sizeof buf, 0);
    say("received %zd\n", n);
    for (int i = 0; i < 5; i++) {
        sendto(b, "burst", 5, 0, (struct sockaddr *) &aa, sizeof aa);
    }
    int k = 0;
    while (recv(a, buf, sizeof buf, MSG_DONTWAIT) == 5) {
        k++;
    }
    say("5 datagrams, 5 received: %d\n", k == 5);
    close(a);
    close(b);
    int u = socket(AF_INET, SOCK_DGRAM, 0);
    say("send on an unconnected UDP socket: %s\n", res(send(u, "x", 1, 0)));
    say("getpeername: %s\n", res(getpeername(u, (struct sockaddr *) &from, &flen)));
    close(u);
}

static void ipv6(void) {
    int s = socket(AF_INET6, SOCK_STREAM, 0);
    int on = 1;
    say("IPV6_V6ONLY default %d, ", sockopt(s, IPPROTO_IPV6, IPV6_V6ONLY));
    setsockopt(s, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    say("set %d\n", sockopt(s, IPPROTO_IPV6, IPV6_V6ONLY));
    struct sockaddr_in6 a = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    say("bind [::1]: %s, ", res(bind(s, (struct sockaddr *) &a, sizeof a)));
    listen(s, 1);
    socklen_t len = sizeof a;
    getsockname(s, (struct sockaddr *) &a, &len);
    say("addrlen %u\n", (unsigned) len);
    int c = socket(AF_INET6, SOCK_STREAM, 0);
    say("connect [::1]: %s, ", res(connect(c, (struct sockaddr *) &a, sizeof a)));
    int t = accept(s, NULL, NULL);
    write(c, "six", 3);
    char b[8];
    ssize_t n = read(t, b, sizeof b);
    say("read %zd %.*s\n", n, (int) n, b);
    close(t);
    close(c);
    close(s);
}

static void readiness(void) {
    struct sockaddr_in a;
    int srv = listener(&a, 8);
    fcntl(srv, F_SETFL, O_NONBLOCK);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 1};
    epoll_ctl(ep, EPOLL_CTL_ADD, srv, &ev);
    struct epoll_event out[4];
    say("epoll, nothing yet: %d\n", epoll_wait(ep, out, 4, 0));
    pid_t pid = fork();
    if (pid == 0) {
        struct timespec ts = {0, 20000000};
        nanosleep(&ts, NULL);
        int c = socket(AF_INET, SOCK_STREAM, 0);
        if (connect(c, (struct sockaddr *) &a, sizeof a) < 0) {
            _exit(1);
        }
        for (int i = 0; i < 3; i++) {
            nanosleep(&ts, NULL);
            write(c, "abc", 3);
        }
        nanosleep(&ts, NULL);
        shutdown(c, SHUT_WR);
        char b[8];
        _exit(read(c, b, sizeof b) == 0 ? 0 : 2);
    }
    int n = epoll_wait(ep, out, 4, 5000);
    say("epoll_wait wakes for a connection: %d, data %u\n", n, out[0].data.u32);
    int s = accept4(srv, NULL, NULL, SOCK_NONBLOCK);
    ev.events = EPOLLIN | EPOLLET | EPOLLRDHUP;
    ev.data.u32 = 2;
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
    int bytes = 0, edges = drain_edges(ep, s, 2, &bytes);
    say("edge-triggered: %d bytes, EPOLLRDHUP %d\n", bytes, edges > 0);
    int ready, sel = select_readable(s, &ready);
    say("select says readable at end of file: %d %d\n", sel, ready);
    close(s);
    int st;
    waitpid(pid, &st, 0);
    say("child exit %d\n", WEXITSTATUS(st));
    close(ep);
    close(srv);
}

static void errors(void) {
    say("SOCK_SEQPACKET over IPv4: %s\n", res(socket(AF_INET, SOCK_SEQPACKET, 0)));
    say("UDP with IPPROTO_TCP: %s\n", res(socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP)));
    int s = socket(AF_INET, SOCK_STREAM, 0);
    say("listen before bind picks a port: %s\n", res(listen(s, 1)));
    close(s);
    s = socket(AF_INET, SOCK_STREAM, 0);
    char b[4];
    say("recv unconnected: %s\n", res(recv(s, b, sizeof b, 0)));
    say("send unconnected: %s\n", res(send(s, "x", 1, MSG_NOSIGNAL)));
    say("accept unlistened: %s\n", res(accept(s, NULL, NULL)));
    say("shutdown unconnected: %s\n", res(shutdown(s, SHUT_RDWR)));
    say("unknown TCP option: %s\n", err(-sockopt(s, IPPROTO_TCP, 999)));
    close(s);
}

/* SO_REUSEPORT: two listeners share a port, and every connection reaches one of them. */
static void reuseport(void) {
    int on = 1, l[2];
    struct sockaddr_in a = loopback(0);
    for (int i = 0; i < 2; i++) {
        l[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        setsockopt(l[i], SOL_SOCKET, SO_REUSEPORT, &on, sizeof on);
    }
    bind(l[0], (struct sockaddr *) &a, sizeof a);
    socklen_t len = sizeof a;
    getsockname(l[0], (struct sockaddr *) &a, &len);
    say("SO_REUSEPORT: a second bind %s, ", res(bind(l[1], (struct sockaddr *) &a, sizeof a)));
    int plain = socket(AF_INET, SOCK_STREAM, 0);
    say("one without it %s, ", res(bind(plain, (struct sockaddr *) &a, sizeof a)));
    close(plain);
    listen(l[0], 8);
    listen(l[1], 8);
    int c[4], accepted = 0;
    for (int i = 0; i < 4; i++) {
        c[i] = socket(AF_INET, SOCK_STREAM, 0);
        connect(c[i], (struct sockaddr *) &a, sizeof a);
    }
    for (int tries = 0; tries < 100 && accepted < 4; tries++) {
        for (int i = 0; i < 2; i++) {
            int s;
            while ((s = accept(l[i], NULL, NULL)) >= 0) {
                accepted++;
                close(s);
            }
        }
        if (accepted < 4) {
            struct timespec ts = {0, 10000000};
            nanosleep(&ts, NULL);
        }
    }
    say("4 connections, accepted %d\n", accepted);
    for (int i = 0; i < 4; i++) {
        close(c[i]);
    }
    close(l[0]);
    close(l[1]);
}

/* sendfile(2) from a file into a TCP socket and into another file; never into O_APPEND. */
static void sendfiles(void) {
    static char data[200000], back[200000];
    for (size_t i = 0; i < sizeof data; i++) {
        data[i] = (char) (i * 13 + i / 1000);
    }
    char in_path[] = "/tmp/inetsock-in-XXXXXX", out_path[] = "/tmp/inetsock-out-XXXXXX";
    int f = mkstemp(in_path), g = mkstemp(out_path);
    write(f, data, sizeof data);
    struct sockaddr_in a;
    int srv = listener(&a, 1);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    connect(c, (struct sockaddr *) &a, sizeof a);
    int s = accept(srv, NULL, NULL);
    off_t off = 1000;
    ssize_t n = sendfile(c, f, &off, 60000);
    say("sendfile into TCP: %zd, offset %ld, ", n, (long) off);
    n = recv(s, back, 60000, MSG_WAITALL);
    say("received %zd, same %d\n", n, memcmp(back, data + 1000, 60000) == 0);
    lseek(f, 5, SEEK_SET);
    n = sendfile(c, f, NULL, 10);
    say("without an offset: %zd, the file position moves to %ld\n", n, (long) lseek(f, 0, SEEK_CUR));
    recv(s, back, 10, MSG_WAITALL);
    off = 0;
    n = sendfile(g, f, &off, sizeof data + 100);
    say("file to file: %zd, offset %ld, ", n, (long) off);
    lseek(g, 0, SEEK_SET);
    n = read(g, back, sizeof back);
    say("read back %zd, same %d\n", n, memcmp(back, data, sizeof data) == 0);
    int h = open(out_path, O_WRONLY | O_APPEND);
    say("into an O_APPEND file: %s\n", res(sendfile(h, f, NULL, 10)));
    close(h);
    close(s);
    close(c);
    close(srv);
    close(f);
    close(g);
    unlink(in_path);
    unlink(out_path);
}

/* Name resolution as a static binary does it: "localhost" from the rootfs's /etc/hosts. */
static void names(void) {
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res = NULL;
    int r = getaddrinfo("localhost", "80", &hints, &res);
    int n = 0, loop = 0;
    for (struct addrinfo *a = r == 0 ? res : NULL; a; a = a->ai_next, n++) {
        if (a->ai_family == AF_INET) {
            loop += ((struct sockaddr_in *) a->ai_addr)->sin_addr.s_addr == htonl(INADDR_LOOPBACK);
        } else if (a->ai_family == AF_INET6) {
            loop += memcmp(&((struct sockaddr_in6 *) a->ai_addr)->sin6_addr, &in6addr_loopback, 16) == 0;
        }
    }
    say("getaddrinfo(localhost): %s, some addresses %d, all loopback %d\n", r ? gai_strerror(r) : "ok", n > 0,
        n > 0 && loop == n);
    if (r == 0) {
        freeaddrinfo(res);
    }
}

int main(void) {
    tcp_with_fork();
    tcp_with_thread();
    tcp_edges();
    udp();
    ipv6();
    readiness();
    errors();
    reuseport();
    sendfiles();
    names();
    return 0;
}
