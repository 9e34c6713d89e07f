/*
 * Bad input to /dev/vgpu0, each refused with a clear error and nothing else disturbed: a shader
 * using a capability the executor lacks (Float16), refused with a reason naming it; a dispatch
 * reading and writing outside its buffers (robust access: such reads give 0, such writes are
 * dropped, the next buffer is untouched); a buffer destroyed before the dispatch that names it
 * (the job fails whole with ENOENT); create/destroy cycles and closes that leave the device's live
 * page count where it started; and a second process, with its own open, naming this one's
 * handles (ENOENT, EINVAL for its map offset) while this context keeps working.
 */
#define _GNU_SOURCE
#include "ttycheck.h"
#include "vgpu.h"
#include "vgpu_raw.h"
#include "half.spv.h"
#include "robust.spv.h"
#include "saxpy.spv.h"

#include <fcntl.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *e(int r) {
    return err(r < 0 ? -r : 0);
}

/* Float16 arithmetic: refused at shader create, with a reason that names the capability. */
static void capability(vgpu_device *dev) {
    vgpu_shader *sh;
    int r = vgpu_shader_create(dev, half_spv, sizeof half_spv, "main", &sh);
    say("Float16 shader: %s, the reason names Float16: %d\n", e(r), strstr(vgpu_last_error(dev), "Float16") != NULL);
}

/* robust.comp with a shift: o[g + shift] = v[g - shift] + 1 for g in 0..7, o and v of 8 uints. */
static void robust(vgpu_device *dev) {
    vgpu_shader *sh;
    say("robust shader %s\n", e(vgpu_shader_create(dev, robust_spv, sizeof robust_spv, "main", &sh)));
    vgpu_buffer *in, *out, *next;
    if (vgpu_buffer_create(dev, 32, &in) || vgpu_buffer_create(dev, 32, &out) || vgpu_buffer_create(dev, 32, &next)) {
        say("buffers: %s\n", vgpu_last_error(dev));
        return;
    }
    uint32_t *v = vgpu_buffer_map(in), *o = vgpu_buffer_map(out), *nx = vgpu_buffer_map(next);
    for (int i = 0; i < 8; i++) {
        v[i] = 100 + i;
        nx[i] = 0xaaaaaaaa;
    }
    static const int32_t shifts[] = {4, -4, 1 << 24, -(1 << 24)};
    for (int s = 0; s < 4; s++) {
        memset(o, 0, 64); /* the buffer's 32 bytes and the 32 after it in its page */
        vgpu_buffer *b[2] = {in, out};
        uint64_t f;
        int r = vgpu_dispatch(dev, sh, 1, 1, 1, b, 2, &shifts[s], 4, &f);
        if (r == 0) {
            r = vgpu_wait(dev, f, -1);
        }
        int past = 0, touched = 0;
        for (int i = 8; i < 16; i++) {
            past += o[i] != 0;
        }
        for (int i = 0; i < 8; i++) {
            touched += nx[i] != 0xaaaaaaaa || v[i] != 100u + i;
        }
        say("shift %d: %s, out %u %u %u %u %u %u %u %u, written past the end %d, neighbours changed %d\n",
            shifts[s], e(r), o[0], o[1], o[2], o[3], o[4], o[5], o[6], o[7], past, touched);
    }
    vgpu_buffer_destroy(in);
    vgpu_buffer_destroy(out);
    vgpu_buffer_destroy(next);
    vgpu_shader_destroy(sh);
}

