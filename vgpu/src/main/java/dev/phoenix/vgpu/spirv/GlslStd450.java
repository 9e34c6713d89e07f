package dev.phoenix.vgpu.spirv;

import static dev.phoenix.vgpu.spirv.KernelCompiler.CD_Math;
import static dev.phoenix.vgpu.spirv.KernelCompiler.CD_Rt;
import static dev.phoenix.vgpu.spirv.Memory.cd;
import static java.lang.constant.ConstantDescs.*;

import dev.phoenix.vgpu.ShaderException;
import dev.phoenix.vgpu.spirv.SpirvModule.Insn;
import dev.phoenix.vgpu.spirv.Val.Reg;
import java.lang.classfile.CodeBuilder;
import java.lang.constant.MethodTypeDesc;

/**
 * The GLSL.std.450 extended instructions (Khronos, "GLSL.std.450 Extended Instruction Set"),
 * component by component, as calls of {@link Math} (in double precision for floats, then rounded)
 * or of {@link Rt}.
 */
final class GlslStd450 {
    private GlslStd450() {}

    static void emit(KernelCompiler kc, SpirvModule m, CodeBuilder cb, Insn in, KernelCompiler.Lookup v, Reg r)
            throws ShaderException {
        if (!m.extSets.containsKey(in.word(2))) throw new ShaderException("OpExtInst of an unknown instruction set");
        int inst = in.word(3);
        int argc = in.count() - 4;
        Val[] a = new Val[argc];
        for (int i = 0; i < argc; i++) a[i] = v.get(in.word(4 + i));
        char k = r.kind();
        // Vector-wide instructions first.
        if (inst == 66 || inst == 67 || inst == 69) {  // Length, Distance, Normalize
            if (k != 'F' && k != 'D' || argc < 1) throw new ShaderException("GLSL.std.450 " + inst + " of an integer");
            Val x = a[0];
            int n = inst == 69 ? r.n() : n(x);
            Reg tmp = kc.newReg(new Type.Float(k == 'D' ? 64 : 32));
            for (int i = 0; i < n; i++) {
                kc.load(x, i, k);
                if (inst == 67) { kc.load(a[1], i, k); sub(cb, k); }
                if (k == 'D') cb.dup2(); else cb.dup();
                if (k == 'D') cb.dmul(); else cb.fmul();
                if (i > 0) { if (k == 'D') cb.dadd(); else cb.fadd(); }
            }
            if (k == 'F') cb.f2d();
            cb.invokestatic(CD_Math, "sqrt", MethodTypeDesc.of(CD_double, CD_double));
            if (k == 'F') cb.d2f();
            kc.store(tmp, 0);
            if (inst != 69) { kc.load(tmp, 0, k); kc.store(r, 0); return; }
            for (int i = 0; i < n; i++) {
                kc.load(x, i, k);
                kc.load(tmp, 0, k);
                if (k == 'D') cb.ddiv(); else cb.fdiv();
                kc.store(r, i);
            }
            return;
        }
        for (int i = 0; i < r.n(); i++) {
            switch (inst) {
                case 4, 5 -> { load(kc, a, 0, i, k); cb.invokestatic(CD_Math, "abs", MethodTypeDesc.of(cd(k), cd(k))); }
                case 6, 7 -> { load(kc, a, 0, i, k); cb.invokestatic(CD_Rt, k == 'I' ? "ssign" : "fsign", MethodTypeDesc.of(cd(k), cd(k))); }
                case 8, 9, 13, 14, 15, 16, 17, 18, 19, 20, 21, 27, 28, 31, 3, 1, 2 -> {
                    String name = switch (inst) {
                        case 8 -> "floor"; case 9 -> "ceil"; case 13 -> "sin"; case 14 -> "cos"; case 15 -> "tan";
                        case 16 -> "asin"; case 17 -> "acos"; case 18 -> "atan"; case 19 -> "sinh"; case 20 -> "cosh";
                        case 21 -> "tanh"; case 27 -> "exp"; case 28 -> "log"; case 31 -> "sqrt"; case 3 -> "trunc0";
                        default -> "rint";
                    };
                    load(kc, a, 0, i, k);
                    if (name.equals("trunc0")) { floatOnly(k); cb.invokestatic(CD_Rt, "trunc", MethodTypeDesc.of(CD_float, CD_float)); }
                    else math1(cb, k, name);
                }
                case 10 -> { load(kc, a, 0, i, k); cb.invokestatic(CD_Rt, "fract", MethodTypeDesc.of(cd(k), cd(k))); }
                case 29, 30, 32, 11, 12 -> {  // Exp2, Log2, InverseSqrt, Radians, Degrees
                    load(kc, a, 0, i, k);
                    if (k == 'F') cb.f2d();
                    switch (inst) {
                        case 29 -> cb.loadConstant(2.0).dup2_x2().pop2().invokestatic(CD_Math, "pow", MethodTypeDesc.of(CD_double, CD_double, CD_double));
                        case 30 -> cb.invokestatic(CD_Math, "log", MethodTypeDesc.of(CD_double, CD_double)).loadConstant(Math.log(2)).ddiv();
                        case 32 -> { cb.invokestatic(CD_Math, "sqrt", MethodTypeDesc.of(CD_double, CD_double)).dconst_1().dup2_x2().pop2().ddiv(); }
                        case 11 -> cb.invokestatic(CD_Math, "toRadians", MethodTypeDesc.of(CD_double, CD_double));
                        default -> cb.invokestatic(CD_Math, "toDegrees", MethodTypeDesc.of(CD_double, CD_double));
                    }
                    if (k == 'F') cb.d2f();
                }
                case 25, 26 -> {  // Atan2, Pow
                    load(kc, a, 0, i, k);
                    if (k == 'F') cb.f2d();
                    load(kc, a, 1, i, k);
                    if (k == 'F') cb.f2d();
                    cb.invokestatic(CD_Math, inst == 25 ? "atan2" : "pow", MethodTypeDesc.of(CD_double, CD_double, CD_double));
                    if (k == 'F') cb.d2f();
                }
                case 37, 40, 79, 80 -> { load(kc, a, 0, i, k); load(kc, a, 1, i, k); cb.invokestatic(CD_Rt, inst == 37 || inst == 79 ? "fmin" : "fmax", MethodTypeDesc.of(cd(k), cd(k), cd(k))); }
                case 38, 41 -> { intOnly(k); load(kc, a, 0, i, k); load(kc, a, 1, i, k); cb.invokestatic(CD_Rt, inst == 38 ? "umin" : "umax", MethodTypeDesc.of(CD_int, CD_int, CD_int)); }
                case 39, 42 -> { load(kc, a, 0, i, k); load(kc, a, 1, i, k); cb.invokestatic(CD_Math, inst == 39 ? "min" : "max", MethodTypeDesc.of(cd(k), cd(k), cd(k))); }
                case 43, 81, 44, 45 -> {
                    load(kc, a, 0, i, k); load(kc, a, 1, i, k); load(kc, a, 2, i, k);
                    String name = inst == 44 ? "uclamp" : inst == 45 ? "sclamp" : "fclamp";
                    if (inst != 43 && inst != 81) intOnly(k);
                    cb.invokestatic(CD_Rt, name, MethodTypeDesc.of(cd(k), cd(k), cd(k), cd(k)));
                }
                case 46 -> { load(kc, a, 0, i, k); load(kc, a, 1, i, k); load(kc, a, 2, i, k); cb.invokestatic(CD_Rt, "mix", MethodTypeDesc.of(cd(k), cd(k), cd(k), cd(k))); }
                case 50 -> { load(kc, a, 0, i, k); load(kc, a, 1, i, k); load(kc, a, 2, i, k); cb.invokestatic(CD_Math, "fma", MethodTypeDesc.of(cd(k), cd(k), cd(k), cd(k))); }
                case 48 -> { floatOnly(k); load(kc, a, 0, i, k); load(kc, a, 1, i, k); cb.invokestatic(CD_Rt, "step", MethodTypeDesc.of(CD_float, CD_float, CD_float)); }
                case 49 -> { floatOnly(k); load(kc, a, 0, i, k); load(kc, a, 1, i, k); load(kc, a, 2, i, k); cb.invokestatic(CD_Rt, "smoothstep", MethodTypeDesc.of(CD_float, CD_float, CD_float, CD_float)); }
                case 73, 74, 75 -> { intOnly(k); load(kc, a, 0, i, k); cb.invokestatic(CD_Rt, inst == 73 ? "findLsb" : inst == 74 ? "findSMsb" : "findUMsb", MethodTypeDesc.of(CD_int, CD_int)); }
                default -> throw new ShaderException("unsupported GLSL.std.450 instruction " + inst);
            }
            kc.store(r, i);
        }
    }

