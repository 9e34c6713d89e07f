package dev.phoenix.vgpu.vulkan;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * FFM bindings of the Vulkan loader, libvulkan.so.1: the one exported entry point
 * vkGetInstanceProcAddr is looked up in the library, every other command through it (as the
 * Vulkan spec's "Command Function Pointers" section recommends, so the loader's dispatch is used).
 *
 * <p>Handles are carried as {@code long}: dispatchable handles are pointers and non-dispatchable
 * ones are 64-bit values on the 64-bit hosts Phoenix runs on, and both are passed in integer
 * registers. Structures are written by hand at the offsets of vulkan_core.h for LP64 (each
 * builder names its struct).
 */
final class Vk {
    // VkResult values (vulkan_core.h).
    static final int SUCCESS = 0, NOT_READY = 1, TIMEOUT = 2, INCOMPLETE = 5;
    static final int ERROR_DEVICE_LOST = -4;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemoryLayout L = JAVA_LONG, P = ADDRESS, I = JAVA_INT;

    /** Each command Phoenix calls and its C signature (handles as L, pointers as P, 32-bit as I). */
    private static final Map<String, FunctionDescriptor> SIGNATURES = Map.ofEntries(
            fn("vkCreateInstance", I, P, P, P),
            fn("vkDestroyInstance", null, L, P),
            fn("vkEnumeratePhysicalDevices", I, L, P, P),
            fn("vkGetPhysicalDeviceProperties", null, L, P),
            fn("vkGetPhysicalDeviceFeatures", null, L, P),
            fn("vkGetPhysicalDeviceQueueFamilyProperties", null, L, P, P),
            fn("vkGetPhysicalDeviceMemoryProperties", null, L, P),
            fn("vkEnumerateDeviceExtensionProperties", I, L, P, P, P),
            fn("vkCreateDevice", I, L, P, P, P),
            fn("vkDestroyDevice", null, L, P),
            fn("vkGetDeviceQueue", null, L, I, I, P),
            fn("vkDeviceWaitIdle", I, L),
            fn("vkCreateShaderModule", I, L, P, P, P),
            fn("vkDestroyShaderModule", null, L, L, P),
            fn("vkCreateDescriptorSetLayout", I, L, P, P, P),
            fn("vkDestroyDescriptorSetLayout", null, L, L, P),
            fn("vkCreatePipelineLayout", I, L, P, P, P),
            fn("vkDestroyPipelineLayout", null, L, L, P),
            fn("vkCreateComputePipelines", I, L, L, I, P, P, P),
            fn("vkDestroyPipeline", null, L, L, P),
            fn("vkCreateDescriptorPool", I, L, P, P, P),
            fn("vkDestroyDescriptorPool", null, L, L, P),
            fn("vkResetDescriptorPool", I, L, L, I),
            fn("vkAllocateDescriptorSets", I, L, P, P),
            fn("vkUpdateDescriptorSets", null, L, I, P, I, P),
            fn("vkCreateBuffer", I, L, P, P, P),
            fn("vkDestroyBuffer", null, L, L, P),
            fn("vkGetBufferMemoryRequirements", null, L, L, P),
            fn("vkAllocateMemory", I, L, P, P, P),
            fn("vkFreeMemory", null, L, L, P),
            fn("vkBindBufferMemory", I, L, L, L, L),
            fn("vkMapMemory", I, L, L, L, L, I, P),
            fn("vkUnmapMemory", null, L, L),
            fn("vkGetMemoryHostPointerPropertiesEXT", I, L, I, P, P),
            fn("vkCreateCommandPool", I, L, P, P, P),
            fn("vkDestroyCommandPool", null, L, L, P),
            fn("vkAllocateCommandBuffers", I, L, P, P),
            fn("vkResetCommandBuffer", I, L, I),
            fn("vkBeginCommandBuffer", I, L, P),
            fn("vkEndCommandBuffer", I, L),
            fn("vkCmdBindPipeline", null, L, I, L),
            fn("vkCmdPushConstants", null, L, L, I, I, I, P),
            fn("vkCmdBindDescriptorSets", null, L, I, L, I, I, P, I, P),
            fn("vkCmdDispatch", null, L, I, I, I),
            fn("vkCmdPipelineBarrier", null, L, I, I, I, I, P, I, P, I, P),
            fn("vkQueueSubmit", I, L, I, P, L),
            fn("vkCreateFence", I, L, P, P, P),
            fn("vkDestroyFence", null, L, L, P),
            fn("vkResetFences", I, L, I, P),
            fn("vkWaitForFences", I, L, I, P, I, L),
            fn("vkGetFenceStatus", I, L, L));

