/* eventfd(2) and timerfd_create(2): counters and timers a program reads, polls and waits on with
 * epoll; their flags, their errors, and an eventfd shared across fork. Every line is the same on
 * every Linux: the timer checks say only what holds whatever the machine's speed. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ttycheck.h"

static const char *res(long r) {
    return r >= 0 ? "ok" : err(errno);
}

static long rd(int fd, uint64_t *v) {
    return read(fd, v, sizeof *v);
}

static long wr(int fd, uint64_t v) {
    return write(fd, &v, sizeof v);
}

static const char *link_of(int fd) {
    static char b[64], path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(path, b, sizeof b - 1);
    b[n < 0 ? 0 : n] = 0;
    return b;
}

static int events(int fd) {
    struct pollfd p = {.fd = fd, .events = POLLIN | POLLOUT};
    return poll(&p, 1, 0) < 0 ? -1 : p.revents;
}

static int64_t ns(const struct timespec *t) {
    return (int64_t) t->tv_sec * 1000000000 + t->tv_nsec;
}

static void eventfds(void) {
    uint64_t v = 0;
    int e = eventfd(3, 0);
    say("eventfd(3): %s, %s\n", res(e), link_of(e));
    long r = rd(e, &v);
    say("read: %ld, %llu\n", r, (unsigned long long) v);
    wr(e, 5);
    wr(e, 7);
    rd(e, &v);
    say("after writes of 5 and 7 a read takes %llu\n", (unsigned long long) v);
    int n = eventfd(0, EFD_NONBLOCK);
    say("EFD_NONBLOCK, empty: read %s, poll %s%s\n", res(rd(n, &v)), events(n) & POLLIN ? "POLLIN " : "",
        events(n) & POLLOUT ? "POLLOUT" : "");
    uint32_t small = 0;
    say("a 4-byte read: %s, a 4-byte write: %s, a write of 2^64-1: %s\n", res(read(n, &small, 4)),
        res(write(n, &small, 4)), res(wr(n, UINT64_MAX)));
    const char *w1 = res(wr(n, UINT64_MAX - 1));
    const char *w2 = res(wr(n, 1));
    int full = events(n);
    say("a write of 2^64-2: %s; then of 1: %s; poll %s%s\n", w1, w2, full & POLLIN ? "POLLIN " : "",
        full & POLLOUT ? "POLLOUT" : "none out");
    rd(n, &v);
    say("its read takes %llx\n", (unsigned long long) v);
    int s = eventfd(2, EFD_SEMAPHORE | EFD_NONBLOCK);
    uint64_t a = 0, b = 0;
    rd(s, &a);
    rd(s, &b);
    say("EFD_SEMAPHORE from 2: reads %llu, %llu, then %s\n", (unsigned long long) a, (unsigned long long) b,
        res(rd(s, &v)));
    say("eventfd2 with flag 0x10: %s\n", res(syscall(SYS_eventfd2, 0, 0x10)));

    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN | EPOLLET, .data.u32 = 7};
    say("epoll_ctl ADD, edge-triggered: %s\n", res(epoll_ctl(ep, EPOLL_CTL_ADD, n, &ev)));
    struct epoll_event got[2];
    wr(n, 1);
    int k1 = epoll_wait(ep, got, 2, 1000);
    int k2 = epoll_wait(ep, got, 2, 0);
    wr(n, 1);
    int k3 = epoll_wait(ep, got, 2, 1000);
    say("a write, epoll_wait: %d (data %u); again: %d; another write: %d\n", k1, got[0].data.u32, k2, k3);

    int f = eventfd(0, 0);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        usleep(50000);
        wr(f, 42);
        _exit(0);
    }
    rd(f, &v);
    int st;
    waitpid(child, &st, 0);
    say("a blocking read, woken by a child's write: %llu\n", (unsigned long long) v);
}

static void timerfds(void) {
    uint64_t v = 0;
    say("timerfd_create(99): %s, flag 0x10: %s\n", res(timerfd_create(99, 0)),
        res(timerfd_create(CLOCK_MONOTONIC, 0x10)));
    int t = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK);
    struct itimerspec cur, old, set;
    timerfd_gettime(t, &cur);
    say("timerfd: %s; unarmed gettime %lld %lld; read %s\n", link_of(t), (long long) ns(&cur.it_value),
        (long long) ns(&cur.it_interval), res(rd(t, &v)));
    uint32_t small;
    say("a 4-byte read: %s\n", res(read(t, &small, 4)));

    memset(&set, 0, sizeof set);
    set.it_value.tv_nsec = 1000000000;
    say("tv_nsec 10^9: %s; CANCEL_ON_SET without ABSTIME: %s\n", res(timerfd_settime(t, 0, &set, NULL)),
        res(timerfd_settime(t, TFD_TIMER_CANCEL_ON_SET, &set, NULL)));
    int e = eventfd(0, 0);
    set.it_value.tv_nsec = 1000;
    say("timerfd_settime of an eventfd: %s, of fd 999: %s\n", res(timerfd_settime(e, 0, &set, NULL)),
        res(timerfd_settime(999, 0, &set, NULL)));

    int b = timerfd_create(CLOCK_MONOTONIC, 0);
    set.it_value.tv_nsec = 50000000;
    timerfd_settime(b, 0, &set, NULL);
    timerfd_gettime(b, &cur);
    say("armed for 50 ms: left in (0, 50 ms]: %s, interval %lld\n",
        ns(&cur.it_value) > 0 && ns(&cur.it_value) <= 50000000 ? "yes" : "no", (long long) ns(&cur.it_interval));
    long r = rd(b, &v);
    timerfd_gettime(b, &cur);
    say("a blocking read: %ld, %llu expiration; then gettime %lld\n", r, (unsigned long long) v,
        (long long) ns(&cur.it_value));

    set.it_value.tv_nsec = 10000000;
    set.it_interval.tv_nsec = 10000000;
    timerfd_settime(b, 0, &set, NULL);
    rd(b, &v);
    timerfd_gettime(b, &cur);
    say("every 10 ms: a read counts at least 1: %s; left in (0, 10 ms]: %s, interval %lld\n", v >= 1 ? "yes" : "no",
        ns(&cur.it_value) > 0 && ns(&cur.it_value) <= 10000000 ? "yes" : "no", (long long) ns(&cur.it_interval));
    memset(&set, 0, sizeof set);
    timerfd_settime(b, 0, &set, &old);
    timerfd_gettime(b, &cur);
    say("disarmed: the old interval %lld; now %lld\n", (long long) ns(&old.it_interval), (long long) ns(&cur.it_value));

    struct timespec now;
    set.it_value.tv_sec = 0;
    set.it_value.tv_nsec = 1;
    timerfd_settime(t, TFD_TIMER_ABSTIME, &set, NULL);
    r = rd(t, &v);
    say("ABSTIME at the clock's first nanosecond, long past: read %s, %llu\n", res(r), (unsigned long long) v);

    int rt = timerfd_create(CLOCK_REALTIME, 0);
    clock_gettime(CLOCK_REALTIME, &now);
    set.it_value = now;
    set.it_value.tv_nsec += 30000000;
    if (set.it_value.tv_nsec >= 1000000000) {
        set.it_value.tv_sec++;
        set.it_value.tv_nsec -= 1000000000;
    }
    say("CLOCK_REALTIME, ABSTIME|CANCEL_ON_SET in 30 ms: %s\n",
        res(timerfd_settime(rt, TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET, &set, NULL)));
    r = rd(rt, &v);
    say("  a blocking read: %s, %llu\n", res(r), (unsigned long long) v);

    memset(&set, 0, sizeof set);
    set.it_value.tv_nsec = 20000000;
    timerfd_settime(b, 0, &set, NULL);
    struct pollfd p = {.fd = b, .events = POLLIN};
    int before = poll(&p, 1, 0);
    int k = poll(&p, 1, 5000);
    say("poll: %d before it expires, then %d with%s POLLIN\n", before, k, p.revents & POLLIN ? "" : "out");
    int ep = epoll_create1(0);
    struct epoll_event ev = {.events = EPOLLIN, .data.u32 = 9}, got;
    epoll_ctl(ep, EPOLL_CTL_ADD, b, &ev);
    int k1 = epoll_wait(ep, &got, 1, 0);
    rd(b, &v);
    set.it_value.tv_nsec = 20000000;
    timerfd_settime(b, 0, &set, NULL);
    int k2 = epoll_wait(ep, &got, 1, 0);
    int k3 = epoll_wait(ep, &got, 1, 5000);
    say("epoll: %d while expired, %d once read and armed again, %d when it expires (data %u)\n", k1, k2, k3,
        got.data.u32);
}

int main(void) {
    eventfds();
    timerfds();
    return 0;
}
