/* AF_UNIX sockets (unix(7)): stream, datagram and seqpacket; socketpair; names in the file
 * system and in the abstract namespace; descriptor and credential passing; the socket options
 * and ioctls a program asks of them; their poll and epoll readiness; and Linux's errors. Every
 * line is the same on every Linux: pids and uids are compared, never printed. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ttycheck.h"
#include "sockcheck.h"

static const char *res(long r) {
    return r >= 0 ? "ok" : err(errno);
}

/* The poll(2) events of fd as text. */
static const char *events(int fd) {
    static char b[128];
    struct pollfd p = {.fd = fd, .events = POLLIN | POLLOUT | POLLRDHUP | POLLPRI};
    b[0] = 0;
    if (poll(&p, 1, 0) < 0) {
        return err(errno);
    }
    static const struct { int bit; const char *name; } names[] = {
        {POLLIN, "IN"}, {POLLPRI, "PRI"}, {POLLOUT, "OUT"}, {POLLERR, "ERR"}, {POLLHUP, "HUP"},
        {POLLRDHUP, "RDHUP"}, {POLLNVAL, "NVAL"},
    };
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (p.revents & names[i].bit) {
            strcat(b, b[0] ? "|" : "");
            strcat(b, names[i].name);
        }
    }
    return b[0] ? b : "none";
}

static int sockopt(int fd, int level, int name) {
    int v = -1;
    socklen_t len = sizeof v;
    return getsockopt(fd, level, name, &v, &len) < 0 ? -errno : v;
}

static socklen_t set_path(struct sockaddr_un *a, const char *path) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strcpy(a->sun_path, path);
    return offsetof(struct sockaddr_un, sun_path) + strlen(path) + 1;
}

static socklen_t set_abstract(struct sockaddr_un *a, const char *name) {
    memset(a, 0, sizeof *a);
    a->sun_family = AF_UNIX;
    strcpy(a->sun_path + 1, name);
    return offsetof(struct sockaddr_un, sun_path) + 1 + strlen(name);
}

/* An address as text: its length, and the path, @name for an abstract one, or "unnamed". */
static const char *addr_text(const struct sockaddr_un *a, socklen_t len) {
    static char b[200];
    if (len <= offsetof(struct sockaddr_un, sun_path)) {
        snprintf(b, sizeof b, "len %u unnamed", (unsigned) len);
    } else if (a->sun_path[0] == 0) {
        snprintf(b, sizeof b, "len %u @%.*s", (unsigned) len,
                 (int) (len - offsetof(struct sockaddr_un, sun_path) - 1), a->sun_path + 1);
    } else {
        snprintf(b, sizeof b, "len %u %s", (unsigned) len, a->sun_path);
    }
    return b;
}

static const char *name_of(int fd, int peer) {
    struct sockaddr_un a;
    socklen_t len = sizeof a;
    memset(&a, 0x55, sizeof a);
    int r = peer ? getpeername(fd, (struct sockaddr *) &a, &len) : getsockname(fd, (struct sockaddr *) &a, &len);
    return r < 0 ? err(errno) : addr_text(&a, len);
}

