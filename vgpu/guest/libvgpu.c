/*
 * libvgpu over /dev/vgpu0: open, ioctl, mmap and poll only (vgpu_uapi.h). A device is a
 * context with one ring of RING_SLOTS records, mapped; each submission writes one record and
 * rings the doorbell, so its fence is that record's job.
 */
#include "vgpu.h"
#include "vgpu_uapi.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define RING_SLOTS 64

struct vgpu_device {
	int fd;
	uint32_t ring;
	uint32_t tail;
	union vgpu_cmd *slots;
	char error[512];
};

struct vgpu_buffer {
	vgpu_device *dev;
	uint32_t handle;
	size_t size;
	uint64_t address;
	void *map;
};

struct vgpu_shader {
	vgpu_device *dev;
	uint32_t handle;
};

static int fail(vgpu_device *dev, int err, const char *what)
{
	if (dev)
		snprintf(dev->error, sizeof dev->error, "%s: %s", what, strerror(err));
	return -err;
}

static int call(vgpu_device *dev, unsigned long request, void *arg, const char *what)
{
	if (ioctl(dev->fd, request, arg) < 0)
		return fail(dev, errno, what);
	return 0;
}

int vgpu_open(const char *path, vgpu_device **out)
{
	vgpu_device *dev = calloc(1, sizeof *dev);
	if (!dev)
		return -ENOMEM;
	dev->fd = open(path ? path : "/dev/vgpu0", O_RDWR | O_CLOEXEC);
	if (dev->fd < 0) {
		int e = errno;
		free(dev);
		return -e;
	}
	struct vgpu_ring_create rc = {.slots = RING_SLOTS};
	int r = call(dev, VGPU_IOCTL_RING_CREATE, &rc, "ring create");
	if (r == 0) {
		dev->slots = mmap(NULL, RING_SLOTS * VGPU_CMD_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, dev->fd,
				  (off_t)rc.map_offset);
		if (dev->slots == MAP_FAILED)
			r = -errno;
	}
	if (r != 0) {
		close(dev->fd);
		free(dev);
		return r;
	}
	dev->ring = rc.handle;
	*out = dev;
	return 0;
}

void vgpu_close(vgpu_device *dev)
{
	if (!dev)
		return;
	munmap(dev->slots, RING_SLOTS * VGPU_CMD_SIZE);
	close(dev->fd);
	free(dev);
}

const char *vgpu_last_error(vgpu_device *dev)
{
	return dev->error;
}

int vgpu_fd(vgpu_device *dev)
{
	return dev->fd;
}

int vgpu_buffer_create(vgpu_device *dev, size_t size, vgpu_buffer **out)
{
	vgpu_buffer *b = calloc(1, sizeof *b);
	if (!b)
		return fail(dev, ENOMEM, "buffer create");
	struct vgpu_buffer_create bc = {.size = size};
	int r = call(dev, VGPU_IOCTL_BUFFER_CREATE, &bc, "buffer create");
	if (r == 0) {
		b->map = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, dev->fd, (off_t)bc.map_offset);
		if (b->map == MAP_FAILED) {
			r = fail(dev, errno, "buffer map");
			struct vgpu_destroy d = {.handle = bc.handle};
			ioctl(dev->fd, VGPU_IOCTL_BUFFER_DESTROY, &d);
		}
	}
	if (r != 0) {
		free(b);
		return r;
	}
	b->dev = dev;
	b->handle = bc.handle;
	b->size = size;
	b->address = bc.device_address;
	*out = b;
	return 0;
}

void *vgpu_buffer_map(vgpu_buffer *buf)
{
	return buf->map;
}

size_t vgpu_buffer_size(const vgpu_buffer *buf)
{
	return buf->size;
}

uint64_t vgpu_buffer_address(const vgpu_buffer *buf)
{
	return buf->address;
}

void vgpu_buffer_destroy(vgpu_buffer *buf)
{
	if (!buf)
		return;
	munmap(buf->map, buf->size);
	struct vgpu_destroy d = {.handle = buf->handle};
	ioctl(buf->dev->fd, VGPU_IOCTL_BUFFER_DESTROY, &d);
	free(buf);
}

