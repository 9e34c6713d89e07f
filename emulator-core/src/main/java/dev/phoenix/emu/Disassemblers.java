package dev.phoenix.emu;

import dev.phoenix.emu.capstone.CapstoneDisassembler;

/** Opens disassemblers without naming the library behind them. */
public final class Disassemblers {
    private Disassemblers() {}

    /**
     * A new disassembler for {@code arch}; the caller closes it. x86_64 is Phoenix's own decoder
     * and printer ({@link X86Disassembler}, Capstone's Intel text); the other arches Capstone.
     */
    public static Disassembler forArch(Arch arch) {
        return arch == Arch.X86_64 ? new X86Disassembler() : CapstoneDisassembler.forArch(arch);
    }
}