static void stream_pair(void) {
    int sv[2];
    char b[64];
    say("socketpair stream: %s\n", res(socketpair(AF_UNIX, SOCK_STREAM, 0, sv)));
    struct stat st;
    fstat(sv[0], &st);
    say("fstat: socket %d, mode %o\n", S_ISSOCK(st.st_mode), st.st_mode & 0777);
    char link[64], path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", sv[0]);
    ssize_t ln = readlink(path, link, sizeof link - 1);
    link[ln < 0 ? 0 : ln] = 0;
    say("fd link starts with socket:[ %d\n", strncmp(link, "socket:[", 8) == 0);
    say("F_GETFL %o\n", fcntl(sv[0], F_GETFL));
    say("names: %s, ", name_of(sv[0], 0));
    say("peer %s\n", name_of(sv[0], 1));
    say("SO_TYPE %d SO_DOMAIN %d SO_PROTOCOL %d SO_ACCEPTCONN %d SO_ERROR %d\n", sockopt(sv[0], SOL_SOCKET, SO_TYPE),
        sockopt(sv[0], SOL_SOCKET, SO_DOMAIN), sockopt(sv[0], SOL_SOCKET, SO_PROTOCOL),
        sockopt(sv[0], SOL_SOCKET, SO_ACCEPTCONN), sockopt(sv[0], SOL_SOCKET, SO_ERROR));
    say("SO_SNDBUF %d SO_RCVBUF %d\n", sockopt(sv[0], SOL_SOCKET, SO_SNDBUF), sockopt(sv[0], SOL_SOCKET, SO_RCVBUF));
    int v = 65536;
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof v);
    say("SO_SNDBUF after setting 65536: %d\n", sockopt(sv[0], SOL_SOCKET, SO_SNDBUF));
    v = 1;
    setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &v, sizeof v);
    say("SO_SNDBUF after setting 1: %d\n", sockopt(sv[0], SOL_SOCKET, SO_SNDBUF));
    say("unknown option: %s, unknown level: %s\n", err(-sockopt(sv[0], SOL_SOCKET, 999)),
        err(-sockopt(sv[0], 12345, 1)));
    struct ucred cred;
    socklen_t clen = sizeof cred;
    getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cred, &clen);
    say("SO_PEERCRED: len %u, pid is mine %d, uid %d, gid %d\n", (unsigned) clen, cred.pid == getpid(),
        cred.uid == getuid(), cred.gid == getgid());
    say("events, idle: %s / ", events(sv[0]));
    say("%s\n", events(sv[1]));
    say("write: %zd\n", write(sv[0], "hello", 5));
    say("send: %zd\n", send(sv[0], ", world", 7, 0));
    int avail = -1;
    ioctl(sv[1], FIONREAD, &avail);
    say("FIONREAD %d, events %s\n", avail, events(sv[1]));
    ssize_t n = recv(sv[1], b, 3, MSG_PEEK);
    say("MSG_PEEK: %zd %.*s\n", n, (int) n, b);
    n = read(sv[1], b, sizeof b);
    say("read: %zd %.*s (stream bytes join)\n", n, (int) n, b);
    say("MSG_DONTWAIT on empty: %s\n", res(recv(sv[1], b, sizeof b, MSG_DONTWAIT)));
    struct timeval tv = {0, 20000};
    say("SO_RCVTIMEO: %s\n", res(setsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv)));
    struct timeval got;
    socklen_t glen = sizeof got;
    getsockopt(sv[1], SOL_SOCKET, SO_RCVTIMEO, &got, &glen);
    say("SO_RCVTIMEO reads back %ld.%06ld, len %u\n", (long) got.tv_sec, (long) got.tv_usec, (unsigned) glen);
    say("recv with the timeout: %s\n", res(recv(sv[1], b, sizeof b, 0)));
    say("shutdown(SHUT_WR): %s\n", res(shutdown(sv[0], SHUT_WR)));
    say("events after SHUT_WR: %s / ", events(sv[0]));
    say("%s\n", events(sv[1]));
    say("read at the other end: %zd\n", read(sv[1], b, sizeof b));
    signal(SIGPIPE, SIG_IGN);
    say("write after SHUT_WR: %s\n", res(write(sv[0], "x", 1)));
    say("shutdown(7): %s\n", res(shutdown(sv[0], 7)));
    say("the other end still writes: %zd\n", write(sv[1], "back", 4));
    n = read(sv[0], b, sizeof b);
    say("and it arrives: %zd\n", n);
    close(sv[1]);
    say("events after the peer closed: %s\n", events(sv[0]));
    say("write to a closed peer: %s, ", res(write(sv[0], "x", 1)));
    say("with MSG_NOSIGNAL: %s\n", res(send(sv[0], "x", 1, MSG_NOSIGNAL)));
    close(sv[0]);

    /* closing with unread bytes resets the peer */
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sv[0], "unread", 6);
    close(sv[1]);
    int soerr = sockopt(sv[0], SOL_SOCKET, SO_ERROR);
    say("peer closed with unread bytes: SO_ERROR %s, ", err(soerr));
    say("SO_ERROR again %s\n", err(sockopt(sv[0], SOL_SOCKET, SO_ERROR)));
    close(sv[0]);
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    write(sv[0], "unread", 6);
    close(sv[1]);
    say("read after reset: %s, ", res(read(sv[0], b, sizeof b)));
    say("then %zd\n", read(sv[0], b, sizeof b));
    close(sv[0]);

    /* a full buffer: non-blocking writes stop with EAGAIN */
    socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv);
    say("SOCK_NONBLOCK F_GETFL %o\n", fcntl(sv[0], F_GETFL));
    static char big[1 << 16];
    long total = 0;
    for (;;) {
        ssize_t w = write(sv[0], big, sizeof big);
        if (w < 0) {
            say("filling: stops with %s, ", err(errno));
            break;
        }
        total += w;
    }
    say("more than 64 KiB went in %d, POLLOUT %d\n", total > 65536, (events(sv[0])[0] == 'O'));
    long drained = 0;
    for (;;) {
        ssize_t r = read(sv[1], big, sizeof big);
        if (r <= 0) {
            break;
        }
        drained += r;
    }
    say("all of it comes out: %d\n", drained == total);
    close(sv[0]);
    close(sv[1]);
}

