package dev.phoenix.vgpu.device;

import dev.phoenix.libos.cap.Frames;
import java.lang.foreign.MemorySegment;

/**
 * A buffer object: frames held by capability ({@link Frames}) and bound in its context's
 * {@link dev.phoenix.libos.cap.Aperture} at {@link #deviceAddress}. The bound block is the
 * buffer's own hold on the frames; each guest mapping holds them once more, and each job holds
 * the block's range it uses while it runs. Destroying the buffer unbinds it, so its address names
 * nothing any more, while a mapping or a running job keeps the memory alive; the frames go back
 * to the device's allocator with the last holder (a DRM GEM object's reference counting).
 */
final class BufferObject {
    final int handle;
    /** The bytes asked for; the frames cover them rounded up to pages. */
    final long size;
    /** The mmap offset of the device that maps these frames. */
    final long mapOffset;
    /** Where the buffer is bound in its context's aperture; 0 for a ring's storage, which is not. */
    final long deviceAddress;
    final Frames frames;

    BufferObject(int handle, long size, long mapOffset, long deviceAddress, Frames frames) {
        this.handle = handle;
        this.size = size;
        this.mapOffset = mapOffset;
        this.deviceAddress = deviceAddress;
        this.frames = frames;
    }

    /** The buffer's bytes, exactly {@link #size} of them (for the device's tests; jobs go through the aperture). */
    MemorySegment bytes() {
        return frames.segment().asSlice(0, size);
    }
}
