/* A small cyclictest: a SCHED_FIFO 80 thread wakes every INTERVAL microseconds on an absolute
 * clock_nanosleep (CLOCK_MONOTONIC) LOOPS times and measures how late each wake-up is, while
 * LOAD SCHED_OTHER threads burn CPU. Usage: latency [LOOPS [INTERVAL_US [LOAD [--check]]]].
 * Prints "min avg max" in microseconds, as cyclictest's summary; with --check it prints only
 * what does not depend on timing (the sample count, that no wake-up came early), for tests.
 * benchmarks/latency.sh runs it natively, under qemu-user and under Phoenix. */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static volatile int stop;
static long loops = 2000, interval = 1000;
static long minLat = -1, maxLat, samples, early;
static double sumLat;

static int64_t ns(const struct timespec *t) {
    return (int64_t) t->tv_sec * 1000000000 + t->tv_nsec;
}

static void *burn(void *arg) {
    (void) arg;
    volatile uint64_t n = 0;
    while (!stop) {
        n++;
    }
    return NULL;
}

static void *measure(void *arg) {
    (void) arg;
    struct sched_param p = {.sched_priority = 80};
    if (syscall(SYS_sched_setscheduler, 0, SCHED_FIFO, &p) != 0) {
        perror("sched_setscheduler");
        exit(1);
    }
    struct timespec next, now;
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (long i = 0; i < loops; i++) {
        next.tv_nsec += interval * 1000;
        while (next.tv_nsec >= 1000000000) {
            next.tv_nsec -= 1000000000;
            next.tv_sec++;
        }
        int r = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &next, NULL);
        if (r != 0) {
            fprintf(stderr, "clock_nanosleep: %s\n", strerror(r));
            exit(1);
        }
        clock_gettime(CLOCK_MONOTONIC, &now);
        int64_t late = ns(&now) - ns(&next);
        if (late < 0) {
            early++;
        }
        long us = (long) (late / 1000);
        if (minLat < 0 || us < minLat) {
            minLat = us;
        }
        if (us > maxLat) {
            maxLat = us;
        }
        sumLat += us;
        samples++;
    }
    return NULL;
}

int main(int argc, char **argv) {
    int load = 0, check = 0;
    if (argc > 1) {
        loops = atol(argv[1]);
    }
    if (argc > 2) {
        interval = atol(argv[2]);
    }
    if (argc > 3) {
        load = atoi(argv[3]);
    }
    check = argc > 4 && strcmp(argv[4], "--check") == 0;
    if (loops < 1 || interval < 1 || load < 0 || load > 64) {
        fprintf(stderr, "usage: latency [LOOPS [INTERVAL_US [LOAD [--check]]]]\n");
        return 2;
    }
    mlockall(MCL_CURRENT | MCL_FUTURE);
    pthread_t burners[64], m;
    for (int i = 0; i < load; i++) {
        pthread_create(&burners[i], NULL, burn, NULL);
    }
    pthread_create(&m, NULL, measure, NULL);
    pthread_join(m, NULL);
    stop = 1;
    for (int i = 0; i < load; i++) {
        pthread_join(burners[i], NULL);
    }
    if (check) {
        printf("samples: %ld\nearly wake-ups: %ld\n", samples, early);
    } else {
        printf("%ld %.1f %ld\n", minLat, sumLat / samples, maxLat);
    }
    return 0;
}
