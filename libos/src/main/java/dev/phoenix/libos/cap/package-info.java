/**
 * Capabilities over host resources: frames of memory ({@link dev.phoenix.libos.cap.Frames} from
 * a {@link dev.phoenix.libos.cap.FrameAllocator}) and device address spaces that bind them
 * ({@link dev.phoenix.libos.cap.Aperture}, a GART); blocks and CPU time later.
 *
 * <p>Lock order: an aperture's lock, then a frame capability's count (atomic); the allocator's
 * lock last (a frame's final release takes it, and is made with no aperture lock held).
 */
package dev.phoenix.libos.cap;
