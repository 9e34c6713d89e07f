package dev.phoenix.vgpu.vulkan;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One VkDevice of the passthrough with the queue, command buffer and fence its dispatches use,
 * and the host-visible buffers that hold copies of guest buffers.
 *
 * <p>Dispatches on a device are serialised by {@link #lock} (a VkQueue, a command pool and its
 * buffers must be externally synchronised: Vulkan spec "Threading Behavior"). A device whose job
 * was cancelled is <em>lost</em> to Phoenix: a shader that never ends cannot be stopped through
 * Vulkan (lavapipe has no timeout; a GPU driver's own watchdog reports VK_ERROR_DEVICE_LOST), and
 * destroying a device with work in flight is undefined behaviour, so the device is left as it is
 * (with its staging buffers, which the runaway shader may still write) and the executor makes a new
 * one.
 */
final class VulkanDevice {
    static final int BUFFER_USAGE_STORAGE = 0x20, BUFFER_USAGE_TRANSFER = 0x3;
    static final int MEM_HOST_VISIBLE = 2, MEM_HOST_COHERENT = 4, MEM_HOST_CACHED = 8;
    static final int HANDLE_TYPE_HOST_ALLOCATION = 0x80;
    private static final int STYPE_ROBUSTNESS2_FEATURES = 1000286000;

    final Vk vk;
    final PhysicalDevice physical;
    final long device, queue, commandPool, commandBuffer, fence;
    final boolean importHostMemory;
    /** Held for a whole dispatch: recording, submission, the wait and the copies back. */
    final ReentrantLock lock = new ReentrantLock();
    /** Set (under {@link #lock}) when a job was cancelled on this device; it is never used again. */
    volatile boolean lost;
    /** How many guest buffers were imported rather than copied (for tests and benchmarks). */
    volatile long imports;
    /** Staging buffers by binding index, reused while large enough (guarded by lock). */
    private final List<DeviceBuffer> staging = new ArrayList<>();

    /** A VkBuffer bound to its own memory; {@code mapped} is the host view (the guest's memory when imported). */
    record DeviceBuffer(long buffer, long memory, MemorySegment mapped, long capacity, boolean imported) { }

    /**
     * Creates the logical device with robustBufferAccess (and VK_EXT_robustness2's
     * robustBufferAccess2 where offered, whose out-of-range reads are exactly 0 and writes dropped
     * rather than "any value inside the buffer"), the optional shader features the device has, and
     * VK_EXT_external_memory_host when {@code importHostMemory} and offered.
     */
    VulkanDevice(Vk vk, PhysicalDevice pd, boolean importHostMemory) {
        this.vk = vk;
        this.physical = pd;
        this.importHostMemory = importHostMemory && pd.extensions().contains("VK_EXT_external_memory_host");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment priority = arena.allocate(JAVA_FLOAT);
            priority.set(JAVA_FLOAT, 0, 1f);
            MemorySegment queueInfo = Vk.struct(arena, 40, 2);  // VkDeviceQueueCreateInfo
            queueInfo.set(JAVA_INT, 20, pd.queueFamily());
            queueInfo.set(JAVA_INT, 24, 1);
            queueInfo.set(ADDRESS, 32, priority);

            MemorySegment features = arena.allocate(220, 8);  // VkPhysicalDeviceFeatures
            for (int f : new int[] {PhysicalDevice.ROBUST_BUFFER_ACCESS, PhysicalDevice.SHADER_FLOAT64,
                    PhysicalDevice.SHADER_INT64, PhysicalDevice.SHADER_INT16}) {
                features.setAtIndex(JAVA_INT, f, pd.features()[f]);
            }
            List<String> exts = new ArrayList<>();
            if (this.importHostMemory) exts.add("VK_EXT_external_memory_host");
            MemorySegment robust2 = MemorySegment.NULL;
            if (pd.extensions().contains("VK_EXT_robustness2")) {
                exts.add("VK_EXT_robustness2");
                robust2 = Vk.struct(arena, 32, STYPE_ROBUSTNESS2_FEATURES);
                robust2.set(JAVA_INT, 16, 1);  // robustBufferAccess2
            }
            MemorySegment names = arena.allocate(ADDRESS, Math.max(1, exts.size()));
            for (int i = 0; i < exts.size(); i++) names.setAtIndex(ADDRESS, i, arena.allocateFrom(exts.get(i)));

            MemorySegment info = Vk.struct(arena, 72, 3);  // VkDeviceCreateInfo
            info.set(ADDRESS, 8, robust2);
            info.set(JAVA_INT, 20, 1);
            info.set(ADDRESS, 24, queueInfo);
            info.set(JAVA_INT, 48, exts.size());
            info.set(ADDRESS, 56, names);
            info.set(ADDRESS, 64, features);
            MemorySegment out = arena.allocate(JAVA_LONG);
            vk.check("vkCreateDevice", pd.handle(), info, MemorySegment.NULL, out);
            device = out.get(JAVA_LONG, 0);

            vk.run("vkGetDeviceQueue", device, pd.queueFamily(), 0, out);
            queue = out.get(JAVA_LONG, 0);

            MemorySegment poolInfo = Vk.struct(arena, 24, 39);  // VkCommandPoolCreateInfo
            poolInfo.set(JAVA_INT, 16, 2);  // VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT
            poolInfo.set(JAVA_INT, 20, pd.queueFamily());
            vk.check("vkCreateCommandPool", device, poolInfo, MemorySegment.NULL, out);
            commandPool = out.get(JAVA_LONG, 0);

            MemorySegment allocInfo = Vk.struct(arena, 32, 40);  // VkCommandBufferAllocateInfo
            allocInfo.set(JAVA_LONG, 16, commandPool);
            allocInfo.set(JAVA_INT, 24, 0);  // VK_COMMAND_BUFFER_LEVEL_PRIMARY
            allocInfo.set(JAVA_INT, 28, 1);
            vk.check("vkAllocateCommandBuffers", device, allocInfo, out);
            commandBuffer = out.get(JAVA_LONG, 0);

            MemorySegment fenceInfo = Vk.struct(arena, 24, 8);  // VkFenceCreateInfo
            vk.check("vkCreateFence", device, fenceInfo, MemorySegment.NULL, out);
            fence = out.get(JAVA_LONG, 0);
        }
    }

    /**
     * A host-visible, host-coherent buffer of at least {@code bytes} for binding {@code index},
     * reused from the last dispatch when large enough (guarded by lock).
     */
    DeviceBuffer staging(int index, long bytes) {
        while (staging.size() <= index) staging.add(null);
        DeviceBuffer b = staging.get(index);
        if (b != null && b.capacity() >= bytes) return b;
        if (b != null) free(b);
        b = allocate(bytes, null);
        staging.set(index, b);
        return b;
    }

    /**
     * Wraps {@code host} (page-aligned memory of the guest) in a VkBuffer without a copy
     * (VK_EXT_external_memory_host), or returns null when the device cannot import it.
     */
    DeviceBuffer tryImport(MemorySegment host) {
        if (!importHostMemory || host.isReadOnly() || !host.isNative()) return null;
        long align = 4096;  // lavapipe's and most GPUs' minImportedHostPointerAlignment
        if (host.address() % align != 0 || host.byteSize() % align != 0 || host.byteSize() == 0) return null;
        try {
            DeviceBuffer b = allocate(host.byteSize(), host);
            imports++;
            return b;
        } catch (VulkanException e) {
            return null;  // the driver refused this memory: fall back to copying
        }
    }

    /** Creates a storage buffer and its memory: new host-visible memory, or {@code host} imported. */
    private DeviceBuffer allocate(long bytes, MemorySegment host) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            MemorySegment info = Vk.struct(arena, 56, 12);  // VkBufferCreateInfo
            info.set(JAVA_LONG, 24, bytes);
            info.set(JAVA_INT, 32, BUFFER_USAGE_STORAGE | BUFFER_USAGE_TRANSFER);
            if (host != null) {
                MemorySegment ext = Vk.struct(arena, 24, 1000072000);  // VkExternalMemoryBufferCreateInfo
                ext.set(JAVA_INT, 16, HANDLE_TYPE_HOST_ALLOCATION);
                info.set(ADDRESS, 8, ext);
            }
            vk.check("vkCreateBuffer", device, info, MemorySegment.NULL, out);
            long buffer = out.get(JAVA_LONG, 0);
            try {
                MemorySegment req = arena.allocate(24, 8);  // VkMemoryRequirements
                vk.run("vkGetBufferMemoryRequirements", device, buffer, req);
                long size = req.get(JAVA_LONG, 0);
                int bits = req.get(JAVA_INT, 16);
                MemorySegment alloc = Vk.struct(arena, 32, 5);  // VkMemoryAllocateInfo
                if (host != null) {
                    MemorySegment hp = Vk.struct(arena, 24, 1000178001);  // VkMemoryHostPointerPropertiesEXT
                    vk.check("vkGetMemoryHostPointerPropertiesEXT", device, HANDLE_TYPE_HOST_ALLOCATION, host, hp);
                    bits &= hp.get(JAVA_INT, 16);
                    MemorySegment imp = Vk.struct(arena, 32, 1000178000);  // VkImportMemoryHostPointerInfoEXT
                    imp.set(JAVA_INT, 16, HANDLE_TYPE_HOST_ALLOCATION);
                    imp.set(ADDRESS, 24, host);
                    alloc.set(ADDRESS, 8, imp);
                    size = host.byteSize();
                }
                alloc.set(JAVA_LONG, 16, size);
                alloc.set(JAVA_INT, 24, memoryType(bits));
                vk.check("vkAllocateMemory", device, alloc, MemorySegment.NULL, out);
                long memory = out.get(JAVA_LONG, 0);
                try {
                    vk.check("vkBindBufferMemory", device, buffer, memory, 0L);
                    MemorySegment view = host;
                    if (view == null) {
                        vk.check("vkMapMemory", device, memory, 0L, -1L /* VK_WHOLE_SIZE */, 0, out);
                        view = out.get(ADDRESS, 0).reinterpret(bytes);
                    }
                    return new DeviceBuffer(buffer, memory, view, bytes, host != null);
                } catch (VulkanException e) {
                    vk.run("vkFreeMemory", device, memory, MemorySegment.NULL);
                    throw e;
                }
            } catch (VulkanException e) {
                vk.run("vkDestroyBuffer", device, buffer, MemorySegment.NULL);
                throw e;
            }
        }
    }

    /** A host-visible, host-coherent memory type among {@code bits}, host-cached preferred (fast readback). */
    private int memoryType(int bits) {
        int want = MEM_HOST_VISIBLE | MEM_HOST_COHERENT, best = -1;
        int[] flags = physical.memoryTypeFlags();
        for (int i = 0; i < flags.length; i++) {
            if ((bits & (1 << i)) == 0 || (flags[i] & want) != want) continue;
            if (best < 0 || ((flags[i] & MEM_HOST_CACHED) != 0 && (flags[best] & MEM_HOST_CACHED) == 0)) best = i;
        }
        if (best < 0) throw new VulkanException("no host-visible coherent memory type for a storage buffer");
        return best;
    }

    /** Destroys a buffer and its memory (unmapping is implicit in vkFreeMemory). */
    void free(DeviceBuffer b) {
        vk.run("vkDestroyBuffer", device, b.buffer(), MemorySegment.NULL);
        vk.run("vkFreeMemory", device, b.memory(), MemorySegment.NULL);
    }

    /** Destroys the device and what it holds, unless it was lost (then it is left to the driver). */
    void close() {
        lock.lock();
        try {
            if (lost) return;
            lost = true;
            vk.call("vkDeviceWaitIdle", device);
            for (DeviceBuffer b : staging) if (b != null) free(b);
            staging.clear();
            vk.run("vkDestroyFence", device, fence, MemorySegment.NULL);
            vk.run("vkDestroyCommandPool", device, commandPool, MemorySegment.NULL);
            vk.run("vkDestroyDevice", device, MemorySegment.NULL);
        } finally {
            lock.unlock();
        }
    }
}
