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
    static final int HOOK_BLOCK = 1 << 3;
    static final int HOOK_MEM_READ_UNMAPPED = 1 << 4;
    static final int HOOK_MEM_WRITE_UNMAPPED = 1 << 5;
    static final int HOOK_MEM_FETCH_UNMAPPED = 1 << 6;
    static final int HOOK_MEM_READ_PROT = 1 << 7;
    static final int HOOK_MEM_WRITE_PROT = 1 << 8;
    static final int HOOK_MEM_FETCH_PROT = 1 << 9;
    static final int HOOK_MEM_INVALID = 0x3f0;
    static final int HOOK_INSN_INVALID = 1 << 14;
    static final int HOOK_TLB_FILL = 1 << 17;

    // uc_mem_type values passed to TLB fill hooks.
    static final int MEM_TYPE_READ = 16;
    static final int MEM_TYPE_WRITE = 17;
    static final int MEM_TYPE_FETCH = 18;

    // uc_mem_type values passed to invalid-memory hooks.
    static final int MEM_READ_UNMAPPED = 19;
    static final int MEM_WRITE_UNMAPPED = 20;
    static final int MEM_FETCH_UNMAPPED = 21;
    static final int MEM_WRITE_PROT = 22;
    static final int MEM_READ_PROT = 23;
    static final int MEM_FETCH_PROT = 24;

    static final int X86_INS_SYSCALL = 699;

    static final int ERR_OK = 0;
    /** uc_err: an unhandled CPU exception, and the page fault a TLB fill hook raises by refusing. */
    static final int ERR_EXCEPTION = 21;

    /** uc_ctl control word: UC_CTL(type, nr, rw) = type | nr << 26 | rw << 30. */
    static final int CTL_CPU_MODEL_WRITE = 7 | (1 << 26) | (1 << 30);
    static final int CPU_ARM64_MAX = 3;
    static final int CTL_PAGE_SIZE_READ = 1 | (1 << 26) | (2 << 30);
    static final int CTL_USE_EXITS_WRITE = 4 | (1 << 26) | (1 << 30);
    static final int CTL_TB_REMOVE_CACHE_WRITE = 9 | (2 << 26) | (1 << 30);
    static final int CTL_TB_FLUSH_WRITE = 10 | (1 << 30);
    static final int CTL_TLB_FLUSH_WRITE = 11 | (1 << 30);
    static final int CTL_TLB_TYPE_WRITE = 12 | (1 << 26) | (1 << 30);
    /** uc_tlb_type: virtual address = physical, with permissions from UC_HOOK_TLB_FILL. */
    static final int TLB_VIRTUAL = 1;
    /** struct uc_tlb_entry, which a TLB fill hook fills: uint64_t paddr, then uc_prot perms (an int). */
    static final long TLB_ENTRY_PADDR = 0;
    static final long TLB_ENTRY_PERMS = 8;

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
    static final MethodHandle CONTEXT_ALLOC = NativeWords.downcall(LIB, "uc_context_alloc");
    static final MethodHandle CONTEXT_SAVE = NativeWords.downcall(LIB, "uc_context_save");
    static final MethodHandle CONTEXT_RESTORE = NativeWords.downcall(LIB, "uc_context_restore");
    static final MethodHandle CONTEXT_FREE = NativeWords.downcall(LIB, "uc_context_free");
    static final MethodHandle CONTEXT_SIZE = NativeWords.downcall(LIB, "uc_context_size");
    static final MethodHandle HOOK_DEL = NativeWords.downcall(LIB, "uc_hook_del");
    static final MethodHandle STRERROR = NativeWords.downcall(LIB, "uc_strerror");
    /**
     * A function without side effects that a block hook may call in uc_emu_stop's place:
     * uc_arch_supported(int) only compares its argument.
     */
    static final long NO_OP_ADDRESS = LIB.find("uc_arch_supported").orElseThrow().address();
    /** struct hook (uc_priv.h, 2.1.1): the callback pointer's offset, after five ints, a bool, begin and end. */
    static final long HOOK_CALLBACK_OFFSET = 40;

    /** uc_hook_add is variadic: UC_HOOK_INSN reads the instruction id as a trailing int. */
    static final MethodHandle HOOK_ADD = NativeWords.variadic(LIB, "uc_hook_add", 7, 1);

    /**
     * uc_ctl is variadic: the engine reads what follows the control word with va_arg (a CPU model
     * or TLB type to write, a pointer to read into, or nothing). It is bound in uc_hook_add's
     * shape, seven words and one variadic, so the two share one FFM stub (3-5 ms of start-up
     * each, see NativeWords): on the x86-64 and AArch64 Linux ABIs integer arguments travel in
     * the same registers whether declared fixed or variadic, and the unused words are ignored.
     */
    static final MethodHandle CTL = NativeWords.variadic(LIB, "uc_ctl", 7, 1);

    /** Calls uc_ctl with {@code control} and one argument word; returns the uc_err word. */
    static long ctl(long uc, int control, long arg) throws Throwable {
        return (long) CTL.invokeExact(uc, (long) control, arg, 0L, 0L, 0L, 0L, 0L);
    }

    /** uc_ctl with two arguments. */
    static long ctl(long uc, int control, long arg0, long arg1) throws Throwable {
        return (long) CTL.invokeExact(uc, (long) control, arg0, arg1, 0L, 0L, 0L, 0L);
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
