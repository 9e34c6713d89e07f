/*
 * SAXPY on /dev/vgpu0 against the same computation in C, then the device's refusals: a module
 * that is not SPIR-V (with its reason), a shader that never ends (stopped at the job timeout:
 * its fence is EIO, a wait shorter than the timeout is ETIMEDOUT) after which the device still
 * runs SAXPY. Needs an executor (phoenix run --vgpu phoenix, the default, or vulkan).
 */
#define _GNU_SOURCE
#include "ttycheck.h"
#include "vgpu.h"
#include "vgpu_uapi.h"
#include "saxpy.spv.h"
#include "spin.spv.h"

#include <string.h>
#include <sys/ioctl.h>

#define N 100000

static const char *e(int r) {
    return err(r < 0 ? -r : 0);
}

/* Runs SAXPY with a = 2.5 over N floats; returns how many results differ from C's. */
static int saxpy(vgpu_device *dev, vgpu_shader *sh) {
    vgpu_buffer *x, *y;
    if (vgpu_buffer_create(dev, N * 4, &x) || vgpu_buffer_create(dev, N * 4, &y)) {
        return -1;
    }
    float *px = vgpu_buffer_map(x), *py = vgpu_buffer_map(y);
    static float want[N];
    for (int i = 0; i < N; i++) {
        px[i] = (float) (i % 1000) * 0.5f;
        py[i] = (float) (i % 77);
        want[i] = 2.5f * px[i] + py[i];
    }
    struct { float a; uint32_t n; } push = {2.5f, N};
    vgpu_buffer *b[2] = {x, y};
    uint64_t f;
    int r = vgpu_dispatch(dev, sh, (N + 63) / 64, 1, 1, b, 2, &push, sizeof push, &f);
    if (r == 0) {
        r = vgpu_wait(dev, f, -1);
    }
    int bad = 0;
    for (int i = 0; i < N; i++) {
        bad += py[i] != want[i];
    }
    vgpu_buffer_destroy(x);
    vgpu_buffer_destroy(y);
    return r != 0 ? r : bad;
}

int main(void) {
    vgpu_device *dev;
    say("open %s\n", e(vgpu_open(NULL, &dev)));
    struct vgpu_query q = {0};
    ioctl(vgpu_fd(dev), VGPU_IOCTL_QUERY, &q);
    say("executor %s\n", q.executor);
    vgpu_shader *sh, *spin, *junk;
    int r = vgpu_shader_create(dev, saxpy_spv, sizeof saxpy_spv, "main", &sh);
    say("saxpy shader %s\n", e(r));
    if (r != 0) {
        say("%s\n", vgpu_last_error(dev));
        return 1;
    }
    say("saxpy mismatches %d\n", saxpy(dev, sh));

    static const uint32_t notspirv[] = {0x12345678, 1, 2, 3, 4, 5};
    r = vgpu_shader_create(dev, notspirv, sizeof notspirv, "main", &junk);
    say("not SPIR-V: %s, with a reason: %d\n", e(r), strlen(vgpu_last_error(dev)) > 14);
    r = vgpu_shader_create(dev, saxpy_spv, sizeof saxpy_spv, "nosuchentry", &junk);
    say("no such entry point: %s\n", e(r));

    struct vgpu_set_timeout t = {.job_timeout_ns = 300000000};
    say("job timeout %d\n", ioctl(vgpu_fd(dev), VGPU_IOCTL_SET_TIMEOUT, &t));
    say("spin shader %s\n", e(vgpu_shader_create(dev, spin_spv, sizeof spin_spv, "main", &spin)));
    vgpu_buffer *flag;
    vgpu_buffer_create(dev, 8, &flag);
    uint64_t f;
    /* As many workgroups as a dispatch may have: lavapipe ends any invocation's loops after 65535
     * turns (its guard against hangs), so there a single workgroup would end; 65535^2 of them
     * spinning 65535 turns each outlast every job timeout on any executor. */
    say("dispatch %s\n", e(vgpu_dispatch(dev, spin, 65535, 65535, 1, &flag, 1, NULL, 0, &f)));
    say("a short wait: %s\n", e(vgpu_wait(dev, f, 1000000)));
    say("the lost job: %s\n", e(vgpu_wait(dev, f, -1)));
    /* Back to a long timeout: the Vulkan passthrough's first job after a lost one also starts a
     * new render server, which a loaded host may not finish in 300 ms. */
    t.job_timeout_ns = 60000000000;
    say("job timeout %d\n", ioctl(vgpu_fd(dev), VGPU_IOCTL_SET_TIMEOUT, &t));
    say("after it, saxpy mismatches %d\n", saxpy(dev, sh));
    vgpu_buffer_destroy(flag);
    vgpu_shader_destroy(spin);
    vgpu_shader_destroy(sh);
    vgpu_close(dev);
    return 0;
}
