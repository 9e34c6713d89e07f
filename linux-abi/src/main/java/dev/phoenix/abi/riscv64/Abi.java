package dev.phoenix.abi.riscv64;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.abi.GenericNumbers;
import dev.phoenix.abi.GenericStat;
import dev.phoenix.emu.Arch;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.mm.GuestMemory;
import java.util.Collections;
import java.util.Map;

/** The Linux ABI of riscv64: asm-generic numbering plus riscv_hwprobe and riscv_flush_icache, and a Sv39-sized (256 GiB) user address space. */
public final class Abi implements ArchAbi {
    public static final Abi INSTANCE = new Abi();
    private static final Map<String, Integer> NUMBERS;

    static {
        Map<String, Integer> m = GenericNumbers.base();
        m.put("riscv_hwprobe", 258);
        m.put("riscv_flush_icache", 259);
        NUMBERS = Collections.unmodifiableMap(m);
    }

    private Abi() {}

    @Override
    public Arch arch() {
        return Arch.RISCV64;
    }

    @Override
    public Map<String, Integer> syscallNumbers() {
        return NUMBERS;
    }

    @Override
    public long stackTop() {
        return 0x3ffffff000L;
    }

    @Override
    public long pieBase() {
        return 0x2aaaaaa000L;
    }

    @Override
    public long mmapTop() {
        return 0x3fb7ff0000L;
    }

    @Override
    public long mmapBottom() {
        return 0x10000000L;
    }

    @Override
    public long hwcap() {
        // One bit per base extension letter: I, M, A, F, D, C (arch/riscv/include/uapi/asm/hwcap.h).
        return (1L << ('I' - 'A')) | (1L << ('M' - 'A')) | (1L << ('A' - 'A')) | (1L << ('F' - 'A'))
                | (1L << ('D' - 'A')) | (1L << ('C' - 'A'));
    }

    @Override
    public long hwcap2() {
        return 0;
    }

    @Override
    public String platform() {
        return "riscv64";
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
