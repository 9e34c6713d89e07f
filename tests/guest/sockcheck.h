/*
 * Helpers shared by the socket guests (unixsock.c, inetsock.c): an edge-triggered epoll reader
 * that drains a socket until its peer shuts down writing, and select(2) asked whether a socket
 * is readable now. A program includes ttycheck.h and the socket headers first.
 */
#ifndef SOCKCHECK_H
#define SOCKCHECK_H

#include <sys/epoll.h>
#include <sys/select.h>
#include <unistd.h>

/* Waits on ep for events of socket s (data word tag), reading s dry at each, until EPOLLRDHUP or
 * 5 s without an event; adds the bytes read to *bytes and returns the events it got, or -1 when
 * EPOLLRDHUP never came. */
static inline int drain_edges(int ep, int s, unsigned tag, int *bytes) {
    struct epoll_event out[4];
    char b[8];
    int edges = 0;
    for (;;) {
        int n = epoll_wait(ep, out, 4, 5000);
        if (n <= 0) {
            return -1;
        }
        for (int i = 0; i < n; i++) {
            if (out[i].data.u32 != tag) {
                continue;
            }
            edges++;
            ssize_t r;
            while ((r = read(s, b, sizeof b)) > 0) {
                *bytes += r;
            }
            if (out[i].events & EPOLLRDHUP) {
                return edges;
            }
        }
    }
}

/* select(2) with a zero timeout on s alone: its result, and in *ready whether s is in the read set. */
static inline int select_readable(int s, int *ready) {
    fd_set rs;
    FD_ZERO(&rs);
    FD_SET(s, &rs);
    struct timeval tv = {0, 0};
    int r = select(s + 1, &rs, NULL, NULL, &tv);
    *ready = FD_ISSET(s, &rs) != 0;
    return r;
}

#endif
