package dev.phoenix.vgpu.vulkan;

import dev.phoenix.vgpu.ShaderException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A structural check of a SPIR-V module before it reaches a host driver, and the facts about its
 * compute entry point that {@link dev.phoenix.vgpu.Kernel} reports (workgroup size, storage-buffer
 * bindings, push constant size).
 *
 * <p>A driver may crash on a malformed module (drivers trust the SPIR-V they are given, as the
 * Vulkan spec allows them to: "valid usage" is the application's job), so this check is the
 * passthrough's guard: the header (SPIR-V spec 2.3 "Physical Layout"), every instruction's word
 * count, the capabilities against a list the device was opened with, the entry point, and the
 * resources (only storage buffers of descriptor set 0 and one push constant block). It is not a
 * full validator (ids and types are not checked against each other); Phoenix's own SPIR-V
 * validator can replace it where it is stricter.
 */
final class SpirvInfo {
    static final int MAGIC = 0x07230203;

    // Opcodes (SPIR-V spec 3.52).
    private static final int OP_EXTENSION = 10, OP_MEMORY_MODEL = 14, OP_ENTRY_POINT = 15,
            OP_EXECUTION_MODE = 16, OP_CAPABILITY = 17, OP_TYPE_INT = 21, OP_TYPE_FLOAT = 22,
            OP_TYPE_VECTOR = 23, OP_TYPE_MATRIX = 24, OP_TYPE_IMAGE = 25, OP_TYPE_SAMPLER = 26,
            OP_TYPE_SAMPLED_IMAGE = 27, OP_TYPE_ARRAY = 28, OP_TYPE_RUNTIME_ARRAY = 29,
            OP_TYPE_STRUCT = 30, OP_TYPE_POINTER = 32, OP_CONSTANT = 43, OP_CONSTANT_COMPOSITE = 44,
            OP_SPEC_CONSTANT = 50, OP_SPEC_CONSTANT_COMPOSITE = 51, OP_VARIABLE = 59,
            OP_DECORATE = 71, OP_MEMBER_DECORATE = 72, OP_EXECUTION_MODE_ID = 331;
    // Decorations (3.20), storage classes (3.7), execution modes (3.6).
    private static final int DEC_ARRAY_STRIDE = 6, DEC_MATRIX_STRIDE = 7, DEC_BUILTIN = 11,
            DEC_BINDING = 33, DEC_SET = 34, DEC_OFFSET = 35, BUILTIN_WORKGROUP_SIZE = 25;
    private static final int SC_UNIFORM_CONSTANT = 0, SC_UNIFORM = 2, SC_PUSH_CONSTANT = 9,
            SC_STORAGE_BUFFER = 12;
    private static final int MODE_LOCAL_SIZE = 17, MODE_LOCAL_SIZE_ID = 38, MODEL_GL_COMPUTE = 5;

    /** Capability names for refusals a guest can read (SPIR-V spec 3.31). */
    private static final Map<Integer, String> CAPABILITY_NAMES = Map.ofEntries(
            Map.entry(0, "Matrix"), Map.entry(1, "Shader"), Map.entry(4, "Addresses"),
            Map.entry(5, "Linkage"), Map.entry(6, "Kernel"), Map.entry(9, "Float16"),
            Map.entry(10, "Float64"), Map.entry(11, "Int64"), Map.entry(12, "Int64Atomics"),
            Map.entry(22, "Int16"), Map.entry(39, "Int8"));

    final int[] localSize;
    final int bindingCount;
    final int pushConstantBytes;

    private SpirvInfo(int[] localSize, int bindingCount, int pushConstantBytes) {
        this.localSize = localSize;
        this.bindingCount = bindingCount;
        this.pushConstantBytes = pushConstantBytes;
    }

    /** The capability names of {@code ids}, for messages. */
    static String capabilityName(int id) {
        return CAPABILITY_NAMES.getOrDefault(id, "capability " + id);
    }

    /**
     * Checks {@code spirv} and reads entry point {@code entry}'s facts; refuses with a reason for a
     * malformed module, a version past 1.{@code maxMinor}, a capability outside {@code allowedCapabilities}, a missing compute entry
     * point, or a resource the passthrough does not bind.
     */
    static SpirvInfo parse(byte[] spirv, String entry, Set<Integer> allowedCapabilities, int maxMinor, int maxPushBytes)
            throws ShaderException {
        if (spirv == null || spirv.length < 20 || spirv.length % 4 != 0) {
            throw new ShaderException("SPIR-V: not a whole number of words with a 5-word header");
        }
        int[] w = new int[spirv.length / 4];
        ByteBuffer.wrap(spirv).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(w);
        if (w[0] != MAGIC) throw new ShaderException("SPIR-V: bad magic number (little-endian 0x07230203 expected)");
        int major = (w[1] >>> 16) & 0xff, minor = (w[1] >>> 8) & 0xff;
        if ((w[1] & 0xff0000ff) != 0 || major != 1 || minor > maxMinor) {
            throw new ShaderException("SPIR-V: unsupported version " + major + "." + minor);
        }
        int bound = w[3];
        if (bound <= 0 || bound > 4_000_000) throw new ShaderException("SPIR-V: bad id bound " + bound);
        if (w[4] != 0) throw new ShaderException("SPIR-V: reserved schema word is not 0");

        Map<Integer, int[]> types = new HashMap<>();      // id -> instruction words
        Map<Integer, int[]> constants = new HashMap<>();  // id -> instruction words
        Map<Long, Integer> memberOffsets = new HashMap<>(), memberMatrixStride = new HashMap<>();
        Map<Integer, Integer> arrayStride = new HashMap<>(), binding = new HashMap<>(), set = new HashMap<>();
        Map<Integer, int[]> variables = new HashMap<>();  // id -> {pointer type, storage class}
        Integer workgroupSizeId = null, entryFunction = null;
        Map<Integer, int[]> localSizes = new HashMap<>(), localSizeIds = new HashMap<>();
        boolean memoryModel = false, sawEntryName = false;
        Set<Integer> capabilities = new HashSet<>();
        for (int i = 5; i < w.length; ) {
            int count = w[i] >>> 16, op = w[i] & 0xffff;
            if (count == 0 || i + count > w.length) {
                throw new ShaderException("SPIR-V: instruction at word " + i + " has a bad word count " + count);
            }
            int[] ins = java.util.Arrays.copyOfRange(w, i, i + count);
            i += count;
            switch (op) {
                case OP_CAPABILITY -> {
                    need(ins, 2);
                    if (!allowedCapabilities.contains(ins[1])) {
                        throw new ShaderException("SPIR-V: capability " + capabilityName(ins[1]) + " is not supported by this device");
                    }
                    capabilities.add(ins[1]);
                }
                case OP_EXTENSION -> {
                    String ext = string(ins, 1);
                    if (!ext.equals("SPV_KHR_storage_buffer_storage_class")) {
                        throw new ShaderException("SPIR-V: extension " + ext + " is not supported");
                    }
                }
                case OP_MEMORY_MODEL -> { need(ins, 3); memoryModel = true; }
                case OP_ENTRY_POINT -> {
                    need(ins, 4);
                    String name = string(ins, 3);
                    if (name.equals(entry)) {
                        sawEntryName = true;
                        if (ins[1] == MODEL_GL_COMPUTE) entryFunction = ins[2];
                    }
                }
                case OP_EXECUTION_MODE, OP_EXECUTION_MODE_ID -> {
                    need(ins, 3);
                    if (ins[2] == MODE_LOCAL_SIZE && ins.length >= 6) localSizes.put(ins[1], new int[] {ins[3], ins[4], ins[5]});
                    if (ins[2] == MODE_LOCAL_SIZE_ID && ins.length >= 6) localSizeIds.put(ins[1], new int[] {ins[3], ins[4], ins[5]});
                }
                case OP_DECORATE -> {
                    need(ins, 3);
                    if (ins[2] == DEC_BINDING && ins.length >= 4) binding.put(ins[1], ins[3]);
                    if (ins[2] == DEC_SET && ins.length >= 4) set.put(ins[1], ins[3]);
                    if (ins[2] == DEC_ARRAY_STRIDE && ins.length >= 4) arrayStride.put(ins[1], ins[3]);
                    if (ins[2] == DEC_BUILTIN && ins.length >= 4 && ins[3] == BUILTIN_WORKGROUP_SIZE) workgroupSizeId = ins[1];
                }
                case OP_MEMBER_DECORATE -> {
                    need(ins, 4);
                    long key = ((long) ins[1] << 32) | (ins[2] & 0xffffffffL);
                    if (ins[3] == DEC_OFFSET && ins.length >= 5) memberOffsets.put(key, ins[4]);
                    if (ins[3] == DEC_MATRIX_STRIDE && ins.length >= 5) memberMatrixStride.put(key, ins[4]);
                }
                case OP_TYPE_INT, OP_TYPE_FLOAT, OP_TYPE_VECTOR, OP_TYPE_MATRIX, OP_TYPE_ARRAY,
                     OP_TYPE_RUNTIME_ARRAY, OP_TYPE_STRUCT, OP_TYPE_POINTER, OP_TYPE_IMAGE,
                     OP_TYPE_SAMPLER, OP_TYPE_SAMPLED_IMAGE -> { need(ins, 2); id(ins[1], bound); types.put(ins[1], ins); }
                case OP_CONSTANT, OP_SPEC_CONSTANT, OP_CONSTANT_COMPOSITE, OP_SPEC_CONSTANT_COMPOSITE -> {
                    need(ins, 3); id(ins[2], bound); constants.put(ins[2], ins);
                }
                case OP_VARIABLE -> {
                    need(ins, 4); id(ins[2], bound);
                    variables.put(ins[2], new int[] {ins[1], ins[3]});
                }
                default -> { }
            }
        }
        if (!memoryModel) throw new ShaderException("SPIR-V: no OpMemoryModel");
        if (!capabilities.contains(1)) throw new ShaderException("SPIR-V: the module does not declare the Shader capability");
        if (entryFunction == null) {
            throw new ShaderException(sawEntryName ? "SPIR-V: entry point '" + entry + "' is not a GLCompute entry point"
                    : "SPIR-V: no entry point named '" + entry + "'");
        }

        int[] size = localSizes.get(entryFunction);
        if (workgroupSizeId != null) size = compositeValues(constants, workgroupSizeId);
        else if (size == null && localSizeIds.containsKey(entryFunction)) {
            int[] ids = localSizeIds.get(entryFunction);
            size = new int[] {scalar(constants, ids[0]), scalar(constants, ids[1]), scalar(constants, ids[2])};
        }
        if (size == null) throw new ShaderException("SPIR-V: entry point '" + entry + "' has no workgroup size");
        for (int s : size) if (s <= 0) throw new ShaderException("SPIR-V: workgroup size must be positive");

        int bindings = 0, push = 0;
        for (var v : variables.entrySet()) {
            int storage = v.getValue()[1];
            int id = v.getKey();
            switch (storage) {
                case SC_STORAGE_BUFFER, SC_UNIFORM -> {
                    if (storage == SC_UNIFORM && !isBufferBlock(v.getValue()[0], types)) {
                        throw new ShaderException("SPIR-V: uniform buffers are not supported (only storage buffers)");
                    }
                    if (set.getOrDefault(id, -1) != 0) throw new ShaderException("SPIR-V: only descriptor set 0 is supported");
                    int b = binding.getOrDefault(id, -1);
                    if (b < 0 || b >= 64) throw new ShaderException("SPIR-V: storage buffer binding out of range 0..63");
                    bindings = Math.max(bindings, b + 1);
                }
                case SC_UNIFORM_CONSTANT -> throw new ShaderException("SPIR-V: images and samplers are not supported");
                case SC_PUSH_CONSTANT -> {
                    int[] ptr = types.get(v.getValue()[0]);
                    if (ptr == null || ptr[0] != ((4 << 16) | OP_TYPE_POINTER)) throw new ShaderException("SPIR-V: bad push constant type");
                    push = Math.max(push, sizeOf(ptr[3], types, constants, memberOffsets, memberMatrixStride, arrayStride, 0));
                }
                default -> { }
            }
        }
        if (push > maxPushBytes) throw new ShaderException("SPIR-V: push constants of " + push + " bytes exceed " + maxPushBytes);
        return new SpirvInfo(size, bindings, (push + 3) & ~3);
    }

    /** Whether a Uniform-class pointer points at a BufferBlock struct (the pre-1.3 storage buffer). */
    private static boolean isBufferBlock(int pointerType, Map<Integer, int[]> types) {
        // glslc emits StorageBuffer for SPIR-V 1.3+; for older targets a storage buffer is a Uniform
        // pointer whose struct is decorated BufferBlock. Decorations are not kept per struct here,
        // so any Uniform struct is taken for one: the driver rejects a mismatch against the layout.
        int[] ptr = types.get(pointerType);
        return ptr != null && ptr.length >= 4 && types.containsKey(ptr[3]);
    }

    /** The size in bytes of a type laid out with explicit offsets and strides (std430/std140). */
    private static int sizeOf(int type, Map<Integer, int[]> types, Map<Integer, int[]> constants,
                              Map<Long, Integer> offsets, Map<Long, Integer> matrixStrides,
                              Map<Integer, Integer> arrayStrides, int depth) throws ShaderException {
        int[] t = types.get(type);
        if (t == null || depth > 16) throw new ShaderException("SPIR-V: push constant block has an unknown type");
        switch (t[0] & 0xffff) {
            case OP_TYPE_INT, OP_TYPE_FLOAT -> { need(t, 3); return Math.max(1, t[2] / 8); }
            case OP_TYPE_VECTOR -> { need(t, 4); return t[3] * sizeOf(t[2], types, constants, offsets, matrixStrides, arrayStrides, depth + 1); }
            case OP_TYPE_MATRIX -> { need(t, 4); return t[3] * sizeOf(t[2], types, constants, offsets, matrixStrides, arrayStrides, depth + 1); }
            case OP_TYPE_ARRAY -> {
                need(t, 4);
                int n = scalar(constants, t[3]);
                Integer stride = arrayStrides.get(type);
                int elem = stride != null ? stride : sizeOf(t[2], types, constants, offsets, matrixStrides, arrayStrides, depth + 1);
                long total = (long) n * elem;
                if (total > 1 << 20) throw new ShaderException("SPIR-V: push constant array too large");
                return (int) total;
            }
            case OP_TYPE_STRUCT -> {
                int end = 0;
                for (int m = 0; m + 2 < t.length; m++) {
                    long key = ((long) type << 32) | m;
                    int off = offsets.getOrDefault(key, 0);
                    int member = sizeOf(t[m + 2], types, constants, offsets, matrixStrides, arrayStrides, depth + 1);
                    int[] mt = types.get(t[m + 2]);
                    if (mt != null && (mt[0] & 0xffff) == OP_TYPE_MATRIX && matrixStrides.containsKey(key)) {
                        member = mt[3] * matrixStrides.get(key);
                    }
                    end = Math.max(end, off + member);
                }
                return end;
            }
            default -> throw new ShaderException("SPIR-V: push constant block has an unsupported member type");
        }
    }

    private static int[] compositeValues(Map<Integer, int[]> constants, int id) throws ShaderException {
        int[] c = constants.get(id);
        if (c == null || c.length != 6) throw new ShaderException("SPIR-V: WorkgroupSize is not a 3-component constant");
        return new int[] {scalar(constants, c[3]), scalar(constants, c[4]), scalar(constants, c[5])};
    }

    private static int scalar(Map<Integer, int[]> constants, int id) throws ShaderException {
        int[] c = constants.get(id);
        int op = c == null ? -1 : c[0] & 0xffff;
        if ((op != OP_CONSTANT && op != OP_SPEC_CONSTANT) || c.length < 4) {
            throw new ShaderException("SPIR-V: id " + id + " is not a scalar constant");
        }
        return c[3];
    }

    private static void need(int[] ins, int words) throws ShaderException {
        if (ins.length < words) throw new ShaderException("SPIR-V: opcode " + (ins[0] & 0xffff) + " is too short");
    }

    private static void id(int id, int bound) throws ShaderException {
        if (id <= 0 || id >= bound) throw new ShaderException("SPIR-V: id " + id + " outside the bound " + bound);
    }

    /** A nul-terminated literal string starting at word {@code from} (SPIR-V spec 2.2.1). */
    private static String string(int[] ins, int from) throws ShaderException {
        byte[] bytes = new byte[(ins.length - from) * 4];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().put(ins, from, ins.length - from);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 0) return new String(bytes, 0, i, StandardCharsets.UTF_8);
        }
        throw new ShaderException("SPIR-V: literal string without its terminating nul");
    }
}
