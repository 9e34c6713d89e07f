package dev.phoenix.vgpu.spirv;

/**
 * A SPIR-V type (section 2.9) as the compiler sees it. Scalars and the vectors and matrices built
 * from them are held in JVM locals, one per component ({@link #components}); arrays and structs
 * exist only in memory, reached through pointers, with the byte layout their decorations give
 * (std430 for buffers) or a natural one (shared memory).
 */
sealed interface Type {
    /** JVM kind of a scalar: 'I' (int and bool), 'J' (64-bit int), 'F', 'D'; 0 for others. */
    default char kind() {
        return 0;
    }

    /** How many scalar components a value of this type has in locals (0: not held in locals). */
    default int components() {
        return 0;
    }

    /** The scalar type of the components. */
    default Type scalar() {
        return this;
    }

    record Void() implements Type {}

    record Bool() implements Type {
        public char kind() { return 'I'; }
        public int components() { return 1; }
    }

    record Int(int width, boolean signed) implements Type {
        public char kind() { return width == 64 ? 'J' : 'I'; }
        public int components() { return 1; }
    }

    record Float(int width) implements Type {
        public char kind() { return width == 64 ? 'D' : 'F'; }
        public int components() { return 1; }
    }

    record Vector(Type elem, int n) implements Type {
        public char kind() { return elem.kind(); }
        public int components() { return n; }
        public Type scalar() { return elem; }
    }

    /** Column-major: {@code cols} columns of type {@code col}. */
    record Matrix(Vector col, int cols) implements Type {
        public char kind() { return col.kind(); }
        public int components() { return col.n() * cols; }
        public Type scalar() { return col.elem(); }
    }

    /** {@code length} is -1 for a runtime array; {@code stride} is 0 when not decorated. */
    record Array(Type elem, long length, int stride) implements Type {}

    /** Member offsets, matrix strides (0 undecorated) and row-major flags from the decorations. */
    record Struct(Type[] members, int[] offsets, int[] matrixStride, boolean[] rowMajor, boolean block)
            implements Type {}

    record Pointer(int storage, Type pointee) implements Type {}

    record Function(Type ret, Type[] params) implements Type {}

    /** Bytes of one scalar of a kind. */
    static int scalarBytes(Type t) {
        return switch (t.scalar()) {
            case Int i -> i.width() / 8;
            case Float f -> f.width() / 8;
            default -> 4;
        };
    }

    /** Size in bytes with the natural layout (used where no decoration says, as in shared memory). */
    static long naturalSize(Type t) {
        return switch (t) {
            case Bool b -> 4;
            case Int i -> i.width() / 8;
            case Float f -> f.width() / 8;
            case Vector v -> (long) v.n() * scalarBytes(v);
            case Matrix m -> m.cols() * naturalSize(m.col());
            case Array a -> a.length() < 0 ? 0 : a.length() * stride(a);
            case Struct s -> s.members().length == 0 ? 0
                    : offset(s, s.members().length - 1) + naturalSize(s.members()[s.members().length - 1]);
            default -> 0;
        };
    }

    /** The stride of an array: its ArrayStride, or the natural size of its element rounded to 4. */
    static long stride(Array a) {
        if (a.stride() > 0) return a.stride();
        long sz = naturalSize(a.elem());
        return Math.max(4, (sz + 3) & ~3L);
    }

    /** The byte offset of member {@code i}: its Offset decoration, or packed after the previous one. */
    static long offset(Struct s, int i) {
        if (s.offsets()[i] >= 0) return s.offsets()[i];
        long off = 0;
        for (int j = 0; j < i; j++) {
            long start = s.offsets()[j] >= 0 ? s.offsets()[j] : off;
            off = (start + naturalSize(s.members()[j]) + 3) & ~3L;
        }
        return off;
    }
}
