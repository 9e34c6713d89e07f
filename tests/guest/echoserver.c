/* An epoll echo server: listens on 127.0.0.1:PORT, echoes every byte back on each connection
 * (edge-triggered, non-blocking, with pending output kept per connection), and ends by itself
 * once CONNECTIONS connections have come and gone, printing what it did. The load test and the
 * echo benchmark drive it with many concurrent host clients.
 *
 * usage: echoserver PORT CONNECTIONS */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_FDS 4096

struct conn {
    char *pending; /* bytes read and not yet written back */
    size_t len, cap;
    int open;
};

static struct conn conns[MAX_FDS];

static void close_conn(int ep, int fd) {
    epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
    close(fd);
    free(conns[fd].pending);
    memset(&conns[fd], 0, sizeof conns[fd]);
}

/* Writes what is pending; returns -1 on an error, else 0 (some may still be pending). */
static int flush(int fd) {
    struct conn *c = &conns[fd];
    size_t off = 0;
    while (off < c->len) {
        ssize_t w = write(fd, c->pending + off, c->len - off);
        if (w < 0) {
            if (errno == EAGAIN) {
                break;
            }
            return -1;
        }
        off += w;
    }
    memmove(c->pending, c->pending + off, c->len - off);
    c->len -= off;
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: echoserver PORT CONNECTIONS\n");
        return 2;
    }
    long wanted = atol(argv[2]), done = 0, accepted = 0;
    long long echoed = 0;
    int srv = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    int on = 1;
    setsockopt(srv, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1]))};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(srv, (struct sockaddr *) &a, sizeof a) < 0 || listen(srv, 1024) < 0) {
        perror("echoserver: bind");
        return 1;
    }
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct epoll_event ev = {.events = EPOLLIN, .data.fd = srv};
    epoll_ctl(ep, EPOLL_CTL_ADD, srv, &ev);
    struct epoll_event events[256];
    static char buf[65536];
    while (done < wanted) {
        int n = epoll_wait(ep, events, 256, -1);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("echoserver: epoll_wait");
            return 1;
        }
        for (int i = 0; i < n; i++) {
            int fd = events[i].data.fd;
            if (fd == srv) {
                int c;
                while ((c = accept4(srv, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
                    if (c >= MAX_FDS) {
                        close(c);
                        continue;
                    }
                    accepted++;
                    conns[c].open = 1;
                    struct epoll_event cev = {.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, .data.fd = c};
                    epoll_ctl(ep, EPOLL_CTL_ADD, c, &cev);
                }
                continue;
            }
            struct conn *c = &conns[fd];
            int closing = (events[i].events & (EPOLLERR | EPOLLHUP)) != 0;
            if (events[i].events & (EPOLLIN | EPOLLRDHUP)) {
                for (;;) {
                    ssize_t r = read(fd, buf, sizeof buf);
                    if (r > 0) {
                        if (c->len + r > c->cap) {
                            c->cap = (c->len + r) * 2;
                            c->pending = realloc(c->pending, c->cap);
                        }
                        memcpy(c->pending + c->len, buf, r);
                        c->len += r;
                        echoed += r;
                        continue;
                    }
                    if (r == 0 || errno != EAGAIN) {
                        closing = 1;
                    }
                    break;
                }
            }
            if (flush(fd) < 0) {
                closing = 1;
            }
            if (closing && c->open) {
                close_conn(ep, fd);
                done++;
            }
        }
    }
    printf("echoserver: %ld connections, %lld bytes echoed\n", accepted, echoed);
    return 0;
}