static void datagram_pairs(void) {
    int sv[2];
    char b[64];
    say("socketpair dgram: %s\n", res(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv)));
    say("SO_TYPE %d, events %s\n", sockopt(sv[0], SOL_SOCKET, SO_TYPE), events(sv[0]));
    send(sv[0], "one", 3, 0);
    send(sv[0], "", 0, 0);
    send(sv[0], "three!", 6, 0);
    int avail = -1;
    ioctl(sv[1], FIONREAD, &avail);
    say("FIONREAD: %d (the next datagram)\n", avail);
    ssize_t n = recv(sv[1], b, sizeof b, 0);
    say("recv: %zd %.*s\n", n, (int) n, b);
    n = recv(sv[1], b, sizeof b, 0);
    say("empty datagram: %zd\n", n);
    struct iovec iov = {b, 2};
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
    n = recvmsg(sv[1], &m, MSG_PEEK | MSG_TRUNC);
    say("MSG_PEEK|MSG_TRUNC into 2 bytes: %zd, MSG_TRUNC in msg_flags %d\n", n, (m.msg_flags & MSG_TRUNC) != 0);
    n = recvmsg(sv[1], &m, 0);
    say("recvmsg into 2 bytes: %zd %.2s, MSG_TRUNC %d\n", n, b, (m.msg_flags & MSG_TRUNC) != 0);
    say("and the rest is gone: %s\n", res(recv(sv[1], b, sizeof b, MSG_DONTWAIT)));

    struct mmsghdr mm[3];
    struct iovec iovs[3];
    char bufs[3][16];
    memset(mm, 0, sizeof mm);
    for (int i = 0; i < 3; i++) {
        snprintf(bufs[i], sizeof bufs[i], "msg-%d", i);
        iovs[i].iov_base = bufs[i];
        iovs[i].iov_len = strlen(bufs[i]);
        mm[i].msg_hdr.msg_iov = &iovs[i];
        mm[i].msg_hdr.msg_iovlen = 1;
    }
    int sent = sendmmsg(sv[0], mm, 3, 0);
    say("sendmmsg: %d, lengths %u %u %u\n", sent, mm[0].msg_len, mm[1].msg_len, mm[2].msg_len);
    memset(bufs, 0, sizeof bufs);
    for (int i = 0; i < 3; i++) {
        iovs[i].iov_len = sizeof bufs[i];
    }
    int got = recvmmsg(sv[1], mm, 3, MSG_DONTWAIT, NULL);
    say("recvmmsg: %d, %s %s %s, lengths %u %u %u\n", got, bufs[0], bufs[1], bufs[2], mm[0].msg_len, mm[1].msg_len,
        mm[2].msg_len);
    pid_t pid = fork();
    if (pid == 0) {
        for (int i = 0; i < 3; i++) {
            struct timespec ts = {0, 20000000};
            nanosleep(&ts, NULL);
            send(sv[0], "late", 4, 0);
        }
        _exit(0);
    }
    for (int i = 0; i < 3; i++) {
        iovs[i].iov_len = sizeof bufs[i];
    }
    say("a blocking recvmmsg waits for all 3: %d\n", recvmmsg(sv[1], mm, 3, 0, NULL));
    waitpid(pid, NULL, 0);
    for (int i = 0; i < 3; i++) {
        send(sv[0], "now", 3, 0);
    }
    struct timespec zero = {0, 0};
    int taken = recvmmsg(sv[1], mm, 3, 0, &zero);
    say("a zero timeout, looked at after each message: %d of 3, ", taken);
    say("then the rest: %d\n", recvmmsg(sv[1], mm, 3, MSG_DONTWAIT, NULL));
    close(sv[1]);
    say("send to a closed peer: %s\n", res(send(sv[0], "x", 1, 0)));
    close(sv[0]);

    say("socketpair seqpacket: %s\n", res(socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv)));
    send(sv[0], "first", 5, 0);
    send(sv[0], "second", 6, 0);
    n = recv(sv[1], b, 3, 0);
    say("records keep their edges: %zd %.3s, ", n, b);
    n = recv(sv[1], b, sizeof b, 0);
    say("%zd %.*s\n", n, (int) n, b);
    close(sv[0]);
    say("after the peer closed: events %s, recv %zd\n", events(sv[1]), recv(sv[1], b, sizeof b, 0));
    close(sv[1]);
}

