package dev.phoenix.vgpu.spirv;

import static dev.phoenix.vgpu.spirv.KernelCompiler.CD_Ctx;
import static dev.phoenix.vgpu.spirv.KernelCompiler.CD_Math;
import static dev.phoenix.vgpu.spirv.KernelCompiler.CD_Rt;
import static dev.phoenix.vgpu.spirv.KernelCompiler.CD_Seg;
import static dev.phoenix.vgpu.spirv.Spirv.*;
import static java.lang.constant.ConstantDescs.*;

import dev.phoenix.vgpu.ShaderException;
import dev.phoenix.vgpu.spirv.SpirvModule.Insn;
import dev.phoenix.vgpu.spirv.Val.Cst;
import dev.phoenix.vgpu.spirv.Val.InPtr;
import dev.phoenix.vgpu.spirv.Val.LocPtr;
import dev.phoenix.vgpu.spirv.Val.MemPtr;
import dev.phoenix.vgpu.spirv.Val.Reg;
import java.lang.classfile.CodeBuilder;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.Map;

/**
 * Pointers and memory: OpAccessChain computes a byte offset (std430 offsets and strides from the
 * decorations, a natural layout in shared memory) held in a long local; OpLoad and OpStore go
 * through {@link Rt}'s robust accessors, which check the offset against the segment's size; the
 * atomics go through {@link Rt#atomic}. Pointers to variables held in locals and to built-ins
 * take constant indices only.
 */
final class Memory {
    private final KernelCompiler kc;
    private final SpirvModule m;

    Memory(KernelCompiler kc, SpirvModule m) {
        this.kc = kc;
        this.m = m;
    }

    static boolean handles(int op) {
        return switch (op) {
            case OpLoad, OpStore, OpAccessChain, OpInBoundsAccessChain, OpArrayLength, OpAtomicLoad, OpAtomicStore,
                    OpAtomicExchange, OpAtomicCompareExchange, OpAtomicIIncrement, OpAtomicIDecrement, OpAtomicIAdd,
                    OpAtomicISub, OpAtomicSMin, OpAtomicUMin, OpAtomicSMax, OpAtomicUMax, OpAtomicAnd, OpAtomicOr,
                    OpAtomicXor, OpCopyMemory -> true;
            default -> false;
        };
    }

    void emit(Map<Integer, Val> vals, KernelCompiler.Lookup v, Insn in, CodeBuilder cb) throws ShaderException {
        switch (in.op()) {
            case OpAccessChain, OpInBoundsAccessChain -> vals.put(in.word(1), chain(v, in, cb));
            case OpLoad -> {
                Reg r = kc.newReg(m.type(in.word(0)));
                load(v.get(in.word(2)), r, cb);
                vals.put(in.word(1), r);
            }
            case OpStore -> store(v.get(in.word(0)), v.get(in.word(1)), cb);
            case OpArrayLength -> {
                MemPtr p = mem(v.get(in.word(2)));
                if (!(p.pointee() instanceof Type.Struct s) || in.word(3) >= s.members().length || in.word(3) < 0
                        || !(s.members()[in.word(3)] instanceof Type.Array a)) throw new ShaderException("OpArrayLength of a member that is not an array");
                Reg r = kc.newReg(m.type(in.word(0)));
                cb.aload(p.seg()).invokeinterface(CD_Seg, "byteSize", MethodTypeDesc.of(CD_long));
                offset(p, cb);
                cb.loadConstant(Type.offset(s, in.word(3))).ladd().lsub().loadConstant(Type.stride(a)).ldiv().l2i();
                cb.iconst_0().invokestatic(CD_Math, "max", MethodTypeDesc.of(CD_int, CD_int, CD_int));
                kc.store(r, 0);
                vals.put(in.word(1), r);
            }
            case OpCopyMemory -> throw new ShaderException("OpCopyMemory is not supported");
            default -> atomic(vals, v, in, cb);
        }
    }

    private MemPtr mem(Val p) throws ShaderException {
        if (p instanceof MemPtr mp) return mp;
        throw new ShaderException("atomic or array length on a pointer that is not to buffer or shared memory");
    }

    /** Pushes the pointer's byte offset as a long. */
    private static void offset(MemPtr p, CodeBuilder cb) {
        if (p.offSlot() >= 0) {
            cb.lload(p.offSlot());
            if (p.off() != 0) cb.loadConstant(p.off()).ladd();
        } else cb.loadConstant(p.off());
    }

