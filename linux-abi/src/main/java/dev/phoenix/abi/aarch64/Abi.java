package dev.phoenix.abi.aarch64;

import dev.phoenix.abi.AbiBase;
import dev.phoenix.abi.syscall.Numbering;
import dev.phoenix.emu.Arch;

/** The Linux ABI of aarch64: asm-generic numbering (plus renameat, which arm64 keeps) and struct stat, 48-bit user addresses. */
public final class Abi extends AbiBase {
    public static final Abi INSTANCE = new Abi();

    // FP, ASIMD, AES, PMULL, SHA1, SHA2, CRC32, ATOMICS (arch/arm64/include/uapi/asm/hwcap.h):
    // what Unicorn's "max" CPU model implements and glibc's IFUNCs look for.
    private static final long HWCAP = 0x1fbL;

    private Abi() {
        super(Arch.AARCH64, Numbering.load("generic.txt", "aarch64.txt"),
                new Layout(0x7ffffffff000L, 0xaaaaaaaa0000L, 0x10000000L, 0x7fffb7ff0000L, 1L << 48), HWCAP, "aarch64");
    }

    @Override
    public OpenFlags openFlags() {
        return OpenFlags.ARM64;
    }
}