static void errors(void) {
    int s = socket(AF_UNIX, SOCK_RAW, 0);
    say("SOCK_RAW is a datagram socket: %s, SO_TYPE %d\n", res(s), sockopt(s, SOL_SOCKET, SO_TYPE));
    close(s);
    say("type 4 (SOCK_RDM): %s\n", res(socket(AF_UNIX, SOCK_RDM, 0)));
    say("protocol 7: %s\n", res(socket(AF_UNIX, SOCK_STREAM, 7)));
    say("family 45: %s\n", res(socket(45, SOCK_STREAM, 0)));
    say("socketpair(AF_INET): %s\n", res(socketpair(AF_INET, SOCK_STREAM, 0, (int[2]){0, 0})));
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    int t = socket(AF_UNIX, SOCK_STREAM, 0);
    char b[8];
    say("fresh stream socket: events %s, ", events(t));
    say("names %s, ", name_of(t, 0));
    say("peer %s\n", name_of(t, 1));
    say("listen on a datagram socket: %s\n", res(listen(d, 1)));
    say("listen unbound: %s\n", res(listen(t, 1)));
    say("accept, not listening: %s\n", res(accept(t, NULL, NULL)));
    say("recv on an unconnected stream socket: %s\n", res(recv(t, b, sizeof b, MSG_DONTWAIT)));
    say("send on an unconnected stream socket: %s\n", res(send(t, "x", 1, 0)));
    say("send on an unconnected datagram socket: %s\n", res(send(d, "x", 1, 0)));
    struct sockaddr_un a;
    socklen_t len = set_path(&a, "no-such-socket");
    say("connect to a missing path: %s\n", res(connect(t, (struct sockaddr *) &a, len)));
    say("sendto a missing path: %s\n", res(sendto(d, "x", 1, 0, (struct sockaddr *) &a, len)));
    close(open("plain-file", O_CREAT | O_WRONLY, 0600));
    len = set_path(&a, "plain-file");
    say("connect to a regular file: %s\n", res(connect(t, (struct sockaddr *) &a, len)));
    say("bind over an existing file: %s\n", res(bind(t, (struct sockaddr *) &a, len)));
    unlink("plain-file");
    a.sun_family = AF_INET;
    say("bind with AF_INET: %s\n", res(bind(t, (struct sockaddr *) &a, len)));
    say("bind with length 1: %s\n", res(bind(t, (struct sockaddr *) &a, 1)));
    say("bind with length 111: %s\n", res(bind(t, (struct sockaddr *) &a, 111)));
    int pp[2];
    pipe(pp);
    say("getsockname of a pipe: %s\n", res(getsockname(pp[0], (struct sockaddr *) &a, &len)));
    close(pp[0]);
    close(pp[1]);
    say("getsockname of a bad fd: %s\n", res(getsockname(99, (struct sockaddr *) &a, &len)));
    say("setsockopt with a short value: %s\n", res(setsockopt(t, SOL_SOCKET, SO_SNDBUF, b, 2)));
    close(d);
    close(t);
}

