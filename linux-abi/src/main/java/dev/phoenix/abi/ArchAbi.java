package dev.phoenix.abi;

import dev.phoenix.emu.Arch;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.mm.GuestMemory;
import java.util.Map;

/**
 * What differs per arch in the Linux ABI: syscall numbering, the process memory layout, auxv
 * capability words and struct layouts. One implementation per arch package, each named
 * {@code Abi}.
 */
public interface ArchAbi {
    Arch arch();

    /** Linux syscall numbers by name, for the syscalls Phoenix declares. */
    Map<String, Integer> syscallNumbers();

    /** Top of the initial stack (exclusive). */
    long stackTop();

    /** Where a static-pie (ET_DYN) image is loaded. */
    long pieBase();

    /** mmap places mappings top-down below this address. */
    long mmapTop();

    /** Lowest address mmap hands out without MAP_FIXED. */
    long mmapBottom();

    /** AT_HWCAP. */
    long hwcap();

    /** AT_HWCAP2. */
    long hwcap2();

    /** AT_PLATFORM string. */
    String platform();

    /** Size of {@code struct stat}. */
    int statSize();

    /** Writes {@code st} as this arch's {@code struct stat} at {@code address}. */
    void writeStat(GuestMemory memory, long address, FileStatus st);

    /** The ABI for {@code arch}. */
    static ArchAbi of(Arch arch) {
        return switch (arch) {
            case X86_64 -> dev.phoenix.abi.x86_64.Abi.INSTANCE;
            case AARCH64 -> dev.phoenix.abi.aarch64.Abi.INSTANCE;
            case RISCV64 -> dev.phoenix.abi.riscv64.Abi.INSTANCE;
        };
    }
}
