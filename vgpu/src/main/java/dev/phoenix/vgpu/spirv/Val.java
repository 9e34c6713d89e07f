package dev.phoenix.vgpu.spirv;

/**
 * What an SPIR-V id stands for while a function is compiled: scalar components in JVM locals
 * ({@link Reg}), a constant ({@link Cst}), or a pointer ({@link MemPtr} into a buffer, push
 * constants or shared memory; {@link LocPtr} to a Function or Private variable held in locals;
 * {@link InPtr} to a built-in input).
 */
sealed interface Val {
    /** {@code n} components of kind {@code kind} in locals {@code base}, {@code base + w}, ... */
    record Reg(char kind, int base, int n) implements Val {
        int slot(int i) {
            return base + i * (kind == 'J' || kind == 'D' ? 2 : 1);
        }
    }

    record Cst(char kind, long[] bits) implements Val {}

    /**
     * A pointer into memory: the local holding the segment, the local holding a dynamic byte offset
     * (-1 when none) plus a constant one, the type pointed to, and the strides of the enclosing
     * matrix (0 when not in a matrix) and of vector components.
     */
    record MemPtr(int seg, int offSlot, long off, Type pointee, int matStride, boolean rowMajor, int compStride)
            implements Val {}

    /** A pointer to components {@code comp..} of a variable held in locals. */
    record LocPtr(Reg var, int comp, Type pointee) implements Val {}

    /** A pointer to components {@code comp..} of a built-in input. */
    record InPtr(int builtin, int comp, Type pointee) implements Val {}
}
