package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Resource limits are the host's at start and are enforced: descriptors, file size (SIGXFSZ),
 * address space and data, and the stack's room to grow. The guest program's output is the same
 * on every arch, so each target is compared with the host kernel's answer: the x86_64 glibc
 * build run natively.
 */
class ResourceLimitsTest {
    private static final String CPU_LIMIT = """
            SIGXCPU received 1 time(s), soft limit then 2 s
            child killed by Killed
            """;

    /** tests/guest/cpulimit.c: RLIMIT_CPU's SIGXCPU at the soft limit (which then moves on a second) and SIGKILL at the hard one. */
    @ParameterizedTest
    @EnumSource(Target.class)
    void cpuLimitSendsSigxcpuThenSigkill(Target t) throws Exception {
        Guests.runsAsExpected(t, "cpulimit", new Result(0, CPU_LIMIT, ""));
    }
    private static final List<String> ENV = List.of("PATH=/usr/bin:/bin", "HOME=" + System.getProperty("user.home"));

    private static Result nativeRun(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Guests.binary(Target.X86_64_GLIBC, "rlimits").toString()));
        cmd.addAll(List.of(args));
        return Guests.host(cmd, List.of());
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void limitsAreEnforcedAsTheHostKernelEnforcesThem(Target t) throws Exception {
        Result r = Guests.phoenix(Guests.runArgs(Guests.binary(t, "rlimits"), List.of()));
        assertEquals(nativeRun(), r);
    }

    /** Writing past RLIMIT_FSIZE with SIGXFSZ's default action kills the writer (128 + 25). */
    @ParameterizedTest
    @EnumSource(Target.class)
    void sigxfszKillsByDefault(Target t) throws Exception {
        Result r = Guests.phoenix(Guests.runArgs(Guests.binary(t, "rlimits"), List.of(), "xfsz"));
        Result expected = nativeRun("xfsz");
        assertEquals(153, expected.exit());
        assertEquals(expected.exit(), r.exit());
        assertEquals(expected.out(), r.out());
    }

    /** Runs {@code sh -c SCRIPT} with $1 the launcher, and the same script natively with $1 empty. */
    private static void sameThroughTheLauncher(String script) throws Exception {
        String launcher = Guests.repoRoot().resolve("phoenix").toString();
        Result underPhoenix = Guests.host(List.of("/bin/sh", "-c", script, "sh", launcher + " run"), ENV);
        Result natively = Guests.host(List.of("/bin/sh", "-c", script, "sh", ""), ENV);
        assertEquals(natively, underPhoenix);
    }

    /** The guest starts with the limits of the process that runs phoenix (the JVM raises its own). */
    @Test
    void theGuestStartsWithTheShellsLimits() throws Exception {
        sameThroughTheLauncher("ulimit -Sn 1000 && ulimit -Ss 4096 && exec $1 /bin/busybox sh -c "
                + "'ulimit -n; ulimit -Hn; ulimit -s; ulimit -a'");
    }

    /** With a large RLIMIT_STACK, the stack may grow past the 128 MiB that mmap keeps free by default. */
    @Test
    void theStackGrowsAsFarAsItsLimitAllows() throws Exception {
        Path program = Guests.binary(Target.X86_64_MUSL, "rlimits");
        sameThroughTheLauncher("ulimit -s 600000 && exec $1 " + program + " stack 300");
        Path aarch64 = Guests.binary(Target.AARCH64, "rlimits");
        String launcher = Guests.repoRoot().resolve("phoenix").toString();
        assertEquals(new Result(0, "stack of 300 MiB: 300\n", ""), Guests.host(List.of("/bin/sh", "-c",
                "ulimit -s 600000 && exec " + launcher + " run " + aarch64 + " stack 300"), ENV));
    }
}