static void named_stream(void) {
    struct sockaddr_un a, got;
    socklen_t len = set_path(&a, "stream.sock"), glen;
    unlink("stream.sock");
    int srv = socket(AF_UNIX, SOCK_STREAM, 0);
    umask(022);
    say("bind: %s, ", res(bind(srv, (struct sockaddr *) &a, len)));
    say("name %s\n", name_of(srv, 0));
    struct stat st;
    say("stat: %s, ", res(lstat("stream.sock", &st)));
    say("socket %d, mode %o\n", S_ISSOCK(st.st_mode), st.st_mode & 0777);
    say("bind again: %s\n", res(bind(srv, (struct sockaddr *) &a, len)));
    int other = socket(AF_UNIX, SOCK_STREAM, 0);
    say("another socket on the same path: %s\n", res(bind(other, (struct sockaddr *) &a, len)));
    say("connect before listen: %s\n", res(connect(other, (struct sockaddr *) &a, len)));
    close(other);
    say("listen: %s, ", res(listen(srv, 1)));
    say("SO_ACCEPTCONN %d, events %s\n", sockopt(srv, SOL_SOCKET, SO_ACCEPTCONN), events(srv));
    int d = socket(AF_UNIX, SOCK_DGRAM, 0);
    say("datagram connect to a stream name: %s\n", res(connect(d, (struct sockaddr *) &a, len)));
    close(d);

    int c1 = socket(AF_UNIX, SOCK_STREAM, 0);
    say("connect: %s, ", res(connect(c1, (struct sockaddr *) &a, len)));
    say("peer %s\n", name_of(c1, 1));
    say("connect again: %s\n", res(connect(c1, (struct sockaddr *) &a, len)));
    say("listener after a connect: events %s\n", events(srv));
    int c2 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    say("second connect (backlog 1): %s\n", res(connect(c2, (struct sockaddr *) &a, len)));
    int c3 = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    say("third connect, non-blocking, backlog full: %s\n", res(connect(c3, (struct sockaddr *) &a, len)));
    close(c3);
    write(c1, "before accept", 13);
    glen = sizeof got;
    int s1 = accept4(srv, (struct sockaddr *) &got, &glen, SOCK_CLOEXEC | SOCK_NONBLOCK);
    say("accept4: %s, client %s, F_GETFL %o, FD_CLOEXEC %d\n", res(s1), addr_text(&got, glen), fcntl(s1, F_GETFL),
        fcntl(s1, F_GETFD));
    say("accepted socket: name %s, ", name_of(s1, 0));
    say("peer %s\n", name_of(s1, 1));
    char b[64];
    ssize_t n = read(s1, b, sizeof b);
    say("bytes written before accept: %zd %.*s\n", n, (int) n, b);
    struct ucred cred;
    socklen_t clen = sizeof cred;
    getsockopt(s1, SOL_SOCKET, SO_PEERCRED, &cred, &clen);
    say("SO_PEERCRED of the accepted socket: pid is mine %d\n", cred.pid == getpid());
    int s2 = accept(srv, NULL, NULL);
    say("second accept: %s\n", res(s2));
    close(s2);
    close(c2);
    fcntl(srv, F_SETFL, O_NONBLOCK);
    say("accept with none waiting: %s\n", res(accept(srv, NULL, NULL)));
    fcntl(srv, F_SETFL, 0);

    /* a client in another process, which connects from a name of its own */
    pid_t pid = fork();
    if (pid == 0) {
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        struct sockaddr_un mine;
        socklen_t mlen = set_path(&mine, "client.sock");
        unlink("client.sock");
        bind(c, (struct sockaddr *) &mine, mlen);
        if (connect(c, (struct sockaddr *) &a, len) < 0) {
            _exit(1);
        }
        char m[64];
        for (int i = 0; i < 3; i++) {
            int k = snprintf(m, sizeof m, "line %d\n", i);
            write(c, m, k);
            struct timespec ts = {0, 5000000};
            nanosleep(&ts, NULL);
        }
        ssize_t r = read(c, m, sizeof m);
        _exit(r == 5 && memcmp(m, "thank", 5) == 0 ? 0 : 2);
    }
    glen = sizeof got;
    int s3 = accept(srv, (struct sockaddr *) &got, &glen);
    say("accept from a child: client %s\n", addr_text(&got, glen));
    clen = sizeof cred;
    getsockopt(s3, SOL_SOCKET, SO_PEERCRED, &cred, &clen);
    say("SO_PEERCRED: pid is the child %d, uid %d\n", cred.pid == pid, cred.uid == getuid());
    char all[64];
    n = recv(s3, all, 21, MSG_WAITALL);
    say("MSG_WAITALL across three writes: %zd %.*s", n, (int) n, all);
    write(s3, "thank", 5);
    int st2;
    waitpid(pid, &st2, 0);
    say("child exit %d\n", WEXITSTATUS(st2));
    close(s3);
    close(s1);
    close(c1);
    close(srv);
    say("the name outlives the socket: %s\n", res(access("stream.sock", F_OK)));
    int late = socket(AF_UNIX, SOCK_STREAM, 0);
    say("connect to a name nobody listens on: %s\n", res(connect(late, (struct sockaddr *) &a, len)));
    close(late);
    say("unlink: %s %s\n", res(unlink("stream.sock")), res(unlink("client.sock")));
}

static void abstract_names(void) {
    struct sockaddr_un a;
    char name[64];
    snprintf(name, sizeof name, "phoenix-unixsock-%d", (int) getpid());
    socklen_t len = set_abstract(&a, name);
    int srv = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    say("abstract bind: %s, ", res(bind(srv, (struct sockaddr *) &a, len)));
    say("name is the same %d\n", strcmp(name_of(srv, 0) + strlen(name_of(srv, 0)) - strlen(name), name) == 0);
    int again = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    say("the same abstract name again: %s\n", res(bind(again, (struct sockaddr *) &a, len)));
    close(again);
    listen(srv, 4);
    int c = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    say("connect: %s\n", res(connect(c, (struct sockaddr *) &a, len)));
    int s = accept(srv, NULL, NULL);
    send(c, "rec1", 4, 0);
    send(c, "record-2", 8, 0);
    char b[64];
    ssize_t n1 = recv(s, b, sizeof b, 0);
    ssize_t n2 = recv(s, b, sizeof b, 0);
    say("seqpacket over an abstract name: %zd %zd\n", n1, n2);
    close(s);
    close(c);
    close(srv);
    int reuse = socket(AF_UNIX, SOCK_STREAM, 0);
    say("the name is free once closed: %s\n", res(bind(reuse, (struct sockaddr *) &a, len)));
    close(reuse);

    int auto1 = socket(AF_UNIX, SOCK_DGRAM, 0);
    struct sockaddr_un got;
    socklen_t glen = sizeof got;
    say("autobind: %s, ", res(bind(auto1, (struct sockaddr *) &a, offsetof(struct sockaddr_un, sun_path))));
    getsockname(auto1, (struct sockaddr *) &got, &glen);
    int hex = glen == 8 && got.sun_path[0] == 0;
    for (unsigned i = 1; hex && i < 6; i++) {
        hex = strchr("0123456789abcdef", got.sun_path[i]) != NULL;
    }
    say("length %u, five hex digits %d\n", (unsigned) glen, hex);
    close(auto1);
}

