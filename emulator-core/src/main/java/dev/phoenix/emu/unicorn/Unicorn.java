package dev.phoenix.emu.unicorn;

import dev.phoenix.emu.NativeLibraries;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

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

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIB = NativeLibraries.load("libunicorn.so.2");

    static final MethodHandle OPEN = h("uc_open", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    static final MethodHandle CLOSE = h("uc_close", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    // Register access runs on every syscall, is short and never calls back into Java: a
    // critical downcall skips the thread-state transition (measured: see SyscallRoundTripBenchmark).
    static final MethodHandle REG_READ = critical("uc_reg_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    static final MethodHandle REG_WRITE = critical("uc_reg_write",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    static final MethodHandle REG_READ_BATCH = critical("uc_reg_read_batch",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT));
    static final MethodHandle MEM_MAP_PTR = h("uc_mem_map_ptr",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS));
    static final MethodHandle MEM_READ = h("uc_mem_read", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
    static final MethodHandle EMU_START = h("uc_emu_start",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    /** uc_hook_add is variadic: UC_HOOK_INSN reads the instruction id as a trailing int. */
    static final MethodHandle HOOK_ADD = h("uc_hook_add",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT),
            Linker.Option.firstVariadicArg(7));

    // Functions a run may never call are bound on first use, each in a holder class of its own
    // (a binding costs milliseconds of start-up); the ones every run calls are bound above.

    static final class Strerror {
        static final MethodHandle H = h("uc_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    static final class MmioMap {
        static final MethodHandle H = h("uc_mmio_map", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG,
                ADDRESS, ADDRESS, ADDRESS, ADDRESS));
    }

    static final class MemUnmap {
        static final MethodHandle H = h("uc_mem_unmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    }

    static final class MemProtect {
        static final MethodHandle H = h("uc_mem_protect",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT));
    }

    static final class EmuStop {
        static final MethodHandle H = h("uc_emu_stop", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    }

    /** uc_ctl is variadic; writing the CPU model passes one int. */
    static final class CtlInt {
        static final MethodHandle H = h("uc_ctl",
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    }

    // Callback shapes.
    static final FunctionDescriptor CB_SYSCALL = FunctionDescriptor.ofVoid(ADDRESS, ADDRESS);
    static final FunctionDescriptor CB_INTR = FunctionDescriptor.ofVoid(ADDRESS, JAVA_INT, ADDRESS);
    static final FunctionDescriptor CB_CODE = FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS);
    static final FunctionDescriptor CB_MEM_INVALID = FunctionDescriptor.of(JAVA_BOOLEAN,
            ADDRESS, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_LONG, ADDRESS);
    static final FunctionDescriptor CB_MMIO_READ = FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_LONG, JAVA_INT,
            ADDRESS);
    static final FunctionDescriptor CB_MMIO_WRITE = FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG, JAVA_INT, JAVA_LONG,
            ADDRESS);
    static final FunctionDescriptor CB_INSN_INVALID = FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS, ADDRESS);

    private static MethodHandle h(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(LIB.findOrThrow(name), fd, options);
    }

    private static MethodHandle critical(String name, FunctionDescriptor fd) {
        return h(name, fd, Linker.Option.critical(false));
    }

    static Linker linker() {
        return LINKER;
    }

    /** Unicorn's message for error code {@code err}. */
    static String strerror(int err) {
        try {
            MemorySegment s = (MemorySegment) Strerror.H.invokeExact(err);
            return s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "unicorn error " + err;
        }
    }

    /** Throws IllegalStateException naming {@code what} when {@code err} is not UC_ERR_OK. */
    static void check(int err, String what) {
        if (err != ERR_OK) {
            throw new IllegalStateException(what + " failed: " + strerror(err) + " (uc_err " + err + ")");
        }
    }
}
