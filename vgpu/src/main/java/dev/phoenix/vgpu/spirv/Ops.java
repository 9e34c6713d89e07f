package dev.phoenix.vgpu.spirv;

import static dev.phoenix.vgpu.spirv.KernelCompiler.CD_Rt;
import static dev.phoenix.vgpu.spirv.Memory.cd;
import static dev.phoenix.vgpu.spirv.Spirv.*;
import static java.lang.constant.ConstantDescs.*;

import dev.phoenix.vgpu.ShaderException;
import dev.phoenix.vgpu.spirv.SpirvModule.Insn;
import dev.phoenix.vgpu.spirv.Val.Cst;
import dev.phoenix.vgpu.spirv.Val.Reg;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Opcode;
import java.lang.constant.MethodTypeDesc;
import java.util.Map;

/**
 * Arithmetic, comparisons, conversions, composites and GLSL.std.450, component by component: each
 * result component is computed from the operands' components with one JVM instruction or a call
 * of a {@link Rt} helper where SPIR-V's meaning is not the JVM's (unsigned operations, division by
 * zero, ordered comparisons).
 */
final class Ops {
    private Ops() {}

    private static MethodTypeDesc desc(char ret, char... args) {
        var a = new java.lang.constant.ClassDesc[args.length];
        for (int i = 0; i < args.length; i++) a[i] = cd(args[i]);
        return MethodTypeDesc.of(cd(ret), a);
    }

    private static int n(Val v) {
        return v instanceof Reg r ? r.n() : ((Cst) v).bits().length;
    }

    private static char kind(Val v) throws ShaderException {
        if (v instanceof Reg r) return r.kind();
        if (v instanceof Cst c) return c.kind();
        throw new ShaderException("a pointer used as a value");
    }

