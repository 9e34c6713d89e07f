package dev.phoenix.abi;

import dev.phoenix.emu.Arch;
import dev.phoenix.emu.Disassembler;
import dev.phoenix.emu.Disassemblers;
import dev.phoenix.emu.InstructionTracer;
import java.io.PrintStream;

/** {@code --trace}: prints every guest instruction, disassembled, before it executes. */
public final class InstructionTrace {
    private final PrintStream out;

    public InstructionTrace(PrintStream out) {
        this.out = out;
    }

    /** A tracer for one CPU of {@code arch}. */
    public InstructionTracer forArch(Arch arch) {
        Disassembler d = Disassemblers.forArch(arch);
        byte[] buf = new byte[16];
        return (cpu, pc, length) -> {
            int n = cpu.readForDiagnostics(pc, length > 0 && length <= buf.length ? buf : buf);
            Disassembler.Instruction i = d.decode(buf, 0, Math.min(n, Math.max(length, 1)), pc);
            out.println(String.format("0x%x: %s", pc, i == null ? "(undecodable)" : i));
        };
    }
}
