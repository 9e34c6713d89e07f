/*
 * The classic priority inversion, on one CPU (sched_setaffinity(2) pins main and so its threads
 * to CPU 0): low (SCHED_FIFO 10) holds a mutex, high (FIFO 30) blocks on it, and medium (FIFO 20)
 * spins for 200 ms. With a plain mutex medium keeps low from running, so high waits for medium:
 * "medium high low". With PTHREAD_PRIO_INHERIT (FUTEX_LOCK_PI) low inherits high's priority
 * while high waits, finishes its work and hands the mutex over: "high medium low". With
 * PTHREAD_PRIO_PROTECT and a ceiling of 30 low runs at 30 as soon as it holds the mutex (glibc
 * changes its priority with sched_setparam(2)); musl has no PTHREAD_PRIO_PROTECT (ENOTSUP).
 * Then the same along a chain: high waits for lowmid (FIFO 15), which holds the mutex high
 * wants while it waits for low's: with inheritance high's priority reaches low through lowmid,
 * "high medium lowmid low"; without, "medium high lowmid low".
 *
 * main runs at FIFO 40 while it sets the scene, so nothing else runs until it blocks: low locks
 * first; then all three wait for one futex wake and main joins them, and from there the
 * priorities alone decide. The order is what the program prints, never a time. Needs the right
 * to use SCHED_FIFO (root, or RLIMIT_RTPRIO).
 */
#define _GNU_SOURCE
#include <sched.h>
#include <semaphore.h>
#include "threadcheck.h"

static pthread_mutex_t mutex, outer;
static int chain; /* high waits for outer, which lowmid holds while it waits for mutex */
static sem_t ready;
static uint32_t start; /* the futex the threads wait on */
static const char *order[4];
static int finished;

static void finish(const char *who) {
    order[__atomic_fetch_add(&finished, 1, __ATOMIC_SEQ_CST)] = who;
}

/* Burns CPU for ms milliseconds of the monotonic clock (nothing else runs meanwhile but a better priority). */
static void spin(long ms) {
    long long end = now_ns(CLOCK_MONOTONIC) + ms * 1000000LL;
    while (now_ns(CLOCK_MONOTONIC) < end) {
    }
}

static void await_start(void) {
    while (!__atomic_load_n(&start, __ATOMIC_SEQ_CST)) {
        syscall(SYS_futex, &start, FUTEX_WAIT_PRIVATE, 0, NULL, NULL, 0);
    }
}

static void *low(void *arg) {
    (void) arg;
    pthread_mutex_lock(&mutex);
    sem_post(&ready);
    await_start();
    spin(50); /* its work under the mutex */
    pthread_mutex_unlock(&mutex);
    finish("low");
    return NULL;
}

static void *medium(void *arg) {
    (void) arg;
    sem_post(&ready);
    await_start();
    spin(200);
    finish("medium");
    return NULL;
}

static void *high(void *arg) {
    (void) arg;
    pthread_mutex_t *m = chain ? &outer : &mutex;
    sem_post(&ready);
    await_start();
    pthread_mutex_lock(m);
    pthread_mutex_unlock(m);
    finish("high");
    return NULL;
}

/* The middle of a chain: holds outer, which high wants, while it waits for low's mutex. */
static void *lowmid(void *arg) {
    (void) arg;
    pthread_mutex_lock(&outer);
    sem_post(&ready);
    await_start();
    pthread_mutex_lock(&mutex);
    pthread_mutex_unlock(&mutex);
    pthread_mutex_unlock(&outer);
    finish("lowmid");
    return NULL;
}

/* Starts fn as a SCHED_FIFO thread of priority prio and waits until it has said it is ready. */
static pthread_t fifo_thread(void *(*fn)(void *), int prio) {
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED);
    pthread_attr_setschedpolicy(&a, SCHED_FIFO);
    struct sched_param p = {.sched_priority = prio};
    pthread_attr_setschedparam(&a, &p);
    pthread_t t;
    int e = pthread_create(&t, &a, fn, NULL);
    if (e != 0) {
        printf("pthread_create with SCHED_FIFO %d: %s\n", prio, strerror(e));
        exit(1);
    }
    pthread_attr_destroy(&a);
    sem_wait(&ready);
    return t;
}

/* One inversion with mutexes of protocol; chained: high waits for lowmid (FIFO 15), which waits for low. */
static void run(const char *name, int protocol, int chained) {
    pthread_mutexattr_t a;
    pthread_mutexattr_init(&a);
    int e = pthread_mutexattr_setprotocol(&a, protocol);
#ifdef __GLIBC__ /* musl refuses PTHREAD_PRIO_PROTECT above and has no setprioceiling */
    if (e == 0 && protocol == PTHREAD_PRIO_PROTECT) {
        e = pthread_mutexattr_setprioceiling(&a, 30);
    }
#endif
    if (e != 0) {
        printf("%s: %s\n", name, errname(e));
        return;
    }
    pthread_mutex_init(&mutex, &a);
    pthread_mutex_init(&outer, &a);
    pthread_mutexattr_destroy(&a);
    start = 0;
    finished = 0;
    chain = chained;
    pthread_t l = fifo_thread(low, 10);
    pthread_t lm = chained ? fifo_thread(lowmid, 15) : 0;
    pthread_t h = fifo_thread(high, 30);
    pthread_t m = fifo_thread(medium, 20);
    __atomic_store_n(&start, 1, __ATOMIC_SEQ_CST);
    syscall(SYS_futex, &start, FUTEX_WAKE_PRIVATE, 4, NULL, NULL, 0);
    pthread_join(h, NULL); /* main blocks: from here the priorities decide */
    pthread_join(m, NULL);
    if (chained) {
        pthread_join(lm, NULL);
    }
    pthread_join(l, NULL);
    printf("%s%s:", chained ? "chain, " : "", name);
    for (int i = 0; i < finished; i++) {
        printf(" %s", order[i]);
    }
    printf("\n");
    pthread_mutex_destroy(&outer);
    pthread_mutex_destroy(&mutex);
}

int main(void) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    if (sched_setaffinity(0, sizeof one, &one) != 0) {
        printf("sched_setaffinity: %s\n", strerror(errno));
        return 1;
    }
    struct sched_param p = {.sched_priority = 40};
    int e = pthread_setschedparam(pthread_self(), SCHED_FIFO, &p); /* musl's sched_setscheduler is ENOSYS */
    if (e != 0) {
        printf("pthread_setschedparam SCHED_FIFO 40: %s\n", strerror(e));
        return 1;
    }
    sem_init(&ready, 0, 0);
    run("PTHREAD_PRIO_NONE", PTHREAD_PRIO_NONE, 0);
    run("PTHREAD_PRIO_INHERIT", PTHREAD_PRIO_INHERIT, 0);
    run("PTHREAD_PRIO_PROTECT", PTHREAD_PRIO_PROTECT, 0);
    run("PTHREAD_PRIO_NONE", PTHREAD_PRIO_NONE, 1);
    run("PTHREAD_PRIO_INHERIT", PTHREAD_PRIO_INHERIT, 1);
    return 0;
}
