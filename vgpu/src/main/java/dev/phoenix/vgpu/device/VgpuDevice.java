package dev.phoenix.vgpu.device;

import dev.phoenix.libos.Clock;
import dev.phoenix.libos.cap.FrameAllocator;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.vgpu.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The virtual GPU of one kernel, /dev/vgpu0: each open makes a {@link Context}. The device holds
 * what the contexts share: the {@link Executor} (made at the first shader, so a run that never
 * compiles one never starts a host Vulkan device), the allocator of buffer frames (its count of
 * pages is how tests see that nothing leaks) and the kernel's clock, which wait deadlines use.
 */
public final class VgpuDevice {
    /** The device's character major: 240, the first of devices.txt's "local/experimental use". */
    public static final int MAJOR = 240, MINOR = 0;
    /** What /proc/devices names the driver. */
    public static final String DRIVER = "vgpu";
    /** Pages all contexts' buffers may hold at once: 4 GiB. */
    private static final long FRAME_LIMIT_PAGES = (4L << 30) / FrameAllocator.PAGE_SIZE;

    private final String executorName;
    private final Supplier<Executor> executorFactory;
    private final Clock clock;
    private final FrameAllocator frames;
    private final AtomicInteger contexts = new AtomicInteger();
    private final AtomicInteger nextContextId = new AtomicInteger();
    /** @GuardedBy("this") */
    private Executor executor;
    /** Why the executor could not be made, once it could not. @GuardedBy("this") */
    private String executorFailure;

    /** A device whose shaders run on what {@code executorFactory} makes (named {@code executorName}). */
    public VgpuDevice(String executorName, Supplier<Executor> executorFactory, Clock clock) {
        this(executorName, frames -> executorFactory.get(), clock, false);
    }

    /**
     * A device whose buffer frames are host shared memory when {@code sharedFrames} (a render
     * server in another process maps them), and whose executor {@code executorFactory} makes over
     * those frames.
     */
    private VgpuDevice(String executorName, Function<FrameAllocator, Executor> executorFactory, Clock clock,
                       boolean sharedFrames) {
        this.executorName = executorName;
        this.frames = sharedFrames ? FrameAllocator.shared(FRAME_LIMIT_PAGES) : new FrameAllocator(FRAME_LIMIT_PAGES);
        this.executorFactory = () -> executorFactory.apply(frames);
        this.clock = clock;
    }

    /**
     * A device with the executor {@code name} ("phoenix": Phoenix's SPIR-V compiler, "vulkan":
     * the host's Vulkan device), loaded by class name so the device builds and runs (copies,
     * fills, fences) without either executor.
     */
    public static VgpuDevice named(String name, Clock clock) {
        String cls = switch (name) {
            case "phoenix" -> "dev.phoenix.vgpu.spirv.JvmExecutor";
            case "vulkan" -> "dev.phoenix.vgpu.vulkan.RenderProcess";
            default -> throw new IllegalArgumentException("no vGPU executor named " + name);
        };
        boolean vulkan = name.equals("vulkan");
        return new VgpuDevice(name, frames -> {
            try {
                Class<?> c = Class.forName(cls);
                // the Vulkan passthrough starts its render server over the device's shared frames
                return vulkan ? (Executor) c.getMethod("open", FrameAllocator.class).invoke(null, frames)
                        : (Executor) c.getConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
                throw new IllegalStateException("the " + name + " executor is not available: "
                        + (cause.getMessage() != null ? cause.getMessage() : cause), cause);
            }
        }, clock, vulkan);
    }

    /** The executor's name, for VGPU_IOCTL_QUERY. */
    public String executorName() {
        return executorName;
    }

    /** The executor, made at the first call; throws {@link IllegalStateException} with the reason when it cannot be. */
    synchronized Executor executor() {
        if (executor == null && executorFailure == null) {
            try {
                executor = executorFactory.get();
            } catch (RuntimeException | LinkageError e) {
                executorFailure = e.getMessage() != null ? e.getMessage() : e.toString();
            }
        }
        if (executor == null) {
            throw new IllegalStateException(executorFailure);
        }
        return executor;
    }

    /** open(2) of /dev/vgpu0: a new context, which fstat(2) shows as {@code status}. */
    public OpenFile open(dev.phoenix.libos.fs.FileStatus status) {
        contexts.incrementAndGet();
        return new Context(this, nextContextId.incrementAndGet(), status);
    }

    void contextGone() {
        contexts.decrementAndGet();
    }

    Clock clock() {
        return clock;
    }

    FrameAllocator frames() {
        return frames;
    }

    /** Pages held by buffers and rings of every context (0 when nothing leaked). */
    public long livePages() {
        return frames.allocatedPages();
    }

    /** Contexts open now. */
    public int liveContexts() {
        return contexts.get();
    }

    /** Closes the executor (the kernel is done). */
    public synchronized void close() {
        if (executor != null) {
            executor.close();
            executor = null;
        }
    }
}
