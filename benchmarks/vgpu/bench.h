/*
 * What the vGPU benchmark's C programs (cbench.c, vkbench.c, gpubench.c) share: a monotonic clock
 * in ms and the report line benchmarks/vgpu.sh reads, "NAME median_ms min_ms".
 */
#ifndef VGPU_BENCH_H
#define VGPU_BENCH_H
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_ms(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Sorts the `runs` times in ms and prints the median and the minimum. */
static void report(const char *name, double *ms, int runs) {
    qsort(ms, runs, sizeof *ms, cmp_ms);
    printf("%s %.1f %.1f\n", name, ms[runs / 2], ms[0]);
    fflush(stdout);
}
#endif
