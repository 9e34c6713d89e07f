/*
 * The aperture of /dev/vgpu0, each context's device address space (vgpu_uapi.h): buffers bound at
 * page-aligned, nonzero, distinct addresses with a guard page between neighbours; a destroyed
 * buffer's range reused by a later one; a record's offset that would reach the next buffer's
 * address refused; a job holding its range while its buffer is destroyed and the range rebound
 * to another; a second open with an aperture of its own (its first buffer at the same address,
 * naming its own memory) that cannot reach the first's buffers by handle; records naming a
 * destroyed buffer failing with ENOENT; version 1's shorter requests still answered; and the
 * bound counts back to 0 once everything is destroyed. Only relations are printed: addresses
 * depend on nothing a test should pin.
 */
#define _GNU_SOURCE
#include "ttycheck.h"
#include "vgpu.h"
#include "vgpu_raw.h"
#include "saxpy.spv.h"
#include "spin.spv.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE 4096u

static const char *e(int r) {
    return err(r < 0 ? -r : 0);
}

static uint64_t pages(uint64_t size) {
    return (size + PAGE - 1) / PAGE;
}

/* A buffer through the raw ioctl: its handle, device address and (size bytes) mapping. */
struct rbuf {
    uint32_t handle;
    uint64_t address, size;
    void *map;
};

static int rbuf_create(int fd, uint64_t size, struct rbuf *b) {
    b->size = size;
    return raw_buffer_at(fd, size, &b->handle, &b->map, &b->address);
}

static int rbuf_destroy(int fd, struct rbuf *b) {
    munmap(b->map, b->size);
    return raw_destroy(fd, VGPU_IOCTL_BUFFER_DESTROY, b->handle);
}

/* Writes one record into the ring's next slot and rings the doorbell. */
static int submit(struct raw_ring *ring, const union vgpu_cmd *cmd, uint64_t *fence) {
    ring->slot[ring->tail % ring->slots] = *cmd;
    struct vgpu_doorbell db = {.ring = ring->handle, .tail = ring->tail + 1};
    int r = raw_io(ring->fd, VGPU_IOCTL_DOORBELL, &db);
    if (r == 0) {
        ring->tail++;
        *fence = db.fence;
    }
    return r;
}

static union vgpu_cmd copy_cmd(uint32_t src, uint64_t src_offset, uint32_t dst, uint64_t size) {
    union vgpu_cmd c;
    memset(&c, 0, sizeof c);
    c.copy = (struct vgpu_cmd_copy) {.type = VGPU_CMD_COPY, .src = src, .dst = dst, .src_offset = src_offset, .size = size};
    return c;
}

static union vgpu_cmd fill_cmd(uint32_t dst, uint64_t size, uint32_t value) {
    union vgpu_cmd c;
    memset(&c, 0, sizeof c);
    c.fill = (struct vgpu_cmd_fill) {.type = VGPU_CMD_FILL, .dst = dst, .size = size, .value = value};
    return c;
}

static struct vgpu_query query(int fd, int *r) {
    struct vgpu_query q;
    memset(&q, 0, sizeof q);
    *r = raw_io(fd, VGPU_IOCTL_QUERY, &q);
    return q;
}

/* [address, address + size) rounded up to pages lies in the aperture q reports. */
static int inside(const struct vgpu_query *q, uint64_t address, uint64_t size) {
    return address >= q->aperture_base && address - q->aperture_base + pages(size) * PAGE <= q->aperture_size;
}

