/*
 * SGEMM 256x256x256 on /dev/vgpu0 (sgemm.comp, 16x16 tiles in shared memory) against C. The
 * shader sums in a different order (and with fma), so each element is compared with C's double
 * result within a float tolerance: a few ulps of the sum of |a||b| over k.
 */
#define _GNU_SOURCE
#include "ttycheck.h"
#include "vgpu.h"
#include "vgpu_raw.h"
#include "vgpu_compute.h"
#include "sgemm.spv.h"

#include <math.h>

#define M 256
#define K 256
#define NN 256

int main(void) {
    vgpu_device *dev = open_for_compute();
    vgpu_shader *sh = make_shader(dev, "sgemm", sgemm_spv, sizeof sgemm_spv);
    if (sh == NULL) {
        return 1;
    }
    vgpu_buffer *ba, *bb, *bc;
    if (vgpu_buffer_create(dev, M * K * 4, &ba) || vgpu_buffer_create(dev, K * NN * 4, &bb)
        || vgpu_buffer_create(dev, M * NN * 4, &bc)) {
        say("buffers: %s\n", vgpu_last_error(dev));
        return 1;
    }
    float *a = vgpu_buffer_map(ba), *b = vgpu_buffer_map(bb), *c = vgpu_buffer_map(bc);
    uint32_t x = 7;
    for (int i = 0; i < M * K; i++) {
        x = x * 1664525u + 1013904223u;
        a[i] = (float) ((int32_t) (x >> 8) % 20000) / 10000.0f; /* in (-2, 2) */
    }
    for (int i = 0; i < K * NN; i++) {
        x = x * 1664525u + 1013904223u;
        b[i] = (float) ((int32_t) (x >> 8) % 20000) / 10000.0f;
    }
    struct { uint32_t m, n, k; } push = {M, NN, K};
    vgpu_buffer *bind[3] = {ba, bb, bc};
    uint64_t f;
    int r = vgpu_dispatch(dev, sh, NN / 16, M / 16, 1, bind, 3, &push, sizeof push, &f);
    say("dispatch %s\n", e(r));
    say("wait %s\n", e(vgpu_wait(dev, f, -1)));
    int bad = 0;
    static double row[NN], mag[NN];
    for (int i = 0; i < M; i++) {
        for (int j = 0; j < NN; j++) {
            row[j] = 0;
            mag[j] = 0;
        }
        for (int k = 0; k < K; k++) {
            double aik = a[i * K + k];
            for (int j = 0; j < NN; j++) {
                double p = aik * b[k * NN + j];
                row[j] += p;
                mag[j] += fabs(p);
            }
        }
        for (int j = 0; j < NN; j++) {
            double got = c[i * NN + j];
            /* float rounds each of K steps by at most half an ulp of the running magnitude */
            bad += !(fabs(got - row[j]) <= mag[j] * K * 0x1p-24 + 1e-6);
        }
    }
    say("sgemm mismatches %d of %d\n", bad, M * NN);
    vgpu_buffer_destroy(ba);
    vgpu_buffer_destroy(bb);
    vgpu_buffer_destroy(bc);
    vgpu_shader_destroy(sh);
    vgpu_close(dev);
    return 0;
}
