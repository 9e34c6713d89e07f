/* Benchmark: N getppid system calls (argv[1], default 1000000); prints ns per call. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    long sum = 0;
    double start = now_ns();
    for (long i = 0; i < n; i++) {
        sum += syscall(SYS_getppid);
    }
    double end = now_ns();
    printf("getppid: %ld calls, %.1f ns/call\n", n, n > 0 ? (end - start) / n : 0.0);
    return sum == 0 && n > 0 ? 1 : 0;
}
