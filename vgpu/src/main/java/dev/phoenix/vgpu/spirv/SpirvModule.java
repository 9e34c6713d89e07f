package dev.phoenix.vgpu.spirv;

import static dev.phoenix.vgpu.spirv.Spirv.*;

import dev.phoenix.vgpu.ShaderException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed and validated SPIR-V module (Khronos SPIR-V specification, section 2.3 "Physical Layout
 * of a SPIR-V Module and Instruction"): the header, the capabilities, the types, constants and
 * global variables with their decorations, and the functions as lists of blocks. Everything outside
 * the compute subset Phoenix runs is refused here with the name of what was refused, so the
 * compiler only meets instructions it knows.
 */
final class SpirvModule {
    /** One instruction: its opcode and operand words (the word count and opcode word excluded). */
    record Insn(int op, int[] w) {
        int word(int i) throws ShaderException {
            if (i >= w.length) throw new ShaderException(opName(op) + ": too few operands");
            return w[i];
        }

        int count() {
            return w.length;
        }

        /** A literal string starting at operand {@code i} (nul-terminated UTF-8 in words). */
        String string(int i) throws ShaderException {
            var bytes = new java.io.ByteArrayOutputStream();
            for (int k = i; k < w.length; k++) {
                for (int b = 0; b < 4; b++) {
                    int c = (w[k] >>> (8 * b)) & 0xff;
                    if (c == 0) return bytes.toString(StandardCharsets.UTF_8);
                    bytes.write(c);
                }
            }
            throw new ShaderException(opName(op) + ": unterminated string");
        }

        /** Words consumed by the string at operand {@code i}. */
        int stringWords(int i) throws ShaderException {
            return string(i).getBytes(StandardCharsets.UTF_8).length / 4 + 1;
        }
    }

    /** A basic block: its label id, its instructions in order (OpPhi first), the terminator last. */
    record Block(int label, List<Insn> insns) {}

    /** A function: its id, result type, parameter ids and blocks, the first being its entry. */
    record Func(int id, Type ret, int[] params, List<Block> blocks) {}

    /** A global OpVariable. */
    record Var(int id, Type.Pointer type, int init) {}

    /** A constant: its type and its scalar components' bits (floats as raw bits). */
    record Const(Type type, long[] bits) {}

    final int version;
    final int bound;
    final Map<Integer, Type> types = new HashMap<>();
    final Map<Integer, Const> constants = new HashMap<>();
    final Map<Integer, Var> globals = new HashMap<>();
    final Map<Integer, Func> functions = new HashMap<>();
    final Map<Integer, String> extSets = new HashMap<>();
    /** Result type of every id that has one (constants, variables, instructions in functions). */
    final Map<Integer, Type> resultTypes = new HashMap<>();
    final Map<Integer, Map<Integer, Integer>> decorations = new HashMap<>();
    final Map<Integer, Map<Integer, Map<Integer, Integer>>> memberDecorations = new HashMap<>();
    final Map<String, Integer> entryPoints = new HashMap<>();
    final Map<Integer, int[]> localSize = new HashMap<>();
    final Map<Integer, int[]> localSizeId = new HashMap<>();
    boolean int64, float64;

    private final List<Insn> insns = new ArrayList<>();

    private SpirvModule(int version, int bound) {
        this.version = version;
        this.bound = bound;
    }

    /** Parses {@code bytes}, little- or big-endian words as the magic number says. */
    static SpirvModule parse(byte[] bytes) throws ShaderException {
        if (bytes == null || bytes.length < 20) throw new ShaderException("SPIR-V module too short for its header");
        if (bytes.length % 4 != 0) throw new ShaderException("SPIR-V module size is not a multiple of 4");
        var buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (buf.getInt(0) != MAGIC) {
            buf.order(ByteOrder.BIG_ENDIAN);
            if (buf.getInt(0) != MAGIC) throw new ShaderException("bad SPIR-V magic number");
        }
        int[] words = new int[bytes.length / 4];
        buf.asIntBuffer().get(words);
        int version = words[1];
        if ((version & 0xff0000ff) != 0 || version < 0x10000 || version > 0x10600) {
            throw new ShaderException("unsupported SPIR-V version 0x" + Integer.toHexString(version));
        }
        int bound = words[3];
        if (bound <= 0 || bound > 4_000_000) throw new ShaderException("bad id bound " + bound);
        var m = new SpirvModule(version, bound);
        for (int i = 5; i < words.length; ) {
            int count = words[i] >>> 16, op = words[i] & 0xffff;
            if (count == 0) throw new ShaderException("word count 0 at word " + i);
            if (i + count > words.length) throw new ShaderException(opName(op) + " at word " + i + ": word count " + count + " past the end of the module");
            int[] w = new int[count - 1];
            System.arraycopy(words, i + 1, w, 0, count - 1);
            m.insns.add(new Insn(op, w));
            i += count;
        }
        m.build();
        return m;
    }

    private void checkId(int id) throws ShaderException {
        if (id <= 0 || Integer.compareUnsigned(id, bound) >= 0) throw new ShaderException("id %" + Integer.toUnsignedString(id) + " out of the bound " + bound);
    }

    Type type(int id) throws ShaderException {
        Type t = types.get(id);
        if (t == null) throw new ShaderException("%" + Integer.toUnsignedString(id) + " is not a type defined before its use");
        return t;
    }

    int decoration(int id, int dec, int dflt) {
        var d = decorations.get(id);
        if (d == null) return dflt;
        return d.getOrDefault(dec, dflt);
    }

    int memberDecoration(int id, int member, int dec, int dflt) {
        var d = memberDecorations.get(id);
        if (d == null || d.get(member) == null) return dflt;
        return d.get(member).getOrDefault(dec, dflt);
    }

    private void define(int id, Type resultType) throws ShaderException {
        checkId(id);
        if (resultTypes.containsKey(id) || types.containsKey(id)) throw new ShaderException("%" + id + " defined twice");
        resultTypes.put(id, resultType);
    }

    /** Walks the instructions in the order of section 2.4 "Logical Layout of a Module". */
    private void build() throws ShaderException {
        Func func = null;
        Block block = null;
        boolean shader = false;
        for (Insn in : insns) {
            int[] w = in.w();
            switch (in.op()) {
                case OpNop, OpSource, OpSourceContinued, OpSourceExtension, OpName, OpMemberName, OpString,
                        OpLine, OpNoLine, OpModuleProcessed, OpMemoryModel, OpDecorateString,
                        OpMemberDecorateString -> {}
                case OpCapability -> {
                    int cap = in.word(0);
                    switch (cap) {
                        case CAP_Shader -> shader = true;
                        case CAP_Matrix -> {}
                        case CAP_Int64 -> int64 = true;
                        case CAP_Float64 -> float64 = true;
                        default -> throw new ShaderException("unsupported capability " + capName(cap));
                    }
                }
                case OpExtension -> {
                    String ext = in.string(0);
                    if (!ext.equals("SPV_KHR_storage_buffer_storage_class")) throw new ShaderException("unsupported extension " + ext);
                }
                case OpExtInstImport -> {
                    define(in.word(0), null);
                    String set = in.string(1);
                    if (!set.equals("GLSL.std.450")) throw new ShaderException("unsupported extended instruction set " + set);
                    extSets.put(in.word(0), set);
                }
                case OpEntryPoint -> {
                    if (in.word(0) != EM_GLCompute) throw new ShaderException("entry point of execution model " + in.word(0) + " is not GLCompute");
                    entryPoints.put(in.string(2), in.word(1));
                }
                case OpExecutionMode, OpExecutionModeId -> {
                    int mode = in.word(1);
                    if (mode == EXEC_LocalSize) localSize.put(in.word(0), new int[] {in.word(2), in.word(3), in.word(4)});
                    else if (mode == EXEC_LocalSizeId) localSizeId.put(in.word(0), new int[] {in.word(2), in.word(3), in.word(4)});
                    else throw new ShaderException("unsupported execution mode " + mode);
                }
                case OpDecorate, OpDecorateId -> {
                    checkId(in.word(0));
                    int dec = in.word(1);
                    decorations.computeIfAbsent(in.word(0), k -> new HashMap<>()).put(dec, w.length > 2 ? w[2] : 1);
                }
                case OpMemberDecorate -> {
                    checkId(in.word(0));
                    int dec = in.word(2);
                    memberDecorations.computeIfAbsent(in.word(0), k -> new HashMap<>())
                            .computeIfAbsent(in.word(1), k -> new HashMap<>()).put(dec, w.length > 3 ? w[3] : 1);
                }
                case OpTypeVoid, OpTypeBool, OpTypeInt, OpTypeFloat, OpTypeVector, OpTypeMatrix, OpTypeArray,
                        OpTypeRuntimeArray, OpTypeStruct, OpTypePointer, OpTypeFunction -> {
                    int id = in.word(0);
                    define(id, null);
                    types.put(id, makeType(in));
                }
                case OpConstantTrue, OpConstantFalse, OpSpecConstantTrue, OpSpecConstantFalse -> {
                    Type t = type(in.word(0));
                    define(in.word(1), t);
                    boolean v = in.op() == OpConstantTrue || in.op() == OpSpecConstantTrue;
                    constants.put(in.word(1), new Const(t, new long[] {v ? 1 : 0}));
                }
                case OpConstant, OpSpecConstant -> {
                    Type t = type(in.word(0));
                    define(in.word(1), t);
                    long bits;
                    if (t instanceof Type.Int it) {
                        bits = it.width() == 64 ? (in.word(2) & 0xffffffffL) | ((long) in.word(3) << 32)
                                : (it.signed() ? (long) in.word(2) : in.word(2) & 0xffffffffL);
                        if (it.width() == 32) bits = in.word(2);
                    } else if (t instanceof Type.Float ft) {
                        bits = ft.width() == 64 ? (in.word(2) & 0xffffffffL) | ((long) in.word(3) << 32) : in.word(2);
                    } else throw new ShaderException(opName(in.op()) + " of a type that is not a scalar");
                    constants.put(in.word(1), new Const(t, new long[] {bits}));
                }
                case OpConstantComposite, OpSpecConstantComposite -> {
                    Type t = type(in.word(0));
                    define(in.word(1), t);
                    if (t.components() == 0) {
                        constants.put(in.word(1), new Const(t, null));  // an array or struct constant: not held in locals
                        break;
                    }
                    long[] bits = new long[t.components()];
                    int k = 0;
                    for (int i = 2; i < w.length; i++) {
                        Const c = constants.get(w[i]);
                        if (c == null || c.bits() == null) throw new ShaderException(opName(in.op()) + ": constituent %" + w[i] + " is not a constant");
                        for (long b : c.bits()) {
                            if (k >= bits.length) throw new ShaderException(opName(in.op()) + ": too many constituents");
                            bits[k++] = b;
                        }
                    }
                    if (k != bits.length) throw new ShaderException(opName(in.op()) + ": too few constituents");
                    constants.put(in.word(1), new Const(t, bits));
                }
                case OpConstantNull -> {
                    Type t = type(in.word(0));
                    define(in.word(1), t);
                    constants.put(in.word(1), new Const(t, t.components() == 0 ? null : new long[t.components()]));
                }
                case OpUndef -> {
                    Type t = type(in.word(0));
                    define(in.word(1), t);
                    if (func == null) constants.put(in.word(1), new Const(t, t.components() == 0 ? null : new long[t.components()]));
                    else if (block != null) block.insns().add(in);
                }
                case OpVariable -> {
                    Type t = type(in.word(0));
                    if (!(t instanceof Type.Pointer pt)) throw new ShaderException("OpVariable of a type that is not a pointer");
                    define(in.word(1), t);
                    if (in.word(2) != pt.storage()) throw new ShaderException("OpVariable storage class differs from its pointer type's");
                    if (func == null) {
                        checkStorage(pt.storage());
                        globals.put(in.word(1), new Var(in.word(1), pt, w.length > 3 ? w[3] : 0));
                    } else {
                        if (pt.storage() != SC_Function) throw new ShaderException("OpVariable in a function must be of the Function storage class");
                        if (block == null) throw new ShaderException("OpVariable outside a block");
                        block.insns().add(in);
                    }
                }
                case OpFunction -> {
                    if (func != null) throw new ShaderException("OpFunction inside a function");
                    Type ret = type(in.word(0));
                    define(in.word(1), ret);
                    if (!(type(in.word(3)) instanceof Type.Function)) throw new ShaderException("OpFunction of a type that is not a function type");
                    func = new Func(in.word(1), ret, new int[0], new ArrayList<>());
                    functions.put(in.word(1), func);
                }
                case OpFunctionParameter -> {
                    if (func == null || block != null) throw new ShaderException("OpFunctionParameter outside a function's head");
                    define(in.word(1), type(in.word(0)));
                    int[] p = java.util.Arrays.copyOf(func.params(), func.params().length + 1);
                    p[p.length - 1] = in.word(1);
                    func = new Func(func.id(), func.ret(), p, func.blocks());
                    functions.put(func.id(), func);
                }
                case OpFunctionEnd -> {
                    if (func == null) throw new ShaderException("OpFunctionEnd outside a function");
                    if (block != null) throw new ShaderException("block %" + block.label() + " has no terminator");
                    if (func.blocks().isEmpty()) throw new ShaderException("function %" + func.id() + " has no body");
                    func = null;
                }
                case OpLabel -> {
                    if (func == null) throw new ShaderException("OpLabel outside a function");
                    if (block != null) throw new ShaderException("block %" + block.label() + " has no terminator");
                    define(in.word(0), null);
                    block = new Block(in.word(0), new ArrayList<>());
                    func.blocks().add(block);
                }
                default -> {
                    if (block == null) throw new ShaderException(opName(in.op()) + " outside a block");
                    block.insns().add(in);
                    if (hasResult(in.op())) define(in.word(1), type(in.word(0)));
                    switch (in.op()) {
                        case OpBranch, OpBranchConditional, OpSwitch, OpReturn, OpReturnValue, OpUnreachable -> block = null;
                        case OpKill -> throw new ShaderException("OpKill is not allowed in a compute shader");
                        default -> {}
                    }
                }
            }
        }
        if (func != null) throw new ShaderException("function %" + func.id() + " has no OpFunctionEnd");
        if (!shader) throw new ShaderException("the module does not declare the Shader capability");
    }

    private static void checkStorage(int sc) throws ShaderException {
        switch (sc) {
            case SC_Input, SC_Uniform, SC_Workgroup, SC_Private, SC_PushConstant, SC_StorageBuffer -> {}
            default -> throw new ShaderException("unsupported storage class " + sc + " for a global variable");
        }
    }

    /** Instructions inside functions whose operands are (result type, result id, ...). */
    private static boolean hasResult(int op) {
        return switch (op) {
            case OpStore, OpCopyMemory, OpControlBarrier, OpMemoryBarrier, OpAtomicStore, OpLoopMerge,
                    OpSelectionMerge, OpBranch, OpBranchConditional, OpSwitch, OpKill, OpReturn, OpReturnValue,
                    OpUnreachable, OpNop, OpLine, OpNoLine -> false;
            default -> true;
        };
    }

    private Type makeType(Insn in) throws ShaderException {
        int[] w = in.w();
        int id = in.word(0);
        return switch (in.op()) {
            case OpTypeVoid -> new Type.Void();
            case OpTypeBool -> new Type.Bool();
            case OpTypeInt -> {
                int width = in.word(1);
                if (width != 32 && !(width == 64 && int64)) throw new ShaderException("unsupported integer width " + width);
                yield new Type.Int(width, in.word(2) != 0);
            }
            case OpTypeFloat -> {
                int width = in.word(1);
                if (width != 32 && !(width == 64 && float64)) throw new ShaderException("unsupported float width " + width);
                yield new Type.Float(width);
            }
            case OpTypeVector -> {
                Type e = type(in.word(1));
                int n = in.word(2);
                if (e.components() != 1 || e instanceof Type.Vector || n < 2 || n > 16) throw new ShaderException("bad vector type %" + id);
                yield new Type.Vector(e, n);
            }
            case OpTypeMatrix -> {
                Type c = type(in.word(1));
                int n = in.word(2);
                if (!(c instanceof Type.Vector v) || !(v.elem() instanceof Type.Float) || n < 2 || n > 4) throw new ShaderException("bad matrix type %" + id);
                yield new Type.Matrix(v, n);
            }
            case OpTypeArray -> {
                Type e = type(in.word(1));
                var c = constants.get(in.word(2));
                if (c == null || c.bits() == null || !(c.type() instanceof Type.Int)) throw new ShaderException("array length of %" + id + " is not an integer constant");
                long len = c.bits()[0] & 0xffffffffL;
                if (len == 0 || len > (1 << 24)) throw new ShaderException("array length " + len + " out of range");
                yield new Type.Array(e, len, decoration(id, D_ArrayStride, 0));
            }
            case OpTypeRuntimeArray -> new Type.Array(type(in.word(1)), -1, decoration(id, D_ArrayStride, 0));
            case OpTypeStruct -> {
                int n = w.length - 1;
                Type[] members = new Type[n];
                int[] offsets = new int[n], ms = new int[n];
                boolean[] rm = new boolean[n];
                for (int i = 0; i < n; i++) {
                    members[i] = type(w[i + 1]);
                    offsets[i] = memberDecoration(id, i, D_Offset, -1);
                    ms[i] = memberDecoration(id, i, D_MatrixStride, 0);
                    rm[i] = memberDecoration(id, i, D_RowMajor, 0) != 0;
                }
                boolean block = decoration(id, D_Block, 0) != 0 || decoration(id, D_BufferBlock, 0) != 0;
                yield new Type.Struct(members, offsets, ms, rm, block);
            }
            case OpTypePointer -> new Type.Pointer(in.word(1), type(in.word(2)));
            case OpTypeFunction -> {
                Type[] ps = new Type[w.length - 2];
                for (int i = 0; i < ps.length; i++) ps[i] = type(w[i + 2]);
                yield new Type.Function(type(in.word(1)), ps);
            }
            default -> throw new ShaderException("unsupported type " + opName(in.op()));
        };
    }
}