int main(void) {
    vgpu_device *dev;
    say("open %s\n", e(vgpu_open(NULL, &dev)));
    int fd = vgpu_fd(dev);
    int qr;
    struct vgpu_query q = query(fd, &qr);
    int64_t live_start = (int64_t) q.live_pages;
    say("query %s version %u, aperture aligned %d nonzero %d, bound blocks %u pages %llu\n", e(qr), q.version,
        q.aperture_base % PAGE == 0 && q.aperture_size % PAGE == 0, q.aperture_base != 0 && q.aperture_size != 0,
        q.bound_blocks, (unsigned long long) q.bound_pages);

    /* three buffers: 1, 3 and 2 pages */
    vgpu_buffer *buf[3];
    size_t size[3] = {100, 3 * PAGE, PAGE + 1};
    for (int i = 0; i < 3; i++) {
        int r = vgpu_buffer_create(dev, size[i], &buf[i]);
        if (r != 0) {
            say("create: %s\n", vgpu_last_error(dev));
            return 1;
        }
    }
    uint64_t at[3];
    int aligned = 1, nonzero = 1, in = 1, distinct = 1, apart = 1;
    for (int i = 0; i < 3; i++) {
        at[i] = vgpu_buffer_address(buf[i]);
        aligned &= at[i] % PAGE == 0;
        nonzero &= at[i] != 0;
        in &= inside(&q, at[i], size[i]);
    }
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 3; j++) {
            if (i == j) {
                continue;
            }
            distinct &= at[i] != at[j];
            /* j after i: j starts at least a page past i's last page (a guard page between) */
            if (at[j] > at[i]) {
                apart &= at[j] >= at[i] + pages(size[i]) * PAGE + PAGE;
            }
        }
    }
    say("addresses: aligned %d nonzero %d distinct %d in the aperture %d\n", aligned, nonzero, distinct, in);
    say("not overlapping, a guard page between neighbours: %d\n", apart);
    q = query(fd, &qr);
    say("bound blocks %u pages %llu\n", q.bound_blocks, (unsigned long long) q.bound_pages);

    /* the middle one's range is reused by a later buffer of its size */
    uint64_t freed = at[1];
    vgpu_buffer_destroy(buf[1]);
    q = query(fd, &qr);
    say("destroyed the second: bound blocks %u pages %llu\n", q.bound_blocks, (unsigned long long) q.bound_pages);
    say("create %s\n", e(vgpu_buffer_create(dev, 3 * PAGE, &buf[1])));
    say("a later buffer reuses its range: %d\n", vgpu_buffer_address(buf[1]) == freed);
    at[1] = vgpu_buffer_address(buf[1]);
    uint8_t *m0 = vgpu_buffer_map(buf[0]), *m1 = vgpu_buffer_map(buf[1]);
    for (int i = 0; i < 100; i++) {
        m0[i] = (uint8_t) (i * 7 + 1);
    }
    uint64_t f;
    int r = vgpu_copy(dev, buf[0], 0, buf[1], 5, 100, &f);
    if (r == 0) {
        r = vgpu_wait(dev, f, -1);
    }
    say("copy into it: %s, copied %d\n", e(r), memcmp(m0, m1 + 5, 100) == 0 && m1[4] == 0 && m1[105] == 0);

    /* an offset that would be the next buffer's address is outside the buffer: EINVAL */
    struct raw_ring ring = {0};
    say("ring %s\n", e(raw_ring_create(fd, 8, &ring)));
    struct rbuf p1 = {0}, p2 = {0};
    int r1 = rbuf_create(fd, 64, &p1), r2 = rbuf_create(fd, 64, &p2);
    say("two raw buffers: %s %s, in the aperture %d, the second above the first %d\n", e(r1), e(r2),
        inside(&q, p1.address, 64) && inside(&q, p2.address, 64), p2.address > p1.address);
    union vgpu_cmd c = copy_cmd(p1.handle, p2.address - p1.address, p1.handle, 4);
    r = submit(&ring, &c, &f);
    say("a copy from the first at the offset of the second's address: doorbell %s, its fence %s\n", e(r),
        e(raw_wait(fd, f, -1)));
    c = copy_cmd(p1.handle, 64, p1.handle, 4);
    r = submit(&ring, &c, &f);
    say("just past the first's end: doorbell %s, its fence %s\n", e(r), e(raw_wait(fd, f, -1)));

    /* a job holds its range while its buffer is destroyed and the range is bound to another */
    int fd3 = open("/dev/vgpu0", O_RDWR | O_CLOEXEC);
    struct raw_ring ring3 = {0};
    struct rbuf flag = {0}, x = {0}, y = {0};
    uint32_t spin;
    char reason[256] = "";
    if (fd3 < 0 || raw_ring_create(fd3, 8, &ring3) || rbuf_create(fd3, 64, &flag) || rbuf_create(fd3, PAGE, &x)
        || raw_shader(fd3, spin_spv, sizeof spin_spv, &spin, reason, sizeof reason) || raw_set_timeout(fd3, 100000000)) {
        say("hold setup failed: %s\n", reason);
        return 1;
    }
    uint32_t *xm = x.map;
    uint64_t fspin, ffill;
    r1 = raw_dispatch(&ring3, spin, 1, &flag.handle, 1, NULL, 0, &fspin);
    c = fill_cmd(x.handle, PAGE, 0x5a5a5a5a);
    r2 = submit(&ring3, &c, &ffill);
    say("a spin, then a fill of x queued behind it: %s %s\n", e(r1), e(r2));
    say("destroy x: %s\n", e(raw_destroy(fd3, VGPU_IOCTL_BUFFER_DESTROY, x.handle)));
    r = rbuf_create(fd3, PAGE, &y);
    say("create y: %s, at x's address %d\n", e(r), y.address == x.address);
    say("the spin: %s\n", e(raw_wait(fd3, fspin, -1)));
    say("the fill: %s\n", e(raw_wait(fd3, ffill, -1)));
    uint32_t *ym = y.map;
    int filled = 1, untouched = 1;
    for (unsigned i = 0; i < PAGE / 4; i++) {
        filled &= xm[i] == 0x5a5a5a5a;
        untouched &= ym[i] == 0;
    }
    say("x's memory (still mapped) was filled %d, y's untouched %d\n", filled, untouched);
    munmap(x.map, PAGE);
    close(fd3); /* y, flag, the shader and the ring go with the context */
    munmap(y.map, PAGE);
    munmap(flag.map, 64);
    munmap(ring3.slot, 8 * VGPU_CMD_SIZE);

    /* another context: an aperture of its own */
    int fd2 = open("/dev/vgpu0", O_RDWR | O_CLOEXEC);
    struct raw_ring ring2 = {0};
    struct rbuf other = {0};
    say("second open %s, ring %s\n", e(fd2 < 0 ? -errno : 0), e(raw_ring_create(fd2, 8, &ring2)));
    r = rbuf_create(fd2, 100, &other);
    say("its first buffer: %s, at the first context's first buffer's address %d\n", e(r), other.address == at[0]);
    c = fill_cmd(other.handle, 100, 0xffffffff);
    r = submit(&ring2, &c, &f);
    say("a fill of it: %s %s; the first context's buffer there unchanged %d\n", e(r), e(raw_wait(fd2, f, -1)),
        m0[0] == 1 && m0[99] == (uint8_t) (99 * 7 + 1));
    /* the first context's buffer p2 by its handle (this context holds handle 1 only) */
    c = copy_cmd(p2.handle, 0, other.handle, 4);
    r = submit(&ring2, &c, &f);
    say("a copy naming the first context's buffer by handle: doorbell %s, its fence %s\n", e(r), e(raw_wait(fd2, f, -1)));
    say("destroy it by handle: %s\n", e(raw_destroy(fd2, VGPU_IOCTL_BUFFER_DESTROY, p2.handle)));
    struct vgpu_query q2 = query(fd2, &qr);
    say("its query: bound blocks %u pages %llu, the same window %d\n", q2.bound_blocks,
        (unsigned long long) q2.bound_pages, q2.aperture_base == q.aperture_base && q2.aperture_size == q.aperture_size);
    rbuf_destroy(fd2, &other);
    munmap(ring2.slot, 8 * VGPU_CMD_SIZE);
    close(fd2);
    say("the first context's buffers by handle after: destroy %s %s\n", e(rbuf_destroy(fd, &p1)), e(rbuf_destroy(fd, &p2)));

    /* records naming a destroyed buffer still fail whole with ENOENT */
    struct rbuf gone = {0};
    uint32_t saxpy;
    if (rbuf_create(fd, PAGE, &gone) || raw_shader(fd, saxpy_spv, sizeof saxpy_spv, &saxpy, reason, sizeof reason)) {
        say("setup failed: %s\n", reason);
        return 1;
    }
    say("destroy a buffer: %s\n", e(rbuf_destroy(fd, &gone)));
    c = copy_cmd(gone.handle, 0, gone.handle, 4);
    r = submit(&ring, &c, &f);
    say("a copy naming it: doorbell %s, its fence %s\n", e(r), e(raw_wait(fd, f, -1)));
    struct { float a; uint32_t n; } push = {2.0f, 16};
    uint32_t bind[2] = {gone.handle, gone.handle};
    r = raw_dispatch(&ring, saxpy, 1, bind, 2, &push, sizeof push, &f);
    say("a dispatch naming it: doorbell %s, its fence %s\n", e(r), e(raw_wait(fd, f, -1)));
    raw_destroy(fd, VGPU_IOCTL_SHADER_DESTROY, saxpy);

    /* version 1's requests: the shorter structs, without the aperture's fields */
    struct vgpu_buffer_create_v1 {
        uint64_t size;
        uint32_t handle, pad;
        uint64_t map_offset;
    } v1 = {.size = 8};
    struct vgpu_query_v1 {
        uint32_t version;
        uint8_t rest[60];
    } qv1 = {0};
    uint32_t blocks = query(fd, &qr).bound_blocks;
    r = raw_io(fd, _IOWR('V', 0x01, struct vgpu_buffer_create_v1), &v1);
    uint32_t *v1m = r == 0 ? mmap(NULL, 8, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t) v1.map_offset) : MAP_FAILED;
    say("a version 1 buffer create: %s, mapped %d, bound %d\n", e(r), v1m != MAP_FAILED,
        query(fd, &qr).bound_blocks == blocks + 1);
    r = raw_io(fd, _IOWR('V', 0x00, struct vgpu_query_v1), &qv1);
    say("a version 1 query: %s, version %u\n", e(r), qv1.version);
    if (v1m != MAP_FAILED) {
        munmap(v1m, 8);
    }
    say("destroy it %s\n", e(raw_destroy(fd, VGPU_IOCTL_BUFFER_DESTROY, v1.handle)));

    /* everything destroyed: nothing bound, the device's pages back where they were */
    for (int i = 0; i < 3; i++) {
        vgpu_buffer_destroy(buf[i]);
    }
    raw_destroy(fd, VGPU_IOCTL_RING_DESTROY, ring.handle);
    munmap(ring.slot, 8 * VGPU_CMD_SIZE);
    q = query(fd, &qr);
    say("all destroyed: bound blocks %u pages %llu, live pages back %d\n", q.bound_blocks,
        (unsigned long long) q.bound_pages, (int64_t) q.live_pages == live_start);
    vgpu_close(dev);
    return 0;
}