    static void emit(KernelCompiler kc, SpirvModule m, CodeBuilder cb, Insn in, KernelCompiler.Lookup v, Map<Integer, Val> vals)
            throws ShaderException {
        int op = in.op();
        Type rt = m.type(in.word(0));
        Reg r = kc.newReg(rt);
        vals.put(in.word(1), r);
        char k = r.kind();
        switch (op) {
            case OpIAdd, OpISub, OpIMul, OpFAdd, OpFSub, OpFMul, OpFDiv, OpFRem, OpBitwiseAnd, OpBitwiseOr, OpBitwiseXor,
                    OpLogicalAnd, OpLogicalOr, OpLogicalNotEqual -> {
                Val a = v.get(in.word(2)), b = v.get(in.word(3));
                Opcode jop = jvmOp(op, kind(a));
                for (int i = 0; i < r.n(); i++) {
                    kc.load(a, i, k);
                    kc.load(b, i, k);
                    cb.with(java.lang.classfile.instruction.OperatorInstruction.of(jop));
                    kc.store(r, i);
                }
            }
            case OpUDiv, OpSDiv, OpUMod, OpSRem, OpSMod, OpFMod, OpShiftLeftLogical, OpShiftRightLogical, OpShiftRightArithmetic -> {
                Val a = v.get(in.word(2)), b = v.get(in.word(3));
                String name = switch (op) {
                    case OpUDiv -> "udiv"; case OpSDiv -> "sdiv"; case OpUMod -> "umod"; case OpSRem -> "srem";
                    case OpSMod -> "smod"; case OpFMod -> "fmod"; case OpShiftLeftLogical -> "shl";
                    case OpShiftRightLogical -> "shr"; default -> "sar";
                };
                for (int i = 0; i < r.n(); i++) {
                    kc.load(a, i, k);
                    kc.load(b, i, kind(b));
                    convertInt(cb, kind(b), k, false);
                    cb.invokestatic(CD_Rt, name, desc(k, k, k));
                    kc.store(r, i);
                }
            }
            case OpIEqual, OpINotEqual, OpUGreaterThan, OpSGreaterThan, OpUGreaterThanEqual, OpSGreaterThanEqual,
                    OpULessThan, OpSLessThan, OpULessThanEqual, OpSLessThanEqual, OpFOrdEqual, OpFUnordEqual,
                    OpFOrdNotEqual, OpFUnordNotEqual, OpFOrdLessThan, OpFUnordLessThan, OpFOrdGreaterThan,
                    OpFUnordGreaterThan, OpFOrdLessThanEqual, OpFUnordLessThanEqual, OpFOrdGreaterThanEqual,
                    OpFUnordGreaterThanEqual, OpLogicalEqual -> compare(kc, cb, op, v.get(in.word(2)), v.get(in.word(3)), r);
            case OpSNegate, OpFNegate, OpNot, OpLogicalNot, OpBitCount, OpIsNan, OpIsInf -> {
                Val a = v.get(in.word(2));
                char ak = kind(a);
                for (int i = 0; i < r.n(); i++) {
                    kc.load(a, i, ak);
                    switch (op) {
                        case OpSNegate -> { if (ak == 'J') cb.lneg(); else cb.ineg(); }
                        case OpFNegate -> { if (ak == 'D') cb.dneg(); else cb.fneg(); }
                        case OpNot -> { if (ak == 'J') cb.loadConstant(-1L).lxor(); else cb.iconst_m1().ixor(); }
                        case OpLogicalNot -> cb.iconst_1().ixor();
                        case OpBitCount -> {
                            if (ak == 'J') cb.invokestatic(CD_Long, "bitCount", MethodTypeDesc.of(CD_int, CD_long));
                            else cb.invokestatic(CD_Integer, "bitCount", MethodTypeDesc.of(CD_int, CD_int));
                        }
                        default -> cb.invokestatic(CD_Rt, op == OpIsNan ? "isnan" : "isinf", desc('I', ak));
                    }
                    kc.store(r, i);
                }
            }
            case OpConvertFToU, OpConvertFToS, OpConvertSToF, OpConvertUToF, OpUConvert, OpSConvert, OpFConvert -> {
                Val a = v.get(in.word(2));
                char ak = kind(a);
                Type src = m.resultTypes.get(in.word(2));
                for (int i = 0; i < r.n(); i++) {
                    kc.load(a, i, ak);
                    convert(cb, op, ak, k);
                    kc.store(r, i);
                }
                if (src == null && !(a instanceof Cst)) throw new ShaderException("conversion of an untyped value");
            }
            case OpBitcast -> {
                Val a = v.get(in.word(2));
                char ak = kind(a);
                if (n(a) != r.n()) throw new ShaderException("OpBitcast between vectors of different sizes");
                for (int i = 0; i < r.n(); i++) {
                    kc.load(a, i, ak);
                    bitcast(cb, ak, k);
                    kc.store(r, i);
                }
            }
            case OpSelect -> {
                Val c = v.get(in.word(2)), a = v.get(in.word(3)), b = v.get(in.word(4));
                for (int i = 0; i < r.n(); i++) {
                    kc.load(c, n(c) == 1 ? 0 : i, 'I');
                    kc.load(a, i, k);
                    kc.load(b, i, k);
                    cb.invokestatic(CD_Rt, "sel", desc(k, 'I', k, k));
                    kc.store(r, i);
                }
            }
            case OpCopyObject -> {
                Val a = v.get(in.word(2));
                for (int i = 0; i < r.n(); i++) { kc.load(a, i, k); kc.store(r, i); }
            }
            case OpVectorTimesScalar, OpMatrixTimesScalar -> {
                Val a = v.get(in.word(2)), s = v.get(in.word(3));
                for (int i = 0; i < r.n(); i++) {
                    kc.load(a, i, k);
                    kc.load(s, 0, k);
                    mul(cb, k);
                    kc.store(r, i);
                }
            }
            case OpDot -> {
                Val a = v.get(in.word(2)), b = v.get(in.word(3));
                for (int i = 0; i < n(a); i++) {
                    kc.load(a, i, k);
                    kc.load(b, i, k);
                    mul(cb, k);
                    if (i > 0) add(cb, k);
                }
                kc.store(r, 0);
            }
            case OpMatrixTimesVector, OpVectorTimesMatrix, OpMatrixTimesMatrix -> products(kc, m, cb, in, v, r);
            case OpTranspose -> {
                Val a = v.get(in.word(2));
                var mt = (Type.Matrix) rt;
                int rows = mt.col().n(), cols = mt.cols();  // result rows x cols; source cols = rows
                for (int c = 0; c < cols; c++) for (int j = 0; j < rows; j++) {
                    kc.load(a, j * cols + c, k);
                    kc.store(r, c * rows + j);
                }
            }
            case OpCompositeConstruct -> {
                int o = 0;
                for (int i = 2; i < in.count(); i++) {
                    Val a = v.get(in.word(i));
                    for (int j = 0; j < n(a); j++) {
                        if (o >= r.n()) throw new ShaderException("OpCompositeConstruct: too many constituents");
                        kc.load(a, j, k);
                        kc.store(r, o++);
                    }
                }
                if (o != r.n()) throw new ShaderException("OpCompositeConstruct: too few constituents");
            }
            case OpCompositeExtract -> {
                Val a = v.get(in.word(2));
                int from = componentIndex(m.resultTypes.get(in.word(2)), in, 3, a);
                for (int i = 0; i < r.n(); i++) { kc.load(a, from + i, k); kc.store(r, i); }
            }
            case OpCompositeInsert -> {
                Val o = v.get(in.word(2)), a = v.get(in.word(3));
                int at = componentIndex(rt, in, 4, a);
                for (int i = 0; i < r.n(); i++) { kc.load(a, i, k); kc.store(r, i); }
                for (int i = 0; i < n(o); i++) { kc.load(o, i, k); kc.store(r, at + i); }
            }
            case OpVectorShuffle -> {
                Val a = v.get(in.word(2)), b = v.get(in.word(3));
                int na = n(a);
                for (int i = 0; i < r.n(); i++) {
                    int s = in.word(4 + i);
                    if (s == -1) { kc.load(new Cst(k, new long[1]), 0, k); }
                    else if (s >= 0 && s < na) kc.load(a, s, k);
                    else if (s >= na && s < na + n(b)) kc.load(b, s - na, k);
                    else throw new ShaderException("OpVectorShuffle component " + s + " out of range");
                    kc.store(r, i);
                }
            }
            case OpVectorExtractDynamic -> {
                Val a = v.get(in.word(2)), idx = v.get(in.word(3));
                kc.load(a, 0, k);
                for (int i = 1; i < n(a); i++) {  // acc = idx == i ? a[i] : acc
                    kc.store(r, 0);
                    kc.load(idx, 0, 'I');
                    cb.loadConstant(i).invokestatic(CD_Rt, "eq", desc('I', 'I', 'I'));
                    kc.load(a, i, k);
                    kc.load(r, 0, k);
                    cb.invokestatic(CD_Rt, "sel", desc(k, 'I', k, k));
                }
                kc.store(r, 0);
            }
            case OpVectorInsertDynamic -> {
                Val a = v.get(in.word(2)), o = v.get(in.word(3)), idx = v.get(in.word(4));
                for (int i = 0; i < r.n(); i++) {
                    kc.load(idx, 0, 'I');
                    cb.loadConstant(i).invokestatic(CD_Rt, "eq", desc('I', 'I', 'I'));
                    kc.load(o, 0, k);
                    kc.load(a, i, k);
                    cb.invokestatic(CD_Rt, "sel", desc(k, 'I', k, k));
                    kc.store(r, i);
                }
            }
            case OpAny, OpAll -> {
                Val a = v.get(in.word(2));
                for (int i = 0; i < n(a); i++) {
                    kc.load(a, i, 'I');
                    if (i > 0) { if (op == OpAny) cb.ior(); else cb.iand(); }
                }
                kc.store(r, 0);
            }
            case OpExtInst -> GlslStd450.emit(kc, m, cb, in, v, r);
            default -> throw new ShaderException("unsupported instruction " + opName(op));
        }
    }

