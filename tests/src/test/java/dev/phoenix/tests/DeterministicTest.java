package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code phoenix run --deterministic}: a virtual clock from 2000-01-01 UTC, seeded randomness,
 * fixed ids and a fixed machine, so a run's output is a function of its input alone; and the
 * known output of busybox's machine reports (date, uptime, free, uname) that follows from it.
 */
class DeterministicTest {
    private static Result deterministic(String... args) {
        String[] argv = new String[args.length + 3];
        argv[0] = "run";
        argv[1] = "-i";
        argv[2] = "--deterministic";
        System.arraycopy(args, 0, argv, 3, args.length);
        return Guests.phoenix(argv);
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void timeRandomnessIdsAndMachineAreFixed(Target t) {
        String program = Guests.binary(t, "deterministic").toString();
        Result first = deterministic(program);
        String[] lines = first.out().split("\n");
        assertEquals(3, lines.length, first.toString());
        assertEquals("start 946684800, after a 5 s sleep 946684805, monotonic moved 5000 ms", lines[0]);
        assertEquals("pid 1000 ppid 999, 2 CPUs, 2048 MiB RAM, uptime 5 s", lines[2]);
        assertEquals(first, deterministic(program), "a second run differs");
        Result seeded = deterministic("--seed", "1", program);
        assertNotEquals(lines[1], seeded.out().split("\n")[1], "--seed does not change the random bytes");
        assertEquals(seeded, deterministic("--seed", "1", program));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void timersStillInterruptSleepsPauseAndBusyLoops(Target t) {
        // In virtual time a loop without syscalls is measured in instructions, so its alarm comes.
        Path program = Guests.binary(t, "signals");
        Result normal = Guests.phoenix(Guests.runArgs(program, java.util.List.of()));
        assertEquals(normal, deterministic(program.toString()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "arm64"})
    void busyboxMachineReportsHaveKnownOutput(String arch) {
        String busybox = arch.equals("x86_64") ? "/bin/busybox" : Guests.binary(Target.AARCH64, "busybox").toString();
        String machine = arch.equals("x86_64") ? "x86_64" : "aarch64";
        assertEquals(new Result(0, "Sat Jan  1 00:00:00 UTC 2000\n", ""), deterministic(busybox, "date"));
        assertEquals(new Result(0, " 00:00:00 up 0 min,  0 users,  load average: 0.00, 0.00, 0.00\n", ""),
                deterministic(busybox, "uptime"));
        assertEquals(new Result(0, """
                              total        used        free      shared  buff/cache   available
                Mem:        2097152      262144     1572864           0      262144     1835008
                Swap:             0           0           0
                """, ""), deterministic(busybox, "free"));
        assertEquals(new Result(0, "Linux phoenix 6.1.0-phoenix #1 SMP PREEMPT_DYNAMIC Phoenix " + machine
                + " GNU/Linux\n", ""), deterministic(busybox, "uname", "-a"));
        assertEquals(new Result(0, "box\n", ""), deterministic("--hostname", "box", busybox, "hostname"));
        assertEquals(new Result(0, "2\n", ""), deterministic(busybox, "nproc"));
    }

    /**
     * Timers and CPU time on virtual time: the same relations as natively (a sleep jumps, CPU
     * time passes as the guest reads clocks and runs counted instructions, so CPU-time timers
     * come), and CPU times that are the same in every run.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void timersAndCpuTimesRunOnVirtualTime(Target t) {
        assertEquals(new Result(0, TimersTest.TIMERS, ""), deterministic(Guests.binary(t, "timers").toString()));
        String cputime = Guests.binary(t, "cputime").toString();
        assertEquals(new Result(0, TimersTest.CPUTIME, ""), deterministic(cputime));
        Result raw = deterministic(cputime, "raw");
        assertEquals(0, raw.exit(), raw.err());
        assertEquals(raw, deterministic(cputime, "raw"), "a second run's CPU times differ");
    }

    /**
     * Four children race for stdout (procrace.c): one task runs at a time, so the interleaving
     * and the trace of every process (--strace -f) are the same in every run.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void racingChildProcessesRunTheSameWayEveryTime(Target t) {
        Result first = deterministic("--strace", "-f", Guests.binary(t, "procrace").toString());
        assertEquals(0, first.exit(), first.err());
        java.util.List<String> lines = first.out().lines().toList();
        assertEquals(21, lines.size(), first.out());
        java.util.List<String> expected = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 5; j++) {
                expected.add("child " + i + " line " + j);
            }
        }
        assertEquals(expected, lines.subList(0, 20).stream().sorted().toList());
        assertEquals("reaped 4 children, exit codes sum 46", lines.get(20));
        for (int run = 2; run <= 3; run++) {
            assertEquals(first, deterministic("--strace", "-f", Guests.binary(t, "procrace").toString()),
                    "run " + run + " differs from the first");
        }
    }

    /**
     * A parent that computes without blocking after it forks still lets its child run: the fork
     * ends the parent's uncounted run, so its next runs are counted and switch. Before, the
     * child's echo came only after the parent's loop, and a parent polling /proc for its child
     * to sleep never ended.
     */
    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "aarch64"})
    void aForkedChildRunsWhileItsParentComputes(String arch) {
        String busybox = arch.equals("x86_64") ? "/bin/busybox" : Guests.binary(Target.AARCH64, "busybox").toString();
        Result r = deterministic(busybox, "sh", "-c",
                "echo child & i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; echo parent; wait");
        assertEquals(new Result(0, "child\nparent\n", ""), r);
    }

    @Test
    void seedWithoutDeterministicIsAUsageError() {
        Result r = Guests.phoenix("run", "--seed", "3", "/bin/busybox", "true");
        assertEquals(new Result(2, "", "phoenix: --seed needs --deterministic\nTry 'phoenix run --help'.\n"), r);
    }
}
