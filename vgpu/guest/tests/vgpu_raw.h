/*
 * vgpu_raw.h: /dev/vgpu0 through its ioctls directly (vgpu_uapi.h), for the tests that need what
 * libvgpu hides: more than one ring, the handles themselves (to use one after its destruction or
 * from another process) and map offsets. Each returns 0 or a negative errno, as libvgpu does.
 */
#ifndef VGPU_RAW_H
#define VGPU_RAW_H

#include "vgpu_uapi.h"

#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

/* ioctl(2) as 0 or -errno. */
static inline int raw_io(int fd, unsigned long request, void *arg) {
    return ioctl(fd, request, arg) < 0 ? -errno : 0;
}

/* A buffer of size bytes: its handle in *handle, its mapping in *map and, unless address is
 * NULL, its device address in *address. */
static inline int raw_buffer_at(int fd, uint64_t size, uint32_t *handle, void **map, uint64_t *address) {
    struct vgpu_buffer_create bc = {.size = size};
    int r = raw_io(fd, VGPU_IOCTL_BUFFER_CREATE, &bc);
    if (r != 0) {
        return r;
    }
    void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, (off_t) bc.map_offset);
    if (p == MAP_FAILED) {
        return -errno;
    }
    *handle = bc.handle;
    *map = p;
    if (address) {
        *address = bc.device_address;
    }
    return 0;
}

/* A buffer of size bytes, its handle in *handle and its mapping in *map. */
static inline int raw_buffer(int fd, uint64_t size, uint32_t *handle, void **map) {
    return raw_buffer_at(fd, size, handle, map, NULL);
}

static inline int raw_destroy(int fd, unsigned long request, uint32_t handle) {
    struct vgpu_destroy d = {.handle = handle};
    return raw_io(fd, request, &d);
}

/* A shader from SPIR-V; the reason of a refusal (if any) in reason[size]. */
static inline int raw_shader(int fd, const void *spirv, size_t bytes, uint32_t *handle, char *reason,
                             uint32_t size) {
    struct vgpu_shader_create sc = {
        .spirv = (uintptr_t) spirv, .spirv_size = bytes, .entry = (uintptr_t) "main",
        .error = (uintptr_t) reason, .error_size = size,
    };
    int r = raw_io(fd, VGPU_IOCTL_SHADER_CREATE, &sc);
    if (r == 0) {
        *handle = sc.handle;
    }
    return r;
}

/* A ring mapped into the guest and the count of records written to it. */
struct raw_ring {
    int fd;
    uint32_t handle, slots, tail;
    union vgpu_cmd *slot;
};

static inline int raw_ring_create(int fd, uint32_t slots, struct raw_ring *ring) {
    struct vgpu_ring_create rc = {.slots = slots};
    int r = raw_io(fd, VGPU_IOCTL_RING_CREATE, &rc);
    if (r != 0) {
        return r;
    }
    void *p = mmap(NULL, (size_t) slots * VGPU_CMD_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
                   (off_t) rc.map_offset);
    if (p == MAP_FAILED) {
        return -errno;
    }
    *ring = (struct raw_ring) {.fd = fd, .handle = rc.handle, .slots = slots, .slot = p};
    return 0;
}

/* Writes one dispatch record and rings the doorbell: its job's fence in *fence. */
static inline int raw_dispatch(struct raw_ring *ring, uint32_t shader, uint32_t groups, const uint32_t *bindings,
                               uint32_t count, const void *push, uint32_t push_size, uint64_t *fence) {
    union vgpu_cmd *c = &ring->slot[ring->tail % ring->slots];
    memset(c, 0, sizeof *c);
    c->dispatch.type = VGPU_CMD_DISPATCH;
    c->dispatch.shader = shader;
    c->dispatch.groups[0] = groups;
    c->dispatch.groups[1] = 1;
    c->dispatch.groups[2] = 1;
    c->dispatch.binding_count = count;
    memcpy(c->dispatch.bindings, bindings, count * sizeof *bindings);
    c->dispatch.push_size = push_size;
    memcpy(c->dispatch.push, push, push_size);
    struct vgpu_doorbell db = {.ring = ring->handle, .tail = ring->tail + 1};
    int r = raw_io(ring->fd, VGPU_IOCTL_DOORBELL, &db);
    if (r == 0) {
        ring->tail++;
        *fence = db.fence;
    }
    return r;
}

/* VGPU_IOCTL_WAIT: 0 or the fence's -errno (or -ETIMEDOUT). */
static inline int raw_wait(int fd, uint64_t fence, int64_t timeout_ns) {
    struct vgpu_wait w = {.fence = fence, .timeout_ns = timeout_ns};
    return raw_io(fd, VGPU_IOCTL_WAIT, &w);
}

/*
 * VGPU_IOCTL_SET_TIMEOUT: the compute tests allow their jobs the longest timeout (60 s), as the
 * default (2 s) is the host's time and a loaded host can take that long over a big dispatch.
 */
static inline int raw_set_timeout(int fd, uint64_t ns) {
    struct vgpu_set_timeout t = {.job_timeout_ns = ns};
    return raw_io(fd, VGPU_IOCTL_SET_TIMEOUT, &t);
}

/* The device's live pages now (VGPU_IOCTL_QUERY), or a negative errno. */
static inline int64_t raw_live_pages(int fd) {
    struct vgpu_query q;
    int r = raw_io(fd, VGPU_IOCTL_QUERY, &q);
    return r != 0 ? r : (int64_t) q.live_pages;
}

#endif
