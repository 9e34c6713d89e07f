/*
 * A reduction on /dev/vgpu0 against C: the sum (mod 2^32) of 1M uints by reduce.comp, workgroups
 * of 256 summing in shared memory with barriers, then second and third passes over the groups'
 * parts until one is left; and the same total gathered with atomicAdd by every pass.
 */
#define _GNU_SOURCE
#include "ttycheck.h"
#include "vgpu.h"
#include "vgpu_raw.h"
#include "vgpu_compute.h"
#include "reduce.spv.h"

#define N (1u << 20)
#define G 256u

/* One pass: parts[i] = the sum of in[i*G .. i*G+G) for n inputs; *total += all of them. */
static int pass(vgpu_device *dev, vgpu_shader *sh, vgpu_buffer *in, vgpu_buffer *parts, vgpu_buffer *total,
                uint32_t n) {
    vgpu_buffer *b[3] = {in, parts, total};
    uint64_t f;
    int r = vgpu_dispatch(dev, sh, (n + G - 1) / G, 1, 1, b, 3, &n, sizeof n, &f);
    return r != 0 ? r : vgpu_wait(dev, f, -1);
}

int main(void) {
    vgpu_device *dev = open_for_compute();
    vgpu_shader *sh = make_shader(dev, "reduce", reduce_spv, sizeof reduce_spv);
    if (sh == NULL) {
        return 1;
    }
    vgpu_buffer *data, *p1, *p2, *p3, *t[3];
    if (vgpu_buffer_create(dev, N * 4, &data) || vgpu_buffer_create(dev, N / G * 4, &p1)
        || vgpu_buffer_create(dev, N / G / G * 4, &p2) || vgpu_buffer_create(dev, 4, &p3)) {
        say("buffers: %s\n", vgpu_last_error(dev));
        return 1;
    }
    for (int i = 0; i < 3; i++) {
        if (vgpu_buffer_create(dev, 4, &t[i])) {
            return 1;
        }
    }
    uint32_t *v = vgpu_buffer_map(data);
    static uint32_t want_parts[N / G];
    uint32_t sum = 0;
    for (uint32_t i = 0; i < N; i++) {
        v[i] = (i * 2654435761u) >> 7;
        sum += v[i];
        want_parts[i / G] += v[i];
    }
    say("pass 1 %s\n", e(pass(dev, sh, data, p1, t[0], N)));
    say("pass 2 %s\n", e(pass(dev, sh, p1, p2, t[1], N / G)));
    say("pass 3 %s\n", e(pass(dev, sh, p2, p3, t[2], N / G / G)));
    uint32_t *parts = vgpu_buffer_map(p1);
    int bad = 0;
    for (uint32_t i = 0; i < N / G; i++) {
        bad += parts[i] != want_parts[i];
    }
    say("workgroup sums mismatches %d of %u\n", bad, N / G);
    say("sum by passes matches C: %d\n", *(uint32_t *) vgpu_buffer_map(p3) == sum);
    for (int i = 0; i < 3; i++) {
        say("sum by atomics in pass %d matches C: %d\n", i + 1, *(uint32_t *) vgpu_buffer_map(t[i]) == sum);
    }
    vgpu_buffer_destroy(data);
    vgpu_buffer_destroy(p1);
    vgpu_buffer_destroy(p2);
    vgpu_buffer_destroy(p3);
    for (int i = 0; i < 3; i++) {
        vgpu_buffer_destroy(t[i]);
    }
    vgpu_shader_destroy(sh);
    vgpu_close(dev);
    return 0;
}
