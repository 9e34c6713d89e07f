package dev.phoenix.vgpu;

import java.lang.foreign.MemorySegment;

/**
 * One compiled compute entry point: its workgroup size, the storage buffers it binds (descriptor
 * set 0, binding i) and its push constant block, and a way to run a grid of workgroups.
 */
public interface Kernel extends AutoCloseable {
    /** The workgroup size (LocalSize x, y, z). */
    int[] localSize();

    /** How many storage-buffer bindings of set 0 the entry point uses (bindings 0..n-1 must be given). */
    int bindingCount();

    /** The size of the push constant block in bytes (0 for none; at most 128). */
    int pushConstantBytes();

    /**
     * Runs {@code gx × gy × gz} workgroups over {@code buffers} (binding i is {@code buffers[i]}, the
     * memory the guest maps, seen without copies) with push constants {@code push}. Accesses out of
     * a buffer's range read 0 and drop writes (Vulkan's robustBufferAccess). Returns when every
     * workgroup has run; throws {@link DispatchCancelledException} when {@code cancelled} came true
     * first (the device's timeout: a shader that never ends), leaving the buffers as they are.
     */
    void dispatch(int gx, int gy, int gz, MemorySegment[] buffers, byte[] push, Watchdog cancelled)
            throws DispatchCancelledException;

    @Override
    void close();
}
