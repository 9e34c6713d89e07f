/* A network namespace of Phoenix's own (`phoenix run --net none`; natively `unshare -n`) seen
 * through netdevice(7) ioctls, rtnetlink(7) and the libc calls built on them: lo brought up with
 * SIOCSIFFLAGS, its flags, index, MTU, addresses and SIOCGIFCONF; if_nameindex and getifaddrs;
 * RTM_GETLINK and RTM_GETADDR dumps and single gets, RTM_NEWLINK taking lo down and up (IPv6's
 * ::1 goes and comes back, 127.0.0.1 stays), RTM_NEWADDR and RTM_DELADDR with acks, and errors.
 * Nothing printed depends on the run (no port ids, pids or counters). */
#define _GNU_SOURCE
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <unistd.h>

#include "ttycheck.h"
#include "netlink.h"

static void ioctls(int fd) {
    struct ifreq r;
    char text[64];
    const char *res;
    ifreq_named(&r, "lo");
    res = ifreq_call(fd, SIOCGIFINDEX, &r);
    say("SIOCGIFINDEX %s %d\n", res, r.ifr_ifindex);
    ifreq_named(&r, "lo");
    res = ifreq_call(fd, SIOCGIFMTU, &r);
    say("SIOCGIFMTU %s %d\n", res, r.ifr_mtu);
    ifreq_named(&r, "lo");
    res = ifreq_call(fd, SIOCGIFTXQLEN, &r);
    say("SIOCGIFTXQLEN %s %d\n", res, r.ifr_qlen);
    ifreq_named(&r, "lo");
    res = ifreq_call(fd, SIOCGIFHWADDR, &r);
    say("SIOCGIFHWADDR %s family %d\n", res, r.ifr_hwaddr.sa_family);
    ifreq_named(&r, "lo");
    res = ifreq_call(fd, SIOCGIFADDR, &r);
    say("SIOCGIFADDR %s %s\n", res, inet_ntop(AF_INET, &((struct sockaddr_in *) &r.ifr_addr)->sin_addr, text, sizeof text));
    ifreq_named(&r, "lo");
    res = ifreq_call(fd, SIOCGIFNETMASK, &r);
    say("SIOCGIFNETMASK %s %s\n", res, inet_ntop(AF_INET, &((struct sockaddr_in *) &r.ifr_addr)->sin_addr, text, sizeof text));
    memset(&r, 0, sizeof r);
    r.ifr_ifindex = 1;
    res = ifreq_call(fd, SIOCGIFNAME, &r);
    say("SIOCGIFNAME 1 %s %s\n", res, r.ifr_name);
    r.ifr_ifindex = 99;
    say("SIOCGIFNAME 99 %s\n", ifreq_call(fd, SIOCGIFNAME, &r));
    ifreq_named(&r, "nosuch0");
    say("SIOCGIFFLAGS nosuch0 %s\n", ifreq_call(fd, SIOCGIFFLAGS, &r));
    struct ifconf ic = {.ifc_len = 0, .ifc_buf = NULL};
    res = ioctl(fd, SIOCGIFCONF, &ic) < 0 ? err(errno) : "ok";
    say("SIOCGIFCONF size %s %d\n", res, ic.ifc_len);
    struct ifreq all[8];
    ic.ifc_len = sizeof all;
    ic.ifc_req = all;
    res = ioctl(fd, SIOCGIFCONF, &ic) < 0 ? err(errno) : "ok";
    say("SIOCGIFCONF %s %d\n", res, ic.ifc_len / (int) sizeof(struct ifreq));
    for (int i = 0; i < ic.ifc_len / (int) sizeof(struct ifreq); i++) {
        say("  %s %s\n", all[i].ifr_name,
                inet_ntop(AF_INET, &((struct sockaddr_in *) &all[i].ifr_addr)->sin_addr, text, sizeof text));
    }
}

