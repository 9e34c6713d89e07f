package dev.phoenix.vgpu.vulkan;

import dev.phoenix.vgpu.Watchdog;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.phoenix.vgpu.DispatchCancelledException;
import dev.phoenix.vgpu.Kernel;
import dev.phoenix.vgpu.ShaderException;
import dev.phoenix.vgpu.vulkan.VulkanDevice.DeviceBuffer;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.TimeUnit;

/**
 * A compute entry point on the host's Vulkan device: a shader module, a descriptor set layout of
 * {@code bindingCount} storage buffers (set 0, binding i), a push constant range and a compute
 * pipeline, built per {@link VulkanDevice} (again after a cancelled job replaced the device).
 *
 * <p>A dispatch binds the guest's buffers (imported or copied into host-visible memory), records
 * bind-pipeline, push-constants, bind-descriptor-sets, dispatch and a shader-write to host-read
 * barrier (the fence alone does not make device writes visible to the host: Vulkan spec
 * "Host Write Ordering Guarantees" and the synchronization examples), submits, and waits on the
 * fence in 1 ms slices so a cancellation is seen promptly.
 */
final class VulkanKernel implements Kernel {
    private static final int STAGE_COMPUTE = 0x20, BIND_POINT_COMPUTE = 1, DESCRIPTOR_STORAGE_BUFFER = 7;
    private static final int PIPELINE_STAGE_COMPUTE = 0x800, PIPELINE_STAGE_HOST = 0x4000;
    private static final int ACCESS_SHADER_WRITE = 0x40, ACCESS_HOST_READ = 0x2000;
    private static final long WAIT_SLICE_NS = 1_000_000;

    private final VulkanExecutor executor;
    private final Vk vk;
    private final byte[] spirv;
    private final String entry;
    private final SpirvInfo info;
    /** The pipeline on the device it was built for (guarded by this). */
    private Pipeline pipeline;
    private volatile boolean closed;

    /** The Vulkan objects of this kernel on one device. */
    private record Pipeline(VulkanDevice device, long module, long setLayout, long layout, long pipeline, long pool) { }

    VulkanKernel(VulkanExecutor executor, byte[] spirv, String entry, SpirvInfo info) {
        this.executor = executor;
        this.vk = executor.vk();
        this.spirv = spirv;
        this.entry = entry;
        this.info = info;
    }

    @Override
    public int[] localSize() {
        return info.localSize.clone();
    }

    @Override
    public int bindingCount() {
        return info.bindingCount;
    }

    @Override
    public int pushConstantBytes() {
        return info.pushConstantBytes;
    }

    /** Builds the pipeline on {@code d}; a driver's refusal becomes the shader's error. */
    void prepare(VulkanDevice d) throws ShaderException {
        try {
            pipelineFor(d);
        } catch (VulkanException e) {
            throw new ShaderException("the Vulkan driver refused the shader: " + e.getMessage());
        }
    }

    private synchronized Pipeline pipelineFor(VulkanDevice d) {
        if (pipeline != null && pipeline.device() == d) return pipeline;
        pipeline = build(d);
        return pipeline;
    }

