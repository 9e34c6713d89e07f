/* The echo benchmark's client: opens CONNECTIONS connections to 127.0.0.1:PORT (waiting up to
 * 20 s for the server to listen), then drives them all from one epoll loop, each sending a
 * message, waiting for its echo and checking it, MESSAGES times; prints the round trips per
 * second. Exits 1 if a byte came back wrong or missing.
 *
 * usage: echoclient PORT CONNECTIONS MESSAGES */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

struct client {
    int fd, sent, got; /* messages sent and echoed */
    char msg[64];
    int len, have; /* the message in flight and how much of its echo came */
};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void next_message(struct client *c, int id) {
    c->len = snprintf(c->msg, sizeof c->msg, "c%04d m%05d %.*s\n", id, c->sent, (id * 31 + c->sent * 7) % 40,
                      "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz");
    c->have = 0;
}

int main(int argc, char **argv) {
    if (argc != 4) {
        fprintf(stderr, "usage: echoclient PORT CONNECTIONS MESSAGES\n");
        return 2;
    }
    int port = atoi(argv[1]), n = atoi(argv[2]), messages = atoi(argv[3]);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    struct client *cs = calloc(n, sizeof *cs);
    int ep = epoll_create1(0);
    for (int i = 0; i < n; i++) {
        for (int tries = 0;; tries++) {
            cs[i].fd = socket(AF_INET, SOCK_STREAM, 0);
            if (connect(cs[i].fd, (struct sockaddr *) &a, sizeof a) == 0) {
                break;
            }
            close(cs[i].fd);
            if (errno != ECONNREFUSED || tries > 2000) {
                perror("echoclient: connect");
                return 1;
            }
            struct timespec ts = {0, 10000000};
            nanosleep(&ts, NULL);
        }
        int on = 1;
        setsockopt(cs[i].fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
        struct epoll_event ev = {.events = EPOLLIN, .data.u32 = i};
        epoll_ctl(ep, EPOLL_CTL_ADD, cs[i].fd, &ev);
    }
    double start = now();
    for (int i = 0; i < n; i++) {
        next_message(&cs[i], i);
        if (write(cs[i].fd, cs[i].msg, cs[i].len) != cs[i].len) {
            perror("echoclient: write");
            return 1;
        }
    }
    int running = n, bad = 0;
    struct epoll_event evs[256];
    char buf[256];
    while (running > 0) {
        int k = epoll_wait(ep, evs, 256, 30000);
        if (k <= 0) {
            fprintf(stderr, "echoclient: no echo for 30 s\n");
            return 1;
        }
        for (int e = 0; e < k; e++) {
            int i = evs[e].data.u32;
            struct client *c = &cs[i];
            ssize_t r = read(c->fd, buf, c->len - c->have);
            if (r <= 0) {
                fprintf(stderr, "echoclient: connection %d ended early\n", i);
                return 1;
            }
            if (memcmp(buf, c->msg + c->have, r) != 0) {
                bad++;
            }
            c->have += r;
            if (c->have < c->len) {
                continue;
            }
            c->got++;
            if (++c->sent == messages) {
                close(c->fd);
                running--;
                continue;
            }
            next_message(c, i);
            if (write(c->fd, c->msg, c->len) != c->len) {
                perror("echoclient: write");
                return 1;
            }
        }
    }
    double t = now() - start;
    long total = (long) n * messages;
    printf("echoclient: %d connections, %d messages each, %s, %.3f s, %.0f messages/s\n", n, messages,
           bad ? "some wrong" : "all echoed", t, total / t);
    return bad ? 1 : 0;
}
