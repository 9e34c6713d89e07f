package dev.phoenix.vgpu;

/**
 * A shader the executor refuses: malformed SPIR-V, a capability or instruction it does not
 * support, a missing entry point. The message is the reason, as vgpu_last_error gives it to the guest.
 */
public final class ShaderException extends Exception {
    public ShaderException(String reason) {
        super(reason, null, false, false);
    }
}
