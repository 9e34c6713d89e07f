package dev.phoenix.emu;

/** Receives each guest instruction before it executes ({@code --trace}); slow by nature. */
@FunctionalInterface
public interface InstructionTracer {
    /** Called with the address and length of the instruction about to execute. */
    void instruction(Cpu cpu, long pc, int length);
}
