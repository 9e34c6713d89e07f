package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.emu.Arch;
import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The vDSO each process gets: its image, its exports, its time functions, and that guests take it. */
class VdsoTest {
    private static List<String> exports(Arch arch) {
        return switch (arch) {
            case X86_64 -> List.of("__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time", "__vdso_getcpu",
                "__vdso_clock_getres");
            case AARCH64 -> List.of("__kernel_clock_gettime", "__kernel_gettimeofday", "__kernel_clock_getres",
                "__kernel_rt_sigreturn");
            case RISCV64 -> List.of("__vdso_rt_sigreturn", "__vdso_clock_gettime", "__vdso_gettimeofday",
                "__vdso_clock_getres", "__vdso_getcpu", "__vdso_flush_icache");
        };
    }

    private static String version(Arch arch) {
        return switch (arch) {
            case X86_64 -> "LINUX_2.6";
            case AARCH64 -> "LINUX_2.6.39";
            case RISCV64 -> "LINUX_4.15";
        };
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void guestFindsAndUsesTheVdso(Target t) throws Exception {
        Path program = Guests.binary(t, "vdso");
        Result r = Guests.phoenix(Guests.runArgs(program, List.of()));
        StringBuilder expected = new StringBuilder("AT_SYSINFO_EHDR set: 1\nELF magic: 1, type ET_DYN: 1\n"
                + "[vdso] r-xp at AT_SYSINFO_EHDR: 1; [vvar] r--p below it: 1\n");
        for (String name : exports(t.arch)) {
            expected.append(name).append('@').append(version(t.arch)).append(": found\n");
        }
        expected.append("unknown symbol: missing\nrealtime ordered: 1\nmonotonic never goes back, nsec in range: 1\n"
                + "gettimeofday/time agree: 1, usec in range: 1\ngetres MONOTONIC: 0.000000001\n"
                + "getres REALTIME_COARSE: 0.004000000\nclock 10 (no such clock): -1 errno Invalid argument\n"
                + "clock 1000: -1 errno Invalid argument\ngetres clock -5: -1 errno Invalid argument\n"
                + "process cputime: 0\nsched_getcpu in [0, 2): 1\n");
        assertEquals(new Result(0, expected.toString(), ""), r);
        Guests.assertSameAsNative(t, program, r, List.of());
    }

    /** The libc's clock_gettime(CLOCK_MONOTONIC) runs in the vDSO: no such syscall reaches the kernel. */
    /**
     * A forked child has a [vvar] data page of its own (tests/guest/vvarfork.c reads Phoenix's
     * layout, so there is no native run): its clock reads never write the parent's page.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void eachProcessHasItsOwnVvar(Target t) {
        assertEquals(new Result(0, "child: clock went back 0 times\nparent's vvar untouched by the child: 1\n"
                + "parent's vvar written by its own call: 1\n", ""),
                Guests.phoenix("run", Guests.binary(t, "vvarfork").toString()));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void monotonicClockMakesNoSyscall(Target t) {
        Path program = Guests.binary(t, "clock_loop");
        Result viaVdso = Guests.phoenix(straceArgs(program, "vdso"));
        assertEquals(0, viaVdso.exit());
        assertFalse(viaVdso.err().contains("clock_gettime(CLOCK_MONOTONIC,"), viaVdso.err());
        Result viaSyscall = Guests.phoenix(straceArgs(program, "syscall"));
        assertEquals(0, viaSyscall.exit());
        assertEquals(10, viaSyscall.err().lines().filter(l -> l.startsWith("clock_gettime(CLOCK_MONOTONIC,")).count(),
                viaSyscall.err());
    }

    private static String[] straceArgs(Path program, String mode) {
        return new String[] {"run", "--strace", program.toString(), mode, "10"};
    }

    /** The checked-in images are what scripts/build-vdso.sh makes from their sources. */
    @Test
    void imagesMatchTheirSources(@TempDir Path out) throws Exception {
        Result build = Guests.host(List.of(Guests.repoRoot().resolve("scripts/build-vdso.sh").toString(), out.toString()),
                List.of());
        assertEquals(0, build.exit(), build.err());
        for (Arch arch : Arch.values()) {
            Path checkedIn = Guests.repoRoot()
                    .resolve("linux-abi/src/main/resources/dev/phoenix/abi/vdso/" + arch.unameMachine() + ".so");
            assertTrue(Files.size(checkedIn) > 0);
            assertArrayEquals(Files.readAllBytes(out.resolve(arch.unameMachine() + ".so")), Files.readAllBytes(checkedIn),
                    arch + ": rebuild scripts/build-vdso.sh and commit the images");
        }
    }
}