static void named_datagrams(void) {
    struct sockaddr_un a, b, from;
    socklen_t alen = set_path(&a, "dgram-a.sock"), blen = set_path(&b, "dgram-b.sock"), flen;
    unlink("dgram-a.sock");
    unlink("dgram-b.sock");
    int sa = socket(AF_UNIX, SOCK_DGRAM, 0), sb = socket(AF_UNIX, SOCK_DGRAM, 0);
    bind(sa, (struct sockaddr *) &a, alen);
    bind(sb, (struct sockaddr *) &b, blen);
    say("sendto: %zd\n", sendto(sa, "ping", 4, 0, (struct sockaddr *) &b, blen));
    char buf[32];
    flen = sizeof from;
    ssize_t n = recvfrom(sb, buf, sizeof buf, 0, (struct sockaddr *) &from, &flen);
    say("recvfrom: %zd %.*s from %s\n", n, (int) n, buf, addr_text(&from, flen));
    sendto(sb, "pong", 4, 0, (struct sockaddr *) &from, flen);
    flen = 4;
    n = recvfrom(sa, buf, sizeof buf, 0, (struct sockaddr *) &from, &flen);
    say("reply with a short address buffer: %zd, addrlen %u\n", n, (unsigned) flen);
    int anon = socket(AF_UNIX, SOCK_DGRAM, 0);
    sendto(anon, "anon", 4, 0, (struct sockaddr *) &b, blen);
    flen = sizeof from;
    n = recvfrom(sb, buf, sizeof buf, 0, (struct sockaddr *) &from, &flen);
    say("from an unnamed socket: %zd, addrlen %u\n", n, (unsigned) flen);
    say("connect a to b: %s, ", res(connect(sa, (struct sockaddr *) &b, blen)));
    say("peer %s\n", name_of(sa, 1));
    say("send on the connected socket: %zd\n", send(sa, "via-connect", 11, 0));
    n = recv(sb, buf, sizeof buf, 0);
    say("received %zd\n", n);
    say("connect b to a: %s\n", res(connect(sb, (struct sockaddr *) &a, alen)));
    say("a third socket sends to b, which is connected to a: %s\n",
        res(sendto(anon, "x", 1, 0, (struct sockaddr *) &b, blen)));
    struct sockaddr_un unspec = {.sun_family = AF_UNSPEC};
    say("connect to AF_UNSPEC dissolves: %s, ",
        res(connect(sb, (struct sockaddr *) &unspec, sizeof unspec.sun_family)));
    say("peer %s\n", name_of(sb, 1));
    say("now it takes it: %s\n", res(sendto(anon, "x", 1, 0, (struct sockaddr *) &b, blen)));
    close(sb);
    say("send to a peer that closed: %s\n", res(send(sa, "x", 1, 0)));
    close(sa);
    close(anon);
    unlink("dgram-a.sock");
    unlink("dgram-b.sock");
}

/* Sends fds through sock with one byte, in one SCM_RIGHTS message. */
static long send_fds(int sock, const int *fds, int count) {
    char data = '!';
    struct iovec iov = {&data, 1};
    union {
        struct cmsghdr h;
        char b[CMSG_SPACE(sizeof(int) * 8)];
    } ctl;
    memset(&ctl, 0, sizeof ctl);
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b,
                       .msg_controllen = CMSG_SPACE(sizeof(int) * count)};
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int) * count);
    memcpy(CMSG_DATA(c), fds, sizeof(int) * count);
    return sendmsg(sock, &m, 0);
}

/* Receives one byte and the fds with it into fds (at most room of them); returns their count, or -errno. */
static int recv_fds(int sock, int *fds, int room, size_t controllen, int *flags) {
    char data;
    struct iovec iov = {&data, 1};
    union {
        struct cmsghdr h;
        char b[CMSG_SPACE(sizeof(int) * 8)];
    } ctl;
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b, .msg_controllen = controllen};
    if (recvmsg(sock, &m, 0) < 0) {
        return -errno;
    }
    *flags = m.msg_flags;
    int count = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
            int k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
            for (int i = 0; i < k && count < room; i++) {
                memcpy(&fds[count++], CMSG_DATA(c) + i * sizeof(int), sizeof(int));
            }
        }
    }
    return count;
}

