/*
 * Benchmark: N clock_gettime(CLOCK_MONOTONIC) calls (argv[2], default 1000000), through the
 * libc (which takes the vDSO) when argv[1] is "vdso", or as raw syscalls when it is "syscall";
 * prints ns per call.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv) {
    int raw = argc > 1 && strcmp(argv[1], "syscall") == 0;
    long n = argc > 2 ? atol(argv[2]) : 1000000;
    struct timespec ts;
    long sum = 0;
    double start = now_ns();
    for (long i = 0; i < n; i++) {
        if (raw) {
            syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
        } else {
            clock_gettime(CLOCK_MONOTONIC, &ts);
        }
        sum += ts.tv_nsec;
    }
    double end = now_ns();
    printf("clock_gettime (%s): %ld calls, %.1f ns/call\n", raw ? "syscall" : "vdso", n, n > 0 ? (end - start) / n : 0.0);
    return sum == 0 && n > 0 ? 1 : 0;
}