    private Val chain(KernelCompiler.Lookup v, Insn in, CodeBuilder cb) throws ShaderException {
        Val base = v.get(in.word(2));
        switch (base) {
            case MemPtr p -> {
                for (int i = 3; i < in.count(); i++) p = step(p, v.get(in.word(i)), cb);
                return p;
            }
            case LocPtr p -> {
                int comp = p.comp();
                Type t = p.pointee();
                for (int i = 3; i < in.count(); i++) {
                    int k = constIndex(v.get(in.word(i)));
                    switch (t) {
                        case Type.Vector vt -> { check(k, vt.n()); comp += k; t = vt.elem(); }
                        case Type.Matrix mt -> { check(k, mt.cols()); comp += k * mt.col().n(); t = mt.col(); }
                        default -> throw new ShaderException("access chain into a local " + t.getClass().getSimpleName());
                    }
                }
                return new LocPtr(p.var(), comp, t);
            }
            case InPtr p -> {
                if (in.count() != 4 || !(p.pointee() instanceof Type.Vector vt)) throw new ShaderException("access chain into a built-in");
                int k = constIndex(v.get(in.word(3)));
                check(k, vt.n());
                return new InPtr(p.builtin(), k, vt.elem());
            }
            default -> throw new ShaderException("OpAccessChain base is not a pointer");
        }
    }

    private static void check(int k, int n) throws ShaderException {
        if (k < 0 || k >= n) throw new ShaderException("constant index " + k + " out of range " + n);
    }

    private static int constIndex(Val v) throws ShaderException {
        if (v instanceof Cst c && c.bits().length == 1) return (int) c.bits()[0];
        throw new ShaderException("dynamic index into a variable held in locals or a built-in is not supported");
    }

    /** One index of an access chain into memory. */
    private MemPtr step(MemPtr p, Val index, CodeBuilder cb) throws ShaderException {
        switch (p.pointee()) {
            case Type.Struct s -> {
                int k = constIndex(index);
                check(k, s.members().length);
                Type mt = s.members()[k];
                int ms = s.matrixStride()[k] > 0 ? s.matrixStride()[k] : p.matStride();
                return new MemPtr(p.seg(), p.offSlot(), p.off() + Type.offset(s, k), mt, ms, s.rowMajor()[k], Type.scalarBytes(mt));
            }
            case Type.Array a -> { return index(p, index, Type.stride(a), a.elem(), p.matStride(), p.rowMajor(), Type.scalarBytes(a.elem()), cb); }
            case Type.Matrix mt -> {
                int sb = Type.scalarBytes(mt), ms = p.matStride() > 0 ? p.matStride() : (int) Type.naturalSize(mt.col());
                return p.rowMajor() ? index(p, index, sb, mt.col(), 0, false, ms, cb) : index(p, index, ms, mt.col(), 0, false, sb, cb);
            }
            case Type.Vector vt -> { return index(p, index, p.compStride(), vt.elem(), 0, false, Type.scalarBytes(vt), cb); }
            default -> throw new ShaderException("access chain into a scalar");
        }
    }

    private MemPtr index(MemPtr p, Val index, long stride, Type t, int ms, boolean rm, int cs, CodeBuilder cb) throws ShaderException {
        if (index instanceof Cst c) {
            long k = c.kind() == 'J' ? c.bits()[0] : (int) c.bits()[0];
            return new MemPtr(p.seg(), p.offSlot(), p.off() + k * stride, t, ms, rm, cs);
        }
        Reg r = (Reg) index;
        Reg off = kc.newReg(new Type.Int(64, true));
        if (p.offSlot() >= 0) cb.lload(p.offSlot());
        else cb.lconst_0();
        kc.load(r, 0, r.kind());
        if (r.kind() == 'I') cb.i2l();
        cb.loadConstant(stride).lmul().ladd();
        kc.store(off, 0);
        return new MemPtr(p.seg(), off.base(), p.off(), t, ms, rm, cs);
    }

    private static String acc(char k) {
        return switch (k) {
            case 'I' -> "i";
            case 'J' -> "j";
            case 'F' -> "f";
            default -> "d";
        };
    }

    static ClassDesc cd(char k) {
        return switch (k) {
            case 'I' -> CD_int;
            case 'J' -> CD_long;
            case 'F' -> CD_float;
            default -> CD_double;
        };
    }

    /** Byte offsets of the components of a value of type {@code t} at {@code p}. */
    private static long[] componentOffsets(MemPtr p, Type t) throws ShaderException {
        int n = t.components();
        if (n == 0) throw new ShaderException("load or store of a whole " + t.getClass().getSimpleName() + " is not supported");
        long[] offs = new long[n];
        if (t instanceof Type.Matrix mt) {
            int sb = Type.scalarBytes(mt), ms = p.matStride() > 0 ? p.matStride() : (int) Type.naturalSize(mt.col());
            for (int c = 0; c < mt.cols(); c++) {
                for (int r = 0; r < mt.col().n(); r++) {
                    offs[c * mt.col().n() + r] = p.rowMajor() ? (long) r * ms + (long) c * sb : (long) c * ms + (long) r * sb;
                }
            }
        } else {
            for (int i = 0; i < n; i++) offs[i] = (long) i * p.compStride();
        }
        return offs;
    }

