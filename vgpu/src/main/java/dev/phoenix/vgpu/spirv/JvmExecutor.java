package dev.phoenix.vgpu.spirv;

import dev.phoenix.vgpu.Executor;
import dev.phoenix.vgpu.Kernel;
import dev.phoenix.vgpu.ShaderException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Phoenix's own executor: parses and validates SPIR-V ({@link SpirvModule}), compiles the entry
 * point to JVM bytecode ({@link KernelCompiler}) defined as a hidden class, and runs workgroups on
 * a fixed pool of daemon threads, one per host CPU.
 */
public final class JvmExecutor implements Executor {
    private final int threads;
    private final ExecutorService pool;

    public JvmExecutor() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** An executor running workgroups on {@code threads} host threads (the caller's counts as one). */
    public JvmExecutor(int threads) {
        this.threads = Math.max(1, threads);
        this.pool = Executors.newFixedThreadPool(Math.max(1, this.threads - 1), r -> {
            Thread t = new Thread(r, "vgpu-worker");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String name() {
        return "phoenix";
    }

    @Override
    public Kernel compile(byte[] spirv, String entryPoint) throws ShaderException {
        KernelCompiler.Result r;
        try {
            SpirvModule m = SpirvModule.parse(spirv);
            r = KernelCompiler.compile(m, entryPoint == null ? "main" : entryPoint);
        } catch (ShaderException e) {
            throw e;
        } catch (RuntimeException | StackOverflowError e) {  // a module malformed in a way no check named
            throw new ShaderException("malformed SPIR-V module (" + e.getClass().getSimpleName() + ")");
        }
        MethodHandle group;
        try {
            var lookup = MethodHandles.lookup().defineHiddenClass(r.classBytes(), true);
            group = lookup.findStatic(lookup.lookupClass(), "group", MethodType.methodType(void.class, Ctx.class));
        } catch (LinkageError | ReflectiveOperationException | IllegalArgumentException e) {
            throw new ShaderException("shader could not be compiled: " + e.getMessage());
        }
        return new JvmKernel(r, group, pool, threads);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
