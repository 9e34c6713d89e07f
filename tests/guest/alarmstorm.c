/*
 * A storm of alarms against blocked calls: an ITIMER_REAL repeating every millisecond while
 * SIGALRM is blocked, and calls that unblock it atomically for as long as they wait
 * (sigsuspend, ppoll, pselect, epoll_pwait), each made many times. Every one must end with
 * -1 EINTR after exactly one run of the handler: the signal can only come while the call waits
 * (signal(7); SIGALRM does not queue, so one delivery ends each call). A kernel that ran the
 * handler and then went back to the blocked call would make it wait again, with the mask it
 * had before the call: two runs, or a wait that never ends. "alarmstorm N threaded" does it
 * with a second thread blocked in a read (SIGALRM blocked there too), so that the process
 * has threads while the alarms come.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/time.h>
#include <unistd.h>

static volatile sig_atomic_t alarms;

static void on_alarm(int sig) {
    (void)sig;
    alarms++;
}

static int pipefd[2], epfd, idlefd[2];

/* The second thread: blocks in a read that ends when main closes the pipe's write end. */
static void *idle(void *arg) {
    (void)arg;
    char c;
    return (void *)(long)read(idlefd[0], &c, 1);
}

/* One blocking call of kind k, with SIGALRM unblocked while it waits; returns its result. */
static long call(int k, const sigset_t *open) {
    switch (k) {
    case 0: return sigsuspend(open);
    case 1: {
        struct pollfd p = {pipefd[0], POLLIN, 0};
        return ppoll(&p, 1, NULL, open);
    }
    case 2: {
        fd_set r;
        FD_ZERO(&r);
        FD_SET(pipefd[0], &r);
        return pselect(pipefd[0] + 1, &r, NULL, NULL, NULL, open);
    }
    default: {
        struct epoll_event ev;
        return epoll_pwait(epfd, &ev, 1, -1, open);
    }
    }
}

int main(int argc, char **argv) {
    int rounds = argc > 1 ? atoi(argv[1]) : 200;
    static const char *names[] = {"sigsuspend", "ppoll", "pselect", "epoll_pwait"};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, NULL); /* no SA_RESTART: each call ends with EINTR */
    sigset_t alrm, open;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    sigprocmask(SIG_BLOCK, &alrm, &open);
    sigdelset(&open, SIGALRM);
    if (pipe(pipefd) != 0 || (epfd = epoll_create1(0)) < 0) {
        perror("setup");
        return 2;
    }
    pthread_t other;
    int threaded = argc > 2 && strcmp(argv[2], "threaded") == 0;
    if (threaded && (pipe(idlefd) != 0 || pthread_create(&other, NULL, idle, NULL) != 0)) {
        perror("thread");
        return 2;
    }
    struct epoll_event ev = {.events = EPOLLIN};
    epoll_ctl(epfd, EPOLL_CTL_ADD, pipefd[0], &ev);
    struct itimerval it = {{0, 1000}, {0, 1000}};
    setitimer(ITIMER_REAL, &it, NULL);
    int bad = 0;
    for (int k = 0; k < 4; k++) {
        int interrupted = 0, shown = 0;
        for (int i = 0; i < rounds; i++) {
            int before = alarms;
            errno = 0;
            long r = call(k, &open);
            int e = errno, ran = alarms - before;
            if (r == -1 && e == EINTR && ran == 1) {
                interrupted++;
            } else if (shown++ < 3) {
                printf("%s round %d: returned %ld errno %s, handler ran %d times\n", names[k], i, r,
                       e == EINTR ? "EINTR" : strerror(e), ran);
            }
        }
        printf("%s: %d of %d interrupted by exactly one alarm\n", names[k], interrupted, rounds);
        bad += interrupted != rounds;
    }
    if (threaded) {
        close(idlefd[1]);
        void *r;
        pthread_join(other, &r);
        printf("the other thread's read returned %ld\n", (long)r);
    }
    return bad != 0;
}