/* SAXPY naming a destroyed x: the job fails whole with ENOENT, y untouched; then a good one runs. */
static void destroyed(void) {
    int fd = open("/dev/vgpu0", O_RDWR | O_CLOEXEC);
    struct raw_ring ring = {0};
    uint32_t hx, hy, sh;
    float *x, *y;
    char reason[256];
    if (fd < 0 || raw_ring_create(fd, 8, &ring) || raw_buffer(fd, 4096, &hx, (void **) &x)
        || raw_buffer(fd, 4096, &hy, (void **) &y) || raw_shader(fd, saxpy_spv, sizeof saxpy_spv, &sh, reason, sizeof reason)) {
        say("destroyed-buffer setup failed\n");
        return;
    }
    for (int i = 0; i < 1024; i++) {
        x[i] = (float) i;
        y[i] = 7.0f;
    }
    say("destroy x: %s\n", e(raw_destroy(fd, VGPU_IOCTL_BUFFER_DESTROY, hx)));
    say("destroy x again: %s\n", e(raw_destroy(fd, VGPU_IOCTL_BUFFER_DESTROY, hx)));
    struct { float a; uint32_t n; } push = {2.0f, 1024};
    uint32_t bind[2] = {hx, hy};
    uint64_t f;
    say("dispatch naming it: %s\n", e(raw_dispatch(&ring, sh, 16, bind, 2, &push, sizeof push, &f)));
    say("its fence: %s\n", e(raw_wait(fd, f, -1)));
    int changed = 0;
    for (int i = 0; i < 1024; i++) {
        changed += y[i] != 7.0f;
    }
    say("y changed %d\n", changed);
    uint32_t hz;
    float *z;
    int r = raw_buffer(fd, 4096, &hz, (void **) &z);
    for (int i = 0; r == 0 && i < 1024; i++) {
        z[i] = (float) i;
    }
    bind[0] = hz;
    if (r == 0) {
        r = raw_dispatch(&ring, sh, 16, bind, 2, &push, sizeof push, &f);
    }
    if (r == 0) {
        r = raw_wait(fd, f, -1);
    }
    int bad = 0;
    for (int i = 0; i < 1024; i++) {
        bad += y[i] != 2.0f * (float) i + 7.0f;
    }
    say("a good dispatch after: %s, mismatches %d\n", e(r), bad);
    close(fd);
}

/* Pages the device holds now, through a context of its own (fd). */
static int64_t live(int fd) {
    return raw_live_pages(fd);
}

/* One context's life: a ring, buffers (one left for close to free), a shader, a dispatch. */
static int cycle(int i) {
    int fd = open("/dev/vgpu0", O_RDWR | O_CLOEXEC);
    struct raw_ring ring = {0};
    uint32_t h[3], sh;
    void *m[3];
    size_t size[3] = {100, 4096u * (1 + i % 5), 3 * 4096 + 8};
    char reason[64];
    if (fd < 0 || raw_ring_create(fd, 4, &ring)) {
        return -1;
    }
    for (int k = 0; k < 3; k++) {
        if (raw_buffer(fd, size[k], &h[k], &m[k])) {
            return -1;
        }
    }
    if (raw_shader(fd, saxpy_spv, sizeof saxpy_spv, &sh, reason, sizeof reason)) {
        return -1;
    }
    struct { float a; uint32_t n; } push = {1.0f, 25};
    uint64_t f;
    uint32_t bind[2] = {h[0], h[1]};
    if (raw_dispatch(&ring, sh, 1, bind, 2, &push, sizeof push, &f) || raw_wait(fd, f, -1)) {
        return -1;
    }
    raw_destroy(fd, VGPU_IOCTL_BUFFER_DESTROY, h[0]);
    raw_destroy(fd, VGPU_IOCTL_SHADER_DESTROY, sh);
    if (i % 2 == 0) {
        raw_destroy(fd, VGPU_IOCTL_RING_DESTROY, ring.handle);
    }
    close(fd); /* h[1], h[2] and (every other time) the ring are freed by the close */
    for (int k = 0; k < 3; k++) {
        munmap(m[k], size[k]);
    }
    munmap(ring.slot, 4 * VGPU_CMD_SIZE);
    return 0;
}

