package dev.phoenix.vgpu;

/**
 * What runs compute shaders for the virtual GPU: Phoenix's own executor (SPIR-V compiled to JVM
 * bytecode) or a host Vulkan device. An executor is shared by every context of a device; it
 * validates a SPIR-V module and makes a {@link Kernel} of one entry point.
 */
public interface Executor extends AutoCloseable {
    /** A short name for messages and benchmarks ("phoenix", "vulkan"). */
    String name();

    /**
     * Validates {@code spirv} (a SPIR-V module, little-endian words) and compiles its compute
     * entry point {@code entryPoint}. Throws {@link ShaderException} with a reason a guest can read
     * for a malformed module, a capability or instruction outside what the executor supports, or a
     * missing entry point; never anything else for any input.
     */
    Kernel compile(byte[] spirv, String entryPoint) throws ShaderException;

    /** Lets go of what the executor holds (threads, a host device); kernels made by it stop working. */
    @Override
    void close();
}
