/* A new network namespace (unshare(CLONE_NEWNET), as root): only lo, down, without addresses;
 * 127.0.0.1 unreachable (ENETUNREACH) and ::1 unassigned (EADDRNOTAVAIL) until SIOCSIFFLAGS
 * brings lo up; then a server bound inside is reachable from inside, while a TCP listener and
 * an abstract AF_UNIX name made before unshare are not (ECONNREFUSED), and the abstract name can
 * be bound again inside. Ports and names are never printed. */
#define _GNU_SOURCE
#include <ifaddrs.h>
#include <netinet/in.h>
#include <sched.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/un.h>
#include <unistd.h>

#include "ttycheck.h"
#include "netlink.h"

static const char *res(long r) {
    return r >= 0 ? "ok" : nerr(errno);
}

static struct sockaddr_in loopback(int port) {
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return a;
}

/* A TCP listener on 127.0.0.1 at an ephemeral port (returned through *port), or -errno. */
static int listener(int *port) {
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback(0);
    socklen_t len = sizeof a;
    if (bind(s, (struct sockaddr *) &a, sizeof a) < 0 || listen(s, 4) < 0
            || getsockname(s, (struct sockaddr *) &a, &len) < 0) {
        int e = errno;
        close(s);
        return -e;
    }
    *port = ntohs(a.sin_port);
    return s;
}

static int tcp_connect(int port) {
    int c = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = loopback(port);
    int r = connect(c, (struct sockaddr *) &a, sizeof a);
    int e = errno;
    if (r < 0) {
        close(c);
        errno = e;
        return -1;
    }
    return c;
}

static socklen_t abstract_name(struct sockaddr_un *u) {
    memset(u, 0, sizeof *u);
    u->sun_family = AF_UNIX;
    int n = snprintf(u->sun_path + 1, sizeof u->sun_path - 1, "phoenix-ifaces-%d", (int) getpid());
    return offsetof(struct sockaddr_un, sun_path) + 1 + n;
}

static void interfaces(int fd) {
    struct if_nameindex *ni = if_nameindex();
    for (struct if_nameindex *p = ni; p && p->if_index; p++) {
        say("if_nameindex %u %s\n", p->if_index, p->if_name);
    }
    if_freenameindex(ni);
    struct ifaddrs *ifa;
    if (getifaddrs(&ifa) == 0) {
        int inet = 0;
        for (struct ifaddrs *p = ifa; p; p = p->ifa_next) {
            if (p->ifa_addr && (p->ifa_addr->sa_family == AF_INET || p->ifa_addr->sa_family == AF_INET6)) {
                inet++;
            }
        }
        say("getifaddrs: %d internet addresses\n", inet);
        freeifaddrs(ifa);
    }
    say("lo flags 0x%x\n", if_flags(fd, "lo"));
    struct ifreq r;
    ifreq_named(&r, "lo");
    say("SIOCGIFADDR %s\n", ifreq_call(fd, SIOCGIFADDR, &r));
}

int main(void) {
    int outerPort, outer = listener(&outerPort);
    say("outer listener: %s\n", res(outer));
    struct sockaddr_un u;
    socklen_t ulen = abstract_name(&u);
    int au = socket(AF_UNIX, SOCK_STREAM, 0);
    say("outer abstract bind: %s\n", res(bind(au, (struct sockaddr *) &u, ulen)));
    listen(au, 4);

    say("unshare: %s\n", res(unshare(CLONE_NEWNET)));
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    interfaces(fd);

    int c = tcp_connect(outerPort);
    say("connect while down: %s\n", res(c));
    struct sockaddr_in a = loopback(outerPort);
    say("sendto while down: %s\n", res(sendto(fd, "x", 1, 0, (struct sockaddr *) &a, sizeof a)));
    struct sockaddr_in6 six = {.sin6_family = AF_INET6, .sin6_port = htons(outerPort), .sin6_addr = IN6ADDR_LOOPBACK_INIT};
    int c6 = socket(AF_INET6, SOCK_STREAM, 0);
    say("connect ::1 while down: %s\n", res(connect(c6, (struct sockaddr *) &six, sizeof six)));

    say("lo up: %s\n", if_set_up(fd, "lo", 1));
    interfaces(fd);

    c = tcp_connect(outerPort);
    say("connect to the outer listener: %s\n", res(c));
    int innerPort, inner = listener(&innerPort);
    say("inner listener: %s\n", res(inner));
    c = tcp_connect(innerPort);
    say("connect to the inner listener: %s\n", res(c));
    int s = accept(inner, NULL, NULL);
    char buf[8] = "";
    say("send: %s\n", res(send(c, "hello", 5, 0)));
    long n = recv(s, buf, sizeof buf - 1, 0);
    say("received: %s %s\n", res(n), buf);

    int cu = socket(AF_UNIX, SOCK_STREAM, 0);
    say("connect to the outer abstract name: %s\n", res(connect(cu, (struct sockaddr *) &u, ulen)));
    int iu = socket(AF_UNIX, SOCK_STREAM, 0);
    say("inner abstract bind: %s\n", res(bind(iu, (struct sockaddr *) &u, ulen)));
    listen(iu, 4);
    int cu2 = socket(AF_UNIX, SOCK_STREAM, 0);
    say("connect to the inner abstract name: %s\n", res(connect(cu2, (struct sockaddr *) &u, ulen)));
    return 0;
}
