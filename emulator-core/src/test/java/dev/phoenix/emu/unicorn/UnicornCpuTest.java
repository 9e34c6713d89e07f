package dev.phoenix.emu.unicorn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.emu.Arch;
import dev.phoenix.emu.Cpu;
import dev.phoenix.emu.CpuExit;
import dev.phoenix.emu.Prot;
import dev.phoenix.emu.Reg;
import dev.phoenix.emu.Trap;
import dev.phoenix.emu.host.HostOs;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Runs a four-instruction guest on each arch: getppid, then exit with its result. */
class UnicornCpuTest {
    private static final long CODE = 0x10000;

    // getppid(); exit(result): assembled with GNU as for each arch.
    private static byte[] program(Arch arch) {
        return HexFormat.of().parseHex(switch (arch) {
            case X86_64 -> "b86e0000000f054889c7b83c0000000f05";
            case AARCH64 -> "a81580d2010000d4a80b80d2010000d4";
            case RISCV64 -> "9308d00a730000009308d00573000000";
        });
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void syscallsReachTheHandlerWithArgumentsAndResults(Arch arch) {
        MemorySegment frames = HostOs.allocatePages(4096);
        byte[] code = program(arch);
        MemorySegment.copy(MemorySegment.ofArray(code), 0, frames, 0, code.length);
        List<String> calls = new ArrayList<>();
        try (Cpu cpu = new UnicornCpu(arch)) {
            cpu.map(CODE, frames, Prot.READ | Prot.EXEC);
            cpu.set(Reg.PC, CODE);
            cpu.setTrapHandler((c, nr, a0, a1, a2, a3, a4, a5) -> {
                calls.add(nr + "(" + a0 + ")");
                if (nr == 60 || nr == 93) {
                    c.requestStop();
                }
                return 4321;
            });
            CpuExit exit = cpu.run();
            assertEquals(Trap.STOP_REQUESTED, exit.trap());
            String getppid = arch == Arch.X86_64 ? "110" : "173";
            String exitNr = arch == Arch.X86_64 ? "60" : "93";
            // The first argument register of the second call holds the first call's result.
            assertEquals(getppid, calls.get(0).substring(0, calls.get(0).indexOf('(')));
            assertEquals(exitNr + "(4321)", calls.get(1));
            assertEquals(2, calls.size());
        } finally {
            HostOs.freePages(frames);
        }
    }

    private static final long DATA = 0x20000;

    /**
     * Counts in a register and stores twice the count at consecutive words from DATA on, a
     * compare before each store: x86_64 "mov rcx, DATA; xor rbx, rbx; 1: add rbx, 1; mov rax,
     * rbx; shl rax, 1; cmp rbx, 513; mov [rcx], rax; add rcx, 8; jmp 1b"; aarch64 with x3, x0, x1
     * ("str x0, [x1], #8"); riscv64 with a3, a0, a1. Assembled with GNU as.
     */
    private static byte[] storeLoop(Arch arch) {
        return HexFormat.of().parseHex(switch (arch) {
            case X86_64 -> "48c7c1000002004831db4883c3014889d848d1e04881fb010200004889014883c108ebe6";
            case AARCH64 -> "4100a0d2030080d26304009160f87fd37f0408f1208400f8fcffff17";
            case RISCV64 -> "b7050200814685061395160088e1a105ddbf";
        });
    }

    /** Where storeLoop's store is, from its start. */
    private static long storeOffset(Arch arch) {
        return switch (arch) {
            case X86_64 -> 0x1b;
            case AARCH64 -> 0x14;
            case RISCV64 -> 0xc;
        };
    }

    /** The count register's index in {@link dev.phoenix.emu.CpuContext#gprs()}: rbx, x3, a3. */
    private static int counterIndex(Arch arch) {
        return switch (arch) {
            case X86_64 -> 11;
            case AARCH64 -> 3;
            case RISCV64 -> 13;
        };
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void aStoreFaultStopsAtTheStoreAndResumingRunsOnlyIt(Arch arch) {
        MemorySegment code = HostOs.allocatePages(4096);
        MemorySegment data = HostOs.allocatePages(2 * 4096);
        byte[] loop = storeLoop(arch);
        MemorySegment.copy(MemorySegment.ofArray(loop), 0, code, 0, loop.length);
        try (Cpu cpu = new UnicornCpu(arch)) {
            cpu.map(CODE, code, Prot.READ | Prot.EXEC);
            cpu.map(DATA, data.asSlice(0, 4096), Prot.READ | Prot.WRITE);
            cpu.set(Reg.PC, CODE);
            cpu.setTrapHandler((c, nr, a0, a1, a2, a3, a4, a5) -> 0);
            // The 513th store reaches the first unmapped byte, in the middle of a block that
            // ran 512 times before.
            assertExit(Trap.WRITE_UNMAPPED, CODE + storeOffset(arch), DATA + 4096, cpu.run());
            long[] gprs = cpu.saveContext().gprs();
            assertEquals(513, gprs[counterIndex(arch)]);
            if (arch == Arch.X86_64) {
                // The flags of "cmp rbx, 513" before the store, which x86 computes lazily: ZF and PF.
                assertEquals(0x44, gprs[17] & 0x8d5);
            }
            // Read-only now: the same store faults again, a protection fault this time.
            cpu.map(DATA + 4096, data.asSlice(4096, 4096), Prot.READ);
            assertExit(Trap.WRITE_PROT, CODE + storeOffset(arch), DATA + 4096, cpu.run());
            // Writable: going on from the store runs only the store again, so the count goes on
            // from 513 and the next fault, at the next page, comes 512 stores later.
            cpu.protect(DATA + 4096, 4096, Prot.READ | Prot.WRITE);
            assertExit(Trap.WRITE_UNMAPPED, CODE + storeOffset(arch), DATA + 2 * 4096, cpu.run());
            assertEquals(1025, cpu.saveContext().gprs()[counterIndex(arch)]);
            assertEquals(2 * 513, data.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, 4096));
        } finally {
            HostOs.freePages(code);
            HostOs.freePages(data);
        }
    }

    private static void assertExit(Trap trap, long pc, long address, CpuExit exit) {
        assertEquals(trap + " at pc 0x" + Long.toHexString(pc) + " address 0x" + Long.toHexString(address),
                exit.toString());
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void fetchFromUnmappedMemoryIsAFault(Arch arch) {
        try (Cpu cpu = new UnicornCpu(arch)) {
            cpu.set(Reg.PC, 0x40000);
            cpu.setTrapHandler((c, nr, a0, a1, a2, a3, a4, a5) -> 0);
            CpuExit exit = cpu.run();
            assertEquals(Trap.FETCH_UNMAPPED, exit.trap());
            assertEquals(0x40000, exit.address());
        }
    }
}
