/*
 * What the compute guest programs (vgpu_reduce.c, vgpu_histogram.c, vgpu_sgemm.c, vgpu_scan.c)
 * share: errno names for libvgpu's negative results, the device opened with the longest job
 * timeout (the default 2 s is host time, which a loaded host can pass over a big dispatch), and a
 * shader made or the reason it was refused. Each step says its result in a line of its own.
 */
#ifndef VGPU_COMPUTE_H
#define VGPU_COMPUTE_H

#include "vgpu.h"
#include "vgpu_raw.h"
#include "ttycheck.h"

/* The name of libvgpu's result r (0 or a negative errno). */
static inline const char *e(int r) {
    return err(r < 0 ? -r : 0);
}

/* Opens /dev/vgpu0 and allows its jobs 60 s; says "open ..." and "job timeout ...". */
static inline vgpu_device *open_for_compute(void) {
    vgpu_device *dev = NULL;
    say("open %s\n", e(vgpu_open(NULL, &dev)));
    say("job timeout %s\n", e(raw_set_timeout(vgpu_fd(dev), 60000000000ull)));
    return dev;
}

/* Makes shader NAME from n bytes of SPIR-V; says "NAME shader ...", and the reason when refused (then NULL). */
static inline vgpu_shader *make_shader(vgpu_device *dev, const char *name, const void *spv, size_t n) {
    vgpu_shader *sh = NULL;
    int r = vgpu_shader_create(dev, spv, n, "main", &sh);
    say("%s shader %s\n", name, e(r));
    if (r != 0) {
        say("%s\n", vgpu_last_error(dev));
        return NULL;
    }
    return sh;
}

#endif
