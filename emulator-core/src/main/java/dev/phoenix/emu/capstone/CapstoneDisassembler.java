package dev.phoenix.emu.capstone;

import dev.phoenix.emu.Arch;
import dev.phoenix.emu.Disassembler;
import dev.phoenix.emu.NativeLibraries;
import dev.phoenix.emu.Unchecked;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * A {@link Disassembler} over Capstone 5 ({@code libcapstone.so.5} from Debian 13), bound with
 * FFM. Not on a hot path: used for fault messages and {@code --trace}. One instance per thread.
 */
public final class CapstoneDisassembler implements Disassembler {
    // capstone.h (5.0): cs_arch and cs_mode values, and the cs_insn layout (offsets checked with gcc).
    private static final int CS_ARCH_ARM64 = 1, CS_ARCH_X86 = 3, CS_ARCH_RISCV = 15;
    private static final int CS_MODE_ARM = 0, CS_MODE_64 = 8, CS_MODE_RISCV64 = 2, CS_MODE_RISCVC = 4;
    private static final long INSN_SIZE_OFFSET = 16, INSN_MNEMONIC_OFFSET = 42, INSN_OP_STR_OFFSET = 74,
            INSN_STRUCT_SIZE = 248;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIB = NativeLibraries.load("libcapstone.so.5");
    private static final MethodHandle OPEN = h("cs_open", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle CLOSE = h("cs_close", FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
    private static final MethodHandle DISASM = h("cs_disasm", FunctionDescriptor.of(ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_LONG, ValueLayout.ADDRESS));
    private static final MethodHandle FREE = h("cs_free", FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle MALLOC = h("cs_malloc", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    private static final MethodHandle DISASM_ITER = h("cs_disasm_iter", FunctionDescriptor.of(ValueLayout.JAVA_BOOLEAN,
            ValueLayout.JAVA_LONG, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS));
    private static final MethodHandle OPTION = h("cs_option", FunctionDescriptor.of(ValueLayout.JAVA_INT,
            ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
    private static final int CS_OPT_SYNTAX = 1, CS_OPT_SYNTAX_ATT = 2;
    private static final MethodHandle STRERROR = h("cs_strerror", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private final Arena arena = Arena.ofConfined();
    private final MemorySegment handlePtr;
    private final long handle;

    private static MethodHandle h(String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(LIB.findOrThrow(name), fd);
    }

    private CapstoneDisassembler(int arch, int mode) {
        handlePtr = arena.allocate(ValueLayout.JAVA_LONG);
        try {
            int err = (int) OPEN.invokeExact(arch, mode, handlePtr);
            if (err != 0) {
                MemorySegment msg = (MemorySegment) STRERROR.invokeExact(err);
                arena.close();
                throw new IllegalStateException("cs_open failed: " + msg.reinterpret(256).getString(0));
            }
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        handle = handlePtr.get(ValueLayout.JAVA_LONG, 0);
    }

    /**
     * An x86_64 disassembler printing AT&T syntax (GNU as's, objdump's default) rather than
     * Intel's.
     */
    public static CapstoneDisassembler x86Att() {
        CapstoneDisassembler d = new CapstoneDisassembler(CS_ARCH_X86, CS_MODE_64);
        try {
            int err = (int) OPTION.invokeExact(d.handle, CS_OPT_SYNTAX, (long) CS_OPT_SYNTAX_ATT);
            if (err != 0) {
                d.close();
                throw new IllegalStateException("cs_option(CS_OPT_SYNTAX, ATT) failed: " + err);
            }
        } catch (IllegalStateException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        return d;
    }

    /** A disassembler for {@code arch}; riscv64 decodes compressed (RVC) instructions too. */
    public static CapstoneDisassembler forArch(Arch arch) {
        return switch (arch) {
            case X86_64 -> new CapstoneDisassembler(CS_ARCH_X86, CS_MODE_64);
            case AARCH64 -> new CapstoneDisassembler(CS_ARCH_ARM64, CS_MODE_ARM);
            case RISCV64 -> new CapstoneDisassembler(CS_ARCH_RISCV, CS_MODE_RISCV64 | CS_MODE_RISCVC);
        };
    }

    @Override
    public Instruction decode(byte[] code, int offset, int length, long address) {
        if (length <= 0) {
            return null;
        }
        try (Arena call = Arena.ofConfined()) {
            MemorySegment buf = call.allocate(length);
            MemorySegment.copy(code, offset, buf, ValueLayout.JAVA_BYTE, 0, length);
            MemorySegment insnPtr = call.allocate(ValueLayout.ADDRESS);
            long count = (long) DISASM.invokeExact(handle, buf, (long) length, address, 1L, insnPtr);
            if (count < 1) {
                return null;
            }
            MemorySegment insn = insnPtr.get(ValueLayout.ADDRESS, 0).reinterpret(INSN_STRUCT_SIZE * count);
            try {
                int size = Short.toUnsignedInt(insn.get(ValueLayout.JAVA_SHORT, INSN_SIZE_OFFSET));
                String mnemonic = insn.getString(INSN_MNEMONIC_OFFSET);
                String operands = insn.getString(INSN_OP_STR_OFFSET);
                return new Instruction(address, size, mnemonic.strip(), operands.strip());
            } finally {
                FREE.invokeExact(insnPtr.get(ValueLayout.ADDRESS, 0), count);
            }
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /**
     * Decodes {@code code} (host memory) from its start as a linear sweep with cs_disasm_iter, one
     * FFM call per instruction into one reused cs_insn (Capstone's fastest path, no allocation per
     * instruction), stopping at the first byte it cannot decode; returns the number of
     * instructions. For benchmarks: what Capstone costs a caller that wants every instruction.
     */
    public long sweep(MemorySegment code, long address) {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment insn = (MemorySegment) MALLOC.invokeExact(handle);
            MemorySegment codePtr = call.allocate(ValueLayout.ADDRESS), size = call.allocate(ValueLayout.JAVA_LONG),
                    addr = call.allocate(ValueLayout.JAVA_LONG);
            codePtr.set(ValueLayout.ADDRESS, 0, code);
            size.set(ValueLayout.JAVA_LONG, 0, code.byteSize());
            addr.set(ValueLayout.JAVA_LONG, 0, address);
            long n = 0;
            try {
                while ((boolean) DISASM_ITER.invokeExact(handle, codePtr, size, addr, insn)) {
                    n++;
                }
            } finally {
                FREE.invokeExact(insn, 1L);
            }
            return n;
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    @Override
    public void close() {
        try {
            int ignored = (int) CLOSE.invokeExact(handlePtr);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        } finally {
            arena.close();
        }
    }
}
