package dev.phoenix.vgpu.device;

import dev.phoenix.libos.cap.Frames;
import java.lang.foreign.MemorySegment;

/**
 * A buffer object: frames held by capability ({@link Frames}), which the context's table holds
 * once, each guest mapping once more, and each job using it once while it runs. Destroying the
 * buffer drops the table's hold only, so a mapping or a running job keeps the memory alive, and
 * the frames go back to the device's allocator with the last holder (a DRM GEM object's
 * reference counting).
 */
final class BufferObject {
    final int handle;
    /** The bytes asked for; the frames cover them rounded up to pages. */
    final long size;
    /** The mmap offset of the device that maps these frames. */
    final long mapOffset;
    final Frames frames;

    BufferObject(int handle, long size, long mapOffset, Frames frames) {
        this.handle = handle;
        this.size = size;
        this.mapOffset = mapOffset;
        this.frames = frames;
    }

    /** The buffer's bytes, exactly {@link #size} of them, as shaders and commands see them. */
    MemorySegment bytes() {
        return frames.segment().asSlice(0, size);
    }
}
