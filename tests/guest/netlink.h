/*
 * Helpers for the network namespace tests (netlink.c, ifaces.c): interface ioctls, rtnetlink
 * requests and what their answers hold, printed without anything that differs between runs
 * (no port ids, no counters). Include after ttycheck.h.
 */
#ifndef NETLINK_H
#define NETLINK_H

#include <arpa/inet.h>
#include <net/if.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

/* The netlink(7) and rtnetlink(7) ABI, written out: musl ships no <linux/netlink.h>. */
#define NETLINK_ROUTE 0
#define SOL_NETLINK 270
#define NETLINK_EXT_ACK 11
#define NLMSG_NOOP 1
#define NLMSG_ERROR 2
#define NLMSG_DONE 3
#define NLM_F_REQUEST 1
#define NLM_F_MULTI 2
#define NLM_F_ACK 4
#define NLM_F_EXCL 0x200
#define NLM_F_CREATE 0x400
#define NLM_F_DUMP 0x300
#define RTM_NEWLINK 16
#define RTM_GETLINK 18
#define RTM_NEWADDR 20
#define RTM_DELADDR 21
#define RTM_GETADDR 22
#define IFLA_ADDRESS 1
#define IFLA_IFNAME 3
#define IFLA_MTU 4
#define IFLA_QDISC 6
#define IFLA_TXQLEN 13
#define IFLA_OPERSTATE 16
#define IFA_ADDRESS 1
#define IFA_LOCAL 2
#define IFA_LABEL 3

struct sockaddr_nl {
    unsigned short nl_family, nl_pad;
    uint32_t nl_pid, nl_groups;
};
struct nlmsghdr {
    uint32_t nlmsg_len;
    uint16_t nlmsg_type, nlmsg_flags;
    uint32_t nlmsg_seq, nlmsg_pid;
};
struct nlmsgerr {
    int error;
    struct nlmsghdr msg;
};
struct ifinfomsg {
    unsigned char ifi_family, ifi_pad;
    unsigned short ifi_type;
    int ifi_index;
    unsigned ifi_flags, ifi_change;
};
struct ifaddrmsg {
    uint8_t ifa_family, ifa_prefixlen, ifa_flags, ifa_scope;
    uint32_t ifa_index;
};
struct rtattr {
    unsigned short rta_len, rta_type;
};

#define NLMSG_ALIGN(n) (((n) + 3) & ~3)
#define NLMSG_HDRLEN ((int) NLMSG_ALIGN(sizeof(struct nlmsghdr)))
#define NLMSG_LENGTH(n) ((n) + NLMSG_HDRLEN)
#define NLMSG_DATA(h) ((void *) ((char *) (h) + NLMSG_HDRLEN))
#define NLMSG_NEXT(h, n) ((n) -= NLMSG_ALIGN((h)->nlmsg_len), (struct nlmsghdr *) ((char *) (h) + NLMSG_ALIGN((h)->nlmsg_len)))
#define NLMSG_OK(h, n) ((n) >= (int) sizeof(struct nlmsghdr) && (h)->nlmsg_len >= sizeof(struct nlmsghdr) \
        && (h)->nlmsg_len <= (unsigned) (n))
#define RTA_ALIGN(n) (((n) + 3) & ~3)
#define RTA_LENGTH(n) (RTA_ALIGN(sizeof(struct rtattr)) + (n))
#define RTA_DATA(a) ((void *) ((char *) (a) + RTA_LENGTH(0)))
#define RTA_PAYLOAD(a) ((int) (a)->rta_len - RTA_LENGTH(0))
#define RTA_OK(a, n) ((n) >= (int) sizeof(struct rtattr) && (a)->rta_len >= sizeof(struct rtattr) && (a)->rta_len <= (n))
#define RTA_NEXT(a, n) ((n) -= RTA_ALIGN((a)->rta_len), (struct rtattr *) ((char *) (a) + RTA_ALIGN((a)->rta_len)))
#define IFLA_RTA(i) ((struct rtattr *) ((char *) (i) + NLMSG_ALIGN(sizeof(struct ifinfomsg))))
#define IFLA_PAYLOAD(h) ((int) ((h)->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof(struct ifinfomsg)))))
#define IFA_RTA(i) ((struct rtattr *) ((char *) (i) + NLMSG_ALIGN(sizeof(struct ifaddrmsg))))
#define IFA_PAYLOAD(h) ((int) ((h)->nlmsg_len - NLMSG_LENGTH(NLMSG_ALIGN(sizeof(struct ifaddrmsg)))))

