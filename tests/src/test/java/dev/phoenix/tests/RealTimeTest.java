package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real-time and fair classes seen from guests, compared with native runs as root (SCHED_FIFO
 * works natively here): FIFO order and Linux's head-of-queue rule for a lowered task, RR slices
 * against FIFO's run to completion, a higher-priority wake-up preempting a spinning task, a
 * higher-priority task running during a lower one's long read (a preemption point), nice 0 and
 * nice 5 sharing one CPU as 1024:335 within 10% (tests/guest/rtsched.c); processes on one virtual
 * CPU with --cpus 1 against processes pinned to one host CPU (onecpu.c); the cyclictest-like
 * latency.c and Debian's cyclictest running to completion. Orders and relations are compared,
 * never times: the latencies themselves are benchmarks/latency.sh's.
 */
class RealTimeTest {
    private static final String RTSCHED = """
            nice 0 and nice 5 shared the CPU as 1024:335 within 10%: yes
            FIFO 10 threads made by a FIFO 50 thread, each lowered after clone, ran: DCBA
            FIFO 10 threads made by a FIFO 10 thread ran in creation order: ABCD
            RR threads of one priority took turns: yes
            FIFO threads of one priority took turns: no
            a FIFO 30 thread waking preempted a spinning FIFO 10 thread: yes
            a FIFO 30 thread ran while a FIFO 10 thread's 64 MiB read was in progress: yes
            """;

    private static final String ONE_CPU = """
            getcpu: 0
            two spinning processes both ran: yes
            while a FIFO process spun on the only CPU the others did not run: yes
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void realTimeOrderSlicesPreemptionAndNiceShares(Target t) throws Exception {
        Guests.runsAsExpected(t, "rtsched", new Result(0, RTSCHED, ""));
    }

    /** futexprio.c: FUTEX_WAKE takes real-time waiters by priority, then the others in order (Linux's plist). */
    @ParameterizedTest
    @EnumSource(Target.class)
    void futexWakeTakesRealTimeWaitersByPriority(Target t) throws Exception {
        Guests.runsAsExpected(t, "futexprio", new Result(0, "woken in order: cbaop\n", ""));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void aRealTimeProcessTakesTheOnlyVirtualCpu(Target t) throws Exception {
        Path program = Guests.binary(t, "onecpu");
        Result underPhoenix = Guests.phoenix("run", "--cpus", "1", "-i", program.toString());
        assertEquals(new Result(0, ONE_CPU, ""), underPhoenix);
        Guests.assertSameAsNative(t, program, underPhoenix, List.of()); // natively it pins itself to CPU 0
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void aFifoThreadWakesEveryMillisecondBesideABurningThread(Target t) throws Exception {
        Path program = Guests.binary(t, "latency");
        String[] args = {"200", "1000", "1", "--check"};
        Result underPhoenix = Guests.phoenix(Guests.runArgs(program, List.of(), args));
        assertEquals(new Result(0, "samples: 200\nearly wake-ups: 0\n", ""), underPhoenix);
        Guests.assertSameAsNative(t, program, underPhoenix, List.of(), args);
    }

    /** cyclictest's summary line, whose numbers are the latencies (microseconds) and the thread's id. */
    private static final Pattern CYCLICTEST = Pattern.compile(
            "# /dev/cpu_dma_latency set to 0us\nT: 0 \\( *\\d+\\) P:80 I:1000 C: +200 Min: +\\d+ Act: +\\d+ Avg: +\\d+ Max: +\\d+\n");

    @Test
    void debiansCyclictestRuns() throws Exception {
        List<String> command = List.of("/usr/bin/cyclictest", "-m", "-t1", "-p", "80", "-i", "1000", "-l", "200", "-q");
        Result host = Guests.host(command, List.of());
        assertEquals(0, host.exit(), "native run: " + host);
        assertTrue(CYCLICTEST.matcher(host.out()).matches(), "native: " + host.out());
        List<String> run = new java.util.ArrayList<>(List.of("run", "-i"));
        run.addAll(command);
        Result phoenix = Guests.phoenix(run.toArray(String[]::new));
        assertEquals(0, phoenix.exit(), phoenix.toString());
        assertTrue(CYCLICTEST.matcher(phoenix.out()).matches(), phoenix.out());
        assertEquals("", phoenix.err());
    }
}
