/* Readiness of pipes whose other end is gone, as poll(2), ppoll(2), select(2) and pselect6(2)
 * report it (pipe_poll in Linux's fs/pipe.c): the read end says POLLHUP once every writer has
 * closed (with POLLIN while bytes remain), the write end POLLERR once every reader has closed;
 * POLLHUP and POLLERR come whether asked for or not. select(2) counts POLLHUP and POLLERR as
 * readable and POLLERR as writable too (POLLIN_SET and POLLOUT_SET in fs/select.c). A full pipe's
 * write end is writable again only once a page of it has been read. Each call is made before its
 * printf, and poll and ppoll (select and pselect) must agree. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <unistd.h>

static const char *events(int e) {
    static char out[128];
    static const struct { int bit; const char *name; } names[] = {
        {POLLIN, "POLLIN"}, {POLLPRI, "POLLPRI"}, {POLLOUT, "POLLOUT"}, {POLLERR, "POLLERR"},
        {POLLHUP, "POLLHUP"}, {POLLNVAL, "POLLNVAL"}, {POLLRDNORM, "POLLRDNORM"}, {POLLWRNORM, "POLLWRNORM"},
    };
    out[0] = 0;
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (e & names[i].bit) {
            if (out[0]) {
                strcat(out, "|");
            }
            strcat(out, names[i].name);
            e &= ~names[i].bit;
        }
    }
    if (e || !out[0]) {
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%#x", out[0] ? "|" : "", e);
    }
    return out;
}

/* poll and ppoll of one fd with no wait. */
static void show_poll(const char *what, int fd, short asked) {
    struct pollfd p = {fd, asked, 0};
    int r = poll(&p, 1, 0);
    int revents = p.revents;
    struct pollfd q = {fd, asked, 0};
    struct timespec zero = {0, 0};
    int r2 = ppoll(&q, 1, &zero, NULL);
    printf("%s: poll = %d %s", what, r, events(revents));
    if (r2 != r || q.revents != revents) {
        printf(", but ppoll = %d %s", r2, events(q.revents));
    }
    printf("\n");
}

/* select and pselect of one fd in all three sets, with no wait. */
static void show_select(const char *what, int fd) {
    fd_set r, w, x;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&x);
    FD_SET(fd, &r);
    FD_SET(fd, &w);
    FD_SET(fd, &x);
    struct timeval tv = {0, 0};
    int n = select(fd + 1, &r, &w, &x, &tv);
    int ri = FD_ISSET(fd, &r), wi = FD_ISSET(fd, &w), xi = FD_ISSET(fd, &x);
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_ZERO(&x);
    FD_SET(fd, &r);
    FD_SET(fd, &w);
    FD_SET(fd, &x);
    struct timespec ts = {0, 0};
    int n2 = pselect(fd + 1, &r, &w, &x, &ts, NULL);
    printf("%s: select = %d read %d write %d except %d", what, n, ri != 0, wi != 0, xi != 0);
    if (n2 != n || (FD_ISSET(fd, &r) != 0) != (ri != 0) || (FD_ISSET(fd, &w) != 0) != (wi != 0)
            || (FD_ISSET(fd, &x) != 0) != (xi != 0)) {
        printf(", but pselect = %d", n2);
    }
    printf("\n");
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    int p[2];
    char buf[4096];

    pipe(p);
    show_poll("both ends open, empty: read end POLLIN", p[0], POLLIN);
    show_poll("read end asked POLLIN|POLLOUT", p[0], POLLIN | POLLOUT);
    show_poll("write end POLLOUT", p[1], POLLOUT);
    show_poll("write end asked POLLIN", p[1], POLLIN);
    show_select("read end", p[0]);
    show_select("write end", p[1]);
    write(p[1], "ab", 2);
    show_poll("two bytes waiting: read end POLLIN|POLLRDNORM", p[0], POLLIN | POLLRDNORM);
    close(p[1]);
    show_poll("writer closed, bytes waiting: read end POLLIN", p[0], POLLIN);
    show_poll("read end asked nothing", p[0], 0);
    show_select("read end", p[0]);
    printf("read = %zd\n", read(p[0], buf, sizeof buf));
    show_poll("writer closed, drained: read end POLLIN", p[0], POLLIN);
    show_poll("read end asked nothing", p[0], 0);
    show_select("read end", p[0]);
    struct pollfd forever = {p[0], POLLIN, 0};
    int r = poll(&forever, 1, -1);
    printf("poll without timeout returns at once = %d %s\n", r, events(forever.revents));
    printf("read at end of file = %zd\n", read(p[0], buf, sizeof buf));
    close(p[0]);

    pipe(p);
    close(p[0]);
    show_poll("reader closed: write end POLLOUT", p[1], POLLOUT);
    show_poll("write end asked nothing", p[1], 0);
    show_poll("write end asked POLLIN", p[1], POLLIN);
    show_select("write end", p[1]);
    r = write(p[1], "x", 1);
    printf("write = %d%s\n", r, r < 0 && errno == EPIPE ? " EPIPE" : "");
    close(p[1]);

    pipe2(p, O_NONBLOCK);
    memset(buf, 'x', sizeof buf);
    long total = 0;
    for (;;) {
        ssize_t n = write(p[1], buf, sizeof buf);
        if (n < 0) {
            printf("filled with %ld bytes, then %s\n", total, errno == EAGAIN ? "EAGAIN" : "another error");
            break;
        }
        total += n;
    }
    show_poll("full: write end POLLOUT", p[1], POLLOUT);
    show_select("full: write end", p[1]);
    show_poll("full: read end POLLIN", p[0], POLLIN);
    printf("read = %zd\n", read(p[0], buf, 1));
    show_poll("one byte read: write end POLLOUT", p[1], POLLOUT);
    printf("read = %zd\n", read(p[0], buf, sizeof buf - 1));
    show_poll("a page read: write end POLLOUT", p[1], POLLOUT);
    write(p[1], buf, sizeof buf);
    close(p[0]);
    show_poll("full, reader closed: write end POLLOUT", p[1], POLLOUT);
    show_select("full, reader closed: write end", p[1]);
    close(p[1]);

    show_poll("closed fd", p[1], POLLIN);
    return 0;
}
