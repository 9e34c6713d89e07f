/**
 * The Vulkan passthrough executor: SPIR-V compute shaders of the guest run on the host's Vulkan
 * device (a GPU, or Mesa's lavapipe on the CPU) through FFM bindings of libvulkan.so.1 ({@link
 * dev.phoenix.vgpu.vulkan.VulkanExecutor}).
 *
 * <p>Lock order: a {@link dev.phoenix.vgpu.vulkan.VulkanDevice}'s lock (held for a whole
 * dispatch), then the executor's lock (which device is current), then a kernel's monitor (its
 * pipeline). Nothing calls back into a device lock while holding the executor's lock except
 * {@code compile}, which builds pipelines without the device lock (pipeline creation needs no
 * queue synchronisation).
 */
package dev.phoenix.vgpu.vulkan;