int vgpu_shader_create(vgpu_device *dev, const void *spirv, size_t bytes, const char *entry,
		       vgpu_shader **out)
{
	vgpu_shader *s = calloc(1, sizeof *s);
	if (!s)
		return fail(dev, ENOMEM, "shader create");
	char reason[sizeof dev->error - 32] = "";
	struct vgpu_shader_create sc = {
		.spirv = (uintptr_t)spirv,
		.spirv_size = bytes,
		.entry = (uintptr_t)(entry ? entry : "main"),
		.error = (uintptr_t)reason,
		.error_size = sizeof reason,
	};
	if (ioctl(dev->fd, VGPU_IOCTL_SHADER_CREATE, &sc) < 0) {
		int e = errno;
		if (reason[0])
			snprintf(dev->error, sizeof dev->error, "shader create: %s", reason);
		else
			fail(dev, e, "shader create");
		free(s);
		return -e;
	}
	s->dev = dev;
	s->handle = sc.handle;
	*out = s;
	return 0;
}

void vgpu_shader_destroy(vgpu_shader *shader)
{
	if (!shader)
		return;
	struct vgpu_destroy d = {.handle = shader->handle};
	ioctl(shader->dev->fd, VGPU_IOCTL_SHADER_DESTROY, &d);
	free(shader);
}

/* Writes *cmd into the next slot and rings the doorbell: one record, one job, one fence. */
static int submit(vgpu_device *dev, const union vgpu_cmd *cmd, uint64_t *fence, const char *what)
{
	memcpy(&dev->slots[dev->tail % RING_SLOTS], cmd, sizeof *cmd);
	struct vgpu_doorbell db = {.ring = dev->ring, .tail = dev->tail + 1};
	int r = call(dev, VGPU_IOCTL_DOORBELL, &db, what);
	if (r != 0)
		return r;
	dev->tail++;
	if (fence)
		*fence = db.fence;
	return 0;
}

int vgpu_dispatch(vgpu_device *dev, vgpu_shader *shader, uint32_t gx, uint32_t gy, uint32_t gz,
		  vgpu_buffer *const *bindings, uint32_t binding_count, const void *push,
		  uint32_t push_size, uint64_t *fence)
{
	if (binding_count > VGPU_MAX_BINDINGS || push_size > VGPU_MAX_PUSH || (push_size && !push))
		return fail(dev, EINVAL, "dispatch");
	union vgpu_cmd cmd;
	memset(&cmd, 0, sizeof cmd);
	cmd.dispatch.type = VGPU_CMD_DISPATCH;
	cmd.dispatch.shader = shader->handle;
	cmd.dispatch.groups[0] = gx;
	cmd.dispatch.groups[1] = gy;
	cmd.dispatch.groups[2] = gz;
	cmd.dispatch.binding_count = binding_count;
	for (uint32_t i = 0; i < binding_count; i++)
		cmd.dispatch.bindings[i] = bindings[i]->handle;
	cmd.dispatch.push_size = push_size;
	if (push_size)
		memcpy(cmd.dispatch.push, push, push_size);
	return submit(dev, &cmd, fence, "dispatch");
}

int vgpu_copy(vgpu_device *dev, vgpu_buffer *src, size_t src_offset, vgpu_buffer *dst, size_t dst_offset,
	      size_t size, uint64_t *fence)
{
	union vgpu_cmd cmd;
	memset(&cmd, 0, sizeof cmd);
	cmd.copy.type = VGPU_CMD_COPY;
	cmd.copy.src = src->handle;
	cmd.copy.dst = dst->handle;
	cmd.copy.src_offset = src_offset;
	cmd.copy.dst_offset = dst_offset;
	cmd.copy.size = size;
	return submit(dev, &cmd, fence, "copy");
}

int vgpu_wait(vgpu_device *dev, uint64_t fence, int64_t timeout_ns)
{
	struct vgpu_wait w = {.fence = fence, .timeout_ns = timeout_ns};
	if (ioctl(dev->fd, VGPU_IOCTL_WAIT, &w) < 0) {
		int e = errno;
		if (e == EIO)
			snprintf(dev->error, sizeof dev->error, "wait: the job was lost (it ran past the job timeout)");
		else
			fail(dev, e, "wait");
		return -e;
	}
	return 0;
}