    private static int n(Val v) {
        return v instanceof Reg r ? r.n() : ((Val.Cst) v).bits().length;
    }

    private static void sub(CodeBuilder cb, char k) {
        if (k == 'D') cb.dsub(); else cb.fsub();
    }

    private static void intOnly(char k) throws ShaderException {
        if (k != 'I') throw new ShaderException("GLSL.std.450 integer instruction on a non-32-bit-integer");
    }

    private static void floatOnly(char k) throws ShaderException {
        if (k != 'F') throw new ShaderException("GLSL.std.450 instruction supported on 32-bit floats only");
    }

    private static void load(KernelCompiler kc, Val[] a, int arg, int i, char k) throws ShaderException {
        if (arg >= a.length) throw new ShaderException("GLSL.std.450: too few operands");
        kc.load(a[arg], n(a[arg]) == 1 ? 0 : i, k);
    }

    /** A Math function of one double, on a float or double component on the stack. */
    private static void math1(CodeBuilder cb, char k, String name) throws ShaderException {
        if (k != 'F' && k != 'D') throw new ShaderException("GLSL.std.450 " + name + " of an integer");
        if (k == 'F') cb.f2d();
        cb.invokestatic(CD_Math, name, MethodTypeDesc.of(CD_double, CD_double));
        if (k == 'F') cb.d2f();
    }
}
