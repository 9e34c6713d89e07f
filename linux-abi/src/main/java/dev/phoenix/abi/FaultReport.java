package dev.phoenix.abi;

import dev.phoenix.emu.Cpu;
import dev.phoenix.emu.CpuExit;
import dev.phoenix.emu.Disassembler;
import dev.phoenix.emu.Disassemblers;

/** The one-line message printed when a guest dies of a fault, naming the instruction that faulted. */
public final class FaultReport {
    private FaultReport() {}

    /** Longest instruction on any supported arch (x86: 15 bytes). */
    private static final int MAX_INSN = 16;

    public static String describe(Cpu cpu, CpuExit exit, int signal) {
        StringBuilder sb = new StringBuilder("phoenix: guest killed by ").append(Signals.name(signal)).append(" (")
                .append(Signals.description(signal)).append("): ").append(what(exit, signal)).append(" at pc 0x")
                .append(Long.toHexString(exit.pc()));
        String insn = instructionAt(cpu, exit.pc());
        if (insn != null) {
            sb.append(": ").append(insn);
        }
        return sb.toString();
    }

    private static String what(CpuExit exit, int signal) {
        String addr = "0x" + Long.toHexString(exit.address());
        if (signal == Signals.SIGBUS && exit.trap().isMemoryFault() && exit.trap() != dev.phoenix.emu.Trap.MISALIGNED) {
            return "access past the end of a mapped file at " + addr;
        }
        return switch (exit.trap()) {
            case READ_UNMAPPED -> "read from unmapped address " + addr;
            case WRITE_UNMAPPED -> "write to unmapped address " + addr;
            case FETCH_UNMAPPED -> "execution of unmapped address " + addr;
            case READ_PROT -> "read from protected address " + addr;
            case WRITE_PROT -> "write to read-only address " + addr;
            case FETCH_PROT -> "execution of non-executable address " + addr;
            case ILLEGAL_INSTRUCTION -> "illegal instruction";
            case BREAKPOINT -> "breakpoint";
            case DIVIDE_ERROR -> "integer divide error";
            case MISALIGNED -> "misaligned access";
            case GENERAL_PROTECTION -> "general protection fault";
            case OTHER -> "CPU exception " + exit.detail();
            case STOP_REQUESTED -> "stop";
        };
    }

    /** Disassembles the instruction at {@code pc}, or null when its bytes cannot be read or decoded. */
    static String instructionAt(Cpu cpu, long pc) {
        byte[] code = new byte[MAX_INSN];
        int n = cpu.readForDiagnostics(pc, code);
        if (n == 0) {
            return null;
        }
        try (Disassembler d = Disassemblers.forArch(cpu.arch())) {
            Disassembler.Instruction i = d.decode(code, 0, n, pc);
            return i == null ? null : i.toString();
        } catch (RuntimeException e) {
            return null; // a diagnostic must never hide the fault it describes
        }
    }
}
