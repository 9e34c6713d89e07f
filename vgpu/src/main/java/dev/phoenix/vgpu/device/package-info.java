/**
 * /dev/vgpu0 (vgpu/guest/include/vgpu_uapi.h is its interface): {@link
 * dev.phoenix.vgpu.device.VgpuDevice}, one per kernel, holding the executor and the allocator of
 * buffer frames; {@link dev.phoenix.vgpu.device.Context}, one per open, with its tables of
 * buffers, shaders and rings, its aperture (the device address space its buffers are bound in,
 * which jobs reach them through), its job queue and worker thread, and its fence events; {@link
 * dev.phoenix.vgpu.device.Ioctls}, the ioctl structs read from and written to guest memory.
 *
 * <p>Lock order: a context's lock, then its aperture's lock, then a frame capability's count
 * (atomic) and the allocator's lock; no lock is held while a task's wait queue is woken or while
 * a job runs.
 */
package dev.phoenix.vgpu.device;
