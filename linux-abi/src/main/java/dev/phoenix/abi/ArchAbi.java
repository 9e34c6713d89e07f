package dev.phoenix.abi;

import dev.phoenix.emu.Arch;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.mm.GuestMemory;
import dev.phoenix.abi.syscall.Numbering;
import java.util.List;
import java.util.Map;

/**
 * What differs per arch in the Linux ABI: syscall numbering, the process memory layout, auxv
 * capability words and struct layouts. One implementation per arch package, each named
 * {@code Abi}.
 */
public interface ArchAbi {
    Arch arch();

    /** Every syscall Linux numbers on this arch, in number order. */
    List<Numbering.Entry> syscalls();

    /** Linux syscall numbers by name. */
    Map<String, Integer> syscallNumbers();

    /** Top of the initial stack (exclusive). */
    long stackTop();

    /** TASK_SIZE: the end of the user address space; ranges past it are EINVAL or ENOMEM. */
    long taskSize();

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

    /** The open(2) flags whose values differ between arches. */
    record OpenFlags(int directory, int nofollow, int direct, int largefile) {
        /** x86_64 and asm-generic (riscv64) values. */
        public static final OpenFlags GENERIC = new OpenFlags(0200000, 0400000, 040000, 0100000);
        /** arch/arm64/include/uapi/asm/fcntl.h. */
        public static final OpenFlags ARM64 = new OpenFlags(040000, 0100000, 0200000, 0400000);
    }

    /**
     * Whether the kernel's struct sigaction has an sa_restorer word (SA_RESTORER): asm-generic
     * riscv64 has none, so its sa_mask follows sa_flags directly.
     */
    default boolean hasSaRestorer() {
        return arch() != Arch.RISCV64;
    }

    /**
     * Which clone(2) argument registers hold child_tid and tls; flags, stack and parent_tid are
     * the first three everywhere (clone(2), NOTES: the raw system call's argument order).
     */
    record CloneOrder(int childTid, int tls) {
        /** kernel/fork.c's own order, x86_64's: (flags, stack, parent_tid, child_tid, tls). */
        public static final CloneOrder DEFAULT = new CloneOrder(3, 4);
        /** CONFIG_CLONE_BACKWARDS, arm64's and riscv's: (flags, stack, parent_tid, tls, child_tid). */
        public static final CloneOrder BACKWARDS = new CloneOrder(4, 3);
    }

    /** This arch's clone(2) argument order (the generic ABI's arches use CLONE_BACKWARDS). */
    default CloneOrder cloneOrder() {
        return CloneOrder.BACKWARDS;
    }

    /** This arch's values of the open(2) flags that are not the same everywhere. */
    default OpenFlags openFlags() {
        return OpenFlags.GENERIC;
    }

    /**
     * Where struct semid64_ds keeps sem_ctime and sem_nsems, and its size: x86_64's sembuf.h
     * pads sem_otime and sem_ctime with a word each, asm-generic's does not.
     */
    record SemidLayout(int ctime, int nsems, int size) {
        /** asm-generic/sembuf.h on a 64-bit arch (arm64, riscv64). */
        public static final SemidLayout GENERIC = new SemidLayout(56, 64, 88);
        /** arch/x86/include/uapi/asm/sembuf.h for x86_64. */
        public static final SemidLayout X86_64 = new SemidLayout(64, 80, 104);
    }

    /** This arch's struct semid64_ds layout. */
    default SemidLayout semidLayout() {
        return SemidLayout.GENERIC;
    }

    /** The ABI for {@code arch}. */
    static ArchAbi of(Arch arch) {
        return switch (arch) {
            case X86_64 -> dev.phoenix.abi.x86_64.Abi.INSTANCE;
            case AARCH64 -> dev.phoenix.abi.aarch64.Abi.INSTANCE;
            case RISCV64 -> dev.phoenix.abi.riscv64.Abi.INSTANCE;
        };
    }
}
