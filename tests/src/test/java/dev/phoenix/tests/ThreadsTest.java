package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Threads (issue 13's acceptance list), each program on every target: POSIX threads and their
 * synchronisation ({@code threads.c}), exit from a thread while the others block
 * ({@code thread_exit.c}), the raw futex operations and futex_waitv ({@code futexops.c}),
 * signals among threads ({@code thread_signals.c}), calls that an alarm interrupts
 * ({@code eintr.c}), and a racy program that {@code --deterministic} makes repeatable
 * ({@code racy.c}). The expected output is what the programs print natively on x86_64, where
 * the runs are also compared with a native one; aarch64 and riscv64 must print the same.
 * A program whose pthread_create fails says so and exits 1 at once, so a kernel without clone
 * fails these tests quickly; the timeout is for a kernel that hangs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
class ThreadsTest {
    private static final List<String> ENV = List.of("PATH=/usr/bin:/bin", "HOME=" + System.getProperty("user.home"));

    private static final String THREADS = """
            create/join: ok
            pthread_exit value: ok
            detach: ok
            __thread initial values: ok
            __thread private copies: ok
            pthread_getspecific per thread: ok
            key destructors: ok
            mutex: ok
            recursive mutex: ok
            condvar: ok
            condvar timeout expires: ok
            condvar signalled before its timeout: ok
            rwlock readers share: ok
            rwlock writer exclusive: ok
            barrier: ok
            sem_trywait on 0: ok
            sem_timedwait times out: ok
            sem_post wakes sem_wait: ok
            sem counts: ok
            64 threads x 10000 atomic increments: ok
            robust mutex owner died: ok
            gettid in main equals getpid: ok
            gettid differs per thread: ok
            """;

    /** futexops.c's checks, each run once with FUTEX_PRIVATE_FLAG and once without. */
    private static final List<String> FUTEX_CHECKS = List.of(
            "FUTEX_WAKE 1, 2, all, all of 4 waiters",
            "FUTEX_REQUEUE wake 1 move 2 of 4",
            "FUTEX_CMP_REQUEUE wake 0 move 2 of 3",
            "FUTEX_CMP_REQUEUE with a wrong val3",
            "the waiter stays on uaddr",
            "FUTEX_WAKE_OP comparison decides the second wake",
            "FUTEX_WAKE_OP operations",
            "FUTEX_WAKE_BITSET 0x4, 0x2, 0x3 of waiters 0x1, 0x2, 0x8",
            "FUTEX_WAIT with a 60 s timeout woken in time",
            "FUTEX_WAIT value differs",
            "FUTEX_WAIT relative timeout",
            "FUTEX_WAIT_BITSET absolute CLOCK_MONOTONIC",
            "FUTEX_WAIT_BITSET absolute FUTEX_CLOCK_REALTIME",
            "FUTEX_WAIT_BITSET bitset 0",
            "FUTEX_WAKE_BITSET bitset 0",
            "FUTEX_WAIT unaligned",
            "FUTEX_WAKE unaligned",
            "FUTEX_WAIT tv_nsec 1e9",
            "FUTEX_WAKE nobody waiting",
            "futex_waitv woken on word 2 returns 2",
            "futex_waitv value differs",
            "futex_waitv absolute CLOCK_MONOTONIC timeout",
            "futex_waitv absolute CLOCK_REALTIME timeout",
            "futex_waitv clock CLOCK_PROCESS_CPUTIME_ID",
            "futex_waitv syscall flags 1",
            "futex_waitv no words",
            "futex_waitv without FUTEX2_SIZE_U32",
            "futex_waitv unknown flag",
            "futex_waitv __reserved set");

    private static final String THREAD_SIGNALS = """
            tgkill runs the handler on the target thread: ok
            tgkill with another tgid is ESRCH: ok
            kill reaches the thread that does not block it: ok
            sigwaitinfo in a dedicated thread: ok
            signalfd poll and read: ok
            signalfd read in another thread wakes: ok
            sigtimedwait times out with EAGAIN: ok
            sigaltstack in a thread: ok
            other threads have no alternate stack: ok
            """;

    /** Runs guest {@code name} with {@code args} under Phoenix, asserts {@code expected}, and on x86_64 a native run's equality. */
    private static void runs(Target t, String name, Result expected, String... args) throws Exception {
        Path program = Guests.binary(t, name);
        Result r = Guests.phoenix(Guests.runArgs(program, List.of(), args));
        assertEquals(expected, r);
        Guests.assertSameAsNative(t, program, r, List.of(), args);
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void pthreadsTlsKeysLocksCondvarsBarriersSemaphoresAtomicsAndRobustMutexes(Target t) throws Exception {
        runs(t, "threads", new Result(0, THREADS, ""));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void exitFromAThreadEndsTheProcessWhileTheOthersBlock(Target t) throws Exception {
        runs(t, "thread_exit", new Result(7, "main: 3 threads blocking, one to call exit(7)\nbye from thread\n", ""));
        runs(t, "thread_exit", new Result(8, "main: 3 threads blocking, one to call exit_group(8)\nbye from thread\n", ""),
                "exit_group");
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void futexOperationsWakeRequeueAndFailAsLinuxDoes(Target t) throws Exception {
        StringBuilder expected = new StringBuilder();
        for (String variant : List.of("private", "shared")) {
            for (String check : FUTEX_CHECKS) {
                expected.append(check).append(" (").append(variant).append("): ok\n");
            }
        }
        runs(t, "futexops", new Result(0, expected.toString(), ""));
    }

    /** A shared futex is the memory, not the address: two MAP_SHARED views of one file page meet (futexshared.c). */
    @ParameterizedTest
    @EnumSource(Target.class)
    void sharedFutexesMeetThroughTwoMappingsOfOnePage(Target t) throws Exception {
        runs(t, "futexshared", new Result(0, "two views of one page: ok\n"
                + "shared wait and wake meet through two mappings: ok\nprivate operations stay apart: ok\n", ""));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void signalsReachTheRightThreadAndSignalfdReadsThem(Target t) throws Exception {
        runs(t, "thread_signals", new Result(0, THREAD_SIGNALS, ""));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void anAlarmInterruptsABlockedPipeReadAndWriteWithEintr(Target t) throws Exception {
        runs(t, "eintr", new Result(0, "read of an empty pipe interrupted by SIGALRM: ok\n"
                + "write to a full pipe interrupted by SIGALRM: ok\nthe pipe held at least a page\n", ""));
    }

    /**
     * A thread spinning without syscalls in code translated while the process had one thread is
     * preempted, so the thread it waits for runs (spinwait.c). The preemption switch is a block
     * hook, which Unicorn compiles into code as it translates it: the spinner never looks at it,
     * and until an unanswered stop fell back to Unicorn's asynchronous one the program hung on
     * x86_64.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void aSpinnerInCodeTranslatedBeforeTheFirstThreadIsPreempted(Target t) throws Exception {
        runs(t, "spinwait", new Result(0, "the spinning thread was preempted and the other one ran\n", ""));
    }

    /**
     * A 1 ms repeating alarm against 300 waits of each kind that unblock SIGALRM only while they
     * wait (alarmstorm.c): every one ends with EINTR after exactly one run of the handler. The
     * timer's wake and its stop of the engine race; when the stop fell after the woken task
     * restarted and before its syscall ran again, the handler ran there and the wait went on
     * (two runs under load; sigsuspend's and pause's lost alarm in CompatTest's signals). With
     * a second thread the engine's preemption switch is on, and the timer's stop, armed before
     * the woken task's turn, fell there nearly every time.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void aStormOfAlarmsEndsEveryWaitAfterExactlyOneHandler(Target t) throws Exception {
        StringBuilder out = new StringBuilder();
        for (String call : List.of("sigsuspend", "ppoll", "pselect", "epoll_pwait")) {
            out.append(call).append(": 300 of 300 interrupted by exactly one alarm\n");
        }
        runs(t, "alarmstorm", new Result(0, out.toString(), ""), "300");
        runs(t, "alarmstorm", new Result(0, out + "the other thread's read returned 0\n", ""), "300", "threaded");
    }

    /**
     * stdin is a host pipe that nobody writes to and that stays open, so the read blocks in the
     * host descriptor; through the launcher, as users run phoenix.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the launcher may build the jar
    void anAlarmInterruptsABlockedReadOfStdinWithEintr(Target t) throws Exception {
        Result expected = new Result(0, "read of an empty stdin interrupted by SIGALRM: ok\n", "");
        String program = Guests.binary(t, "eintr").toString();
        assertEquals(expected, withOpenEmptyStdin(List.of(Guests.repoRoot().resolve("phoenix").toString(), "run",
                program, "stdin")));
        if (t.isHostArch()) {
            assertEquals(expected, withOpenEmptyStdin(List.of(program, "stdin")), "native run");
        }
    }

    /**
     * bash's read -t waits in select(2) on its stdin: a host pipe that stays open and empty is
     * not ready, so the read times out (status 142) instead of blocking in read(2) for ever.
     */
    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // the launcher may build the jar
    void bashsReadWithATimeoutEndsWhileStdinStaysEmpty() throws Exception {
        List<String> script = List.of("/bin/bash-static", "-c", "read -t 1 x; echo status $?");
        Result expected = withOpenEmptyStdin(script);
        assertEquals(new Result(0, "status 142\n", ""), expected, "native run");
        List<String> underPhoenix = new ArrayList<>(List.of(Guests.repoRoot().resolve("phoenix").toString(), "run"));
        underPhoenix.addAll(script);
        assertEquals(expected, withOpenEmptyStdin(underPhoenix));
    }

    /** Runs {@code command} with a stdin pipe that stays open and empty until the command has exited. */
    private static Result withOpenEmptyStdin(List<String> command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("/usr/bin/env", "-i"));
        full.addAll(ENV);
        full.addAll(command);
        Process p = new ProcessBuilder(full).start();
        try (OutputStream stdin = p.getOutputStream()) {
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] out = p.getInputStream().readAllBytes();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), command + " did not end");
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } finally {
            p.destroyForcibly();
        }
    }

    /**
     * Eight threads race on a plain counter and print their progress; natively the lines'
     * order and the final count vary, under --deterministic every run is the same, its
     * {@code --strace -f} trace included.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void aRacyProgramRunsTheSameWayEveryTimeUnderDeterministic(Target t) {
        String[] args = {"run", "-i", "--deterministic", "--strace", "-f", Guests.binary(t, "racy").toString()};
        Result first = Guests.phoenix(args);
        assertEquals(0, first.exit(), first.err());
        List<String> lines = first.out().lines().toList();
        List<String> expected = new ArrayList<>();
        for (int id = 0; id < 8; id++) {
            for (int step = 20000; step <= 100000; step += 20000) {
                expected.add("thread " + id + " step " + step);
            }
        }
        assertEquals(41, lines.size(), first.out());
        assertEquals(expected, lines.subList(0, 40).stream().sorted(ThreadsTest::byThreadThenStep).toList());
        assertTrue(lines.get(40).matches("counter \\d+"), lines.get(40));
        assertTrue(first.err().contains("[pid "), "--strace -f names the threads:\n" + first.err());
        assertTrue(first.err().endsWith("+++ exited with 0 +++\n"), first.err());
        for (int run = 2; run <= 5; run++) {
            assertEquals(first, Guests.phoenix(args), "run " + run + " differs from the first");
        }
    }

    /** Orders "thread N step K" lines by N, then K as a number. */
    private static int byThreadThenStep(String a, String b) {
        String[] x = a.split(" "), y = b.split(" ");
        int byThread = Integer.compare(Integer.parseInt(x[1]), Integer.parseInt(y[1]));
        return byThread != 0 ? byThread : Integer.compare(Integer.parseInt(x[3]), Integer.parseInt(y[3]));
    }
}
