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
