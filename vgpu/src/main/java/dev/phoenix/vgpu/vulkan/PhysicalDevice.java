package dev.phoenix.vgpu.vulkan;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What Phoenix needs to know of one host VkPhysicalDevice: its name and type, a queue family with
 * compute, its memory types, the limits a dispatch must respect, the optional features its shaders
 * may use and the extensions it offers. Read once at {@link VulkanExecutor#open()}.
 *
 * @param handle                 the VkPhysicalDevice
 * @param name                   deviceName, as vulkaninfo prints it
 * @param type                   VkPhysicalDeviceType (1 integrated, 2 discrete, 3 virtual, 4 cpu)
 * @param apiVersion             the Vulkan version the device supports
 * @param queueFamily            a queue family index with VK_QUEUE_COMPUTE_BIT
 * @param memoryTypeFlags        propertyFlags of each memory type
 * @param maxStorageBufferRange  the largest storage-buffer descriptor range
 * @param maxPushConstantsSize   the largest push constant block
 * @param maxWorkGroupCount      maxComputeWorkGroupCount x, y, z
 * @param features               the VkPhysicalDeviceFeatures the device has (55 VkBool32s)
 * @param extensions             the device extension names
 */
record PhysicalDevice(long handle, String name, int type, int apiVersion, int queueFamily,
                      int[] memoryTypeFlags, long maxStorageBufferRange, int maxPushConstantsSize,
                      int[] maxWorkGroupCount, int[] features, Set<String> extensions) {
    // VkPhysicalDeviceFeatures members, by index (vulkan_core.h order).
    static final int ROBUST_BUFFER_ACCESS = 0, SHADER_FLOAT64 = 39, SHADER_INT64 = 40, SHADER_INT16 = 41;
    static final int QUEUE_COMPUTE = 2;

    boolean has(int feature) {
        return features[feature] != 0;
    }

    /** The highest SPIR-V minor version the device takes (Vulkan 1.0: 1.0, 1.1: 1.3, 1.2: 1.5, 1.3: 1.6). */
    int maxSpirvMinor() {
        int minor = (apiVersion >>> 12) & 0x3ff;
        return switch (Math.min(minor, 3)) {
            case 0 -> 0;
            case 1 -> 3;
            case 2 -> 5;
            default -> 6;
        };
    }

    /** A rank for choosing among devices: a discrete GPU first, then integrated, virtual, CPU. */
    int preference() {
        return switch (type) {
            case 2 -> 4;
            case 1 -> 3;
            case 3 -> 2;
            case 4 -> 1;
            default -> 0;
        };
    }

    /** Every physical device of {@code instance} that has a compute queue. */
    static List<PhysicalDevice> enumerate(Vk vk, long instance) {
        List<PhysicalDevice> out = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment count = arena.allocate(JAVA_INT);
            vk.check("vkEnumeratePhysicalDevices", instance, count, MemorySegment.NULL);
            int n = count.get(JAVA_INT, 0);
            if (n == 0) return out;
            MemorySegment handles = arena.allocate(ADDRESS, n);
            int r = vk.call("vkEnumeratePhysicalDevices", instance, count, handles);
            if (r != Vk.SUCCESS && r != Vk.INCOMPLETE) throw new VulkanException("vkEnumeratePhysicalDevices returned " + r, r);
            n = count.get(JAVA_INT, 0);
            for (int i = 0; i < n; i++) {
                PhysicalDevice d = read(vk, arena, handles.getAtIndex(JAVA_LONG, i));
                if (d != null) out.add(d);
            }
        }
        return out;
    }

    private static PhysicalDevice read(Vk vk, Arena arena, long pd) {
        MemorySegment props = arena.allocate(1024, 8);  // VkPhysicalDeviceProperties is 824 bytes
        vk.run("vkGetPhysicalDeviceProperties", pd, props);
        int api = props.get(JAVA_INT, 0);
        int type = props.get(JAVA_INT, 16);
        String name = props.asSlice(20, 256).getString(0, StandardCharsets.UTF_8);
        long limits = 296;  // offsetof(VkPhysicalDeviceProperties, limits)
        long maxRange = Integer.toUnsignedLong(props.get(JAVA_INT, limits + 28));
        int maxPush = props.get(JAVA_INT, limits + 32);
        int[] maxGroups = {props.get(JAVA_INT, limits + 220), props.get(JAVA_INT, limits + 224), props.get(JAVA_INT, limits + 228)};

        MemorySegment count = arena.allocate(JAVA_INT);
        vk.run("vkGetPhysicalDeviceQueueFamilyProperties", pd, count, MemorySegment.NULL);
        int families = count.get(JAVA_INT, 0);
        MemorySegment qf = arena.allocate(24L * Math.max(1, families), 8);
        vk.run("vkGetPhysicalDeviceQueueFamilyProperties", pd, count, qf);
        int family = -1;
        for (int i = 0; i < count.get(JAVA_INT, 0); i++) {
            int flags = qf.get(JAVA_INT, 24L * i);
            if ((flags & QUEUE_COMPUTE) != 0) {
                family = i;
                break;
            }
        }
        if (family < 0) return null;

        MemorySegment mem = arena.allocate(520, 8);  // VkPhysicalDeviceMemoryProperties
        vk.run("vkGetPhysicalDeviceMemoryProperties", pd, mem);
        int[] memTypes = new int[mem.get(JAVA_INT, 0)];
        for (int i = 0; i < memTypes.length; i++) memTypes[i] = mem.get(JAVA_INT, 4 + 8L * i);

        MemorySegment feats = arena.allocate(220, 8);
        vk.run("vkGetPhysicalDeviceFeatures", pd, feats);
        int[] features = feats.toArray(JAVA_INT);

        Set<String> extensions = new HashSet<>();
        vk.check("vkEnumerateDeviceExtensionProperties", pd, MemorySegment.NULL, count, MemorySegment.NULL);
        int ne = count.get(JAVA_INT, 0);
        MemorySegment exts = arena.allocate(260L * Math.max(1, ne), 8);
        int r = vk.call("vkEnumerateDeviceExtensionProperties", pd, MemorySegment.NULL, count, exts);
        if (r == Vk.SUCCESS || r == Vk.INCOMPLETE) {
            for (int i = 0; i < count.get(JAVA_INT, 0); i++) {
                extensions.add(exts.asSlice(260L * i, 256).getString(0, StandardCharsets.UTF_8));
            }
        }
        return new PhysicalDevice(pd, name, type, api, family, memTypes, maxRange, maxPush, maxGroups, features, Set.copyOf(extensions));
    }
}
