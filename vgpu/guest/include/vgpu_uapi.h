/*
 * vgpu_uapi.h: the interface of Phoenix's virtual GPU, /dev/vgpu0.
 *
 * open(2) of /dev/vgpu0 gives a context: its own buffers, shaders and rings, which no other
 * open (in this process or another) can name. Handles are small integers local to a context;
 * a handle the context does not hold is ENOENT. Every struct has the same layout on x86_64,
 * aarch64 and riscv64 (naturally aligned fixed-width fields, explicit padding that must be 0).
 *
 * Buffers: VGPU_IOCTL_BUFFER_CREATE gives zero-filled memory and a map offset; mmap(2) of the
 * device fd at that offset (MAP_SHARED, length up to the size rounded up to pages) maps the very
 * memory shaders read and write, without copies. A mapping outlives the buffer's destruction and
 * survives fork(2), as a DRM buffer's does.
 *
 * The aperture: each context has its own device address space (a GART), the window
 * [aperture_base, aperture_base + aperture_size) that VGPU_IOCTL_QUERY reports. A buffer is
 * bound in it when it is created, at a page-aligned device_address (first fit from the bottom,
 * with at least one unbound guard page between two buffers, so an access just past one never
 * reaches another), and unbound when it is destroyed; a later buffer may then get that range.
 * Jobs reach buffers only through it: a record's handle gives the buffer's device address, and
 * the job holds that range until it ends, so a buffer destroyed meanwhile keeps its memory for
 * the job while its address already names nothing. Addresses are local to their context, as
 * handles are: another context's first buffer may have the same address as this one's, and
 * names its own memory. Rings are not in the aperture.
 *
 * Rings: VGPU_IOCTL_RING_CREATE makes a ring of `slots` records of VGPU_CMD_SIZE bytes, mapped
 * like a buffer. The guest writes records into slot (n % slots) for its running count n, then
 * rings VGPU_IOCTL_DOORBELL with the new count (tail). The kernel copies the records between the
 * last tail and this one at once (the slots may be reused as soon as the doorbell returns) and
 * makes them one job, whose fence the doorbell returns. Jobs of one ring run in order; the
 * fences of a ring complete in order.
 *
 * Fences are 64-bit values: the ring's handle in bits 48-63, the job's sequence (1, 2, ...) in
 * bits 0-47. VGPU_IOCTL_WAIT blocks until a fence completes or a timeout passes. Each completed
 * fence is also queued as an event: read(2) of the device gives completed fences as 8-byte
 * values (a struct vgpu_event each), and poll(2) reports POLLIN while one is queued (up to
 * VGPU_EVENT_QUEUE; later ones are dropped until the guest reads).
 *
 * Errors (negative errno from ioctl(2) through errno, or a fence's status):
 *   EFAULT     a pointer the kernel cannot read or write
 *   EINVAL     a malformed argument or record: nonzero padding, an unknown type, a size or
 *              offset outside its buffer, too many bindings, too big push constants; shader
 *              create: SPIR-V the executor refuses (the reason is in the error buffer)
 *   ENOENT     a handle this context does not hold (destroyed, or another context's)
 *   ENOMEM     no memory for a buffer of that size
 *   ENOSPC     too many buffers, shaders or rings in this context, or no room in its aperture
 *   ENODEV     no executor (shader create)
 *   ETIMEDOUT  VGPU_IOCTL_WAIT's timeout passed before the fence completed
 *   EIO        the fence's job was lost: it ran past the context's job timeout (a shader that
 *              never ends) and was stopped; the next job runs
 *   EINTR      a signal came during VGPU_IOCTL_WAIT
 * A job with a malformed record (or a handle that is gone by the time it is submitted) fails as
 * a whole: none of its records run and its fence reports EINVAL or ENOENT.
 *
 * Version 2 added the aperture (the fields after `pad` in vgpu_query, device_address in
 * vgpu_buffer_create; so both structs' sizes and ioctl numbers changed). The device still
 * answers version 1's requests, without those fields.
 */
#ifndef VGPU_UAPI_H
#define VGPU_UAPI_H

#include <stdint.h>
#include <sys/ioctl.h> /* _IOWR */

