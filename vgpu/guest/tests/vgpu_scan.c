/*
 * An exclusive prefix sum on /dev/vgpu0 against C: scan.comp scans each block of 512 uints with
 * Blelloch's algorithm in one workgroup and writes the block's total; a second dispatch of it
 * scans those totals (one block), and scan_add.comp adds each block's scanned total back. The
 * length is not a multiple of the block, so the last block is partial.
 */
#define _GNU_SOURCE
#include "ttycheck.h"
#include "vgpu.h"
#include "vgpu_raw.h"
#include "vgpu_compute.h"
#include "scan.spv.h"
#include "scan_add.spv.h"

#define N 200000u
#define BLOCK 512u
#define BLOCKS ((N + BLOCK - 1) / BLOCK)

/* Dispatches sh over `groups` blocks of buffers a and b with push constant n, and waits. */
static int run(vgpu_device *dev, vgpu_shader *sh, uint32_t groups, vgpu_buffer *a, vgpu_buffer *b, uint32_t n) {
    vgpu_buffer *bind[2] = {a, b};
    uint64_t f;
    int r = vgpu_dispatch(dev, sh, groups, 1, 1, bind, 2, &n, sizeof n, &f);
    return r != 0 ? r : vgpu_wait(dev, f, -1);
}

int main(void) {
    vgpu_device *dev = open_for_compute();
    vgpu_shader *scan = make_shader(dev, "scan", scan_spv, sizeof scan_spv);
    vgpu_shader *add = scan == NULL ? NULL : make_shader(dev, "scan_add", scan_add_spv, sizeof scan_add_spv);
    if (add == NULL) {
        return 1;
    }
    vgpu_buffer *data, *sums, *total;
    if (vgpu_buffer_create(dev, N * 4, &data) || vgpu_buffer_create(dev, BLOCKS * 4, &sums)
        || vgpu_buffer_create(dev, 4, &total)) {
        say("buffers: %s\n", vgpu_last_error(dev));
        return 1;
    }
    uint32_t *d = vgpu_buffer_map(data);
    static uint32_t want[N];
    uint32_t acc = 0, x = 99;
    for (uint32_t i = 0; i < N; i++) {
        x = x * 1103515245u + 12345u;
        d[i] = (x >> 16) & 1023;
        want[i] = acc;
        acc += d[i];
    }
    say("block scans %s\n", e(run(dev, scan, BLOCKS, data, sums, N)));
    say("block-sums scan %s\n", e(run(dev, scan, 1, sums, total, BLOCKS)));
    say("add pass %s\n", e(run(dev, add, BLOCKS, data, sums, N)));
    int bad = 0;
    for (uint32_t i = 0; i < N; i++) {
        bad += d[i] != want[i];
    }
    say("prefix sum mismatches %d of %u\n", bad, N);
    say("total matches C: %d\n", *(uint32_t *) vgpu_buffer_map(total) == acc);
    vgpu_buffer_destroy(data);
    vgpu_buffer_destroy(sums);
    vgpu_buffer_destroy(total);
    vgpu_shader_destroy(scan);
    vgpu_shader_destroy(add);
    vgpu_close(dev);
    return 0;
}
