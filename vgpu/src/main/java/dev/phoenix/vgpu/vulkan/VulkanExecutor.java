package dev.phoenix.vgpu.vulkan;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.phoenix.vgpu.Executor;
import dev.phoenix.vgpu.Kernel;
import dev.phoenix.vgpu.ShaderException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The passthrough executor: the guest's SPIR-V runs on the host's Vulkan device (a GPU where there
 * is one, Mesa's lavapipe on the CPU otherwise) through FFM bindings of libvulkan.so.1.
 *
 * <p>Every module is checked by {@link SpirvInfo} and then by Khronos' spirv-val ({@link
 * SpirvVal}) before the driver sees it, since drivers trust their input. The device is made with robust buffer access, so a guest's out-of-range accesses
 * read 0 and drop writes as the {@link Kernel} contract asks. A cancelled job abandons its VkDevice
 * (see {@link VulkanDevice}) and the executor makes a fresh one; kernels rebuild their pipelines on
 * it when next dispatched.
 *
 * <p>By default guest buffers are copied into host-visible VkBuffers and back. With {@code
 * open(true)} page-aligned guest memory is imported instead (VK_EXT_external_memory_host), without
 * copies; but then a shader that never ends keeps writing that memory after its job is cancelled,
 * so the caller must never reuse the frames of a cancelled dispatch.
 */
public final class VulkanExecutor implements Executor {
    private static final int API_VERSION_1_3 = (1 << 22) | (3 << 12);

    private final Vk vk;
    private final long instance;
    private final PhysicalDevice physical;
    private final boolean importHostMemory;
    private final SpirvVal validator;
    private final Set<Integer> capabilities = new HashSet<>();
    private final Object lock = new Object();
    /** The device new dispatches use (guarded by lock). */
    private VulkanDevice current;
    /** Kernels not yet closed, destroyed with the executor (guarded by lock). */
    private final Set<VulkanKernel> kernels = new HashSet<>();
    private boolean closed;

    private VulkanExecutor(Vk vk, long instance, PhysicalDevice physical, boolean importHostMemory, SpirvVal validator) {
        this.vk = vk;
        this.validator = validator;
        this.instance = instance;
        this.physical = physical;
        this.importHostMemory = importHostMemory;
        capabilities.add(0);  // Matrix
        capabilities.add(1);  // Shader
        if (physical.has(PhysicalDevice.SHADER_FLOAT64)) capabilities.add(10);
        if (physical.has(PhysicalDevice.SHADER_INT64)) capabilities.add(11);
        if (physical.has(PhysicalDevice.SHADER_INT16)) capabilities.add(22);
        this.current = new VulkanDevice(vk, physical, importHostMemory);
    }

    /** Opens the host's preferred Vulkan device, copying guest buffers (see the class comment). */
    public static VulkanExecutor open() throws VulkanUnavailableException {
        return open(false);
    }

    /**
     * Loads libvulkan.so.1, creates an instance (no layers, no extensions: compute needs no
     * surface) and picks the device with a compute queue Phoenix prefers: a discrete GPU, then an
     * integrated one, then a virtual one, then a CPU device such as lavapipe.
     */
    public static VulkanExecutor open(boolean importHostMemory) throws VulkanUnavailableException {
        Vk vk = Vk.load();
        SpirvVal.find(API_VERSION_1_3);  // fail before creating anything when the validator is missing
        long instance;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment app = Vk.struct(arena, 48, 0);  // VkApplicationInfo
            app.set(ADDRESS, 16, arena.allocateFrom("phoenix"));
            app.set(ADDRESS, 32, arena.allocateFrom("phoenix-vgpu"));
            app.set(JAVA_INT, 44, API_VERSION_1_3);
            MemorySegment info = Vk.struct(arena, 64, 1);  // VkInstanceCreateInfo
            info.set(ADDRESS, 24, app);
            MemorySegment out = arena.allocate(JAVA_LONG);
            int r = vk.call("vkCreateInstance", info, MemorySegment.NULL, out);
            if (r != Vk.SUCCESS) throw new VulkanUnavailableException("vkCreateInstance failed (VkResult " + r + "): no Vulkan driver (install mesa-vulkan-drivers)");
            instance = out.get(JAVA_LONG, 0);
        }
        vk.bindInstance(instance);
        try {
            List<PhysicalDevice> devices = PhysicalDevice.enumerate(vk, instance);
            PhysicalDevice pd = devices.stream()
                    .filter(d -> d.has(PhysicalDevice.ROBUST_BUFFER_ACCESS))
                    .max(Comparator.comparingInt(PhysicalDevice::preference))
                    .orElseThrow(() -> new VulkanUnavailableException(devices.isEmpty()
                            ? "no Vulkan device with a compute queue (install mesa-vulkan-drivers for lavapipe)"
                            : "no Vulkan device with robustBufferAccess"));
            return new VulkanExecutor(vk, instance, pd, importHostMemory, SpirvVal.find(pd.apiVersion()));
        } catch (VulkanUnavailableException | RuntimeException e) {
            vk.run("vkDestroyInstance", instance, MemorySegment.NULL);
            throw e;
        }
    }

    @Override
    public String name() {
        return "vulkan";
    }

    /** The host device's name (vulkaninfo's deviceName), for messages and benchmarks. */
    public String deviceName() {
        return physical.name();
    }

    @Override
    public Kernel compile(byte[] spirv, String entryPoint) throws ShaderException {
        if (entryPoint == null) throw new ShaderException("no entry point name");
        SpirvInfo info = SpirvInfo.parse(spirv, entryPoint, capabilities, physical.maxSpirvMinor(),
                Math.min(128, physical.maxPushConstantsSize()));
        validator.validate(spirv);
        VulkanKernel k = new VulkanKernel(this, spirv.clone(), entryPoint, info);
        synchronized (lock) {
            if (closed) throw new IllegalStateException("executor closed");
            VulkanDevice d = current;
            k.prepare(d);  // build the pipeline now so a driver's refusal is the guest's error at compile time
            kernels.add(k);
        }
        return k;
    }

    /** The device new dispatches should use. */
    VulkanDevice device() {
        synchronized (lock) {
            if (closed) throw new IllegalStateException("executor closed");
            return current;
        }
    }

    /** Marks {@code d} lost (the caller holds its lock) and, if it is still current, replaces it. */
    void abandon(VulkanDevice d) {
        d.lost = true;
        anyLost = true;
        synchronized (lock) {
            if (current == d && !closed) current = new VulkanDevice(vk, physical, importHostMemory);
        }
    }

    void forget(VulkanKernel k) {
        synchronized (lock) {
            kernels.remove(k);
        }
    }

    Vk vk() {
        return vk;
    }

    PhysicalDevice physical() {
        return physical;
    }

    @Override
    public void close() {
        VulkanDevice d;
        List<VulkanKernel> ks;
        synchronized (lock) {
            if (closed) return;
            closed = true;
            d = current;
            ks = List.copyOf(kernels);
            kernels.clear();
        }
        for (VulkanKernel k : ks) k.release();
        d.close();
        // A lost device still runs its job: destroying the instance under it would be undefined,
        // so the instance is kept when any device was abandoned.
        if (!anyLost) vk.run("vkDestroyInstance", instance, MemorySegment.NULL);
    }

    /** Whether a device was ever abandoned (then the instance must outlive this executor). */
    private volatile boolean anyLost;
}
