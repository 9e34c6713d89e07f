package dev.phoenix.vgpu.vulkan;

/**
 * A Vulkan command failed where Phoenix did nothing wrong by the spec (out of device memory, a lost
 * device, a driver refusing a valid pipeline): a host problem, reported loudly rather than as a
 * guest error.
 */
public final class VulkanException extends RuntimeException {
    /** The VkResult, or 0 when the failure was not a VkResult. */
    private final int result;

    public VulkanException(String message) {
        this(message, 0);
    }

    public VulkanException(String message, int result) {
        super(message);
        this.result = result;
    }

    /** The VkResult the command returned (negative), or 0. */
    public int result() {
        return result;
    }
}