static void libc(void) {
    struct if_nameindex *ni = if_nameindex();
    for (struct if_nameindex *p = ni; p && p->if_index; p++) {
        say("if_nameindex %u %s\n", p->if_index, p->if_name);
    }
    if_freenameindex(ni);
    say("if_nametoindex lo %u\n", if_nametoindex("lo"));
    struct ifaddrs *ifa;
    if (getifaddrs(&ifa) < 0) {
        say("getifaddrs: %s\n", err(errno));
        return;
    }
    for (struct ifaddrs *p = ifa; p; p = p->ifa_next) {
        char text[64] = "-", mask[64] = "-";
        int family = p->ifa_addr ? p->ifa_addr->sa_family : -1;
        if (family == AF_INET) {
            inet_ntop(AF_INET, &((struct sockaddr_in *) p->ifa_addr)->sin_addr, text, sizeof text);
            inet_ntop(AF_INET, &((struct sockaddr_in *) p->ifa_netmask)->sin_addr, mask, sizeof mask);
        } else if (family == AF_INET6) {
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *) p->ifa_addr)->sin6_addr, text, sizeof text);
            inet_ntop(AF_INET6, &((struct sockaddr_in6 *) p->ifa_netmask)->sin6_addr, mask, sizeof mask);
        }
        say("getifaddrs %s family %d flags 0x%x %s %s\n", p->ifa_name, family, p->ifa_flags, text, mask);
    }
    freeifaddrs(ifa);
}

int main(void) {
    int fd = socket(AF_INET, SOCK_DGRAM, 0);
    say("lo up: %s\n", if_set_up(fd, "lo", 1));
    say("lo flags 0x%x\n", if_flags(fd, "lo"));
    ioctls(fd);
    libc();

    int pid, seq = 100;
    int nl = nl_open(&pid);
    say("port is pid: %s\n", pid == getpid() ? "yes" : "no");
    int other;
    int nl2 = nl_open(&other);
    say("second port differs: %s\n", other != pid && other != 0 ? "yes" : "no");
    close(nl2);
    nl_dump(nl, pid, &seq);

    struct ifinfomsg li = {.ifi_index = 1};
    say("getlink 1\n");
    nl_request(nl, RTM_GETLINK, 0, ++seq, &li, sizeof li);
    nl_answers(nl, seq, pid);
    li.ifi_index = 42;
    say("getlink 42\n");
    nl_request(nl, RTM_GETLINK, 0, ++seq, &li, sizeof li);
    nl_answers(nl, seq, pid);

    say("newlink down: %s\n", nl_set_up(nl, pid, &seq, 1, 0));
    say("lo flags 0x%x\n", if_flags(fd, "lo"));
    nl_dump(nl, pid, &seq);
    say("newlink up: %s\n", nl_set_up(nl, pid, &seq, 1, 1));
    say("lo flags 0x%x\n", if_flags(fd, "lo"));

    struct {
        struct ifaddrmsg m;
        struct rtattr a;
        struct in_addr ip;
    } add = {{.ifa_family = AF_INET, .ifa_prefixlen = 24, .ifa_index = 1},
             {.rta_len = RTA_LENGTH(4), .rta_type = IFA_LOCAL}, {htonl(0x0a010203)}};
    nl_request(nl, RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, ++seq, &add, sizeof add);
    say("newaddr: %s\n", nerr(nl_answers(nl, seq, pid)));
    nl_request(nl, RTM_NEWADDR, NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, ++seq, &add, sizeof add);
    say("newaddr again: %s\n", nerr(nl_answers(nl, seq, pid)));
    struct ifaddrmsg ai = {.ifa_family = AF_INET};
    nl_request(nl, RTM_GETADDR, NLM_F_DUMP, ++seq, &ai, sizeof ai);
    nl_answers(nl, seq, pid);
    nl_request(nl, RTM_DELADDR, NLM_F_ACK, ++seq, &add, sizeof add);
    say("deladdr: %s\n", nerr(nl_answers(nl, seq, pid)));
    nl_request(nl, RTM_DELADDR, NLM_F_ACK, ++seq, &add, sizeof add);
    say("deladdr again: %s\n", nerr(nl_answers(nl, seq, pid)));

    struct sockaddr_nl nobody = {.nl_family = AF_NETLINK, .nl_pid = 0x7ffffff0};
    int r = sendto(nl, "x", 1, 0, (struct sockaddr *) &nobody, sizeof nobody);
    say("sendto another port: %s\n", r < 0 ? err(errno) : "ok");
    r = socket(AF_NETLINK, SOCK_STREAM, NETLINK_ROUTE);
    say("stream netlink: %s\n", r < 0 ? err(errno) : "ok");
    int on = 1;
    say("NETLINK_EXT_ACK: %s\n", setsockopt(nl, SOL_NETLINK, NETLINK_EXT_ACK, &on, sizeof on) < 0 ? err(errno) : "ok");
    say("NLMSG_NOOP with ack\n");
    struct nlmsghdr noop = {.nlmsg_len = NLMSG_HDRLEN, .nlmsg_type = NLMSG_NOOP, .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK, .nlmsg_seq = ++seq};
    write(nl, &noop, sizeof noop);
    nl_answers(nl, seq, pid);
    return 0;
}
