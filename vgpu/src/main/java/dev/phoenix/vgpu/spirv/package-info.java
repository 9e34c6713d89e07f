/**
 * Phoenix's own SPIR-V executor: {@link dev.phoenix.vgpu.spirv.JvmExecutor} parses and validates
 * a module ({@code SpirvModule}), compiles its compute entry point to a hidden JVM class with the
 * {@code java.lang.classfile} API ({@code KernelCompiler}, with {@code Memory}, {@code Ops} and
 * {@code GlslStd450} for the instructions) and runs workgroups on host threads ({@code JvmKernel}).
 * The generated code calls {@code Rt} for robust memory access, atomics and SPIR-V arithmetic, and
 * reads its workgroup's state from a {@code Ctx}, one per host thread, so no locks are taken.
 */
package dev.phoenix.vgpu.spirv;
