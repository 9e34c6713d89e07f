package dev.phoenix.emu.unicorn;

import dev.phoenix.emu.NativeLibraries;
import dev.phoenix.emu.NativeWords;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * FFM downcall handles and constants of Unicorn 2.1's C API ({@code unicorn/unicorn.h}). Values
 * were read from the 2.1.1 headers of Debian 13's {@code libunicorn-dev}.
 */
final class Unicorn {
    private Unicorn() {}

    static final int ARCH_ARM64 = 2;
    static final int ARCH_X86 = 4;
    static final int ARCH_RISCV = 8;
    static final int MODE_ARM = 0;
    static final int MODE_64 = 8;
    static final int MODE_RISCV64 = 8;

    static final int HOOK_INTR = 1;
    static final int HOOK_INSN = 1 << 1;
    static final int HOOK_CODE = 1 << 2;
    static final int HOOK_MEM_READ_UNMAPPED = 1 << 4;
    static final int HOOK_MEM_WRITE_UNMAPPED = 1 << 5;
    static final int HOOK_MEM_FETCH_UNMAPPED = 1 << 6;
    static final int HOOK_MEM_READ_PROT = 1 << 7;
    static final int HOOK_MEM_WRITE_PROT = 1 << 8;
    static final int HOOK_MEM_FETCH_PROT = 1 << 9;
    static final int HOOK_MEM_INVALID = 0x3f0;
    static final int HOOK_INSN_INVALID = 1 << 14;

    // uc_mem_type values passed to invalid-memory hooks.
    static final int MEM_READ_UNMAPPED = 19;
    static final int MEM_WRITE_UNMAPPED = 20;
    static final int MEM_FETCH_UNMAPPED = 21;
    static final int MEM_WRITE_PROT = 22;
    static final int MEM_READ_PROT = 23;
    static final int MEM_FETCH_PROT = 24;

    static final int X86_INS_SYSCALL = 699;

    static final int ERR_OK = 0;

    /** uc_ctl control word: UC_CTL(type, nr, rw) = type | nr << 26 | rw << 30. */
    static final int CTL_CPU_MODEL_WRITE = 7 | (1 << 26) | (1 << 30);
    static final int CPU_ARM64_MAX = 3;

    private static final SymbolLookup LIB = NativeLibraries.load("libunicorn.so.2");

    // Every function is bound in NativeWords' shapes (integers and pointers as 64-bit words, the
    // uc_err result in the low 32 bits): all of them share one FFM stub, or two with the
    // critical ones, where a descriptor each cost 3-5 ms of start-up.
    static final MethodHandle OPEN = NativeWords.downcall(LIB, "uc_open");
    static final MethodHandle CLOSE = NativeWords.downcall(LIB, "uc_close");
    // Register access runs on every syscall, is short and never calls back into Java: a
    // critical downcall skips the thread-state transition (measured: see SyscallRoundTripBenchmark).
    static final MethodHandle REG_READ = NativeWords.downcall(LIB, "uc_reg_read", Linker.Option.critical(false));
    static final MethodHandle REG_WRITE = NativeWords.downcall(LIB, "uc_reg_write", Linker.Option.critical(false));
    static final MethodHandle REG_READ_BATCH = NativeWords.downcall(LIB, "uc_reg_read_batch",
            Linker.Option.critical(false));
    static final MethodHandle MEM_MAP_PTR = NativeWords.downcall(LIB, "uc_mem_map_ptr");
    static final MethodHandle MEM_READ = NativeWords.downcall(LIB, "uc_mem_read");
    static final MethodHandle MEM_UNMAP = NativeWords.downcall(LIB, "uc_mem_unmap");
    static final MethodHandle MEM_PROTECT = NativeWords.downcall(LIB, "uc_mem_protect");
    static final MethodHandle MMIO_MAP = NativeWords.downcall(LIB, "uc_mmio_map");
    static final MethodHandle EMU_START = NativeWords.downcall(LIB, "uc_emu_start");
    static final MethodHandle EMU_STOP = NativeWords.downcall(LIB, "uc_emu_stop");
    static final MethodHandle STRERROR = NativeWords.downcall(LIB, "uc_strerror");
    /** uc_hook_add is variadic: UC_HOOK_INSN reads the instruction id as a trailing int. */
    static final MethodHandle HOOK_ADD = NativeWords.variadic(LIB, "uc_hook_add", 7, 1);

    /** uc_ctl is variadic; writing the CPU model passes one int. Only aarch64 uses it, so it is bound on first use. */
    static final class CtlInt {
        static final MethodHandle H = NativeWords.variadic(LIB, "uc_ctl", 2, 1);
    }

    /** Unicorn's message for error code {@code err}. */
    static String strerror(int err) {
        try {
            long s = NativeWords.call(STRERROR, err);
            return MemorySegment.ofAddress(s).reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "unicorn error " + err;
        }
    }

    /** Throws IllegalStateException naming {@code what} when the uc_err in {@code result} is not UC_ERR_OK. */
    static void check(long result, String what) {
        int err = (int) result; // uc_err is an int: the low half of the result word
        if (err != ERR_OK) {
            throw new IllegalStateException(what + " failed: " + strerror(err) + " (uc_err " + err + ")");
        }
    }
}
