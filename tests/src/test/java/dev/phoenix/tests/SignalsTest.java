package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Signals end to end ({@code tests/guest/signals.c}): handlers and their frames, masks, the
 * alternate stack, faults with si_addr, timers interrupting sleeps and a busy loop, errors, and
 * death by a default action; on x86_64 compared with native runs.
 */
class SignalsTest {
    private static final String EXPECTED =
            "raise: hits 1 signo 10 code SI_TKILL pid matches 1 blocked inside 1\n" +
            "kill: hits 2 code SI_USER\n" +
            "SA_NODEFER: blocked inside 0\n" +
            "blocked: hits 0 pending 1\n" +
            "unblocked: hits 1 pending 0\n" +
            "ignored: hits 0\n" +
            "SA_RESETHAND: hits 1 then SIG_DFL 1\n" +
            "SIGCHLD by default: ignored\n" +
            "sigaltstack = 0\n" +
            "sigaltstack query: size 65536 flags 0\n" +
            "SA_ONSTACK: on alternate stack 1\n" +
            "without SA_ONSTACK: on alternate stack 0\n" +
            "sigaltstack too small = -1 Cannot allocate memory\n" +
            "FP after handler: 6.25\n" +
            "read unmapped: SIGSEGV si_code SEGV_MAPERR si_addr matches 1\n" +
            "write read-only: SIGSEGV si_code SEGV_ACCERR si_addr matches 1\n" +
            "read PROT_NONE: SIGSEGV si_code SEGV_ACCERR si_addr matches 1\n" +
            "nanosleep interrupted: -1 Interrupted system call, time left reported 1\n" +
            "pause: -1 Interrupted system call, handler ran 1\n" +
            "busy loop interrupted: 1\n" +
            "sigsuspend: -1 Interrupted system call, handler ran 1, SIGALRM blocked again 1\n" +
            "getitimer: armed 1\n" +
            "alarm(0) returns 30\n" +
            "sigaction(SIGKILL) = -1 Invalid argument\n" +
            "rt_sigaction(65) = -1 Invalid argument\n" +
            "rt_sigaction(sigsetsize 4) = -1 Invalid argument\n" +
            "rt_sigprocmask(how 7) = -1 Invalid argument\n" +
            "rt_sigaction(bad pointer) = -1 Bad address\n" +
            "kill(self, 0) = 0\n" +
            "kill(999999) = -1 No such process\n" +
            "kill(self, 99) = -1 Invalid argument\n" +
            "SIGKILL blockable 0, SIGSTOP blockable 0\n" +
            "raising SIGTERM\n";

    @ParameterizedTest
    @EnumSource(Target.class)
    void handlersMasksFaultsAndTimers(Target t) throws Exception {
        Path program = Guests.binary(t, "signals");
        Result r = Guests.phoenix(Guests.runArgs(program, List.of()));
        String expected = t == Target.X86_64_MUSL
                ? EXPECTED.replace("Cannot allocate memory", "Out of memory") // musl's strerror(ENOMEM)
                : EXPECTED;
        assertEquals(new Result(128 + 15, expected, ""), r);
        Guests.assertSameAsNative(t, program, r, List.of());
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void abortEndsWithSigabrt(Target t) throws Exception {
        Path program = Guests.binary(t, "signals");
        Result r = Guests.phoenix(Guests.runArgs(program, List.of(), "abort"));
        assertEquals(new Result(128 + 6, "aborting\n", ""), r);
        Guests.assertSameAsNative(t, program, r, List.of(), "abort");
    }
}