static inline const char *nerr(int e) {
    return e == ENODEV ? "ENODEV" : err(e);
}

/* An ioctl on lo-named (or any) ifreq: its result as text. */
static inline const char *ifreq_call(int fd, unsigned long req, struct ifreq *r) {
    return ioctl(fd, req, r) < 0 ? nerr(errno) : "ok";
}

static inline void ifreq_named(struct ifreq *r, const char *name) {
    memset(r, 0, sizeof *r);
    strncpy(r->ifr_name, name, IFNAMSIZ - 1);
}

/* SIOCGIFFLAGS of name: the flags, or -errno. */
static inline int if_flags(int fd, const char *name) {
    struct ifreq r;
    ifreq_named(&r, name);
    return ioctl(fd, SIOCGIFFLAGS, &r) < 0 ? -errno : (unsigned short) r.ifr_flags;
}

/* SIOCSIFFLAGS: name up (1) or down (0); the result as text. */
static inline const char *if_set_up(int fd, const char *name, int up) {
    struct ifreq r;
    ifreq_named(&r, name);
    if (ioctl(fd, SIOCGIFFLAGS, &r) < 0) {
        return nerr(errno);
    }
    r.ifr_flags = up ? (r.ifr_flags | IFF_UP) : (r.ifr_flags & ~IFF_UP);
    return ifreq_call(fd, SIOCSIFFLAGS, &r);
}

/* Sends one rtnetlink request of type with the family header hdr (len bytes) and flags. */
static inline int nl_request(int nl, int type, int flags, int seq, const void *hdr, int len) {
    char buf[256];
    struct nlmsghdr *h = (struct nlmsghdr *) buf;
    memset(buf, 0, sizeof buf);
    h->nlmsg_len = NLMSG_LENGTH(len);
    h->nlmsg_type = type;
    h->nlmsg_flags = NLM_F_REQUEST | flags;
    h->nlmsg_seq = seq;
    memcpy(NLMSG_DATA(h), hdr, len);
    struct sockaddr_nl k = {.nl_family = AF_NETLINK};
    return sendto(nl, buf, h->nlmsg_len, 0, (struct sockaddr *) &k, sizeof k);
}

/* Prints one RTM_NEWLINK: index, type, flags and the attributes that do not change between runs. */
static inline void nl_print_link(struct nlmsghdr *h) {
    struct ifinfomsg *i = NLMSG_DATA(h);
    say("link %d type %d flags 0x%x", i->ifi_index, i->ifi_type, i->ifi_flags);
    int len = IFLA_PAYLOAD(h);
    for (struct rtattr *a = IFLA_RTA(i); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
        switch (a->rta_type) {
        case IFLA_IFNAME: say(" name %s", (char *) RTA_DATA(a)); break;
        case IFLA_MTU: say(" mtu %u", *(unsigned *) RTA_DATA(a)); break;
        case IFLA_TXQLEN: say(" qlen %u", *(unsigned *) RTA_DATA(a)); break;
        case IFLA_OPERSTATE: say(" operstate %u", *(unsigned char *) RTA_DATA(a)); break;
        case IFLA_QDISC: say(" qdisc %s", (char *) RTA_DATA(a)); break;
        case IFLA_ADDRESS: say(" address/%d", (int) RTA_PAYLOAD(a)); break;
        }
    }
    say("\n");
}

