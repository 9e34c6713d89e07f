/*
 * A 256-bin histogram on /dev/vgpu0 against C: histogram.comp counts the low bytes of 200000
 * uints into shared bins with atomicAdd (then one atomicAdd per bin into the buffer) and, in the
 * same dispatch, straight into a second buffer with atomicAdd on it.
 */
#define _GNU_SOURCE
#include "ttycheck.h"
#include "vgpu.h"
#include "vgpu_raw.h"
#include "vgpu_compute.h"
#include "histogram.spv.h"

#define N 200000u

int main(void) {
    vgpu_device *dev = open_for_compute();
    vgpu_shader *sh = make_shader(dev, "histogram", histogram_spv, sizeof histogram_spv);
    if (sh == NULL) {
        return 1;
    }
    vgpu_buffer *in, *bins, *direct;
    if (vgpu_buffer_create(dev, N * 4, &in) || vgpu_buffer_create(dev, 256 * 4, &bins)
        || vgpu_buffer_create(dev, 256 * 4, &direct)) {
        say("buffers: %s\n", vgpu_last_error(dev));
        return 1;
    }
    uint32_t *v = vgpu_buffer_map(in);
    uint32_t want[256] = {0};
    uint32_t x = 12345;
    for (uint32_t i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        /* skewed: bins of small values are hot, so the atomics contend */
        v[i] = (x >> 8) % (i % 3 == 0 ? 16u : 4096u);
        want[v[i] & 255]++;
    }
    vgpu_buffer *b[3] = {in, bins, direct};
    uint32_t n = N;
    uint64_t f;
    int r = vgpu_dispatch(dev, sh, (N + 63) / 64, 1, 1, b, 3, &n, sizeof n, &f);
    say("dispatch %s\n", e(r));
    say("wait %s\n", e(vgpu_wait(dev, f, -1)));
    uint32_t *hb = vgpu_buffer_map(bins), *hd = vgpu_buffer_map(direct);
    int bad_shared = 0, bad_direct = 0;
    uint32_t total = 0;
    for (int i = 0; i < 256; i++) {
        bad_shared += hb[i] != want[i];
        bad_direct += hd[i] != want[i];
        total += hb[i];
    }
    say("shared-memory bins mismatches %d\n", bad_shared);
    say("buffer-atomic bins mismatches %d\n", bad_direct);
    say("counted every value: %d\n", total == N);
    vgpu_buffer_destroy(in);
    vgpu_buffer_destroy(bins);
    vgpu_buffer_destroy(direct);
    vgpu_shader_destroy(sh);
    vgpu_close(dev);
    return 0;
}