#define VGPU_UAPI_VERSION 2
#define VGPU_MAX_BINDINGS 8
#define VGPU_MAX_PUSH 128
#define VGPU_CMD_SIZE 256
#define VGPU_EVENT_QUEUE 1024
#define VGPU_FENCE_RING(f) ((uint32_t)((f) >> 48))
#define VGPU_FENCE_SEQ(f) ((f) & UINT64_C(0xffffffffffff))

/* VGPU_IOCTL_QUERY: the device's limits (all out). */
struct vgpu_query {
	uint32_t version;          /* VGPU_UAPI_VERSION */
	uint32_t max_bindings;     /* VGPU_MAX_BINDINGS */
	uint32_t max_push;         /* VGPU_MAX_PUSH */
	uint32_t max_groups;       /* most workgroups in each dimension of a dispatch */
	uint64_t max_buffer_size;  /* bytes */
	uint64_t job_timeout_ns;   /* this context's job timeout */
	char executor[16];      /* "phoenix" or "vulkan", NUL-terminated */
	uint64_t live_pages;       /* pages held now by the buffers and rings of every context, and by
	                              mappings that outlive them: a count that returns to its value
	                              once what was made is destroyed, closed and unmapped (leak checks) */
	uint32_t live_contexts;    /* opens of the device not yet released */
	uint32_t pad;
	uint64_t aperture_base;    /* this context's device address space: page-aligned, above 0 */
	uint64_t aperture_size;    /* bytes */
	uint64_t bound_pages;      /* pages this context's buffers cover in it now (no guard pages) */
	uint32_t bound_blocks;     /* buffers bound in it now */
	uint32_t pad2;
};

/* VGPU_IOCTL_BUFFER_CREATE: size in; handle, map_offset and device_address out. */
struct vgpu_buffer_create {
	uint64_t size;            /* in: bytes, 1..max_buffer_size */
	uint32_t handle;          /* out */
	uint32_t pad;             /* must be 0 */
	uint64_t map_offset;      /* out: the mmap offset of this buffer */
	uint64_t device_address;  /* out: where it is bound in this context's aperture */
};

/* VGPU_IOCTL_BUFFER_DESTROY, VGPU_IOCTL_SHADER_DESTROY, VGPU_IOCTL_RING_DESTROY. */
struct vgpu_destroy {
	uint32_t handle;
	uint32_t pad;  /* must be 0 */
};

/* VGPU_IOCTL_SHADER_CREATE: compiles a SPIR-V module's compute entry point. */
struct vgpu_shader_create {
	uint64_t spirv;          /* in: pointer to the module (little-endian words) */
	uint64_t spirv_size;     /* in: bytes, a multiple of 4, at most 16 MiB */
	uint64_t entry;          /* in: pointer to the entry point's NUL-terminated name (<= 255 bytes) */
	uint64_t error;          /* in: pointer to a buffer for the reason of a refusal, or 0 */
	uint32_t error_size;     /* in: its size; the reason is NUL-terminated and cut to fit */
	uint32_t handle;         /* out */
	uint32_t local_size[3];  /* out: the workgroup size */
	uint32_t binding_count;  /* out: storage buffers of set 0 it uses (bindings 0..n-1) */
	uint32_t push_size;      /* out: bytes of its push constant block */
	uint32_t pad;            /* must be 0 */
};

/* VGPU_IOCTL_RING_CREATE: slots in; handle and map_offset out. */
struct vgpu_ring_create {
	uint32_t slots;       /* in: records, 1..4096 */
	uint32_t handle;      /* out: 1..65535 */
	uint64_t map_offset;  /* out: mmap offset of the ring's slots[slots] of VGPU_CMD_SIZE bytes */
};

/* VGPU_IOCTL_DOORBELL: the records from the last tail to this one become a job. */
struct vgpu_doorbell {
	uint32_t ring;   /* in */
	uint32_t tail;   /* in: count of records written since the ring was made (wraps at 2^32);
	                 at most `slots` past the last tail, else EINVAL */
	uint64_t fence;  /* out: the job's fence */
};

