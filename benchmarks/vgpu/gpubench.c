/*
 * The vGPU benchmark's two kernels submitted by a guest through /dev/vgpu0 and libvgpu, for
 * benchmarks/vgpu.sh: the same SPIR-V (read from the files given), buffers, push constants and
 * grids as vkbench.c and VgpuBench. Run under `phoenix run --vgpu phoenix` it measures Phoenix's
 * executor behind the device; under `--vgpu vulkan`, the passthrough to the host's Vulkan device
 * through the render server. Each run times one dispatch and its wait (vgpu_dispatch to
 * vgpu_wait), after one untimed run, and prints "NAME median_ms min_ms"; a wrong element fails it.
 *
 *   gpubench SAXPY.spv SGEMM.spv RUNS
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include "bench.h"
#include "vgpu.h"
#include "vgpu_uapi.h"

#define N (16 << 20)
#define M 1024

static void *slurp(const char *path, size_t *size) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    static char buf[1 << 20];
    *size = fread(buf, 1, sizeof buf, f);
    fclose(f);
    void *out = malloc(*size);
    if (out) memcpy(out, buf, *size);
    return out;
}

static int fail(vgpu_device *dev, const char *what, int r) {
    fprintf(stderr, "gpubench: %s: %d (%s)\n", what, r, vgpu_last_error(dev));
    return 1;
}

/* Runs `runs` + 1 dispatches of `sh` and reports the median and minimum of the timed ones. */
static int bench(vgpu_device *dev, const char *name, vgpu_shader *sh, uint32_t gx, uint32_t gy,
                 vgpu_buffer **bufs, uint32_t nbuf, const void *push, uint32_t push_size, int runs) {
    double *ms = malloc(sizeof(double) * runs);
    if (!ms) return 1;
    for (int r = -1; r < runs; r++) {
        uint64_t fence;
        double t0 = now_ms();
        int e = vgpu_dispatch(dev, sh, gx, gy, 1, bufs, nbuf, push, push_size, &fence);
        if (e == 0) e = vgpu_wait(dev, fence, -1);
        if (e != 0) return fail(dev, name, e);
        if (r >= 0) ms[r] = now_ms() - t0;
    }
    report(name, ms, runs);
    free(ms);
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 4) { fprintf(stderr, "usage: gpubench SAXPY.spv SGEMM.spv RUNS\n"); return 2; }
    int runs = atoi(argv[3]);
    if (runs < 1) runs = 1;
    size_t ssize, gsize;
    void *sspv = slurp(argv[1], &ssize), *gspv = slurp(argv[2], &gsize);
    if (!sspv || !gspv) { fprintf(stderr, "gpubench: cannot read the shaders\n"); return 1; }
    vgpu_device *dev;
    int r = vgpu_open(NULL, &dev);
    if (r != 0) { fprintf(stderr, "gpubench: vgpu_open: %d\n", r); return 1; }
    struct vgpu_set_timeout t = {.job_timeout_ns = 60000000000ull};  /* SGEMM may pass the 2 s default */
    if (ioctl(vgpu_fd(dev), VGPU_IOCTL_SET_TIMEOUT, &t) != 0) { perror("gpubench: job timeout"); return 1; }
    vgpu_shader *saxpy, *sgemm;
    if ((r = vgpu_shader_create(dev, sspv, ssize, "main", &saxpy)) != 0) return fail(dev, "saxpy shader", r);
    if ((r = vgpu_shader_create(dev, gspv, gsize, "main", &sgemm)) != 0) return fail(dev, "sgemm shader", r);

    vgpu_buffer *sb[2], *gb[3];
    for (int i = 0; i < 2; i++)
        if ((r = vgpu_buffer_create(dev, 4UL * N, &sb[i])) != 0) return fail(dev, "saxpy buffer", r);
    for (int i = 0; i < 3; i++)
        if ((r = vgpu_buffer_create(dev, 4UL * M * M, &gb[i])) != 0) return fail(dev, "sgemm buffer", r);
    float *x = vgpu_buffer_map(sb[0]), *y = vgpu_buffer_map(sb[1]);
    float *a = vgpu_buffer_map(gb[0]), *b = vgpu_buffer_map(gb[1]), *c = vgpu_buffer_map(gb[2]);
    if (!x || !y || !a || !b || !c) { fprintf(stderr, "gpubench: map failed\n"); return 1; }
    for (int i = 0; i < N; i++) x[i] = i & 1023;
    for (int i = 0; i < M * M; i++) {
        a[i] = i % 7;
        b[i] = i % 5;
    }

    struct { float a; uint32_t n; } sp = {2.0f, N};
    if (bench(dev, "saxpy16M", saxpy, N / 512, 2, sb, 2, &sp, sizeof sp, runs)) return 1;
    if (y[5] != (1 + runs) * 10.0f) { fprintf(stderr, "saxpy: wrong y[5] %f\n", y[5]); return 1; }
    uint32_t gp[3] = {M, M, M};
    if (bench(dev, "sgemm1024", sgemm, M / 16, M / 16, gb, 3, gp, sizeof gp, runs)) return 1;
    float want = 0;
    for (int k = 0; k < M; k++) want += (k % 7) * ((k * M + 3) % 5);
    if (c[3] != want) { fprintf(stderr, "sgemm: wrong c[0][3] %f, expected %f\n", c[3], want); return 1; }
    vgpu_close(dev);
    return 0;
}