/* Prints one RTM_NEWADDR: family, prefix, scope, index, the address and label. */
static inline void nl_print_addr(struct nlmsghdr *h) {
    struct ifaddrmsg *i = NLMSG_DATA(h);
    say("addr family %d prefix %d scope %d index %d", i->ifa_family, i->ifa_prefixlen, i->ifa_scope,
            (int) i->ifa_index);
    int len = IFA_PAYLOAD(h);
    char text[64];
    for (struct rtattr *a = IFA_RTA(i); RTA_OK(a, len); a = RTA_NEXT(a, len)) {
        switch (a->rta_type) {
        case IFA_ADDRESS:
            say(" address %s", inet_ntop(i->ifa_family, RTA_DATA(a), text, sizeof text));
            break;
        case IFA_LOCAL:
            say(" local %s", inet_ntop(i->ifa_family, RTA_DATA(a), text, sizeof text));
            break;
        case IFA_LABEL: say(" label %s", (char *) RTA_DATA(a)); break;
        }
    }
    say("\n");
}

/*
 * Reads the answers to request seq until NLMSG_DONE (a dump) or one message (a reply or an
 * NLMSG_ERROR), printing each; returns the error of an NLMSG_ERROR (0 for an ack).
 */
static inline int nl_answers(int nl, int seq, int pid) {
    char buf[16384];
    for (;;) {
        int n = recv(nl, buf, sizeof buf, 0);
        if (n < 0) {
            say("recv: %s\n", err(errno));
            return -1;
        }
        for (struct nlmsghdr *h = (struct nlmsghdr *) buf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
            if ((int) h->nlmsg_seq != seq || (int) h->nlmsg_pid != pid) {
                say("seq or pid wrong\n");
            }
            switch (h->nlmsg_type) {
            case NLMSG_DONE: say("done\n"); return 0;
            case NLMSG_ERROR: {
                struct nlmsgerr *e = NLMSG_DATA(h);
                say("error %s\n", nerr(-e->error));
                return -e->error;
            }
            case RTM_NEWLINK: nl_print_link(h); break;
            case RTM_NEWADDR: nl_print_addr(h); break;
            default: say("type %d\n", h->nlmsg_type); break;
            }
            if (!(h->nlmsg_flags & NLM_F_MULTI)) {
                return 0;
            }
        }
    }
}

/* A NETLINK_ROUTE socket bound to a port of its own; *pid gets the port. */
static inline int nl_open(int *pid) {
    int nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    struct sockaddr_nl a = {.nl_family = AF_NETLINK};
    socklen_t len = sizeof a;
    if (nl < 0 || bind(nl, (struct sockaddr *) &a, sizeof a) < 0 || getsockname(nl, (struct sockaddr *) &a, &len) < 0) {
        say("netlink: %s\n", err(errno));
        _exit(1);
    }
    *pid = a.nl_pid;
    return nl;
}

/* RTM_GETLINK and RTM_GETADDR dumps, printed. */
static inline void nl_dump(int nl, int pid, int *seq) {
    struct ifinfomsg li = {0};
    nl_request(nl, RTM_GETLINK, NLM_F_DUMP, ++*seq, &li, sizeof li);
    nl_answers(nl, *seq, pid);
    struct ifaddrmsg ai = {0};
    nl_request(nl, RTM_GETADDR, NLM_F_DUMP, ++*seq, &ai, sizeof ai);
    nl_answers(nl, *seq, pid);
}

/* RTM_NEWLINK setting IFF_UP of interface index, with an ack: the ack's error as text. */
static inline const char *nl_set_up(int nl, int pid, int *seq, int index, int up) {
    struct ifinfomsg li = {.ifi_index = index, .ifi_flags = up ? IFF_UP : 0, .ifi_change = IFF_UP};
    nl_request(nl, RTM_NEWLINK, NLM_F_ACK, ++*seq, &li, sizeof li);
    return nerr(nl_answers(nl, *seq, pid));
}

#endif