/* VGPU_IOCTL_WAIT: returns 0 when the fence completed, else the error above. */
struct vgpu_wait {
	uint64_t fence;       /* in */
	int64_t timeout_ns;  /* in: 0 to test, < 0 to wait without end */
	int32_t status;      /* out: 0 or the fence's negative errno (also the ioctl's result) */
	uint32_t pad;         /* must be 0 */
};

/* VGPU_IOCTL_SET_TIMEOUT: this context's job timeout, 1 ms..60 s (default 2 s). */
struct vgpu_set_timeout {
	uint64_t job_timeout_ns;
};

/* What read(2) of the device gives: a completed fence. */
struct vgpu_event {
	uint64_t fence;
};

#define VGPU_IOCTL_QUERY          _IOWR('V', 0x00, struct vgpu_query)
#define VGPU_IOCTL_BUFFER_CREATE  _IOWR('V', 0x01, struct vgpu_buffer_create)
#define VGPU_IOCTL_BUFFER_DESTROY _IOWR('V', 0x02, struct vgpu_destroy)
#define VGPU_IOCTL_SHADER_CREATE  _IOWR('V', 0x03, struct vgpu_shader_create)
#define VGPU_IOCTL_SHADER_DESTROY _IOWR('V', 0x04, struct vgpu_destroy)
#define VGPU_IOCTL_RING_CREATE    _IOWR('V', 0x05, struct vgpu_ring_create)
#define VGPU_IOCTL_RING_DESTROY   _IOWR('V', 0x06, struct vgpu_destroy)
#define VGPU_IOCTL_DOORBELL       _IOWR('V', 0x07, struct vgpu_doorbell)
#define VGPU_IOCTL_WAIT           _IOWR('V', 0x08, struct vgpu_wait)
#define VGPU_IOCTL_SET_TIMEOUT    _IOWR('V', 0x09, struct vgpu_set_timeout)

/* Ring records: VGPU_CMD_SIZE bytes each, the type first; unused bytes must be 0. */
enum vgpu_cmd_type {
	VGPU_CMD_DISPATCH = 1,     /* run a shader over buffers */
	VGPU_CMD_COPY = 2,         /* copy bytes between buffers (ranges may overlap: memmove) */
	VGPU_CMD_FILL = 3,         /* fill a range with a 32-bit value */
	VGPU_CMD_BARRIER = 4,      /* the records before it complete before those after it (jobs
	                              run their records in order, so it only checks its form) */
	VGPU_CMD_SIGNAL_FENCE = 5, /* write a 64-bit value into a buffer once what precedes it is done */
};

struct vgpu_cmd_dispatch {
	uint32_t type;             /* VGPU_CMD_DISPATCH */
	uint32_t shader;
	uint32_t groups[3];        /* each 0..max_groups; a 0 runs nothing */
	uint32_t binding_count;    /* <= VGPU_MAX_BINDINGS, >= the shader's binding_count */
	uint32_t bindings[VGPU_MAX_BINDINGS];  /* buffer handles */
	uint32_t push_size;        /* <= VGPU_MAX_PUSH; shorter than the shader's block: the rest is 0 */
	uint32_t pad;
	uint8_t push[VGPU_MAX_PUSH];
};

struct vgpu_cmd_copy {
	uint32_t type;  /* VGPU_CMD_COPY */
	uint32_t src;
	uint32_t dst;
	uint32_t pad;
	uint64_t src_offset;
	uint64_t dst_offset;
	uint64_t size;
};

struct vgpu_cmd_fill {
	uint32_t type;  /* VGPU_CMD_FILL */
	uint32_t dst;
	uint64_t offset;  /* a multiple of 4 */
	uint64_t size;    /* a multiple of 4 */
	uint32_t value;
	uint32_t pad;
};

struct vgpu_cmd_signal {
	uint32_t type;  /* VGPU_CMD_SIGNAL_FENCE */
	uint32_t dst;
	uint64_t offset;  /* a multiple of 8 */
	uint64_t value;
};

union vgpu_cmd {
	uint32_t type;
	struct vgpu_cmd_dispatch dispatch;
	struct vgpu_cmd_copy copy;
	struct vgpu_cmd_fill fill;
	struct vgpu_cmd_signal signal;
	uint8_t bytes[VGPU_CMD_SIZE];
};

#endif
