/* select(2) and pselect6(2) on pipes: readiness, the sets written back, the time left, errors,
 * and a wait ended by a signal. Each call is made before its printf. */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/select.h>
#include <sys/time.h>
#include <unistd.h>

static void show(const char *what, long r) {
    printf("%s = %ld%s\n", what, r, r < 0 ? (errno == EBADF ? " EBADF" : errno == EINVAL ? " EINVAL"
                                               : errno == EINTR ? " EINTR" : " E?") : "");
}

static void on_alarm(int sig) {
    (void) sig;
}

int main(void) {
    int p[2];
    pipe(p);
    fd_set r, w;
    FD_ZERO(&r);
    FD_ZERO(&w);
    FD_SET(p[0], &r);
    FD_SET(p[1], &w);
    struct timeval zero = {0, 0};
    show("empty pipe: write end only", select(p[1] + 1, &r, &w, NULL, &zero));
    printf("read end set %d, write end set %d\n", FD_ISSET(p[0], &r), FD_ISSET(p[1], &w));
    write(p[1], "x", 1);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timeval tv = {5, 0};
    show("after a write: read end", select(p[0] + 1, &r, NULL, NULL, &tv));
    printf("read end set %d, time left is most of 5 s %d\n", FD_ISSET(p[0], &r), tv.tv_sec >= 4);
    char c;
    read(p[0], &c, 1);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    struct timeval short_wait = {0, 20000};
    show("20 ms on an empty pipe", select(p[0] + 1, &r, NULL, NULL, &short_wait));
    printf("set cleared %d, time left %ld.%06ld\n", !FD_ISSET(p[0], &r), (long) short_wait.tv_sec,
           (long) short_wait.tv_usec);
    FD_ZERO(&r);
    FD_SET(60, &r);
    show("closed fd in a set", select(61, &r, NULL, NULL, &zero));
    show("negative nfds", select(-1, NULL, NULL, NULL, &zero));
    struct timeval bad = {-1, 0};
    show("negative timeout", select(0, NULL, NULL, NULL, &bad));
    struct timespec ts = {0, 10000000};
    sigset_t mask;
    sigemptyset(&mask);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    show("pselect 10 ms with a mask", pselect(p[0] + 1, &r, NULL, NULL, &ts, &mask));
    FD_ZERO(&w);
    FD_SET(p[1], &w);
    show("pselect write end", pselect(p[1] + 1, NULL, &w, NULL, NULL, NULL));
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 20000}};
    setitimer(ITIMER_REAL, &it, NULL);
    FD_ZERO(&r);
    FD_SET(p[0], &r);
    show("select until a signal", select(p[0] + 1, &r, NULL, NULL, NULL));
    return 0;
}