    private static int componentIndex(Type t, Insn in, int from, Val a) throws ShaderException {
        int c = 0;
        for (int i = from; i < in.count(); i++) {
            int k = in.word(i);
            switch (t) {
                case Type.Vector vt -> { if (k < 0 || k >= vt.n()) throw new ShaderException("component index " + k + " out of range"); c += k; t = vt.elem(); }
                case Type.Matrix mt -> { if (k < 0 || k >= mt.cols()) throw new ShaderException("column index " + k + " out of range"); c += k * mt.col().n(); t = mt.col(); }
                case null, default -> throw new ShaderException("composite extract or insert into a type that is not a vector or matrix");
            }
        }
        return c;
    }

    private static void mul(CodeBuilder cb, char k) {
        switch (k) { case 'I' -> cb.imul(); case 'J' -> cb.lmul(); case 'F' -> cb.fmul(); default -> cb.dmul(); }
    }

    private static void add(CodeBuilder cb, char k) {
        switch (k) { case 'I' -> cb.iadd(); case 'J' -> cb.ladd(); case 'F' -> cb.fadd(); default -> cb.dadd(); }
    }

    private static void products(KernelCompiler kc, SpirvModule m, CodeBuilder cb, Insn in, KernelCompiler.Lookup v, Reg r) throws ShaderException {
        Val a = v.get(in.word(2)), b = v.get(in.word(3));
        Type ta = m.resultTypes.get(in.word(2)), tb = m.resultTypes.get(in.word(3));
        char k = r.kind();
        switch (in.op()) {
            case OpMatrixTimesVector -> {  // r[j] = sum_c a[c][j] * b[c]
                var mt = (Type.Matrix) ta;
                int rows = mt.col().n();
                for (int j = 0; j < rows; j++) {
                    for (int c = 0; c < mt.cols(); c++) { kc.load(a, c * rows + j, k); kc.load(b, c, k); mul(cb, k); if (c > 0) add(cb, k); }
                    kc.store(r, j);
                }
            }
            case OpVectorTimesMatrix -> {  // r[c] = sum_j a[j] * b[c][j]
                var mt = (Type.Matrix) tb;
                int rows = mt.col().n();
                for (int c = 0; c < mt.cols(); c++) {
                    for (int j = 0; j < rows; j++) { kc.load(a, j, k); kc.load(b, c * rows + j, k); mul(cb, k); if (j > 0) add(cb, k); }
                    kc.store(r, c);
                }
            }
            default -> {  // R[c][j] = sum_i A[i][j] * B[c][i]
                var ma = (Type.Matrix) ta;
                var mb = (Type.Matrix) tb;
                int rows = ma.col().n(), inner = ma.cols();
                for (int c = 0; c < mb.cols(); c++) for (int j = 0; j < rows; j++) {
                    for (int i = 0; i < inner; i++) { kc.load(a, i * rows + j, k); kc.load(b, c * inner + i, k); mul(cb, k); if (i > 0) add(cb, k); }
                    kc.store(r, c * rows + j);
                }
            }
        }
    }

