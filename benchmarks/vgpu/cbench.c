/*
 * The vGPU benchmark's two computations in plain C, for benchmarks/vgpu.sh: SAXPY over 16M floats
 * (y = a*x + y) and SGEMM 1024x1024x1024 (C = A*B, row-major, the same inputs as VgpuBench), one
 * thread, loops ordered i-k-j so the compiler vectorizes the inner one. Runs each `runs` times
 * after one untimed run and prints "NAME median_ms min_ms", like VgpuBench. Built twice by the
 * script: natively (gcc -O2) and as a static x86_64 guest run on Phoenix's emulated CPU.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "bench.h"

#define N (16 << 20)
#define M 1024

static void saxpy(float a, const float *x, float *y) {
    for (int i = 0; i < N; i++) y[i] = a * x[i] + y[i];
}

static void sgemm(const float *a, const float *b, float *c) {
    for (int i = 0; i < M * M; i++) c[i] = 0;
    for (int i = 0; i < M; i++)
        for (int k = 0; k < M; k++) {
            float aik = a[i * M + k];
            for (int j = 0; j < M; j++) c[i * M + j] += aik * b[k * M + j];
        }
}

int main(int argc, char **argv) {
    int runs = argc > 1 ? atoi(argv[1]) : 5;
    if (runs < 1) runs = 1;
    double *ms = malloc(sizeof(double) * runs);
    float *x = malloc(4L * N), *y = calloc(N, 4);
    float *a = malloc(4L * M * M), *b = malloc(4L * M * M), *c = malloc(4L * M * M);
    if (!ms || !x || !y || !a || !b || !c) return 1;
    for (int i = 0; i < N; i++) x[i] = i & 1023;
    for (int i = 0; i < M * M; i++) {
        a[i] = i % 7;
        b[i] = i % 5;
    }
    for (int r = -1; r < runs; r++) {
        double t0 = now_ms();
        saxpy(2.0f, x, y);
        if (r >= 0) ms[r] = now_ms() - t0;
    }
    if (y[5] != (1 + runs) * 10.0f) { fprintf(stderr, "saxpy: wrong y[5] %f\n", y[5]); return 1; }
    report("saxpy16M", ms, runs);
    for (int r = -1; r < runs; r++) {
        double t0 = now_ms();
        sgemm(a, b, c);
        if (r >= 0) ms[r] = now_ms() - t0;
    }
    float want = 0;
    for (int k = 0; k < M; k++) want += (k % 7) * ((k * M + 3) % 5);
    if (c[3] != want) { fprintf(stderr, "sgemm: wrong c[0][3] %f, expected %f\n", c[3], want); return 1; }
    report("sgemm1024", ms, runs);
    return 0;
}
