package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Signals sent to the phoenix process by another host process reach the guest as that signal:
 * its handler runs (with the sender's pid), its default action applies (phoenix exits 128+N
 * only when the guest dies of N, a stop signal stops phoenix until SIGCONT), a blocked read is
 * interrupted, and the signals ignored when phoenix started start ignored. Each case runs
 * through the launcher, as users run phoenix, and natively, and both must agree.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
class HostSignalsTest {
    private static final List<String> ENV = List.of("PATH=/usr/bin:/bin", "HOME=" + System.getProperty("user.home"));

    /**
     * Perl (Debian's perl-base is always there) gives the program it execs the default action
     * for every signal (a CI runner may ignore SIGPIPE, say) and none blocked, whatever this JVM's thread had (HotSpot blocks
     * SIGQUIT in its threads), and a process group of its own whose parent, this JVM, is in the
     * same session: not orphaned, so SIGTSTP stops it (Linux discards SIGTSTP in an orphaned group).
     */
    private static final List<String> PERL_DEFAULTS = List.of("/usr/bin/perl", "-MPOSIX", "-e",
            "sigprocmask(SIG_SETMASK, POSIX::SigSet->new);"
            + " sigaction($_, POSIX::SigAction->new('DEFAULT')) for grep { $_ != 9 && $_ != 19 } 1 .. 31;"
            + " setpgrp(0, 0); exec @ARGV");

    private static List<String> underPhoenix(Target t, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Guests.repoRoot().resolve("phoenix").toString(), "run",
                Guests.binary(t, "hostsig").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static List<String> natively(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Guests.binary(Target.X86_64_MUSL, "hostsig").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /**
     * Starts {@code command} with a pipe for stdin that stays open, waits for its "ready" line,
     * then performs {@code steps}: a signal name is sent with kill(1); "stopped" and "running"
     * wait until the process is in that state. Returns its exit status and whole output.
     */
    private static Result signalled(List<String> command, String... steps) throws Exception {
        List<String> full = new ArrayList<>(List.of("/usr/bin/env", "-i"));
        full.addAll(ENV);
        full.addAll(PERL_DEFAULTS);
        full.addAll(command);
        Process p = new ProcessBuilder(full).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine();
            if (first == null) {
                throw new AssertionError(command + " printed no ready line: "
                        + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
            }
            for (String step : steps) {
                switch (step) {
                    case "stopped" -> awaitState(p.pid(), 'T');
                    case "running" -> awaitState(p.pid(), 'S');
                    default -> {
                        Process kill = new ProcessBuilder("/bin/kill", "-s", step, Long.toString(p.pid())).start();
                        assertEquals(0, kill.waitFor());
                    }
                }
            }
            // A guard against a hang, not a measurement.
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), command + " did not exit");
            StringBuilder rest = new StringBuilder(first).append('\n');
            for (String line; (line = out.readLine()) != null; ) {
                rest.append(line).append('\n');
            }
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            p.getOutputStream().close();
            return new Result(p.exitValue(), rest.toString(), err);
        } finally {
            p.destroyForcibly();
        }
    }

    /** Waits until /proc/PID/stat shows {@code state} (T stopped, S sleeping). */
    private static void awaitState(long pid, char state) throws IOException, InterruptedException {
        Path stat = Path.of("/proc/" + pid + "/stat");
        for (int i = 0; i < 6000; i++) {
            String s = Files.readString(stat);
            if (s.charAt(s.lastIndexOf(')') + 2) == state) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("process " + pid + " never reached state " + state);
    }

    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM", "HUP", "QUIT", "USR1", "USR2", "WINCH", "TSTP", "CONT"})
    void aHandlerRunsWithTheSendersPid(String sig) throws Exception {
        Result expected = signalled(natively("handle", sig), sig);
        assertEquals(new Result(7, "ready\ngot SIG" + sig + ", si_code SI_USER 1, sender pid set 1\n", ""), expected);
        assertEquals(expected, signalled(underPhoenix(Target.X86_64_MUSL, "handle", sig), sig));
    }

    @Test
    void aHandlerRunsOnEveryArch() throws Exception {
        Result expected = new Result(7, "ready\ngot SIGINT, si_code SI_USER 1, sender pid set 1\n", "");
        for (Target t : List.of(Target.X86_64_GLIBC, Target.AARCH64, Target.RISCV64)) {
            assertEquals(expected, signalled(underPhoenix(t, "handle", "INT"), "INT"), t.name());
        }
    }

    /** The default action ends the guest, and phoenix with 128+N; SIGQUIT prints no JVM thread dump. */
    @ParameterizedTest
    @ValueSource(strings = {"INT", "TERM", "HUP", "QUIT", "USR1", "USR2"})
    void theDefaultActionEndsTheGuest(String sig) throws Exception {
        Result expected = signalled(natively("default"), sig);
        assertEquals("ready\n", expected.out());
        assertEquals(expected, signalled(underPhoenix(Target.X86_64_MUSL, "default"), sig));
    }

    /** SIGWINCH is ignored by default; SIGTSTP stops phoenix as it stops the program, until SIGCONT. */
    @Test
    void stopAndContinueAsAJob() throws Exception {
        String[] steps = {"WINCH", "TSTP", "stopped", "CONT", "running", "TERM"};
        Result expected = signalled(natively("default"), steps);
        assertEquals(new Result(143, "ready\n", ""), expected);
        assertEquals(expected, signalled(underPhoenix(Target.X86_64_MUSL, "default"), steps));
    }

    /** A read of a pipe with nothing in it ends with EINTR when a handler without SA_RESTART runs. */
    @Test
    void aSignalInterruptsABlockedRead() throws Exception {
        // The signal must come once the read blocks: the guest prints "ready" just before its
        // read, and a signal before it would run the handler and leave the read waiting for ever
        // (natively too). Blocked, the guest's runner (Phoenix's main thread) sleeps: state S.
        Result expected = signalled(natively("read", "INT"), "running", "INT");
        assertEquals(new Result(7, "ready\nread = -1 EINTR, caught SIGINT\n", ""), expected);
        assertEquals(expected, signalled(underPhoenix(Target.X86_64_MUSL, "read", "INT"), "running", "INT"));
        assertEquals(expected, signalled(underPhoenix(Target.AARCH64, "read", "INT"), "running", "INT"));
    }

    /** Signals ignored when phoenix starts (nohup, a shell's background job) start ignored in the guest. */
    @Test
    void ignoredSignalsStayIgnored() throws Exception {
        String launcher = Guests.repoRoot().resolve("phoenix").toString();
        String program = Guests.binary(Target.X86_64_MUSL, "hostsig").toString();
        List<String> nohup = new ArrayList<>(PERL_DEFAULTS);
        nohup.addAll(List.of("/bin/sh", "-c", "trap '' HUP QUIT; exec $0 ignored", program));
        Result expected = Guests.host(nohup, ENV);
        assertEquals(new Result(0, "SIGHUP ignored\nSIGQUIT ignored\n", ""), expected);
        nohup.set(nohup.size() - 2, "trap '' HUP QUIT; exec " + launcher + " run $0 ignored");
        assertEquals(expected, Guests.host(nohup, ENV));
    }
}
