/*
 * Blocking flock(2) between threads (two opens of one file, so two descriptions): a thread
 * blocked on LOCK_EX gets the lock once the holder lets go (LOCK_UN or its last close), a blocked
 * LOCK_SH waits for an exclusive holder, and a signal whose handler lacks SA_RESTART ends the
 * wait with EINTR. Under Phoenix a blocked task lends its priority to the holders meanwhile
 * (issue 17), which these waits exercise. One line per check; exit status 0 when all held.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include "threadcheck.h"

static char path[] = "/tmp/flockwait-XXXXXX";
static int released;
static int waited, got;

struct locker {
    int fd, op, r, err;
    pthread_t thread;
};

static void *lock_it(void *arg) {
    struct locker *l = arg;
    __atomic_store_n(&waited, 1, __ATOMIC_SEQ_CST);
    l->r = flock(l->fd, l->op);
    l->err = l->r ? errno : 0;
    __atomic_store_n(&got, __atomic_load_n(&released, __ATOMIC_SEQ_CST) ? 1 : -1, __ATOMIC_SEQ_CST);
    return NULL;
}

static void on_usr1(int sig) {
    (void) sig;
}

/* Starts a thread that blocks in flock(fd, op) and gives it time to block; no result depends on that time. */
static void start(struct locker *l, int fd, int op) {
    l->fd = fd;
    l->op = op;
    waited = got = released = 0;
    spawn(&l->thread, lock_it, l);
    while (!__atomic_load_n(&waited, __ATOMIC_SEQ_CST)) {
        sched_yield();
    }
    usleep(20000);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    int tmp = mkstemp(path);
    if (tmp < 0) {
        printf("mkstemp: %s\n", strerror(errno));
        return 1;
    }
    close(tmp);
    int a = open(path, O_RDWR), b = open(path, O_RDWR), c = open(path, O_RDWR); /* three descriptions */
    struct locker l;

    flock(a, LOCK_EX);
    start(&l, b, LOCK_EX);
    __atomic_store_n(&released, 1, __ATOMIC_SEQ_CST);
    flock(a, LOCK_UN);
    pthread_join(l.thread, NULL);
    check("a blocked LOCK_EX gets the lock after the holder's LOCK_UN", l.r == 0 && got == 1, "r %d got %d", l.r, got);
    check("and holds it", flock(a, LOCK_SH | LOCK_NB) == -1 && errno == EWOULDBLOCK, "errno %d", errno);

    start(&l, a, LOCK_SH);
    __atomic_store_n(&released, 1, __ATOMIC_SEQ_CST);
    flock(b, LOCK_UN);
    pthread_join(l.thread, NULL);
    check("a blocked LOCK_SH waits for the exclusive holder", l.r == 0 && got == 1, "r %d got %d", l.r, got);

    flock(a, LOCK_UN);
    flock(b, LOCK_EX);
    int b2 = dup(b);
    close(b); /* b2 still holds the description open: the lock stays */
    start(&l, a, LOCK_EX);
    __atomic_store_n(&released, 1, __ATOMIC_SEQ_CST);
    close(b2); /* its last fd: the lock goes */
    pthread_join(l.thread, NULL);
    check("a blocked LOCK_EX gets the lock when the holder's last fd closes", l.r == 0 && got == 1, "r %d got %d", l.r,
          got);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1; /* no SA_RESTART */
    sigaction(SIGUSR1, &sa, NULL);
    start(&l, c, LOCK_SH); /* a holds LOCK_EX */
    while (!__atomic_load_n(&got, __ATOMIC_SEQ_CST)) {
        pthread_kill(l.thread, SIGUSR1);
        usleep(10000);
    }
    pthread_join(l.thread, NULL);
    check("a signal without SA_RESTART ends a blocked flock with EINTR", l.r == -1 && l.err == EINTR, "r %d errno %d",
          l.r, l.err);
    unlink(path);
    return failed;
}
