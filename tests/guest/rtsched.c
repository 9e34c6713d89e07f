/* The real-time and fair classes seen from a guest, all threads on one CPU (main pins itself to
 * CPU 0 first and its threads inherit it; under Phoenix a process's threads share one engine):
 *   - SCHED_FIFO threads of one priority run in the order they became runnable;
 *   - two SCHED_RR threads of one priority take turns in slices, two SCHED_FIFO ones do not;
 *   - a higher-priority thread waking from clock_nanosleep preempts a spinning lower one;
 *   - two SCHED_OTHER threads with nice 0 and nice 5 share the CPU as 1024:335 (within 10%: the
 *     work is counted over 1.5 s of wall time on a machine other processes share, where 5% was
 *     seen to miss by up to 7%).
 * Prints orders and relations, never times. Needs root natively (SCHED_FIFO). The calling thread
 * changes its own policy with the raw syscall: musl's sched_setscheduler(3) is ENOSYS by design. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static pthread_t start(int policy, int priority, void *(*fn)(void *), void *arg) {
    pthread_attr_t a;
    pthread_attr_init(&a);
    pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED);
    pthread_attr_setschedpolicy(&a, policy);
    struct sched_param p = {.sched_priority = priority};
    pthread_attr_setschedparam(&a, &p);
    pthread_t t;
    int r = pthread_create(&t, &a, fn, arg);
    if (r != 0) {
        printf("pthread_create: %s\n", strerror(r));
        exit(1);
    }
    pthread_attr_destroy(&a);
    return t;
}

/* ---- FIFO order among equal priorities ---- */
static char order[8];
static volatile int orderLen;

static void *appendName(void *arg) {
    order[orderLen++] = *(const char *) arg;
    return NULL;
}

static void fifoOrder(int inherit) {
    static const char names[] = "ABCD";
    pthread_t t[4];
    orderLen = 0;
    for (int i = 0; i < 4; i++) { /* main keeps the CPU: none of them runs before main blocks */
        if (inherit) {
            pthread_create(&t[i], NULL, appendName, (void *) &names[i]);
        } else {
            t[i] = start(SCHED_FIFO, 10, appendName, (void *) &names[i]);
        }
    }
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], NULL);
    }
    order[orderLen] = 0;
    if (inherit) {
        printf("FIFO 10 threads made by a FIFO 10 thread ran in creation order: %s\n", order);
    } else {
        /* glibc clones each at main's 50, then lowers it to 10: a lowered task goes to the head
         * of its new priority (sched(7)), so the last made runs first. */
        printf("FIFO 10 threads made by a FIFO 50 thread, each lowered after clone, ran: %s\n", order);
    }
}

/* ---- RR slices against FIFO's run-to-completion ---- */
static volatile uint64_t progress[2];
static volatile int seen[2];
static volatile int finished;
static double spinFor;

static void *spinner(void *arg) {
    int me = (int) (intptr_t) arg, other = 1 - me;
    uint64_t last = progress[other];
    int changes = 0;
    double end = now() + spinFor;
    while (now() < end) {
        for (int i = 0; i < 1000; i++) {
            progress[me]++;
        }
        uint64_t o = progress[other];
        if (o != last) { /* the other ran since we last looked: a switch came between */
            changes++;
            last = o;
        }
    }
    seen[me] = changes;
    return NULL;
}

static void takeTurns(int policy, const char *name) {
    progress[0] = progress[1] = 0;
    spinFor = 0.35;
    pthread_t a = start(policy, 10, spinner, (void *) 0);
    pthread_t b = start(policy, 10, spinner, (void *) 1);
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    /* Each spins for 350 ms of wall time: under RR's 100 ms slices the first sees the second run
     * between its slices; under FIFO the first spins to its end before the second starts. */
    printf("%s threads of one priority took turns: %s\n", name, seen[0] >= 1 ? "yes" : "no");
}

/* ---- a higher-priority wake-up preempts a spinning lower task ---- */
static volatile int highRan, lowDone;
static volatile uint64_t lowSpins;

static void *lowSpinner(void *arg) {
    (void) arg;
    double end = now() + 2.0;
    while (!highRan && now() < end) {
        lowSpins++;
    }
    lowDone = 1;
    return NULL;
}

static void *highSleeper(void *arg) {
    (void) arg;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_nsec += 50 * 1000000;
    if (ts.tv_nsec >= 1000000000) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000;
    }
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
    /* We run: the low thread has not finished its 2 s spin, so we preempted it. */
    highRan = lowDone ? 2 : 1;
    return NULL;
}