static void passing(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int p[2];
    pipe(p);
    pid_t pid = fork();
    if (pid == 0) {
        close(sv[0]);
        close(p[0]);
        close(p[1]);
        int got[4], flags = 0;
        int k = recv_fds(sv[1], got, 4, CMSG_SPACE(sizeof(int) * 8), &flags);
        if (k != 1) {
            _exit(10 + k);
        }
        write(got[0], "written by the child", 20);
        _exit(0);
    }
    close(sv[1]);
    say("SCM_RIGHTS sendmsg: %ld\n", send_fds(sv[0], &p[1], 1));
    close(p[1]);
    int st;
    waitpid(pid, &st, 0);
    char b[64];
    ssize_t n = read(p[0], b, sizeof b);
    say("child exit %d; through the passed pipe: %.*s\n", WEXITSTATUS(st), (int) n, b);
    say("the pipe closes once the child's copy is gone: %zd\n", read(p[0], b, sizeof b));
    close(p[0]);
    close(sv[0]);

    /* more fds than the control buffer holds: MSG_CTRUNC, and the rest are closed */
    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv);
    pipe(p);
    int many[3] = {p[1], p[1], p[1]};
    send_fds(sv[0], many, 3);
    close(p[1]);
    int got[4], flags = 0;
    int k = recv_fds(sv[1], got, 4, CMSG_SPACE(sizeof(int) * 1), &flags);
    say("3 fds into the space of 1: %d received (the padding holds one more), MSG_CTRUNC %d\n", k,
        (flags & MSG_CTRUNC) != 0);
    for (int i = 0; i < k; i++) {
        close(got[i]);
    }
    say("the others were closed, so the pipe has no writer: %zd\n", read(p[0], b, sizeof b));
    close(p[0]);

    /* fds still in flight when the receiving socket closes are closed with it */
    pipe(p);
    send_fds(sv[0], &p[1], 1);
    close(p[1]);
    close(sv[1]);
    say("a socket closed with fds in flight releases them: %zd\n", read(p[0], b, sizeof b));
    close(p[0]);
    close(sv[0]);

    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int bad = 1000;
    say("SCM_RIGHTS of a bad fd: %s\n", res(send_fds(sv[0], &bad, 1)));
    int self = sv[1];
    say("a socket may carry itself: %ld\n", send_fds(sv[0], &self, 1));
    k = recv_fds(sv[1], got, 4, CMSG_SPACE(sizeof(int) * 8), &flags);
    struct stat s1, s2;
    fstat(got[0], &s1);
    fstat(sv[1], &s2);
    say("received %d fd, the same socket %d, a new number %d\n", k, s1.st_ino == s2.st_ino, got[0] != sv[1]);
    close(got[0]);

    /* credentials */
    int on = 1;
    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &on, sizeof on);
    say("SO_PASSCRED %d\n", sockopt(sv[1], SOL_SOCKET, SO_PASSCRED));
    write(sv[0], "c", 1);
    char data;
    struct iovec iov = {&data, 1};
    union {
        struct cmsghdr h;
        char b[CMSG_SPACE(sizeof(struct ucred))];
    } ctl;
    struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b, .msg_controllen = sizeof ctl.b};
    recvmsg(sv[1], &m, 0);
    struct cmsghdr head;
    struct ucred cr;
    memcpy(&head, ctl.b, sizeof head);
    memcpy(&cr, ctl.b + CMSG_LEN(0), sizeof cr);
    say("SCM_CREDENTIALS without asking: controllen %zu, level %d type %d len %zu, pid is mine %d, uid %d, gid %d\n",
        (size_t) m.msg_controllen, head.cmsg_level, head.cmsg_type, (size_t) head.cmsg_len, cr.pid == getpid(),
        cr.uid == getuid(), cr.gid == getgid());
    struct cmsghdr *c;
    struct msghdr sm = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.b, .msg_controllen = sizeof ctl.b};
    c = CMSG_FIRSTHDR(&sm);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_CREDENTIALS;
    c->cmsg_len = CMSG_LEN(sizeof cr);
    cr.pid = getpid();
    memcpy(CMSG_DATA(c), &cr, sizeof cr);
    say("SCM_CREDENTIALS of my own: %s\n", res(sendmsg(sv[0], &sm, 0)));
    cr.pid = 1;
    memcpy(CMSG_DATA(c), &cr, sizeof cr);
    say("SCM_CREDENTIALS with another pid: %s\n", res(sendmsg(sv[0], &sm, 0)));
    c->cmsg_type = 77;
    say("an unknown control message: %s\n", res(sendmsg(sv[0], &sm, 0)));
    close(sv[0]);
    close(sv[1]);
}