    private static Opcode jvmOp(int op, char k) {
        boolean l = k == 'J', d = k == 'D';
        return switch (op) {
            case OpIAdd -> l ? Opcode.LADD : Opcode.IADD;
            case OpISub -> l ? Opcode.LSUB : Opcode.ISUB;
            case OpIMul -> l ? Opcode.LMUL : Opcode.IMUL;
            case OpFAdd -> d ? Opcode.DADD : Opcode.FADD;
            case OpFSub -> d ? Opcode.DSUB : Opcode.FSUB;
            case OpFMul -> d ? Opcode.DMUL : Opcode.FMUL;
            case OpFDiv -> d ? Opcode.DDIV : Opcode.FDIV;
            case OpFRem -> d ? Opcode.DREM : Opcode.FREM;
            case OpBitwiseAnd, OpLogicalAnd -> l ? Opcode.LAND : Opcode.IAND;
            case OpBitwiseOr, OpLogicalOr -> l ? Opcode.LOR : Opcode.IOR;
            default -> l ? Opcode.LXOR : Opcode.IXOR;
        };
    }

    private static void compare(KernelCompiler kc, CodeBuilder cb, int op, Val a, Val b, Reg r) throws ShaderException {
        char k = kind(a);
        boolean swap = switch (op) {
            case OpUGreaterThan, OpSGreaterThan, OpUGreaterThanEqual, OpSGreaterThanEqual, OpFOrdGreaterThan,
                    OpFUnordGreaterThan, OpFOrdGreaterThanEqual, OpFUnordGreaterThanEqual -> true;
            default -> false;
        };
        // The unordered forms are the negation of the opposite ordered comparison.
        boolean negate = switch (op) {
            case OpFUnordLessThan, OpFUnordGreaterThan, OpFUnordLessThanEqual, OpFUnordGreaterThanEqual, OpFUnordEqual -> true;
            default -> false;
        };
        String name = switch (op) {
            case OpIEqual, OpLogicalEqual, OpFOrdEqual -> k == 'F' || k == 'D' ? "feq" : "eq";
            case OpINotEqual -> "ne";
            case OpUGreaterThan, OpULessThan -> "ult";
            case OpUGreaterThanEqual, OpULessThanEqual -> "ule";
            case OpSGreaterThan, OpSLessThan -> "slt";
            case OpSGreaterThanEqual, OpSLessThanEqual -> "sle";
            case OpFOrdNotEqual -> "fne";
            case OpFUnordNotEqual -> "fne";
            case OpFOrdLessThan, OpFOrdGreaterThan -> "flt";
            case OpFOrdLessThanEqual, OpFOrdGreaterThanEqual -> "fle";
            case OpFUnordEqual -> "fne";
            case OpFUnordLessThan, OpFUnordGreaterThan -> "fle";
            default -> "flt";  // unordered <=, >=: not (b < a)
        };
        if (negate) swap = !swap;
        for (int i = 0; i < r.n(); i++) {
            kc.load(swap ? b : a, i, k);
            kc.load(swap ? a : b, i, k);
            if (op == OpFUnordNotEqual) {  // a != b or either NaN
                cb.invokestatic(CD_Rt, "fne", desc('I', k, k));
                kc.load(a, i, k);
                kc.load(b, i, k);
                cb.invokestatic(CD_Rt, "funord", desc('I', k, k)).ior();
            } else {
                cb.invokestatic(CD_Rt, name, desc('I', k, k));
                if (negate) cb.iconst_1().ixor();
            }
            kc.store(r, i);
        }
    }

