package dev.phoenix.vgpu.vulkan;

/**
 * The host cannot run the passthrough: no Vulkan loader, no device with a compute queue, or a
 * device without robust buffer access. {@code phoenix run --vgpu vulkan} prints the message on one
 * line and exits with its own status.
 */
public final class VulkanUnavailableException extends Exception {
    public VulkanUnavailableException(String message) {
        super(message, null, false, false);
    }
}
