/* Benchmark: a futex ping-pong between two threads, N round trips (argv[1], default 10000) of two
 * hand-offs each; prints ns per hand-off. The turn word says whose move it is; the thread whose turn
 * it is not sleeps in FUTEX_WAIT on it, and the other passes the turn with a store and FUTEX_WAKE
 * (futex(2)): each hand-off is one wake of a sleeping thread, with no libc lock in between. */
#define _GNU_SOURCE
#include <stdatomic.h>
#include "threadcheck.h"

static atomic_int turn;
static long rounds;

/* Sleeps until the turn is mine; EAGAIN (it changed before the wait) and EINTR just look again. */
static int await(int me) {
    int seen;
    while ((seen = atomic_load(&turn)) != me) {
        if (syscall(SYS_futex, &turn, FUTEX_WAIT_PRIVATE, seen, NULL, NULL, 0) != 0 && errno != EAGAIN
                && errno != EINTR) {
            fprintf(stderr, "futex_loop: FUTEX_WAIT: %s\n", strerror(errno));
            return -1;
        }
    }
    return 0;
}

static int pass(int to) {
    atomic_store(&turn, to);
    if (syscall(SYS_futex, &turn, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0) < 0) {
        fprintf(stderr, "futex_loop: FUTEX_WAKE: %s\n", strerror(errno));
        return -1;
    }
    return 0;
}

static void *pong(void *arg) {
    (void) arg;
    for (long i = 0; i < rounds; i++) {
        if (await(1) != 0 || pass(0) != 0) {
            return (void *) 1;
        }
    }
    return NULL;
}

int main(int argc, char **argv) {
    rounds = argc > 1 ? atol(argv[1]) : 10000;
    pthread_t t;
    int e = pthread_create(&t, NULL, pong, NULL);
    if (e != 0) {
        fprintf(stderr, "futex_loop: pthread_create: %s\n", strerror(e));
        return 1;
    }
    double start = now_ns(CLOCK_MONOTONIC);
    for (long i = 0; i < rounds; i++) {
        if (pass(1) != 0 || await(0) != 0) {
            return 1;
        }
    }
    double end = now_ns(CLOCK_MONOTONIC);
    void *r;
    if ((e = pthread_join(t, &r)) != 0 || r != NULL) {
        fprintf(stderr, "futex_loop: the second thread failed\n");
        return 1;
    }
    printf("futex_loop: %ld round trips, %.1f ns/hand-off\n", rounds, rounds > 0 ? (end - start) / (2 * rounds) : 0.0);
    return 0;
}