    /** Widens or narrows an integer of kind {@code from} to {@code to}, sign- or zero-extending. */
    static void convertInt(CodeBuilder cb, char from, char to, boolean signed) {
        if (from == 'I' && to == 'J') {
            if (signed) cb.i2l();
            else cb.invokestatic(CD_Rt, "u2j", MethodTypeDesc.of(CD_long, CD_int));
        } else if (from == 'J' && to == 'I') cb.l2i();
    }

    private static void convert(CodeBuilder cb, int op, char from, char to) {
        switch (op) {
            case OpConvertFToS -> {
                if (from == 'F') { if (to == 'I') cb.f2i(); else cb.f2l(); }
                else { if (to == 'I') cb.d2i(); else cb.d2l(); }
            }
            case OpConvertFToU -> {
                if (to == 'I') cb.invokestatic(CD_Rt, from == 'F' ? "f2u" : "d2u", desc('I', from));
                else if (from == 'F') cb.f2l(); else cb.d2l();
            }
            case OpConvertSToF -> {
                if (from == 'I') { if (to == 'F') cb.i2f(); else cb.i2d(); }
                else { if (to == 'F') cb.l2f(); else cb.l2d(); }
            }
            case OpConvertUToF -> {
                if (from == 'I') cb.invokestatic(CD_Rt, to == 'F' ? "u2f" : "u2d", desc(to, 'I'));
                else cb.invokestatic(CD_Rt, to == 'F' ? "ul2f" : "ul2d", desc(to, 'J'));
            }
            case OpUConvert -> convertInt(cb, from, to, false);
            case OpSConvert -> convertInt(cb, from, to, true);
            default -> { if (from == 'F' && to == 'D') cb.f2d(); else if (from == 'D' && to == 'F') cb.d2f(); }
        }
    }

    private static void bitcast(CodeBuilder cb, char from, char to) throws ShaderException {
        if (from == to) return;
        if (from == 'F' && to == 'I') cb.invokestatic(CD_Float, "floatToRawIntBits", MethodTypeDesc.of(CD_int, CD_float));
        else if (from == 'I' && to == 'F') cb.invokestatic(CD_Float, "intBitsToFloat", MethodTypeDesc.of(CD_float, CD_int));
        else if (from == 'D' && to == 'J') cb.invokestatic(CD_Double, "doubleToRawLongBits", MethodTypeDesc.of(CD_long, CD_double));
        else if (from == 'J' && to == 'D') cb.invokestatic(CD_Double, "longBitsToDouble", MethodTypeDesc.of(CD_double, CD_long));
        else throw new ShaderException("OpBitcast between types of different widths");
    }
}
