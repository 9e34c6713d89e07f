/**
 * The virtual GPU /dev/vgpu0: command rings, buffer objects, compute IR executor. Empty until the vGPU issue.
 */
package dev.phoenix.vgpu;
