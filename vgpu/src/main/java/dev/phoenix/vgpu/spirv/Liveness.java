package dev.phoenix.vgpu.spirv;

import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.Instruction;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.DiscontinuedInstruction;
import java.lang.classfile.instruction.IncrementInstruction;
import java.lang.classfile.instruction.LabelTarget;
import java.lang.classfile.instruction.LoadInstruction;
import java.lang.classfile.instruction.LookupSwitchInstruction;
import java.lang.classfile.instruction.ReturnInstruction;
import java.lang.classfile.instruction.StoreInstruction;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.classfile.instruction.TableSwitchInstruction;
import java.lang.classfile.instruction.ThrowInstruction;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which JVM locals are live at each barrier's resume point of a compiled invocation method, so a
 * barrier saves and restores only those instead of every local of the shader (the SGEMM kernel
 * keeps a handful of values across its barriers out of a hundred locals).
 *
 * <p>It works on the bytecode of the first compilation pass rather than on SPIR-V, because that is
 * where the values really live after inlining, scalarization and phi copies: the code is cut into
 * basic blocks at labels and after jumps, each block's uses (read before written) and definitions
 * are collected, and the classic backward data-flow equations (live-in = use ∪ (live-out − def),
 * live-out = ∪ live-in of the successors) are iterated to a fixed point. A local is named by its
 * first slot (longs and doubles take two). Resume points are found as the targets of the one
 * {@code tableswitch} of the method, the one that dispatches on the resume argument (OpSwitch
 * compiles to {@code lookupswitch}).
 */
final class Liveness {
    private Liveness() {}

    /** One basic block: its used-before-defined and defined locals, successors, and live-in set. */
    private static final class Block {
        final BitSet use = new BitSet(), def = new BitSet();
        final List<Integer> succ = new ArrayList<>();
        BitSet in = new BitSet();
    }

    /**
     * For the class {@code classBytes} built by the first pass, the locals at or above
     * {@code firstSlot} live at the resume point of each barrier, in barrier order.
     */
    static List<BitSet> atResumePoints(byte[] classBytes, int firstSlot) {
        MethodModel inv = ClassFile.of().parse(classBytes).methods().stream()
                .filter(mm -> mm.methodName().equalsString("inv")).findFirst().orElseThrow();
        CodeModel code = inv.code().orElseThrow();
        List<CodeElement> els = code.elementList();
        // Cut into blocks: a label starts one, a jump, switch, return or throw ends one.
        List<Block> blocks = new ArrayList<>();
        Map<Label, Integer> blockOf = new HashMap<>();
        List<List<Label>> targets = new ArrayList<>();  // per block: its jump targets
        List<Boolean> fallsThrough = new ArrayList<>();
        TableSwitchInstruction resumeSwitch = null;
        Block cur = null;
        for (CodeElement e : els) {
            if (e instanceof LabelTarget lt) {
                if (cur != null) fallsThrough.set(blocks.size() - 1, true);
                cur = null;
                blockOf.put(lt.label(), blocks.size());  // the block the next instruction starts
                continue;
            }
            if (!(e instanceof Instruction)) continue;
            if (cur == null) {
                cur = new Block();
                blocks.add(cur);
                targets.add(new ArrayList<>());
                fallsThrough.add(false);
            }
            List<Label> t = targets.get(blocks.size() - 1);
            switch (e) {
                case LoadInstruction l -> { if (!cur.def.get(l.slot())) cur.use.set(l.slot()); }
                case StoreInstruction s -> cur.def.set(s.slot());
                case IncrementInstruction i -> {
                    if (!cur.def.get(i.slot())) cur.use.set(i.slot());
                    cur.def.set(i.slot());
                }
                case BranchInstruction b -> {
                    t.add(b.target());
                    if (b.opcode() != Opcode.GOTO && b.opcode() != Opcode.GOTO_W) fallsThrough.set(blocks.size() - 1, true);
                    cur = null;
                }
                case TableSwitchInstruction ts -> {
                    resumeSwitch = ts;
                    t.add(ts.defaultTarget());
                    for (SwitchCase c : ts.cases()) t.add(c.target());
                    cur = null;
                }
                case LookupSwitchInstruction ls -> {
                    t.add(ls.defaultTarget());
                    for (SwitchCase c : ls.cases()) t.add(c.target());
                    cur = null;
                }
                case ReturnInstruction r -> cur = null;
                case ThrowInstruction th -> cur = null;
                case DiscontinuedInstruction d -> throw new IllegalStateException("jsr/ret in generated code");
                default -> {}
            }
        }
        for (int b = 0; b < blocks.size(); b++) {
            Block bl = blocks.get(b);
            if (fallsThrough.get(b) && b + 1 < blocks.size()) bl.succ.add(b + 1);
            for (Label l : targets.get(b)) {
                Integer to = blockOf.get(l);
                if (to != null && to < blocks.size()) bl.succ.add(to);
            }
        }
        // Backward data flow to a fixed point, visiting blocks last to first.
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int b = blocks.size() - 1; b >= 0; b--) {
                Block bl = blocks.get(b);
                BitSet out = new BitSet();
                for (int s : bl.succ) out.or(blocks.get(s).in);
                out.andNot(bl.def);
                out.or(bl.use);
                if (!out.equals(bl.in)) {
                    bl.in = out;
                    changed = true;
                }
            }
        }
        List<BitSet> live = new ArrayList<>();
        if (resumeSwitch == null) return live;
        List<SwitchCase> cases = new ArrayList<>(resumeSwitch.cases());
        cases.sort((a, b) -> Integer.compare(a.caseValue(), b.caseValue()));
        for (SwitchCase c : cases) {
            BitSet s = (BitSet) blocks.get(blockOf.get(resumeLabel(els, c.target()))).in.clone();
            s.clear(0, firstSlot);
            live.add(s);
        }
        return live;
    }

    /**
     * The resume label of a restore block: the first pass's switch cases lead to blocks that
     * restore the saved locals (none in the first pass) and then jump to the resume point; the
     * target of that jump is returned.
     */
    private static Label resumeLabel(List<CodeElement> els, Label restore) {
        boolean in = false;
        for (CodeElement e : els) {
            if (e instanceof LabelTarget lt && lt.label().equals(restore)) in = true;
            else if (in && e instanceof BranchInstruction b && b.opcode() == Opcode.GOTO) return b.target();
        }
        throw new IllegalStateException("restore block without its jump to the resume point");
    }
}
