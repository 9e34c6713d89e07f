package dev.phoenix.vgpu.device;

import dev.phoenix.vgpu.Watchdog;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.cap.Aperture;
import dev.phoenix.vgpu.DispatchCancelledException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One doorbell's records, copied out of the ring and checked when it was rung (so the guest may
 * reuse the slots at once, and nothing it writes later changes what runs), with the buffer ranges
 * and shaders they name held until the job ends. A job reaches buffer memory only through its
 * context's {@link Aperture}, as a GPU through its MMU: a record's handle gives the buffer's
 * device address, the job holds the aperture's block there (not the frames by another way), and
 * a buffer destroyed while the job runs leaves the job its memory. A job with a malformed record,
 * or one naming a handle the context does not hold, carries that error and runs nothing: its
 * fence reports it, in its turn.
 */
final class Job {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    final Ring ring;
    final long seq;
    /** 0, or the -errno the job fails with without running. */
    int failure;
    private final List<Command> commands = new ArrayList<>();
    private final List<Aperture.Hold> heldRanges = new ArrayList<>();
    private final List<ShaderObject> heldShaders = new ArrayList<>();

    Job(Ring ring, long seq) {
        this.ring = ring;
        this.seq = seq;
    }

    /** One record, checked and with its objects resolved. */
    private sealed interface Command {}

    private record Dispatch(ShaderObject shader, int gx, int gy, int gz, MemorySegment[] buffers, byte[] push)
            implements Command {}

    private record Copy(MemorySegment src, MemorySegment dst) implements Command {}

    private record Fill(MemorySegment dst, int value) implements Command {}

    private record Signal(MemorySegment dst, long value) implements Command {}

    /**
     * Adds record {@code r} (VGPU_CMD_SIZE bytes), resolving its handles in {@code ctx} (under its
     * lock); a bad record sets {@link #failure} and the job takes no more.
     */
    void add(ByteBuffer r, Context ctx) {
        if (failure != 0) {
            return;
        }
        try {
            Command c = parse(r.order(ByteOrder.LITTLE_ENDIAN), ctx);
            if (c != null) {
                commands.add(c);
            }
        } catch (Errno e) {
            failure = -e.errno();
        }
    }

    private Command parse(ByteBuffer r, Context ctx) {
        int type = r.getInt(0);
        switch (type) {
            case Uapi.CMD_DISPATCH -> {
                zeroFrom(r, Uapi.D_END);
                int count = r.getInt(Uapi.D_BINDING_COUNT);
                int pushSize = r.getInt(Uapi.D_PUSH_SIZE);
                if (count < 0 || count > Uapi.MAX_BINDINGS || pushSize < 0 || pushSize > Uapi.MAX_PUSH
                        || r.getInt(Uapi.D_PAD) != 0) {
                    throw Errno.of(Errno.EINVAL);
                }
                int[] g = new int[3];
                for (int i = 0; i < 3; i++) {
                    g[i] = r.getInt(Uapi.D_GROUPS + 4 * i);
                    if (Integer.compareUnsigned(g[i], Uapi.MAX_GROUPS) > 0) {
                        throw Errno.of(Errno.EINVAL);
                    }
                }
                for (int i = count; i < Uapi.MAX_BINDINGS; i++) {
                    if (r.getInt(Uapi.D_BINDINGS + 4 * i) != 0) {
                        throw Errno.of(Errno.EINVAL);
                    }
                }
                for (int i = pushSize; i < Uapi.MAX_PUSH; i++) {
                    if (r.get(Uapi.D_PUSH + i) != 0) {
                        throw Errno.of(Errno.EINVAL);
                    }
                }
                ShaderObject shader = ctx.shader(r.getInt(Uapi.D_SHADER));
                if (count < shader.kernel.bindingCount() || pushSize > shader.kernel.pushConstantBytes()) {
                    throw Errno.of(Errno.EINVAL); // a binding it reads left out, or constants it has no room for
                }
                MemorySegment[] buffers = new MemorySegment[count];
                for (int i = 0; i < count; i++) {
                    BufferObject b = ctx.buffer(r.getInt(Uapi.D_BINDINGS + 4 * i));
                    buffers[i] = hold(ctx, b.deviceAddress, b.size);
                }
                byte[] push = new byte[Math.max(pushSize, shader.kernel.pushConstantBytes())];
                r.get(Uapi.D_PUSH, push, 0, pushSize);
                heldShaders.add(shader.retain());
                return new Dispatch(shader, g[0], g[1], g[2], buffers, push);
            }
            case Uapi.CMD_COPY -> {
                zeroFrom(r, 40);
                if (r.getInt(12) != 0) {
                    throw Errno.of(Errno.EINVAL);
                }
                BufferObject src = ctx.buffer(r.getInt(4));
                BufferObject dst = ctx.buffer(r.getInt(8));
                long size = r.getLong(32);
                return new Copy(range(ctx, src, r.getLong(16), size, 1), range(ctx, dst, r.getLong(24), size, 1));
            }
            case Uapi.CMD_FILL -> {
                zeroFrom(r, 32);
                if (r.getInt(28) != 0) {
                    throw Errno.of(Errno.EINVAL);
                }
                return new Fill(range(ctx, ctx.buffer(r.getInt(4)), r.getLong(8), r.getLong(16), 4), r.getInt(24));
            }
            case Uapi.CMD_BARRIER -> {
                zeroFrom(r, 4);
                return null;
            }
            case Uapi.CMD_SIGNAL_FENCE -> {
                zeroFrom(r, 24);
                return new Signal(range(ctx, ctx.buffer(r.getInt(4)), r.getLong(8), 8, 8), r.getLong(16));
            }
            default -> throw Errno.of(Errno.EINVAL);
        }
    }

