package dev.phoenix.abi.aarch64;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.abi.GenericNumbers;
import dev.phoenix.abi.GenericStat;
import dev.phoenix.emu.Arch;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.mm.GuestMemory;
import java.util.Collections;
import java.util.Map;

/** The Linux ABI of aarch64: asm-generic numbering and struct stat, 48-bit user addresses. */
public final class Abi implements ArchAbi {
    public static final Abi INSTANCE = new Abi();
    private static final Map<String, Integer> NUMBERS;

    static {
        Map<String, Integer> m = GenericNumbers.base();

        NUMBERS = Collections.unmodifiableMap(m);
    }

    private Abi() {}

    @Override
    public Arch arch() {
        return Arch.AARCH64;
    }

    @Override
    public Map<String, Integer> syscallNumbers() {
        return NUMBERS;
    }

    @Override
    public long stackTop() {
        return 0x7ffffffff000L;
    }

    @Override
    public long pieBase() {
        return 0xaaaaaaaa0000L;
    }

    @Override
    public long mmapTop() {
        return 0x7fffb7ff0000L;
    }

    @Override
    public long mmapBottom() {
        return 0x10000000L;
    }

    @Override
    public long hwcap() {
        // FP, ASIMD, AES, PMULL, SHA1, SHA2, CRC32, ATOMICS (arch/arm64/include/uapi/asm/hwcap.h)
        return 0x1fbL;
    }

    @Override
    public long hwcap2() {
        return 0;
    }

    @Override
    public String platform() {
        return "aarch64";
    }

    @Override
    public int statSize() {
        return GenericStat.SIZE;
    }

    @Override
    public void writeStat(GuestMemory memory, long address, FileStatus st) {
        GenericStat.write(memory, address, st);
    }
}