    private void load(Val ptr, Reg r, CodeBuilder cb) throws ShaderException {
        switch (ptr) {
            case MemPtr p -> {
                long[] offs = componentOffsets(p, p.pointee());
                char k = r.kind();
                for (int i = 0; i < offs.length; i++) {
                    cb.aload(p.seg());
                    offset(p, cb);
                    if (offs[i] != 0) cb.loadConstant(offs[i]).ladd();
                    cb.invokestatic(CD_Rt, "ld" + acc(k), MethodTypeDesc.of(cd(k), CD_Seg, CD_long));
                    kc.store(r, i);
                }
            }
            case LocPtr p -> {
                for (int i = 0; i < r.n(); i++) {
                    kc.load(p.var(), p.comp() + i, r.kind());
                    kc.store(r, i);
                }
            }
            case InPtr p -> {
                for (int i = 0; i < r.n(); i++) {
                    builtin(p.builtin(), p.comp() + i, cb);
                    kc.store(r, i);
                }
            }
            default -> throw new ShaderException("OpLoad from a value that is not a pointer");
        }
    }

    private void builtin(int b, int c, CodeBuilder cb) throws ShaderException {
        if (c < 0 || c > 2) throw new ShaderException("built-in component " + c);
        switch (b) {
            case B_LocalInvocationId -> cb.iload(4 + c);
            case B_GlobalInvocationId -> cb.iload(7 + c);
            case B_LocalInvocationIndex -> cb.iload(1);
            case B_WorkgroupId -> cb.aload(0).getfield(CD_Ctx, new String[] {"wx", "wy", "wz"}[c], CD_int);
            case B_NumWorkgroups -> cb.aload(0).getfield(CD_Ctx, new String[] {"nx", "ny", "nz"}[c], CD_int);
            default -> throw new ShaderException("unsupported built-in " + b);
        }
    }

    private void store(Val ptr, Val v, CodeBuilder cb) throws ShaderException {
        switch (ptr) {
            case MemPtr p -> {
                long[] offs = componentOffsets(p, p.pointee());
                char k = p.pointee().kind();
                for (int i = 0; i < offs.length; i++) {
                    cb.aload(p.seg());
                    offset(p, cb);
                    if (offs[i] != 0) cb.loadConstant(offs[i]).ladd();
                    kc.load(v, i, k);
                    cb.invokestatic(CD_Rt, "st" + acc(k), MethodTypeDesc.of(CD_void, CD_Seg, CD_long, cd(k)));
                }
            }
            case LocPtr p -> {
                int n = p.pointee().components();
                for (int i = 0; i < n; i++) {
                    kc.load(v, i, p.var().kind());
                    kc.store(p.var(), p.comp() + i);
                }
            }
            default -> throw new ShaderException("OpStore to a pointer that cannot be written");
        }
    }

    private void atomic(Map<Integer, Val> vals, KernelCompiler.Lookup v, Insn in, CodeBuilder cb) throws ShaderException {
        int op = in.op();
        boolean isStore = op == OpAtomicStore;
        MemPtr p = mem(v.get(in.word(isStore ? 0 : 2)));
        if (p.pointee().kind() != 'I') throw new ShaderException("only 32-bit atomics are supported");
        int code;
        Val value = null, cmp = null;
        switch (op) {
            case OpAtomicLoad -> code = 0;
            case OpAtomicStore -> { code = 1; value = v.get(in.word(3)); }
            case OpAtomicExchange -> { code = 2; value = v.get(in.word(5)); }
            case OpAtomicCompareExchange -> { code = 3; value = v.get(in.word(6)); cmp = v.get(in.word(7)); }
            case OpAtomicIIncrement -> { code = 4; value = new Cst('I', new long[] {1}); }
            case OpAtomicIDecrement -> { code = 5; value = new Cst('I', new long[] {1}); }
            default -> {
                code = switch (op) {
                    case OpAtomicIAdd -> 4;
                    case OpAtomicISub -> 5;
                    case OpAtomicSMin -> 6;
                    case OpAtomicUMin -> 7;
                    case OpAtomicSMax -> 8;
                    case OpAtomicUMax -> 9;
                    case OpAtomicAnd -> 10;
                    case OpAtomicOr -> 11;
                    default -> 12;
                };
                value = v.get(in.word(5));
            }
        }
        cb.aload(p.seg());
        offset(p, cb);
        cb.loadConstant(code);
        if (value != null) kc.load(value, 0, 'I');
        else cb.iconst_0();
        if (cmp != null) kc.load(cmp, 0, 'I');
        else cb.iconst_0();
        cb.invokestatic(CD_Rt, "atomic", MethodTypeDesc.of(CD_int, CD_Seg, CD_long, CD_int, CD_int, CD_int));
        if (isStore) {
            cb.pop();
        } else {
            Reg r = kc.newReg(m.type(in.word(0)));
            kc.store(r, 0);
            vals.put(in.word(1), r);
        }
    }
}
