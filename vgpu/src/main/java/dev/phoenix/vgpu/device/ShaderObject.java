package dev.phoenix.vgpu.device;

import dev.phoenix.vgpu.Kernel;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A compiled shader of a context: the executor's {@link Kernel}, held by the context's table and
 * by each job that dispatches it, closed when the last of them lets go (so destroying a shader a
 * queued job still uses is safe).
 */
final class ShaderObject {
    final int handle;
    final Kernel kernel;
    private final AtomicInteger holders = new AtomicInteger(1);

    ShaderObject(int handle, Kernel kernel) {
        this.handle = handle;
        this.kernel = kernel;
    }

    ShaderObject retain() {
        holders.incrementAndGet();
        return this;
    }

    void release() {
        if (holders.decrementAndGet() == 0) {
            try {
                kernel.close();
            } catch (RuntimeException e) {
                // an executor's trouble letting go must not reach the guest's close(2)
            }
        }
    }
}
