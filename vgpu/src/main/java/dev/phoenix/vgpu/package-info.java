/**
 * The virtual GPU /dev/vgpu0: contexts, buffer objects held by capability, command rings and
 * fences (the device), and the executors that run SPIR-V compute shaders ({@link
 * dev.phoenix.vgpu.Executor}: Phoenix's own, compiling SPIR-V to JVM bytecode, or a host Vulkan
 * device).
 */
package dev.phoenix.vgpu;
