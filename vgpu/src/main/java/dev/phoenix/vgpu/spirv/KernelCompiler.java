package dev.phoenix.vgpu.spirv;

import static dev.phoenix.vgpu.spirv.Spirv.*;
import static java.lang.constant.ConstantDescs.*;

import dev.phoenix.vgpu.ShaderException;
import dev.phoenix.vgpu.spirv.SpirvModule.Block;
import dev.phoenix.vgpu.spirv.SpirvModule.Func;
import dev.phoenix.vgpu.spirv.SpirvModule.Insn;
import dev.phoenix.vgpu.spirv.Val.Cst;
import dev.phoenix.vgpu.spirv.Val.InPtr;
import dev.phoenix.vgpu.spirv.Val.LocPtr;
import dev.phoenix.vgpu.spirv.Val.MemPtr;
import dev.phoenix.vgpu.spirv.Val.Reg;
import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.classfile.TypeKind;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.util.ArrayList;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles one compute entry point of a {@link SpirvModule} to a JVM class with two static
 * methods: {@code inv(Ctx, int index, int resume, long[] spill)} runs one local invocation, and
 * {@code group(Ctx)} runs every local invocation of a workgroup.
 *
 * <p>Every SPIR-V value lives in JVM locals, one per scalar component (vectors and matrices are
 * scalarized); functions are inlined at their calls (SPIR-V forbids recursion); structured control
 * flow becomes plain jumps, OpPhi becomes copies on the edges that lead to its block. Barriers split
 * an invocation into resumable steps: at OpControlBarrier the invocation saves the locals live
 * after the barrier to its spill array and returns the barrier's number; called again with that
 * number it restores them and continues after the barrier. Which locals are live is found on the
 * bytecode of a first compilation pass ({@link Liveness}); the class is then compiled again with
 * that knowledge (SGEMM's tiled kernel keeps 7 of its ~100 locals across its barriers). {@code group} runs all invocations of the workgroup round-robin
 * until all have returned -1, so every invocation reaches a barrier before any goes past it, in
 * loops too (the reduction and scan kernels barrier inside loops). Each local has one JVM type for
 * the whole method and is assigned before the body starts, so any resume point is a valid jump target.
 */
final class KernelCompiler {
    static final ClassDesc CD_Ctx = ClassDesc.of("dev.phoenix.vgpu.spirv.Ctx");
    static final ClassDesc CD_Math = ClassDesc.of("java.lang.Math");
    static final ClassDesc CD_Rt = ClassDesc.of("dev.phoenix.vgpu.spirv.Rt");
    static final ClassDesc CD_Seg = ClassDesc.of("java.lang.foreign.MemorySegment");
    static final MethodTypeDesc MTD_INV = MethodTypeDesc.of(CD_int, CD_Ctx, CD_int, CD_int, CD_long.arrayType());
    private static final int L_CTX = 0, L_IDX = 1, L_RESUME = 2, L_SPILL = 3, L_LX = 4, L_GX = 7, L_SHARED = 10, L_PUSH = 11, L_BUF0 = 12;
    private static final int MAX_INLINE_DEPTH = 32, MAX_LOCALS = 60000;

    /** What compile gives back: the class bytes and the facts the kernel needs to run it. */
    record Result(byte[] classBytes, int[] localSize, int bindings, int pushBytes, long sharedBytes, int spillSlots, boolean barriers,
            int firstSlot) {}

    /** Carries a refusal out of the class-building lambdas. */
    private static final class Refused extends RuntimeException {
        final ShaderException reason;

        Refused(ShaderException reason) {
            super(null, null, false, false);
            this.reason = reason;
        }
    }

    private final SpirvModule m;
    private final int entry;
    private final int[] local;
    private CodeBuilder cb;
    private int firstSlot, nextSlot;
    private final List<Character> slotKinds = new ArrayList<>();
    private final List<Label> resumes = new ArrayList<>(), spills = new ArrayList<>();
    private final Map<Integer, Val> globals = new HashMap<>();
    private final List<Integer> privateInits = new ArrayList<>();
    private int bindings, pushBytes;
    private long sharedBytes;
    private final ArrayDeque<Integer> callStack = new ArrayDeque<>();
    private int emitted;
    /**
     * Null in the first pass, whose code is only analysed and saves nothing; in the second pass, per
     * barrier, the locals live at its resume point ({@link Liveness}): only those are spilled and
     * restored, at the indices {@link #spillIndex} gives them in the invocation's spill array.
     */
    private final List<BitSet> live;
    private int[] spillIndex;
    private int spillSlots;

    /** The values and labels of one inlined instance of a function. */
    private final class Frame {
        final Func f;
        final Map<Integer, Val> vals = new HashMap<>();
        final Map<Integer, Label> labels = new HashMap<>();
        final Map<Integer, Block> blocks = new HashMap<>();
        Label ret;
        Reg retReg;
        int cur;

        Frame(Func f) {
            this.f = f;
            for (Block b : f.blocks()) {
                labels.put(b.label(), cb.newLabel());
                blocks.put(b.label(), b);
            }
        }
    }

    private KernelCompiler(SpirvModule m, int entry, int[] local, List<BitSet> live) {
        this.m = m;
        this.entry = entry;
        this.local = local;
        this.live = live;
    }

    /** Compiles entry point {@code name} of {@code m}. */
    static Result compile(SpirvModule m, String name) throws ShaderException {
        Integer entry = m.entryPoints.get(name);
        if (entry == null) throw new ShaderException("no GLCompute entry point named \"" + name + "\"");
        if (!m.functions.containsKey(entry)) throw new ShaderException("entry point %" + entry + " is not a function");
        int[] local = localSize(m, entry);
        Result all = new KernelCompiler(m, entry, local, null).build();
        if (!all.barriers()) return all;
        // Second pass: the same code, but each barrier spills and restores only what is live after it.
        return new KernelCompiler(m, entry, local, Liveness.atResumePoints(all.classBytes(), all.firstSlot())).build();
    }

    private static int[] localSize(SpirvModule m, int entry) throws ShaderException {
        int[] ls = m.localSize.get(entry);
        if (ls == null && m.localSizeId.get(entry) != null) {
            int[] ids = m.localSizeId.get(entry);
            ls = new int[3];
            for (int i = 0; i < 3; i++) ls[i] = (int) scalarConst(m, ids[i]);
        }
        for (var e : m.constants.entrySet()) {  // a WorkgroupSize built-in constant overrides LocalSize
            if (m.decoration(e.getKey(), D_BuiltIn, -1) == B_WorkgroupSize && e.getValue().bits() != null && e.getValue().bits().length == 3) {
                long[] b = e.getValue().bits();
                ls = new int[] {(int) b[0], (int) b[1], (int) b[2]};
            }
        }
        if (ls == null) throw new ShaderException("entry point has no LocalSize");
        long n = 1;
        for (int s : ls) {
            if (s <= 0 || s > 1024) throw new ShaderException("workgroup size " + s + " out of range 1..1024");
            n *= s;
        }
        if (n > 1024) throw new ShaderException("workgroup of " + n + " invocations (more than 1024)");
        return ls;
    }

    private static long scalarConst(SpirvModule m, int id) throws ShaderException {
        var c = m.constants.get(id);
        if (c == null || c.bits() == null || c.bits().length != 1) throw new ShaderException("%" + id + " is not a scalar constant");
        return c.bits()[0];
    }

    private Result build() throws ShaderException {
        boolean barriers = m.functions.values().stream().flatMap(f -> f.blocks().stream())
                .flatMap(b -> b.insns().stream()).anyMatch(i -> i.op() == OpControlBarrier);
        layoutGlobals();
        byte[] bytes;
        try {
            bytes = ClassFile.of().build(ClassDesc.of("dev.phoenix.vgpu.spirv.Shader"), clb -> {
                clb.withFlags(ClassFile.ACC_PUBLIC | ClassFile.ACC_FINAL);
                clb.withMethodBody("inv", MTD_INV, ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC, c -> {
                    cb = c;
                    try {
                        emitInvocation(barriers);
                    } catch (ShaderException e) {
                        throw new Refused(e);
                    }
                });
                clb.withMethodBody("group", MethodTypeDesc.of(CD_void, CD_Ctx), ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC,
                        c -> emitGroup(c, barriers));
            });
        } catch (Refused r) {
            throw r.reason;
        }
        return new Result(bytes, local, bindings, pushBytes, sharedBytes, barriers ? spillSlots : 0, barriers, firstSlot);
    }

    // ---- globals: buffers, push constants, shared memory, built-ins, private variables ----

    private void layoutGlobals() throws ShaderException {
        int maxBinding = -1;
        for (var v : m.globals.values()) {
            int sc = v.type().storage();
            if (sc == SC_StorageBuffer || sc == SC_Uniform) {
                int b = m.decoration(v.id(), D_Binding, -1), set = m.decoration(v.id(), D_DescriptorSet, 0);
                if (set != 0) throw new ShaderException("descriptor set " + set + " (only set 0 is bound)");
                if (b < 0 || b >= 32) throw new ShaderException("storage buffer without a Binding 0..31");
                if (!(v.type().pointee() instanceof Type.Struct s) || !s.block()) throw new ShaderException("buffer variable %" + v.id() + " is not a Block struct");
                maxBinding = Math.max(maxBinding, b);
            } else if (sc == SC_PushConstant) {
                if (!(v.type().pointee() instanceof Type.Struct s)) throw new ShaderException("push constant block is not a struct");
                long size = Type.naturalSize(s);
                if (size > 128) throw new ShaderException("push constant block of " + size + " bytes (more than 128)");
                pushBytes = (int) Math.max(pushBytes, size);
            } else if (sc == SC_Workgroup) {
                long size = Type.naturalSize(v.type().pointee());
                sharedBytes = (sharedBytes + 7) & ~7L;
                if (sharedBytes + size > (1 << 20)) throw new ShaderException("more than 1 MiB of shared memory");
                globals.put(v.id(), memPtr(L_SHARED, sharedBytes, v.type().pointee()));
                sharedBytes += size;
            } else if (sc == SC_Input) {
                int b = m.decoration(v.id(), D_BuiltIn, -1);
                switch (b) {
                    case B_NumWorkgroups, B_WorkgroupSize, B_WorkgroupId, B_LocalInvocationId, B_GlobalInvocationId,
                            B_LocalInvocationIndex -> globals.put(v.id(), new InPtr(b, 0, v.type().pointee()));
                    default -> throw new ShaderException("unsupported input variable %" + v.id() + " (built-in " + b + ")");
                }
            }
        }
        bindings = maxBinding + 1;
        for (var v : m.globals.values()) {
            int sc = v.type().storage();
            if (sc == SC_StorageBuffer || sc == SC_Uniform) globals.put(v.id(), memPtr(L_BUF0 + m.decoration(v.id(), D_Binding, 0), 0, v.type().pointee()));
            else if (sc == SC_PushConstant) globals.put(v.id(), memPtr(L_PUSH, 0, v.type().pointee()));
        }
    }

    private static MemPtr memPtr(int seg, long off, Type t) {
        return new MemPtr(seg, -1, off, t, 0, false, Type.scalarBytes(t));
    }

    // ---- the methods ----

    private void emitInvocation(boolean barriers) throws ShaderException {
        firstSlot = nextSlot = L_BUF0 + bindings;
        int lx = local[0], ly = local[1];
        // lx, ly, lz from the flat local index; gx = wx * LX + lx ...
        cb.iload(L_IDX).loadConstant(lx).irem().istore(L_LX);
        cb.iload(L_IDX).loadConstant(lx).idiv().loadConstant(ly).irem().istore(L_LX + 1);
        cb.iload(L_IDX).loadConstant(lx * ly).idiv().istore(L_LX + 2);
        String[] w = {"wx", "wy", "wz"};
        for (int i = 0; i < 3; i++) {
            cb.aload(L_CTX).getfield(CD_Ctx, w[i], CD_int).loadConstant(local[i]).imul().iload(L_LX + i).iadd().istore(L_GX + i);
        }
        cb.aload(L_CTX).getfield(CD_Ctx, "shared", CD_Seg).astore(L_SHARED);
        cb.aload(L_CTX).getfield(CD_Ctx, "push", CD_Seg).astore(L_PUSH);
        for (int b = 0; b < bindings; b++) {
            cb.aload(L_CTX).getfield(CD_Ctx, "bufs", CD_Seg.arrayType()).loadConstant(b).aaload().astore(L_BUF0 + b);
        }
        Label init = cb.newLabel(), body = cb.newLabel();
        cb.goto_(init);
        cb.labelBinding(body);
        Frame top = new Frame(m.functions.get(entry));
        for (var v : m.globals.values()) {  // Private variables: locals, initialized at the start
            if (v.type().storage() == SC_Private) {
                Reg r = newReg(v.type().pointee());
                globals.put(v.id(), new LocPtr(r, 0, v.type().pointee()));
                if (v.init() != 0) copy(val(top, v.init()), r, 0, r.n());
            }
        }
        emitFunction(top);
        if (nextSlot > MAX_LOCALS) throw new ShaderException("shader too large (" + nextSlot + " locals)");
        spillLayout();
        // Barrier k: save the locals live after it, return k.
        for (int k = 0; k < spills.size(); k++) {
            cb.labelBinding(spills.get(k));
            for (int s = firstSlot; s < nextSlot; s++) {
                char kind = slotKinds.get(s - firstSlot);
                if (kind == 0 || !spilled(k, s)) continue;
                cb.aload(L_SPILL).loadConstant(spillIndex[s - firstSlot]);
                switch (kind) {
                    case 'I' -> cb.iload(s).i2l();
                    case 'F' -> cb.fload(s).invokestatic(CD_Float, "floatToRawIntBits", MethodTypeDesc.of(CD_int, CD_float)).i2l();
                    case 'J' -> cb.lload(s);
                    default -> cb.dload(s).invokestatic(CD_Double, "doubleToRawLongBits", MethodTypeDesc.of(CD_long, CD_double));
                }
                cb.lastore();
            }
            // The first pass's code is only analysed: there the barrier leads straight to its resume
            // point, so what is live after the barrier is live before it, through later barriers too.
            if (live == null) cb.goto_(resumes.get(k));
            else cb.loadConstant(k + 1).ireturn();
        }
        // Entry: give every local a value (the verifier wants each assigned before the body), then,
        // when resuming after barrier k, restore the locals barrier k saved and go on after it.
        cb.labelBinding(init);
        for (int s = firstSlot; s < nextSlot; s++) {
            switch (slotKinds.get(s - firstSlot)) {
                case 0 -> {}
                case 'I' -> cb.iconst_0().istore(s);
                case 'F' -> cb.fconst_0().fstore(s);
                case 'J' -> cb.lconst_0().lstore(s);
                default -> cb.dconst_0().dstore(s);
            }
        }
        List<Label> restores = new ArrayList<>();
        for (int k = 0; k < resumes.size(); k++) restores.add(cb.newLabel());
        if (resumes.isEmpty()) {
            cb.goto_(body);
        } else {
            List<SwitchCase> cases = new ArrayList<>();
            for (int k = 0; k < resumes.size(); k++) cases.add(SwitchCase.of(k + 1, restores.get(k)));
            cb.iload(L_RESUME).tableswitch(1, resumes.size(), body, cases);
            for (int k = 0; k < resumes.size(); k++) {
                cb.labelBinding(restores.get(k));
                for (int s = firstSlot; s < nextSlot; s++) {
                    char kind = slotKinds.get(s - firstSlot);
                    if (kind == 0 || !spilled(k, s)) continue;
                    cb.aload(L_SPILL).loadConstant(spillIndex[s - firstSlot]).laload();
                    switch (kind) {
                        case 'I' -> cb.l2i().istore(s);
                        case 'F' -> cb.l2i().invokestatic(CD_Float, "intBitsToFloat", MethodTypeDesc.of(CD_float, CD_int)).fstore(s);
                        case 'J' -> cb.lstore(s);
                        default -> cb.invokestatic(CD_Double, "longBitsToDouble", MethodTypeDesc.of(CD_double, CD_long)).dstore(s);
                    }
                }
                cb.goto_(resumes.get(k));
            }
        }
    }

    /**
     * Whether barrier {@code k} saves local {@code slot}: the live ones in the second pass; none in
     * the first, whose code is only analysed (saving everything there would make every local look
     * live, read by the spill code on the way out).
     */
    private boolean spilled(int k, int slot) {
        return live != null && live.get(k).get(slot);
    }

    /** Gives each local that some barrier saves its index in the spill array, densely. */
    private void spillLayout() {
        spillIndex = new int[nextSlot - firstSlot];
        spillSlots = 0;
        for (int s = firstSlot; s < nextSlot; s++) {
            boolean any = false;
            for (int k = 0; k < spills.size() && !any; k++) any = spilled(k, s);
            spillIndex[s - firstSlot] = any && slotKinds.get(s - firstSlot) != 0 ? spillSlots++ : -1;
        }
    }

    /** {@code group(Ctx c)}: runs invocations 0..n-1, round-robin until all finished when there are barriers. */
    private void emitGroup(CodeBuilder c, boolean barriers) {
        int n = local[0] * local[1] * local[2];
        ClassDesc self = ClassDesc.of("dev.phoenix.vgpu.spirv.Shader");
        Label loop = c.newLabel(), next = c.newLabel(), done = c.newLabel();
        if (!barriers) {
            c.iconst_0().istore(1);
            c.labelBinding(loop);
            c.iload(1).loadConstant(n).if_icmpge(done);
            c.aload(0).iload(1).iconst_0().aconst_null().invokestatic(self, "inv", MTD_INV).pop();
            c.iinc(1, 1).goto_(loop);
            c.labelBinding(done);
            c.return_();
            return;
        }
        Label round = c.newLabel();
        c.aload(0).getfield(CD_Ctx, "state", CD_int.arrayType()).astore(3);
        c.aload(0).getfield(CD_Ctx, "spill", CD_long.arrayType().arrayType()).astore(4);
        c.labelBinding(round);
        c.iconst_0().istore(2).iconst_0().istore(1);
        c.labelBinding(loop);
        c.iload(1).loadConstant(n).if_icmpge(done);
        c.aload(3).iload(1).iaload().istore(5);
        c.iload(5).iflt(next);
        c.aload(0).iload(1).iload(5).aload(4).iload(1).aaload().invokestatic(self, "inv", MTD_INV).istore(5);
        c.aload(3).iload(1).iload(5).iastore();
        c.iload(5).iflt(next);
        c.iconst_1().istore(2);
        c.labelBinding(next);
        c.iinc(1, 1).goto_(loop);
        c.labelBinding(done);
        c.iload(2).ifne(round);
        c.return_();
    }

    // ---- functions, blocks, control flow ----

    private void emitFunction(Frame f) throws ShaderException {
        if (callStack.contains(f.f.id())) throw new ShaderException("recursive call of function %" + f.f.id());
        if (callStack.size() >= MAX_INLINE_DEPTH) throw new ShaderException("calls nested too deep");
        callStack.push(f.f.id());
        for (Block b : f.f.blocks()) {  // phis get their locals first: edges from earlier blocks write them
            for (Insn in : b.insns()) {
                if (in.op() == OpPhi) f.vals.put(in.word(1), newReg(m.type(in.word(0))));
            }
        }
        for (Block b : f.f.blocks()) {
            cb.labelBinding(f.labels.get(b.label()));
            f.cur = b.label();
            for (Insn in : b.insns()) {
                if (++emitted > 200_000) throw new ShaderException("shader too large after inlining");
                if (in.op() == OpLoopMerge) cb.aload(L_CTX).invokevirtual(CD_Ctx, "tick", MethodTypeDesc.of(CD_void));
            }
            for (Insn in : b.insns()) emit(f, in);
        }
        callStack.pop();
    }

    private Label label(Frame f, int id) throws ShaderException {
        Label l = f.labels.get(id);
        if (l == null) throw new ShaderException("branch to %" + id + ", not a block of its function");
        return l;
    }

    /** Jumps from the current block to {@code target}, first giving its OpPhis their values for this edge. */
    private void branch(Frame f, int target) throws ShaderException {
        Label l = label(f, target);
        List<Reg> dst = new ArrayList<>();
        for (Insn in : f.blocks.get(target).insns()) {
            if (in.op() != OpPhi) continue;
            Reg r = (Reg) f.vals.get(in.word(1));
            boolean found = false;
            for (int i = 2; i + 1 < in.count(); i += 2) {
                if (in.word(i + 1) == f.cur) {
                    Val v = val(f, in.word(i));
                    for (int c = 0; c < r.n(); c++) load(v, c, r.kind());
                    dst.add(r);
                    found = true;
                    break;
                }
            }
            if (!found) throw new ShaderException("OpPhi %" + in.word(1) + " has no value for its predecessor %" + f.cur);
        }
        for (int k = dst.size() - 1; k >= 0; k--) {  // a parallel copy: all loaded, then stored
            Reg r = dst.get(k);
            for (int c = r.n() - 1; c >= 0; c--) store(r, c);
        }
        cb.goto_(l);
    }

    private Val val(Frame f, int id) throws ShaderException {
        Val v = f.vals.get(id);
        if (v != null) return v;
        v = globals.get(id);
        if (v != null) return v;
        var c = m.constants.get(id);
        if (c != null && c.bits() != null) return new Cst(c.type().kind(), c.bits());
        throw new ShaderException("%" + Integer.toUnsignedString(id) + " used where it is not defined (or of an unsupported kind)");
    }

    private Reg reg(Frame f, int id) throws ShaderException {
        Val v = val(f, id);
        if (v instanceof Reg r) return r;
        if (v instanceof Cst) return null;
        throw new ShaderException("%" + id + " is a pointer where a value is needed");
    }

    Reg newReg(Type t) throws ShaderException {
        int n = t.components();
        char k = t.kind();
        if (n == 0 || k == 0) throw new ShaderException("values of type " + t.getClass().getSimpleName() + " are not supported");
        Reg r = new Reg(k, nextSlot, n);
        for (int i = 0; i < n; i++) {
            slotKinds.add(k);
            if (k == 'J' || k == 'D') slotKinds.add((char) 0);
        }
        nextSlot += n * (k == 'J' || k == 'D' ? 2 : 1);
        if (nextSlot > MAX_LOCALS) throw new ShaderException("shader too large (too many values)");
        return r;
    }

    /** Pushes component {@code i} of {@code v}, converted to {@code want} if it is a constant. */
    void load(Val v, int i, char want) throws ShaderException {
        switch (v) {
            case Reg r -> {
                if (i >= r.n()) throw new ShaderException("component " + i + " of a value of " + r.n());
                cb.loadLocal(tk(r.kind()), r.slot(i));
            }
            case Cst c -> {
                if (i >= c.bits().length) throw new ShaderException("component " + i + " of a constant of " + c.bits().length);
                long b = c.bits()[i];
                switch (want) {
                    case 'I' -> cb.loadConstant((int) b);
                    case 'J' -> cb.loadConstant(b);
                    case 'F' -> cb.loadConstant(java.lang.Float.intBitsToFloat((int) b));
                    default -> cb.loadConstant(Double.longBitsToDouble(b));
                }
            }
            default -> throw new ShaderException("a pointer used as a value");
        }
    }

    void store(Reg r, int i) {
        cb.storeLocal(tk(r.kind()), r.slot(i));
    }

    static TypeKind tk(char k) {
        return switch (k) {
            case 'I' -> TypeKind.INT;
            case 'J' -> TypeKind.LONG;
            case 'F' -> TypeKind.FLOAT;
            default -> TypeKind.DOUBLE;
        };
    }

    private void copy(Val src, Reg dst, int from, int n) throws ShaderException {
        for (int i = 0; i < n; i++) {
            load(src, i, dst.kind());
            store(dst, from + i);
        }
    }

    private void emit(Frame f, Insn in) throws ShaderException {
        int[] w = in.w();
        switch (in.op()) {
            case OpNop, OpLine, OpNoLine, OpPhi, OpLoopMerge, OpSelectionMerge, OpMemoryBarrier -> {}
            case OpBranch -> branch(f, in.word(0));
            case OpBranchConditional -> {
                Label no = cb.newLabel();
                load(val(f, in.word(0)), 0, 'I');
                cb.ifeq(no);
                branch(f, in.word(1));
                cb.labelBinding(no);
                branch(f, in.word(2));
            }
            case OpSwitch -> {
                Val sel = val(f, in.word(0));
                load(sel, 0, 'I');
                if (!(sel instanceof Reg r ? r.kind() == 'I' : sel instanceof Cst c && c.kind() == 'I')) throw new ShaderException("OpSwitch on a 64-bit selector");
                Label dflt = cb.newLabel();
                List<SwitchCase> cases = new ArrayList<>();
                List<Integer> targets = new ArrayList<>();
                java.util.Set<Integer> seen = new java.util.HashSet<>();
                for (int i = 2; i + 1 < w.length; i += 2) {
                    if (!seen.add(w[i])) throw new ShaderException("OpSwitch: duplicate case " + w[i]);
                    Label l = cb.newLabel();
                    cases.add(SwitchCase.of(w[i], l));
                    targets.add(w[i + 1]);
                }
                cb.lookupswitch(dflt, cases);
                for (int i = 0; i < cases.size(); i++) {
                    cb.labelBinding(cases.get(i).target());
                    branch(f, targets.get(i));
                }
                cb.labelBinding(dflt);
                branch(f, in.word(1));
            }
            case OpReturn, OpUnreachable -> ret(f);
            case OpReturnValue -> {
                if (f.retReg != null) copy(val(f, in.word(0)), f.retReg, 0, f.retReg.n());
                ret(f);
            }
            case OpFunctionCall -> call(f, in);
            case OpControlBarrier -> {
                Label spill = cb.newLabel(), resume = cb.newLabel();
                spills.add(spill);
                resumes.add(resume);
                cb.goto_(spill);
                cb.labelBinding(resume);
            }
            case OpVariable -> {
                Type t = ((Type.Pointer) m.type(in.word(0))).pointee();
                Reg r = newReg(t);
                f.vals.put(in.word(1), new LocPtr(r, 0, t));
                if (w.length > 3) copy(val(f, w[3]), r, 0, r.n());
            }
            case OpUndef -> f.vals.put(in.word(1), newReg(m.type(in.word(0))));
            default -> {
                if (Memory.handles(in.op())) new Memory(this, m).emit(f.vals, id -> val(f, id), in, cb);
                else Ops.emit(this, m, cb, in, id -> val(f, id), f.vals);
            }
        }
    }

    private void ret(Frame f) {
        if (f.ret == null) cb.iconst_m1().ireturn();
        else cb.goto_(f.ret);
    }

    private void call(Frame f, Insn in) throws ShaderException {
        Func callee = m.functions.get(in.word(2));
        if (callee == null) throw new ShaderException("OpFunctionCall of %" + in.word(2) + ", not a function");
        if (callee.params().length != in.count() - 3) throw new ShaderException("OpFunctionCall with " + (in.count() - 3) + " arguments for " + callee.params().length + " parameters");
        Frame g = new Frame(callee);
        for (int i = 0; i < callee.params().length; i++) g.vals.put(callee.params()[i], val(f, in.word(3 + i)));
        Type rt = m.type(in.word(0));
        if (!(rt instanceof Type.Void)) {
            g.retReg = newReg(rt);
            f.vals.put(in.word(1), g.retReg);
        }
        g.ret = cb.newLabel();
        emitFunction(g);
        cb.labelBinding(g.ret);
    }

    /** Resolves ids while one instruction is compiled. */
    interface Lookup {
        Val get(int id) throws ShaderException;
    }
}