static void readiness(void) {
    struct sockaddr_un a;
    socklen_t len = set_path(&a, "epoll.sock");
    unlink("epoll.sock");
    int srv = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
    bind(srv, (struct sockaddr *) &a, len);
    listen(srv, 8);
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 1};
    say("epoll_ctl of a listener: %s\n", res(epoll_ctl(ep, EPOLL_CTL_ADD, srv, &ev)));
    struct epoll_event out[4];
    say("nothing yet: %d\n", epoll_wait(ep, out, 4, 0));
    pid_t pid = fork();
    if (pid == 0) {
        struct timespec ts = {0, 20000000};
        nanosleep(&ts, NULL);
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(c, (struct sockaddr *) &a, len) < 0) {
            _exit(1);
        }
        nanosleep(&ts, NULL);
        write(c, "ab", 2);
        nanosleep(&ts, NULL);
        write(c, "cd", 2);
        nanosleep(&ts, NULL);
        shutdown(c, SHUT_WR);
        char b[8];
        _exit(read(c, b, sizeof b) == 0 ? 0 : 2);
    }
    int n = epoll_wait(ep, out, 4, 5000);
    say("epoll_wait wakes for a connection: %d, data %u, EPOLLIN %d\n", n, out[0].data.u32,
        (out[0].events & EPOLLIN) != 0);
    int s = accept4(srv, NULL, NULL, SOCK_NONBLOCK);
    ev.events = EPOLLIN | EPOLLET | EPOLLRDHUP;
    ev.data.u32 = 2;
    epoll_ctl(ep, EPOLL_CTL_ADD, s, &ev);
    int bytes = 0, edges = drain_edges(ep, s, 2, &bytes);
    say("edge-triggered: %d bytes, EPOLLRDHUP %d, at least 2 edges %d\n", bytes, edges > 0, edges >= 2);
    struct pollfd pf = {.fd = s, .events = POLLIN | POLLRDHUP};
    int polled = poll(&pf, 1, 0);
    say("poll after the peer's SHUT_WR: %d, revents IN %d RDHUP %d\n", polled, (pf.revents & POLLIN) != 0,
        (pf.revents & POLLRDHUP) != 0);
    int ready, selected = select_readable(s, &ready);
    say("select says readable: %d %d\n", selected, ready);
    close(s);
    int st;
    waitpid(pid, &st, 0);
    say("child exit %d\n", WEXITSTATUS(st));
    close(ep);
    close(srv);
    unlink("epoll.sock");
}

/* splice(2) between a socket and a pipe, both ways, and sendfile(2) from a file into a socket. */
static void splices(void) {
    int sv[2], p[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    pipe(p);
    write(sv[0], "through a pipe", 14);
    ssize_t n = splice(sv[1], NULL, p[1], NULL, 64, 0);
    say("splice socket to pipe: %zd, ", n);
    n = splice(p[0], NULL, sv[1], NULL, 64, 0);
    say("pipe to socket: %zd, ", n);
    char b[64];
    n = read(sv[0], b, sizeof b);
    say("read back %zd %.*s\n", n, (int) n, b);
    int f = open("sendfile.txt", O_CREAT | O_RDWR | O_TRUNC, 0600);
    write(f, "sent from a file", 16);
    off_t off = 5;
    n = sendfile(sv[0], f, &off, 100);
    say("sendfile into a socket: %zd, offset %ld, ", n, (long) off);
    n = read(sv[1], b, sizeof b);
    say("read %zd %.*s\n", n, (int) n, b);
    close(f);
    unlink("sendfile.txt");
    close(p[0]);
    close(p[1]);
    close(sv[0]);
    close(sv[1]);
}

/* An epoll descriptor inside another (and in poll): it is readable while an event waits in it. */
static void nested_epoll(void) {
    int sv[2];
    socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
    int inner = epoll_create1(0), outer = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 7};
    epoll_ctl(inner, EPOLL_CTL_ADD, sv[1], &ev);
    ev.data.u32 = 8;
    say("an epoll in an epoll: %s, ", res(epoll_ctl(outer, EPOLL_CTL_ADD, inner, &ev)));
    say("the outer in the inner: %s, ", res(epoll_ctl(inner, EPOLL_CTL_ADD, outer, &ev)));
    say("itself: %s\n", res(epoll_ctl(outer, EPOLL_CTL_ADD, outer, &ev)));
    struct epoll_event out[2];
    say("nothing waits: outer %d, poll %s\n", epoll_wait(outer, out, 2, 0), events(inner));
    pid_t pid = fork();
    if (pid == 0) {
        struct timespec ts = {0, 20000000};
        nanosleep(&ts, NULL);
        write(sv[0], "x", 1);
        _exit(0);
    }
    int n = epoll_wait(outer, out, 2, 5000);
    say("a write wakes the outer: %d, data %u, ", n, out[0].data.u32);
    n = epoll_wait(inner, out, 2, 0);
    say("the inner has it: %d, data %u, poll %s\n", n, out[0].data.u32, events(inner));
    waitpid(pid, NULL, 0);
    close(inner);
    close(outer);
    close(sv[0]);
    close(sv[1]);
}

int main(void) {
    char dir[] = "/tmp/unixsock-XXXXXX";
    if (!mkdtemp(dir) || chdir(dir) < 0) {
        return 1;
    }
    stream_pair();
    datagram_pairs();
    errors();
    named_stream();
    abstract_names();
    named_datagrams();
    passing();
    readiness();
    splices();
    nested_epoll();
    chdir("/");
    say("rmdir: %s\n", res(rmdir(dir)));
    return 0;
}