    private final MethodHandle getInstanceProcAddr;
    private final Map<String, MethodHandle> handles = new ConcurrentHashMap<>();
    private volatile long instance;

    private Vk(MethodHandle getInstanceProcAddr) {
        this.getInstanceProcAddr = getInstanceProcAddr;
    }

    private static Map.Entry<String, FunctionDescriptor> fn(String name, MemoryLayout result, MemoryLayout... args) {
        return Map.entry(name, result == null ? FunctionDescriptor.ofVoid(args) : FunctionDescriptor.of(result, args));
    }

    /** Loads libvulkan.so.1; throws {@link VulkanUnavailableException} when the host has no loader. */
    static Vk load() throws VulkanUnavailableException {
        SymbolLookup lib;
        try {
            lib = SymbolLookup.libraryLookup("libvulkan.so.1", Arena.global());
        } catch (IllegalArgumentException e) {
            throw new VulkanUnavailableException("libvulkan.so.1 not found (install it: apt-get install -y libvulkan1 mesa-vulkan-drivers)");
        }
        MemorySegment gipa = lib.find("vkGetInstanceProcAddr")
                .orElseThrow(() -> new VulkanUnavailableException("libvulkan.so.1 has no vkGetInstanceProcAddr"));
        return new Vk(LINKER.downcallHandle(gipa, FunctionDescriptor.of(P, L, P)));
    }

    /** Makes later lookups go through {@code instance} (instance and device commands need one). */
    void bindInstance(long instance) {
        this.instance = instance;
        handles.clear();
    }

    /** Whether the loader knows command {@code name} for the bound instance. */
    boolean has(String name) {
        return address(name).address() != 0;
    }

    private MemorySegment address(String name) {
        try (Arena arena = Arena.ofConfined()) {
            return (MemorySegment) getInstanceProcAddr.invokeExact(instance, arena.allocateFrom(name));
        } catch (Throwable t) {
            throw new VulkanException("vkGetInstanceProcAddr(" + name + ") failed: " + t);
        }
    }

    private MethodHandle handle(String name) {
        return handles.computeIfAbsent(name, n -> {
            FunctionDescriptor fd = SIGNATURES.get(n);
            if (fd == null) throw new IllegalArgumentException("no signature for " + n);
            MemorySegment a = address(n);
            if (a.address() == 0) throw new VulkanException(n + " is not provided by the Vulkan loader");
            return LINKER.downcallHandle(a, fd);
        });
    }

    /** Calls a command returning VkResult and returns it. */
    int call(String name, Object... args) {
        try {
            return (int) handle(name).invokeWithArguments(args);
        } catch (VulkanException e) {
            throw e;
        } catch (Throwable t) {
            throw new VulkanException(name + " failed: " + t);
        }
    }

    /** Calls a command returning VkResult and fails unless it is VK_SUCCESS. */
    void check(String name, Object... args) {
        int r = call(name, args);
        if (r != SUCCESS) throw new VulkanException(name + " returned " + r, r);
    }

    /** Calls a command returning void. */
    void run(String name, Object... args) {
        try {
            handle(name).invokeWithArguments(args);
        } catch (Throwable t) {
            throw new VulkanException(name + " failed: " + t);
        }
    }

    /** A zeroed structure of {@code bytes} with its sType set (every Vk*Info starts with one). */
    static MemorySegment struct(Arena arena, long bytes, int sType) {
        MemorySegment s = arena.allocate(bytes, 8);
        s.set(JAVA_INT, 0, sType);
        return s;
    }
}