    /** A record's bytes past its struct must be 0 (room for later fields, as the header says). */
    private static void zeroFrom(ByteBuffer r, int from) {
        for (int i = from; i < Uapi.CMD_SIZE; i++) {
            if (r.get(i) != 0) {
                throw Errno.of(Errno.EINVAL);
            }
        }
    }

    /**
     * {@code [offset, offset+size)} of {@code b}, held for the job; EINVAL outside it or
     * misaligned. The range is checked against the buffer first: an offset past it would be an
     * address in another block of the aperture, which the translation alone would accept.
     */
    private MemorySegment range(Context ctx, BufferObject b, long offset, long size, int align) {
        if (Long.compareUnsigned(offset, b.size) > 0 || Long.compareUnsigned(size, b.size - offset) > 0
                || offset % align != 0 || size % align != 0) {
            throw Errno.of(Errno.EINVAL);
        }
        return hold(ctx, b.deviceAddress + offset, size);
    }

    /**
     * The bytes at device addresses {@code [address, address+size)} of the context's aperture,
     * held until the job ends; ENOENT when no block is bound there (the buffer is gone).
     */
    private MemorySegment hold(Context ctx, long address, long size) {
        Aperture.Hold h = ctx.aperture().hold(address, size);
        if (h == null) {
            throw Errno.of(Errno.ENOENT);
        }
        heldRanges.add(h);
        return h.segment();
    }

    /**
     * Runs the records in order on the device's worker; returns 0, or -EIO when {@code cancelled}
     * stopped a dispatch (the job timeout) or the executor failed.
     */
    int run(Watchdog cancelled) {
        for (Command c : commands) {
            switch (c) {
                case Dispatch d -> {
                    if ((long) d.gx * d.gy * d.gz == 0) {
                        continue;
                    }
                    try {
                        d.shader.kernel.dispatch(d.gx, d.gy, d.gz, d.buffers, d.push, cancelled);
                    } catch (DispatchCancelledException e) {
                        return -Errno.EIO;
                    } catch (RuntimeException | StackOverflowError e) {
                        return -Errno.EIO; // an executor's failure loses the job, never the device
                    }
                }
                case Copy cp -> MemorySegment.copy(cp.src, 0, cp.dst, 0, cp.src.byteSize()); // memmove
                case Fill f -> {
                    for (long o = 0; o < f.dst.byteSize(); o += 4) {
                        f.dst.set(INT, o, f.value);
                    }
                }
                case Signal s -> s.dst.set(LONG, 0, s.value);
            }
            if (cancelled.expired()) {
                return -Errno.EIO;
            }
        }
        return 0;
    }

    /** Lets go of what the job held. */
    void release() {
        heldRanges.forEach(Aperture.Hold::release);
        heldRanges.clear();
        heldShaders.forEach(ShaderObject::release);
        heldShaders.clear();
        commands.clear();
    }
}