static void wakeupPreemption(void) {
    pthread_t h = start(SCHED_FIFO, 30, highSleeper, NULL);
    pthread_t l = start(SCHED_FIFO, 10, lowSpinner, NULL);
    pthread_join(h, NULL);
    pthread_join(l, NULL);
    printf("a FIFO 30 thread waking preempted a spinning FIFO 10 thread: %s\n",
           highRan == 1 && lowSpins > 0 ? "yes" : "no");
}

/* ---- a long syscall of a lower task gives way ---- */
#define BIG (64 << 20)
static volatile int readStarted, readDone, highSawRead;
static int bigFd;
static char *bigBuf;

static void *bigReader(void *arg) {
    (void) arg;
    readStarted = 1;
    lseek(bigFd, 0, SEEK_SET);
    ssize_t n = read(bigFd, bigBuf, BIG);
    readDone = n == BIG ? 1 : -1;
    return NULL;
}

static void *highDuringRead(void *arg) {
    (void) arg;
    struct timespec ts = {0, 1000000};
    nanosleep(&ts, NULL);
    highSawRead = readStarted ? readDone : -3; /* 0: we ran while the 64 MiB read was in progress */
    return NULL;
}

static void preemptionPoint(void) {
    char path[] = "/tmp/rtsched-XXXXXX";
    bigFd = mkstemp(path);
    unlink(path);
    bigBuf = malloc(BIG);
    memset(bigBuf, 'x', BIG);
    if (bigFd < 0 || write(bigFd, bigBuf, BIG) != BIG) {
        printf("cannot make the 64 MiB file\n");
        exit(1);
    }
    highSawRead = -2;
    for (int i = 0; i < 3 && highSawRead != 0; i++) { /* the high thread must wake inside the read */
        readStarted = readDone = 0;
        pthread_t h = start(SCHED_FIFO, 30, highDuringRead, NULL);
        pthread_t l = start(SCHED_FIFO, 10, bigReader, NULL);
        pthread_join(h, NULL);
        pthread_join(l, NULL);
    }
    printf("a FIFO 30 thread ran while a FIFO 10 thread's 64 MiB read was in progress: %s\n",
           highSawRead == 0 ? "yes" : "no");
    close(bigFd);
    free(bigBuf);
}

/* ---- nice 0 against nice 5 ---- */
static volatile uint64_t work[2];
static volatile int ready, go;
static double shareEnd;

static void *niceSpinner(void *arg) {
    int me = (int) (intptr_t) arg;
    if (setpriority(PRIO_PROCESS, syscall(SYS_gettid), me == 0 ? 0 : 5) != 0) {
        perror("setpriority");
    }
    __atomic_add_fetch(&ready, 1, __ATOMIC_SEQ_CST);
    while (!go) {
        sched_yield();
    }
    while (now() < shareEnd) {
        for (int i = 0; i < 1000; i++) {
            work[me]++;
        }
    }
    return NULL;
}

static void niceShares(void) {
    pthread_t a = start(SCHED_OTHER, 0, niceSpinner, (void *) 0);
    pthread_t b = start(SCHED_OTHER, 0, niceSpinner, (void *) 1);
    while (ready < 2) {
        struct timespec ts = {0, 1000000};
        nanosleep(&ts, NULL);
    }
    shareEnd = now() + 1.5;
    go = 1;
    pthread_join(a, NULL);
    pthread_join(b, NULL);
    double ratio = (double) work[0] / (double) work[1];
    double expected = 1024.0 / 335.0;
    int within = ratio > expected * 0.90 && ratio < expected * 1.10;
    printf("nice 0 and nice 5 shared the CPU as 1024:335 within 10%%: %s\n", within ? "yes" : "no");
    if (!within || getenv("RTSCHED_VERBOSE")) {
        printf("  ratio %.3f, expected %.3f\n", ratio, expected);
    }
}

int main(void) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    if (sched_setaffinity(0, sizeof one, &one) != 0) {
        perror("sched_setaffinity");
        return 1;
    }
    niceShares(); /* before main is real-time: the spinners' waits need main to be fair */
    struct sched_param p = {.sched_priority = 50};
    if (syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &p) != 0) {
        perror("sched_setscheduler");
        return 1;
    }
    fifoOrder(0);
    p.sched_priority = 10;
    syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &p);
    fifoOrder(1);
    p.sched_priority = 50;
    syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &p);
    takeTurns(SCHED_RR, "RR");
    takeTurns(SCHED_FIFO, "FIFO");
    wakeupPreemption();
    preemptionPoint();
    return 0;
}
