/* FUTEX_WAKE wakes real-time waiters by priority, then the others in the order they came (Linux's
 * futex queues are priority lists): threads of FIFO 10, 30 and 20 and two SCHED_OTHER threads
 * wait on one futex; a FIFO 50 main thread wakes one at a time. All on CPU 0. Needs root natively. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int word;
static volatile int waiting;
static char order[16];
static volatile int len;

struct who {
    char name;
    int policy, prio;
};

static void *waiter(void *arg) {
    struct who *w = arg;
    __atomic_add_fetch(&waiting, 1, __ATOMIC_SEQ_CST);
    while (syscall(SYS_futex, &word, 128 /* FUTEX_WAIT_PRIVATE */, 0, NULL, NULL, 0) != 0 && word == 0) {
    }
    order[len++] = w->name;
    return NULL;
}

static void sleepMs(int ms) {
    struct timespec ts = {0, ms * 1000000L};
    nanosleep(&ts, NULL);
}

int main(void) {
    cpu_set_t one;
    CPU_ZERO(&one);
    CPU_SET(0, &one);
    sched_setaffinity(0, sizeof one, &one);
    struct sched_param p = {.sched_priority = 50};
    if (syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &p) != 0) {
        perror("sched_setscheduler");
        return 1;
    }
    static struct who who[] = {{'o', SCHED_OTHER, 0}, {'a', SCHED_FIFO, 10}, {'c', SCHED_FIFO, 30},
                               {'b', SCHED_FIFO, 20}, {'p', SCHED_OTHER, 0}};
    pthread_t t[5];
    for (int i = 0; i < 5; i++) {
        pthread_attr_t a;
        pthread_attr_init(&a);
        pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED);
        pthread_attr_setschedpolicy(&a, who[i].policy);
        struct sched_param sp = {.sched_priority = who[i].prio};
        pthread_attr_setschedparam(&a, &sp);
        pthread_create(&t[i], &a, waiter, &who[i]);
        while (waiting < i + 1) {
            sleepMs(1);
        }
        sleepMs(5); /* it is in FUTEX_WAIT now: they queue in creation order */
    }
    for (int i = 0; i < 5; i++) {
        syscall(SYS_futex, &word, 129 /* FUTEX_WAKE_PRIVATE */, 1, NULL, NULL, 0);
        sleepMs(20);
    }
    word = 1;
    for (int i = 0; i < 5; i++) {
        pthread_join(t[i], NULL);
    }
    order[len] = 0;
    printf("woken in order: %s\n", order);
    return 0;
}