    private Pipeline build(VulkanDevice d) {
        long dev = d.device;
        int n = info.bindingCount;
        long module = 0, setLayout = 0, layout = 0, pipe = 0, pool = 0;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            MemorySegment code = arena.allocate(spirv.length, 4);
            code.copyFrom(MemorySegment.ofArray(spirv));
            MemorySegment smi = Vk.struct(arena, 40, 16);  // VkShaderModuleCreateInfo
            smi.set(JAVA_LONG, 24, spirv.length);
            smi.set(ADDRESS, 32, code);
            vk.check("vkCreateShaderModule", dev, smi, MemorySegment.NULL, out);
            module = out.get(JAVA_LONG, 0);

            MemorySegment bindings = arena.allocate(24L * Math.max(1, n), 8);  // VkDescriptorSetLayoutBinding[n]
            for (int i = 0; i < n; i++) {
                bindings.set(JAVA_INT, 24L * i, i);
                bindings.set(JAVA_INT, 24L * i + 4, DESCRIPTOR_STORAGE_BUFFER);
                bindings.set(JAVA_INT, 24L * i + 8, 1);
                bindings.set(JAVA_INT, 24L * i + 12, STAGE_COMPUTE);
            }
            MemorySegment dsl = Vk.struct(arena, 32, 32);  // VkDescriptorSetLayoutCreateInfo
            dsl.set(JAVA_INT, 20, n);
            dsl.set(ADDRESS, 24, bindings);
            vk.check("vkCreateDescriptorSetLayout", dev, dsl, MemorySegment.NULL, out);
            setLayout = out.get(JAVA_LONG, 0);

            MemorySegment setLayouts = arena.allocate(JAVA_LONG);
            setLayouts.set(JAVA_LONG, 0, setLayout);
            MemorySegment range = arena.allocate(12, 4);  // VkPushConstantRange
            range.set(JAVA_INT, 0, STAGE_COMPUTE);
            range.set(JAVA_INT, 8, info.pushConstantBytes);
            MemorySegment pli = Vk.struct(arena, 48, 30);  // VkPipelineLayoutCreateInfo
            pli.set(JAVA_INT, 20, 1);
            pli.set(ADDRESS, 24, setLayouts);
            if (info.pushConstantBytes > 0) {
                pli.set(JAVA_INT, 32, 1);
                pli.set(ADDRESS, 40, range);
            }
            vk.check("vkCreatePipelineLayout", dev, pli, MemorySegment.NULL, out);
            layout = out.get(JAVA_LONG, 0);

            MemorySegment cpi = Vk.struct(arena, 96, 29);  // VkComputePipelineCreateInfo
            cpi.set(JAVA_INT, 24, 18);                    // stage.sType: PIPELINE_SHADER_STAGE_CREATE_INFO
            cpi.set(JAVA_INT, 24 + 20, STAGE_COMPUTE);    // stage.stage
            cpi.set(JAVA_LONG, 24 + 24, module);          // stage.module
            cpi.set(ADDRESS, 24 + 32, arena.allocateFrom(entry));
            cpi.set(JAVA_LONG, 72, layout);
            cpi.set(JAVA_INT, 88, -1);                    // basePipelineIndex
            vk.check("vkCreateComputePipelines", dev, 0L, 1, cpi, MemorySegment.NULL, out);
            pipe = out.get(JAVA_LONG, 0);

            if (n > 0) {
                MemorySegment size = arena.allocate(8, 4);  // VkDescriptorPoolSize
                size.set(JAVA_INT, 0, DESCRIPTOR_STORAGE_BUFFER);
                size.set(JAVA_INT, 4, n);
                MemorySegment dpi = Vk.struct(arena, 40, 33);  // VkDescriptorPoolCreateInfo
                dpi.set(JAVA_INT, 20, 1);
                dpi.set(JAVA_INT, 24, 1);
                dpi.set(ADDRESS, 32, size);
                vk.check("vkCreateDescriptorPool", dev, dpi, MemorySegment.NULL, out);
                pool = out.get(JAVA_LONG, 0);
            }
            return new Pipeline(d, module, setLayout, layout, pipe, pool);
        } catch (VulkanException e) {
            destroy(new Pipeline(d, module, setLayout, layout, pipe, pool));
            throw e;
        }
    }

    private void destroy(Pipeline p) {
        long dev = p.device().device;
        if (p.pool() != 0) vk.run("vkDestroyDescriptorPool", dev, p.pool(), MemorySegment.NULL);
        if (p.pipeline() != 0) vk.run("vkDestroyPipeline", dev, p.pipeline(), MemorySegment.NULL);
        if (p.layout() != 0) vk.run("vkDestroyPipelineLayout", dev, p.layout(), MemorySegment.NULL);
        if (p.setLayout() != 0) vk.run("vkDestroyDescriptorSetLayout", dev, p.setLayout(), MemorySegment.NULL);
        if (p.module() != 0) vk.run("vkDestroyShaderModule", dev, p.module(), MemorySegment.NULL);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Also throws {@link DispatchCancelledException} when the driver lost the device
     * (VK_ERROR_DEVICE_LOST: a GPU's watchdog stopped the job), and IllegalArgumentException for
     * fewer buffers than bindings, a buffer past the device's maxStorageBufferRange or a grid past
     * its maxComputeWorkGroupCount.
     */
    @Override
    public void dispatch(int gx, int gy, int gz, MemorySegment[] buffers, byte[] push, Watchdog cancelled)
            throws DispatchCancelledException {
        if (closed) throw new IllegalStateException("kernel closed");
        PhysicalDevice pd = executor.physical();
        int[] max = pd.maxWorkGroupCount();
        if (gx < 0 || gy < 0 || gz < 0 || gx > max[0] || gy > max[1] || gz > max[2]) {
            throw new IllegalArgumentException("workgroup count outside the device's maxComputeWorkGroupCount");
        }
        if (buffers.length < info.bindingCount) throw new IllegalArgumentException("fewer buffers than bindings");
        for (int i = 0; i < info.bindingCount; i++) {
            if (buffers[i].byteSize() > pd.maxStorageBufferRange()) {
                throw new IllegalArgumentException("buffer " + i + " is larger than the device's maxStorageBufferRange");
            }
        }
        if (gx == 0 || gy == 0 || gz == 0) return;
        while (true) {
            VulkanDevice d = executor.device();
            acquire(d, cancelled);
            try {
                if (d.lost) continue;
                run(d, gx, gy, gz, buffers, push == null ? new byte[0] : push, cancelled);
                return;
            } finally {
                d.lock.unlock();
            }
        }
    }

    /** Takes the device's lock, giving up when the dispatch is cancelled while another job runs. */
    private static void acquire(VulkanDevice d, Watchdog cancelled) throws DispatchCancelledException {
        try {
            while (!d.lock.tryLock(1, TimeUnit.MILLISECONDS)) {
                if (cancelled.expired()) throw new DispatchCancelledException();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DispatchCancelledException();
        }
    }

    private void run(VulkanDevice d, int gx, int gy, int gz, MemorySegment[] buffers, byte[] push,
                     Watchdog cancelled) throws DispatchCancelledException {
        Pipeline p = pipelineFor(d);
        int n = info.bindingCount;
        DeviceBuffer[] bound = new DeviceBuffer[n];
        boolean finished = false;
        try (Arena arena = Arena.ofConfined()) {
            for (int i = 0; i < n; i++) {
                MemorySegment seg = buffers[i];
                DeviceBuffer b = d.tryImport(seg);
                if (b == null) {
                    b = d.staging(i, Math.max(16, seg.byteSize()));
                    if (seg.byteSize() == 0) b.mapped().asSlice(0, 16).fill((byte) 0);
                    else MemorySegment.copy(seg, 0, b.mapped(), 0, seg.byteSize());
                }
                bound[i] = b;
            }
            MemorySegment out = arena.allocate(JAVA_LONG);
            if (n > 0) {
                vk.check("vkResetDescriptorPool", d.device, p.pool(), 0);
                MemorySegment layouts = arena.allocate(JAVA_LONG);
                layouts.set(JAVA_LONG, 0, p.setLayout());
                MemorySegment dsa = Vk.struct(arena, 40, 34);  // VkDescriptorSetAllocateInfo
                dsa.set(JAVA_LONG, 16, p.pool());
                dsa.set(JAVA_INT, 24, 1);
                dsa.set(ADDRESS, 32, layouts);
                vk.check("vkAllocateDescriptorSets", d.device, dsa, out);
                long set = out.get(JAVA_LONG, 0);
                MemorySegment infos = arena.allocate(24L * n, 8);     // VkDescriptorBufferInfo[n]
                MemorySegment writes = arena.allocate(64L * n, 8);    // VkWriteDescriptorSet[n]
                for (int i = 0; i < n; i++) {
                    infos.set(JAVA_LONG, 24L * i, bound[i].buffer());
                    infos.set(JAVA_LONG, 24L * i + 16, Math.max(16, buffers[i].byteSize()));
                    long w = 64L * i;
                    writes.set(JAVA_INT, w, 35);  // VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET
                    writes.set(JAVA_LONG, w + 16, set);
                    writes.set(JAVA_INT, w + 24, i);
                    writes.set(JAVA_INT, w + 32, 1);
                    writes.set(JAVA_INT, w + 36, DESCRIPTOR_STORAGE_BUFFER);
                    writes.set(ADDRESS, w + 48, infos.asSlice(24L * i, 24));
                }
                vk.run("vkUpdateDescriptorSets", d.device, n, writes, 0, MemorySegment.NULL);
                out.set(JAVA_LONG, 0, set);
            }
            long cmd = d.commandBuffer;
            vk.check("vkResetCommandBuffer", cmd, 0);
            MemorySegment begin = Vk.struct(arena, 32, 42);  // VkCommandBufferBeginInfo
            begin.set(JAVA_INT, 16, 1);  // ONE_TIME_SUBMIT
            vk.check("vkBeginCommandBuffer", cmd, begin);
            vk.run("vkCmdBindPipeline", cmd, BIND_POINT_COMPUTE, p.pipeline());
            if (n > 0) vk.run("vkCmdBindDescriptorSets", cmd, BIND_POINT_COMPUTE, p.layout(), 0, 1, out, 0, MemorySegment.NULL);
            if (info.pushConstantBytes > 0) {
                MemorySegment pc = arena.allocate(info.pushConstantBytes, 4);  // zero past what the guest gave
                MemorySegment.copy(push, 0, pc, JAVA_BYTE, 0, Math.min(push.length, info.pushConstantBytes));
                vk.run("vkCmdPushConstants", cmd, p.layout(), STAGE_COMPUTE, 0, info.pushConstantBytes, pc);
            }
            vk.run("vkCmdDispatch", cmd, gx, gy, gz);
            MemorySegment barrier = Vk.struct(arena, 24, 46);  // VkMemoryBarrier
            barrier.set(JAVA_INT, 16, ACCESS_SHADER_WRITE);
            barrier.set(JAVA_INT, 20, ACCESS_HOST_READ);
            vk.run("vkCmdPipelineBarrier", cmd, PIPELINE_STAGE_COMPUTE, PIPELINE_STAGE_HOST, 0,
                    1, barrier, 0, MemorySegment.NULL, 0, MemorySegment.NULL);
            vk.check("vkEndCommandBuffer", cmd);

            MemorySegment fences = arena.allocate(JAVA_LONG);
            fences.set(JAVA_LONG, 0, d.fence);
            vk.check("vkResetFences", d.device, 1, fences);
            MemorySegment cmds = arena.allocate(JAVA_LONG);
            cmds.set(JAVA_LONG, 0, cmd);
            MemorySegment submit = Vk.struct(arena, 72, 4);  // VkSubmitInfo
            submit.set(JAVA_INT, 40, 1);
            submit.set(ADDRESS, 48, cmds);
            vk.check("vkQueueSubmit", d.queue, 1, submit, d.fence);
            await(d, fences, cancelled);
            finished = true;
            for (int i = 0; i < n; i++) {
                if (!bound[i].imported() && buffers[i].byteSize() > 0 && !buffers[i].isReadOnly()) {
                    MemorySegment.copy(bound[i].mapped(), 0, buffers[i], 0, buffers[i].byteSize());
                }
            }
        } finally {
            // Imported buffers are the guest's memory: released once the job is done. A lost device
            // keeps them (its job may still run); the caller was told not to reuse that memory.
            if (finished || !d.lost) {
                for (DeviceBuffer b : bound) if (b != null && b.imported()) d.free(b);
            }
        }
    }

    /** Waits for the fence in slices, abandoning the device when cancelled or lost. */
    private void await(VulkanDevice d, MemorySegment fences, Watchdog cancelled) throws DispatchCancelledException {
        while (true) {
            int r = vk.call("vkWaitForFences", d.device, 1, fences, 1, WAIT_SLICE_NS);
            if (r == Vk.SUCCESS) return;
            if (r == Vk.TIMEOUT && !cancelled.expired()) continue;
            executor.abandon(d);
            if (r == Vk.TIMEOUT || r == Vk.ERROR_DEVICE_LOST) throw new DispatchCancelledException();
            throw new VulkanException("vkWaitForFences returned " + r, r);
        }
    }

    /** Destroys this kernel's objects on its device (if that device is still alive). */
    void release() {
        Pipeline p;
        synchronized (this) {
            closed = true;
            p = pipeline;
            pipeline = null;
        }
        if (p == null) return;
        VulkanDevice d = p.device();
        d.lock.lock();
        try {
            if (!d.lost) destroy(p);
        } finally {
            d.lock.unlock();
        }
    }

    @Override
    public void close() {
        executor.forget(this);
        release();
    }
}
