package dev.phoenix.abi.riscv64;

import dev.phoenix.abi.AbiBase;
import dev.phoenix.abi.syscall.Numbering;
import dev.phoenix.emu.Arch;

/**
 * The Linux ABI of riscv64: asm-generic numbering plus riscv_hwprobe and riscv_flush_icache,
 * asm-generic struct stat, and a Sv39-sized (256 GiB) user address space.
 */
public final class Abi extends AbiBase {
    public static final Abi INSTANCE = new Abi();

    // One bit per base extension letter: I, M, A, F, D, C (arch/riscv/include/uapi/asm/hwcap.h).
    private static final long HWCAP = (1L << ('I' - 'A')) | (1L << ('M' - 'A')) | (1L << ('A' - 'A'))
            | (1L << ('F' - 'A')) | (1L << ('D' - 'A')) | (1L << ('C' - 'A'));

    private Abi() {
        super(Arch.RISCV64, Numbering.load("generic.txt", "riscv64.txt"),
                new Layout(0x3ffffff000L, 0x2aaaaaa000L, 0x10000000L, 0x3fb7ff0000L, 1L << 38), HWCAP, "riscv64");
    }
}
