/* Benchmark: N pthread_create + pthread_join pairs in a row (argv[1], default 1000); prints ns per
 * pair. Each thread returns its argument plus one, so a pair that did not run its thread shows. */
#define _GNU_SOURCE
#include "threadcheck.h"

static void *next(void *arg) {
    return (void *) ((uintptr_t) arg + 1);
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1000;
    uintptr_t sum = 0;
    double start = now_ns(CLOCK_MONOTONIC);
    for (long i = 0; i < n; i++) {
        pthread_t t;
        void *r;
        int e = pthread_create(&t, NULL, next, (void *) (uintptr_t) i);
        if (e != 0) {
            fprintf(stderr, "thread_loop: pthread_create: %s\n", strerror(e));
            return 1;
        }
        if ((e = pthread_join(t, &r)) != 0) {
            fprintf(stderr, "thread_loop: pthread_join: %s\n", strerror(e));
            return 1;
        }
        sum += (uintptr_t) r;
    }
    double end = now_ns(CLOCK_MONOTONIC);
    /* sum of i + 1 for i < n */
    if (sum != (uintptr_t) n * (n + 1) / 2) {
        fprintf(stderr, "thread_loop: threads returned %lu, not %lu\n", (unsigned long) sum,
                (unsigned long) ((uintptr_t) n * (n + 1) / 2));
        return 1;
    }
    printf("thread_loop: %ld create+join pairs, %.1f ns/pair\n", n, n > 0 ? (end - start) / n : 0.0);
    return 0;
}
