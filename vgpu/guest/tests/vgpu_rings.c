/*
 * A producer and a consumer on two rings of one context of /dev/vgpu0: ring A's jobs write a
 * buffer (produce.comp), and ring B's job for the same round reads it (consume.comp), submitted
 * only once A's fence has completed. The guest learns of completions through poll(2) (POLLIN)
 * and read(2) of the device, which give each completed fence once, in order per ring. Every
 * round's output is checked against C.
 */
#define _GNU_SOURCE
#include "ttycheck.h"
#include "vgpu_raw.h"
#include "produce.spv.h"
#include "consume.spv.h"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#define ROUNDS 8
#define N 4096u

static const char *e(int r) {
    return err(r < 0 ? -r : 0);
}

static uint64_t seen[4 * ROUNDS];
static int nseen, out_of_order, polls_without_event;
static uint64_t last_seq[2];

/* Blocks in poll(2) for POLLIN, then reads the completed fences, noting each and their order. */
static void collect(int fd, uint32_t ring_a) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    if (poll(&p, 1, -1) != 1 || !(p.revents & POLLIN)) {
        polls_without_event++;
        return;
    }
    struct vgpu_event ev[16];
    ssize_t n = read(fd, ev, sizeof ev);
    for (ssize_t i = 0; i < n / (ssize_t) sizeof ev[0] && nseen < 4 * ROUNDS; i++) {
        uint64_t f = ev[i].fence;
        int which = VGPU_FENCE_RING(f) == ring_a ? 0 : 1;
        out_of_order += VGPU_FENCE_SEQ(f) != last_seq[which] + 1;
        last_seq[which] = VGPU_FENCE_SEQ(f);
        seen[nseen++] = f;
    }
}

static int was_seen(uint64_t f) {
    for (int i = 0; i < nseen; i++) {
        if (seen[i] == f) {
            return 1;
        }
    }
    return 0;
}

int main(void) {
    int fd = open("/dev/vgpu0", O_RDWR | O_CLOEXEC | O_NONBLOCK);
    say("open %s\n", e(fd < 0 ? -errno : 0));
    struct raw_ring a = {0}, b = {0};
    say("ring A %s\n", e(raw_ring_create(fd, 16, &a)));
    say("ring B %s\n", e(raw_ring_create(fd, 16, &b)));
    say("two rings: %d\n", a.handle != b.handle);
    char reason[256] = "";
    uint32_t produce = 0, consume = 0;
    say("produce shader %s\n", e(raw_shader(fd, produce_spv, sizeof produce_spv, &produce, reason, sizeof reason)));
    say("consume shader %s\n", e(raw_shader(fd, consume_spv, sizeof consume_spv, &consume, reason, sizeof reason)));
    uint32_t hx[ROUNDS], hy[ROUNDS];
    uint32_t *x[ROUNDS], *y[ROUNDS];
    int r = 0;
    for (int i = 0; i < ROUNDS && r == 0; i++) {
        r = raw_buffer(fd, N * 4, &hx[i], (void **) &x[i]);
        if (r == 0) {
            r = raw_buffer(fd, N * 4, &hy[i], (void **) &y[i]);
        }
    }
    say("buffers %s\n", e(r));
    if (r != 0) {
        return 1;
    }
    struct pollfd p = {.fd = fd, .events = POLLIN};
    say("poll before any job: %d\n", poll(&p, 1, 0));

    /* Every producer job at once on ring A; each consumer on ring B once its producer is done. */
    uint64_t fa[ROUNDS], fb[ROUNDS];
    int submit_errors = 0, status_errors = 0;
    for (int i = 0; i < ROUNDS; i++) {
        struct { uint32_t seed, n; } push = {1000u * (uint32_t) i, N};
        submit_errors += raw_dispatch(&a, produce, N / 64, &hx[i], 1, &push, sizeof push, &fa[i]) != 0;
    }
    for (int i = 0; i < ROUNDS; i++) {
        while (!was_seen(fa[i]) && polls_without_event < 3) {
            collect(fd, a.handle);
        }
        /* its fence was read as complete, so its status is known without waiting */
        status_errors += raw_wait(fd, fa[i], 0) != 0;
        uint32_t bind[2] = {hx[i], hy[i]};
        uint32_t n = N;
        submit_errors += raw_dispatch(&b, consume, N / 64, bind, 2, &n, sizeof n, &fb[i]) != 0;
    }
    for (int i = 0; i < ROUNDS; i++) {
        while (!was_seen(fb[i]) && polls_without_event < 3) {
            collect(fd, a.handle);
        }
        status_errors += raw_wait(fd, fb[i], 0) != 0;
    }
    say("submit errors %d, fence errors %d, polls without an event %d\n", submit_errors, status_errors,
        polls_without_event);
    say("completed fences read %d, out of order %d\n", nseen, out_of_order);
    say("ring A fences %d, ring B fences %d\n", (int) last_seq[0], (int) last_seq[1]);
    say("poll after reading them all: %d\n", poll(&p, 1, 0));
    struct vgpu_event ev;
    say("read with none queued: %s\n", e(read(fd, &ev, sizeof ev) < 0 ? -errno : 0));
    int bad = 0;
    for (int i = 0; i < ROUNDS; i++) {
        for (uint32_t j = 0; j < N; j++) {
            bad += y[i][j] != 3u * (j * j + 1000u * (uint32_t) i) + 1u;
        }
    }
    say("consumer results mismatches %d\n", bad);
    close(fd);
    return 0;
}
