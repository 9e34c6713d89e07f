package dev.phoenix.emu;

import dev.phoenix.emu.capstone.CapstoneDisassembler;

/** Opens disassemblers without naming the library behind them. */
public final class Disassemblers {
    private Disassemblers() {}

    /** A new disassembler for {@code arch}; the caller closes it. */
    public static Disassembler forArch(Arch arch) {
        return CapstoneDisassembler.forArch(arch);
    }
}