static void leaks(void) {
    int fd = open("/dev/vgpu0", O_RDWR | O_CLOEXEC);
    int64_t start = live(fd);
    int failed = 0;
    for (int i = 0; i < 40; i++) {
        failed += cycle(i) != 0;
    }
    say("40 create/destroy/close cycles, failed %d\n", failed);
    say("live pages back to the start: %d\n", live(fd) == start);
    /* a mapping outlives its buffer and its context (as a DRM buffer's does) */
    int fd2 = open("/dev/vgpu0", O_RDWR | O_CLOEXEC);
    uint32_t h;
    uint32_t *m;
    int r = raw_buffer(fd2, 8192, &h, (void **) &m);
    say("a buffer of 2 pages: %s, live pages up by %d\n", e(r), (int) (live(fd) - start));
    m[2000] = 42;
    close(fd2);
    say("after its close, still mapped: up by %d, value kept %d\n", (int) (live(fd) - start), m[2000] == 42);
    munmap(m, 8192);
    say("after munmap: up by %d\n", (int) (live(fd) - start));
    struct vgpu_query q;
    raw_io(fd, VGPU_IOCTL_QUERY, &q);
    say("live contexts %u\n", q.live_contexts);
    close(fd);
}

/* A child with its own open names the parent's handles: none is its to use. */
static void other_process(void) {
    int fd = open("/dev/vgpu0", O_RDWR | O_CLOEXEC);
    struct raw_ring ring = {0};
    uint32_t hy, sh;
    char reason[64];
    struct vgpu_buffer_create bc = {.size = 4096};
    if (fd < 0 || raw_ring_create(fd, 4, &ring) || raw_io(fd, VGPU_IOCTL_BUFFER_CREATE, &bc)
        || raw_shader(fd, saxpy_spv, sizeof saxpy_spv, &sh, reason, sizeof reason)) {
        say("parent setup failed\n");
        return;
    }
    float *x = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t) bc.map_offset);
    uint32_t *yv;
    if (x == MAP_FAILED || raw_buffer(fd, 4096, &hy, (void **) &yv)) {
        say("parent setup failed\n");
        return;
    }
    float *y = (float *) yv;
    for (int i = 0; i < 1024; i++) {
        x[i] = 1.0f;
        y[i] = (float) i;
    }
    pid_t pid = fork();
    if (pid == 0) {
        int cfd = open("/dev/vgpu0", O_RDWR | O_CLOEXEC);
        struct raw_ring cring = {0};
        say("child: its own open %s, ring %s\n", e(cfd < 0 ? -errno : 0), e(raw_ring_create(cfd, 4, &cring)));
        say("child: destroy the parent's buffer: %s\n", e(raw_destroy(cfd, VGPU_IOCTL_BUFFER_DESTROY, bc.handle)));
        say("child: destroy the parent's shader: %s\n", e(raw_destroy(cfd, VGPU_IOCTL_SHADER_DESTROY, sh)));
        void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, cfd, (off_t) bc.map_offset);
        say("child: map the parent's buffer: %s\n", e(p == MAP_FAILED ? -errno : 0));
        struct { float a; uint32_t n; } push = {100.0f, 1024};
        uint32_t bind[2] = {bc.handle, hy};
        uint64_t f = 0;
        int r = raw_dispatch(&cring, sh, 16, bind, 2, &push, sizeof push, &f);
        say("child: dispatch with the parent's shader and buffers: %s, its fence: %s\n", e(r),
            e(r == 0 ? raw_wait(cfd, f, -1) : r));
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    say("child exited %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    int changed = 0;
    for (int i = 0; i < 1024; i++) {
        changed += x[i] != 1.0f || y[i] != (float) i;
    }
    say("parent's buffers changed %d\n", changed);
    struct { float a; uint32_t n; } push = {3.0f, 1024};
    uint32_t bind[2] = {bc.handle, hy};
    uint64_t f;
    int r = raw_dispatch(&ring, sh, 16, bind, 2, &push, sizeof push, &f);
    if (r == 0) {
        r = raw_wait(fd, f, -1);
    }
    int bad = 0;
    for (int i = 0; i < 1024; i++) {
        bad += y[i] != 3.0f + (float) i;
    }
    say("parent's dispatch after: %s, mismatches %d\n", e(r), bad);
    close(fd);
}

int main(void) {
    vgpu_device *dev;
    say("open %s\n", e(vgpu_open(NULL, &dev)));
    capability(dev);
    robust(dev);
    vgpu_close(dev);
    destroyed();
    leaks();
    other_process();
    return 0;
}
