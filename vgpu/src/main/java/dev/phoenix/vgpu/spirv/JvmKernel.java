package dev.phoenix.vgpu.spirv;

import dev.phoenix.vgpu.Watchdog;
import dev.phoenix.vgpu.DispatchCancelledException;
import dev.phoenix.vgpu.Kernel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A compiled entry point: a hidden class whose {@code group(Ctx)} runs one workgroup. A dispatch
 * hands workgroups out to the executor's threads one at a time (an atomic counter), each thread
 * with its own {@link Ctx} (its shared memory and spill arrays); the hidden class is unloaded when
 * the kernel is no longer referenced.
 */
final class JvmKernel implements Kernel {
    private final KernelCompiler.Result info;
    private volatile MethodHandle group;
    private final ExecutorService pool;
    private final int threads;

    JvmKernel(KernelCompiler.Result info, MethodHandle group, ExecutorService pool, int threads) {
        this.info = info;
        this.group = group;
        this.pool = pool;
        this.threads = threads;
    }

    @Override
    public int[] localSize() {
        return info.localSize().clone();
    }

    @Override
    public int bindingCount() {
        return info.bindings();
    }

    @Override
    public int pushConstantBytes() {
        return info.pushBytes();
    }

    @Override
    public void dispatch(int gx, int gy, int gz, MemorySegment[] buffers, byte[] push, Watchdog cancelled)
            throws DispatchCancelledException {
        MethodHandle g = group;
        if (g == null) throw new IllegalStateException("kernel closed");
        if (gx <= 0 || gy <= 0 || gz <= 0) return;
        MemorySegment[] bufs = new MemorySegment[info.bindings()];
        for (int i = 0; i < bufs.length; i++) {
            bufs[i] = buffers != null && i < buffers.length && buffers[i] != null ? buffers[i] : MemorySegment.NULL;
        }
        byte[] p = Arrays.copyOf(push == null ? new byte[0] : push, Math.max(info.pushBytes(), push == null ? 0 : push.length));
        // Native memory, as the shared memory and the buffers are (see Ctx): one segment kind in Rt.
        MemorySegment pushSeg = Arena.ofAuto().allocate(p.length, 8).copyFrom(MemorySegment.ofArray(p)).asReadOnly();
        long total = (long) gx * gy * gz;
        int n = (int) Math.min(threads, total);
        var next = new AtomicLong();
        var stop = new Ctx.Stop();
        int invocations = info.localSize()[0] * info.localSize()[1] * info.localSize()[2];
        Runnable work = () -> {
            var c = new Ctx(bufs, pushSeg, info.sharedBytes(), gx, gy, gz, invocations, info.spillSlots(), cancelled, stop);
            long id;
            while ((id = next.getAndIncrement()) < total) {
                c.check();
                c.wx = (int) (id % gx);
                c.wy = (int) (id / gx % gy);
                c.wz = (int) (id / ((long) gx * gy));
                if (info.barriers() || info.sharedBytes() > 0) c.reset();
                try {
                    g.invokeExact(c);
                } catch (RuntimeException | Error e) {
                    throw e;
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }
        };
        List<Future<?>> fs = new ArrayList<>();
        for (int i = 1; i < n; i++) fs.add(pool.submit(work));
        Throwable failure = null;
        try {
            work.run();
        } catch (Throwable t) {
            failure = t;
            stop.stopped = true;
        }
        for (Future<?> f : fs) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null || failure instanceof Ctx.Cancelled) failure = e.getCause();
                stop.stopped = true;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop.stopped = true;
                failure = new Ctx.Cancelled();
            }
        }
        if (failure instanceof Ctx.Cancelled) throw new DispatchCancelledException();
        if (failure instanceof RuntimeException re) throw re;
        if (failure instanceof Error er) throw er;
    }

    @Override
    public void close() {
        group = null;
    }
}
