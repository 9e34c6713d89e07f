/*
 * libvgpu: compute on Phoenix's virtual GPU, /dev/vgpu0 (see vgpu_uapi.h for the device).
 * Every function returning int returns 0 or a negative errno; vgpu_last_error says why the last
 * call on a device failed. A device has one command ring; its fences complete in order.
 */
#ifndef VGPU_H
#define VGPU_H

#include <stddef.h>
#include <stdint.h>

typedef struct vgpu_device vgpu_device;   /* an open context */
typedef struct vgpu_buffer vgpu_buffer;
typedef struct vgpu_shader vgpu_shader;

int   vgpu_open(const char *path, vgpu_device **dev);          /* NULL path: "/dev/vgpu0" */
void  vgpu_close(vgpu_device *dev);
const char *vgpu_last_error(vgpu_device *dev);                 /* why the last call failed */
int   vgpu_buffer_create(vgpu_device *dev, size_t size, vgpu_buffer **buf);  /* zero-filled */
void *vgpu_buffer_map(vgpu_buffer *buf);                       /* CPU view of the same memory */
size_t vgpu_buffer_size(const vgpu_buffer *buf);
uint64_t vgpu_buffer_address(const vgpu_buffer *buf);          /* its device address (aperture) */
void  vgpu_buffer_destroy(vgpu_buffer *buf);
int   vgpu_shader_create(vgpu_device *dev, const void *spirv, size_t bytes,
                         const char *entry, vgpu_shader **shader);
void  vgpu_shader_destroy(vgpu_shader *shader);
/* bindings[i] is descriptor set 0, binding i, a storage buffer; push constants up to 128 bytes */
int   vgpu_dispatch(vgpu_device *dev, vgpu_shader *shader, uint32_t groups_x, uint32_t groups_y,
                    uint32_t groups_z, vgpu_buffer *const *bindings, uint32_t binding_count,
                    const void *push, uint32_t push_size, uint64_t *fence);
int   vgpu_copy(vgpu_device *dev, vgpu_buffer *src, size_t src_offset, vgpu_buffer *dst,
                size_t dst_offset, size_t size, uint64_t *fence);
int   vgpu_wait(vgpu_device *dev, uint64_t fence, int64_t timeout_ns);  /* 0, -ETIMEDOUT, -EIO */
int   vgpu_fd(vgpu_device *dev);                               /* for poll/epoll */

#endif
