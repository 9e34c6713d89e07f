package dev.phoenix.vgpu.device;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.mm.GuestMemory;
import dev.phoenix.libos.proc.Task;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The ioctls of /dev/vgpu0 (vgpu_uapi.h): each reads its struct from guest memory whole (EFAULT
 * before any effect when it cannot), checks it, calls the {@link Context} and writes the struct
 * back. As DRM's drm_ioctl, the struct is copied in and out by its size in the request number,
 * and a shorter struct of an older version of the interface is read as the current one with the
 * fields it lacks zero, and written back only as far as it goes.
 */
public final class Ioctls {
    private Ioctls() {}

    /** Linux's ioctl(2) on a context: 0, or -errno (ENOTTY for a request the device does not know). */
    public static long ioctl(Context ctx, GuestMemory mem, Task task, int request, long arg) {
        int size = (request >>> 16) & 0x3fff;
        request = request == Uapi.QUERY_V1 ? Uapi.QUERY : request == Uapi.BUFFER_CREATE_V1 ? Uapi.BUFFER_CREATE : request;
        if (!isRequest(request)) {
            return -Errno.ENOTTY;
        }
        if (mem.accessible(arg, size, dev.phoenix.emu.Prot.READ | dev.phoenix.emu.Prot.WRITE) < size) {
            return -Errno.EFAULT;
        }
        byte[] struct = new byte[(request >>> 16) & 0x3fff];
        System.arraycopy(mem.read(arg, size), 0, struct, 0, size);
        ByteBuffer s = ByteBuffer.wrap(struct).order(ByteOrder.LITTLE_ENDIAN);
        long result = handle(ctx, mem, task, request, s);
        if (result == 0 || request == Uapi.WAIT || request == Uapi.SHADER_CREATE) {
            mem.write(arg, size == struct.length ? struct : java.util.Arrays.copyOf(struct, size));
        }
        return result;
    }

    private static boolean isRequest(int r) {
        return r == Uapi.QUERY || r == Uapi.BUFFER_CREATE || r == Uapi.BUFFER_DESTROY || r == Uapi.SHADER_CREATE
                || r == Uapi.SHADER_DESTROY || r == Uapi.RING_CREATE || r == Uapi.RING_DESTROY || r == Uapi.DOORBELL
                || r == Uapi.WAIT || r == Uapi.SET_TIMEOUT;
    }

    private static long handle(Context ctx, GuestMemory mem, Task task, int request, ByteBuffer s) {
        try {
            if (request == Uapi.QUERY) {
                s.putInt(0, Uapi.VERSION).putInt(4, Uapi.MAX_BINDINGS).putInt(8, Uapi.MAX_PUSH)
                        .putInt(12, Uapi.MAX_GROUPS).putLong(16, Uapi.MAX_BUFFER_SIZE).putLong(24, ctx.jobTimeoutNs());
                byte[] name = java.util.Arrays.copyOf(ctx.device().executorName().getBytes(StandardCharsets.US_ASCII), 16);
                name[15] = 0;
                s.put(32, name);
                // For leak checks from a guest: the device-wide counts the device's own tests read.
                s.putLong(48, ctx.device().livePages()).putInt(56, ctx.device().liveContexts()).putInt(60, 0);
                var aperture = ctx.aperture();
                s.putLong(64, aperture.base()).putLong(72, aperture.size()).putLong(80, aperture.boundPages())
                        .putInt(88, aperture.boundBlocks()).putInt(92, 0);
            } else if (request == Uapi.BUFFER_CREATE) {
                if (s.getInt(12) != 0) {
                    return -Errno.EINVAL;
                }
                BufferObject b = ctx.createBuffer(s.getLong(0));
                s.putInt(8, b.handle).putLong(16, b.mapOffset).putLong(24, b.deviceAddress);
            } else if (request == Uapi.BUFFER_DESTROY || request == Uapi.SHADER_DESTROY || request == Uapi.RING_DESTROY) {
                if (s.getInt(4) != 0) {
                    return -Errno.EINVAL;
                }
                int h = s.getInt(0);
                if (request == Uapi.BUFFER_DESTROY) {
                    ctx.destroyBuffer(h);
                } else if (request == Uapi.SHADER_DESTROY) {
                    ctx.destroyShader(h);
                } else {
                    ctx.destroyRing(h);
                }
            } else if (request == Uapi.SHADER_CREATE) {
                return shaderCreate(ctx, mem, s);
            } else if (request == Uapi.RING_CREATE) {
                Ring r = ctx.createRing(s.getInt(0));
                s.putInt(4, r.handle).putLong(8, r.storage.mapOffset);
            } else if (request == Uapi.DOORBELL) {
                s.putLong(8, ctx.doorbell(s.getInt(0), s.getInt(4)));
            } else if (request == Uapi.WAIT) {
                int status = s.getInt(20) != 0 ? -Errno.EINVAL : await(ctx, task, s.getLong(0), s.getLong(8));
                s.putInt(16, status);
                return status;
            } else {
                ctx.setJobTimeout(s.getLong(0));
            }
            return 0;
        } catch (Errno e) {
            if (request == Uapi.WAIT) {
                s.putInt(16, -e.errno());
            }
            return -e.errno();
        }
    }

    /** VGPU_IOCTL_SHADER_CREATE: reads the module and entry name, compiles, writes the reason of a refusal. */
    private static long shaderCreate(Context ctx, GuestMemory mem, ByteBuffer s) {
        long spirv = s.getLong(0), bytes = s.getLong(8), entryAt = s.getLong(16), errorAt = s.getLong(24);
        int errorSize = s.getInt(32);
        if (s.getInt(60) != 0 || bytes <= 0 || bytes > Uapi.MAX_SPIRV || bytes % 4 != 0) {
            return -Errno.EINVAL;
        }
        if (errorAt != 0 && mem.accessible(errorAt, Integer.toUnsignedLong(errorSize), dev.phoenix.emu.Prot.WRITE)
                < Integer.toUnsignedLong(errorSize)) {
            return -Errno.EFAULT;
        }
        if (mem.accessible(spirv, bytes, dev.phoenix.emu.Prot.READ) < bytes) {
            return -Errno.EFAULT;
        }
        String entry;
        try {
            entry = mem.readCString(entryAt, 256);
        } catch (Errno e) {
            return e.errno() == Errno.ENAMETOOLONG ? -Errno.EINVAL : -e.errno();
        }
        byte[] module = mem.read(spirv, (int) bytes);
        StringBuilder reason = new StringBuilder();
        try {
            ShaderObject sh = ctx.createShader(module, entry, reason);
            int[] local = sh.kernel.localSize();
            s.putInt(36, sh.handle).putInt(40, local[0]).putInt(44, local[1]).putInt(48, local[2])
                    .putInt(52, sh.kernel.bindingCount()).putInt(56, sh.kernel.pushConstantBytes());
            reason.setLength(0);
            writeReason(mem, errorAt, errorSize, "");
            return 0;
        } catch (Errno e) {
            writeReason(mem, errorAt, errorSize, reason.toString());
            return -e.errno();
        }
    }

    /** The reason, NUL-terminated and cut to {@code size} bytes, into the guest's error buffer (if any). */
    private static void writeReason(GuestMemory mem, long at, int size, String reason) {
        if (at == 0 || size <= 0) {
            return;
        }
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(text.length, size - 1);
        byte[] out = java.util.Arrays.copyOf(text, n + 1);
        mem.write(at, out);
    }

    /**
     * VGPU_IOCTL_WAIT: blocks the task (parks it on the context's completion queue) until the
     * fence completes, the timeout passes (ETIMEDOUT) or a signal comes (EINTR); then the fence's
     * own status (0, EIO for a lost job, EINVAL or ENOENT for a malformed one).
     */
    private static int await(Context ctx, Task task, long fence, long timeoutNs) {
        Ring r = ctx.fenceRing(fence);
        if (!ctx.completed(r, fence)) {
            if (timeoutNs == 0) {
                return -Errno.ETIMEDOUT;
            }
            long now = ctx.device().clock().monotonicNanos();
            long deadline = timeoutNs < 0 || now + timeoutNs < now ? Long.MAX_VALUE : now + timeoutNs;
            switch (task.block(task.deadline(deadline), () -> ctx.completed(r, fence), ctx.completions())) {
                case READY -> {
                }
                case TIMED_OUT -> {
                    return -Errno.ETIMEDOUT;
                }
                case SIGNALED -> {
                    return -Errno.EINTR;
                }
            }
        }
        return ctx.fenceStatus(r, fence);
    }
}
