package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.emu.Arch;
import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sessions, process groups and job control (issue 14). {@code jobctl.c} and {@code pty.c} open
 * pseudo-terminals of their own, so they need no real terminal: the controlling terminal and
 * the foreground group's ioctls, SIGTTOU and SIGTTIN for background groups, ^C, ^Z and a resize
 * reaching the foreground job, orphaned groups, SIGHUP when the session leader exits or the
 * master closes; and the pseudo-terminal's line discipline. Their expected output is what they
 * print natively on x86_64 (Linux 6.18), where each run is also compared with a native one;
 * aarch64 and riscv64 must print the same. Then Debian's busybox sh runs interactively on a
 * terminal that script(1) makes, typed at as a user types: a background job, jobs, ^Z stopping
 * the foreground job, kill -STOP, fg and bg continuing a job, kill ending the jobs; natively
 * first, then under Phoenix with each arch's busybox. The timeouts are hang guards only.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
class JobControlTest {
    private static final String JOBCTL = """
            -- the controlling terminal
            the master's TIOCGPGRP before any session has the terminal: ok 0
            opened with O_NOCTTY: tcgetpgrp ENOTTY, TIOCGSID ENOTTY
            open /dev/tty without a controlling terminal: ENXIO
            TIOCNOTTY without one: ENOTTY
            opened for writing only, without O_NOCTTY: tcgetpgrp ENOTTY
            TIOCSCTTY: ok
            tcgetpgrp is the leader's group 1, tcgetsid its session 1
            open /dev/tty: ok, the same terminal 1
            TIOCSCTTY again: ok
            the master's TIOCGPGRP: ok, the leader's group 1
            the master's TIOCGSID: ok, the leader's session 1
            tcgetpgrp of the slave here, in another session: ENOTTY
            tcsetpgrp(-1): EINVAL
            tcsetpgrp(a pid nobody has): ESRCH
            tcsetpgrp(the parent's group, of another session): EPERM
            a child: tcgetpgrp the group's, TIOCSCTTY EPERM
            after its setsid: tcgetpgrp ENOTTY, TIOCGSID ENOTTY, TIOCSCTTY of the leader's terminal EPERM
            and its /dev/tty: ENXIO
            tcsetpgrp(a child's group): ok, tcgetpgrp is it 1
            the group's last process gone, tcgetpgrp still names it 1
            a second terminal opened by a leader that has one: tcgetpgrp ENOTTY
            TIOCSCTTY of it: EPERM
            its master's TIOCGPGRP: ok 0
            -- background groups
            tcsetpgrp from the background: stopped by SIGTTOU
              tcsetpgrp: ok, now in the foreground 1
            the same with SIGTTOU blocked: exited 0
              tcsetpgrp: ok, now in the foreground 1
            the same with SIGTTOU ignored: exited 0
            tcsetattr from the background: stopped by SIGTTOU
              tcsetattr: ok
            the same with SIGTTOU ignored: exited 0
            tcflush from the background: stopped by SIGTTOU
            tcdrain from the background: stopped by SIGTTOU
              tcgetpgrp is the session's group: 1, TIOCGWINSZ ok
            tcgetpgrp and TIOCGWINSZ from the background: exited 0
              write: ok
            write from the background: exited 0
            write from the background with TOSTOP: stopped by SIGTTOU
              write: ok
            the same with SIGTTOU ignored: exited 0
            the foreground's write with TOSTOP: ok
            read from the background: stopped by SIGTTIN
              read: EIO
            the same with SIGTTIN ignored: exited 0
              read: EIO
            the same with SIGTTIN blocked: exited 0
              read: EINTR
              and the handler ran for SIGTTIN
            the same with a handler: exited 0
            -- a job
            ^C from the master
              the job got SIGINT
              the master reads the echo ^C
            a new window size through the master
              the job got SIGWINCH
            ^Z from the master
              the job: stopped by SIGTSTP
              the master reads the echo ^Z
            continued in the background
              the job: stopped by SIGTTIN
            continued in the foreground, with a line typed
              the job read 6 bytes: hello
              the job: exited 3
              the master reads the echo hello\\r\\n
            -- an orphaned group
            a background read in an orphaned group: EIO
            a write with TOSTOP: EIO
            tcsetattr: EIO
            tcsetpgrp: ENOTTY
            SIGTSTP, SIGTTIN and SIGTTOU were discarded: it still runs
            -- a group orphaned while stopped
            the child: stopped by SIGSTOP; its parent exits
            SIGHUP
            SIGCONT
            it runs on
            -- the session leader exits
            the foreground job got SIGHUP
            after it: tcgetpgrp ENOTTY, /dev/tty ENXIO
            the background job got nothing: still running
            -- the session leader gives up its terminal
            TIOCNOTTY: ok
            then tcgetpgrp: ENOTTY, /dev/tty ENXIO
            the foreground job got SIGHUP
            and SIGCONT
            -- the master is closed
            the leader: exited 0
            SIGHUP
            SIGCONT
            then the slave reads 0, writes EIO, tcgetpgrp EIO, /dev/tty ENXIO, open of its name ENOENT
            """;

    private static final String PTY = """
            posix_openpt: ok
            grantpt: ok
            ptsname is /dev/pts/ and TIOCGPTN's number: 1
            TIOCGPTLCK before unlockpt: 0 1
            open of the slave before unlockpt: EIO
            unlockpt: ok
            open of the slave: ok
            isatty master 1, slave 1
            ttyname(slave) is ptsname: 1
            stat of the slave: 0, char 1, major 136, minor is the number 1, same as fstat 1
            /dev/pts lists it: 1
            slave termios: iflag 2400 oflag 5 cflag 277 lflag 105073
            c_cc: 3 28 127 21 4 0 1 0 17 19 26 0 18 15 23 22 0
            the master's termios is the slave's: 1
            TIOCGWINSZ: 0, 0 rows 0 cols
            set through the master, read through the slave: 33 rows 101 cols
            a line: read 6 "hello\\n", echo "hello\\r\\n"
            DEL erases: read 3 "ad\\n", echo "abc\\b \\b\\b \\bd\\r\\n"
            ^U kills the line: read 2 "w\\n", echo "xyz\\b \\b\\b \\b\\b \\bw\\r\\n"
            ^W erases a word: read 10 "one three\\n", echo "one two\\b \\b\\b \\b\\b \\bthree\\r\\n"
            ^D at the start of a line: read 0 "", echo ""
            ^D ends a line without a newline: read 2 "ab", echo "ab"
            a tab erased: read 3 "ac\\n", echo "a\\tb\\b \\b\\b\\b\\b\\b\\bc\\r\\n"
            a control character erased: read 3 "ab\\n", echo "a^A\\b \\b\\b \\bb\\r\\n"
            CR becomes NL (ICRNL): read 2 "x\\n", echo "x\\r\\n"
            ^V takes ^C literally: read 2 "<3>\\n", echo "^\\b^C\\r\\n"
            ^R reprints the line: read 4 "abc\\n", echo "ab^R\\r\\nabc\\r\\n"
            a long line, 3 bytes at a time: read 3 "abc", echo "abcdefg\\r\\n"
              then: 3 "def"
              then: 2 "g\\n"
            FIONREAD of the slave with two lines waiting: 10
            a read takes one line: 4 "two\\n"
            and the next the other: 6 "lines\\n"
            poll of the slave with an unfinished line: 0
            and once it ends: 1 revents POLLIN 1
              read 8 "partial\\n"
            ECHO off: read 6 "quiet\\n", echo ""
            ECHONL: read 3 "nl\\n", echo "\\r\\n"
            ECHOCTL off: read 4 "a<1>b\\n", echo "a<1>b\\r\\n"
            ECHOE off: read 3 "ac\\n", echo "ab^?c\\r\\n"
            non-canonical, VMIN 0 VTIME 0, nothing typed: 0
            VMIN 3 with 2 bytes: poll 0
            then a third: read 3 "abc", echo "abc"
            VMIN 3 and 5 waiting: all 5: read 5 "12345", echo "12345"
            VMIN 0 VTIME 1, nothing typed: 0 after the timeout
            VMIN 0 VTIME 1, one byte: read 1 "z", echo "z"
            raw: DEL and ^U are data, CR still NL: read 4 "a<127><21>\\n", echo "a^?^U\\r\\n"
            back to canonical: what was typed is a line: 9 "left over"
            slave writes "a\\nb\\tc\\n" (6): master reads "a\\r\\nb\\tc\\r\\n"
            with XTABS: "ab      c\\r\\n"
            ONLCR off: "a\\nb"
            OCRNL: "a\\nb\\r\\n"
            OPOST off: "a\\nb"
            FIONREAD of the master after 5 bytes: 5
            poll of the master: 1 revents POLLIN 1 POLLOUT 1 POLLHUP 0
            O_NONBLOCK read of an empty master: EAGAIN
            locked again, open of the slave: EIO
            unlocked, it opens: ok
            TIOCGPTN on the slave: ENOTTY
            every slave closed: master poll 1 POLLHUP 1
            and its read: EIO
            the slave opens again: ok
            master closed: the slave reads 0
            and writes EIO
            and polls POLLIN 1 POLLOUT 1 POLLERR 1 POLLHUP 1
            and tcgetattr EIO
            open of its name: ENOENT
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void sessionsProcessGroupsAndJobControlOnAPseudoTerminal(Target t) throws Exception {
        Guests.runsAsExpected(t, "jobctl", new Result(0, JOBCTL, ""));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void pseudoTerminalsAndTheirLineDiscipline(Target t) throws Exception {
        Guests.runsAsExpected(t, "pty", new Result(0, PTY, ""));
    }

    /**
     * An interactive busybox sh on a terminal (script(1) makes a pseudo-terminal and runs it as
     * a session leader, as a terminal emulator does), typed at through the terminal: the host's
     * line discipline turns ^Z into SIGTSTP for the terminal's foreground group, which is
     * Phoenix's, and Phoenix gives it to the guest's foreground job. The x86_64 busybox runs
     * natively first, so that a host whose shell behaves differently is told apart.
     */
    @ParameterizedTest
    @EnumSource(Arch.class)
    void anInteractiveBusyboxShellControlsJobs(Arch arch) throws Exception {
        Path busybox = Guests.busybox(arch);
        if (arch == Arch.X86_64) {
            jobControlSession("exec " + busybox + " sh -i");
        }
        jobControlSession("exec " + Guests.repoRoot().resolve("phoenix") + " run " + busybox + " sh -i");
    }

    private static void jobControlSession(String command) throws Exception {
        try (Typist term = new Typist(command)) {
            term.expect("Enter 'help'");
            term.type("PS1='<''P> '\n"); // the prompt, typed so that its echo does not match it
            term.expect("<P> ");
            term.type("sleep 30 &\n");
            term.expect("<P> ");
            term.type("jobs\n");
            term.expect("[1]+  Running                    sleep 30");
            term.expect("<P> ");
            term.type("sh -c 'while :; do echo t''ick; sleep 1; done'\n");
            term.expect("tick");
            term.type("\032"); // ^Z
            term.expect("[2]+  Stopped                    sh -c ");
            term.expect("<P> ");
            term.type("jobs\n");
            term.expect("[2]+  Stopped                    sh -c");
            term.expect("[1]-  Running                    sleep 30");
            term.expect("<P> ");
            term.type("kill -STOP %1; wait %1; echo sto''pped $?; jobs %1; kill -CONT %1\n");
            term.expect("stopped 147"); // 128 + SIGSTOP: wait returns when the job stops
            term.expect("Stopped (signal)           sleep 30");
            term.expect("<P> ");
            term.type("fg %2\n");
            term.expect("tick"); // running again, in the foreground
            term.type("\032");
            term.expect("[2]+  Stopped                    sh -c");
            term.expect("<P> ");
            term.type("bg %2\n");
            term.expect("tick"); // running again, in the background
            term.type("kill %1 %2; wait; echo the jobs have end''ed\n");
            term.expect("the jobs have ended");
            term.expect("<P> ");
            term.type("jobs; exit\n");
            assertEquals(0, term.exit(), term.output());
        }
    }

    /**
     * A command on a terminal of its own, made by script(1) (util-linux), which copies what the
     * test types to the terminal and what the terminal shows to its output.
     */
    private static final class Typist implements AutoCloseable {
        /** How long to wait for the terminal to show a text: a guard against a hang, not a measurement. */
        private static final long PATIENCE_NANOS = TimeUnit.SECONDS.toNanos(60);
        private final Process process;
        private final OutputStream keys;
        private final StringBuilder screen = new StringBuilder();
        private int matched;

        Typist(String command) throws IOException {
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/env", "-i", "PATH=/usr/bin:/bin",
                    "HOME=" + System.getProperty("user.home"), "TERM=dumb", "/usr/bin/script", "-qfec", command, "/dev/null");
            pb.redirectErrorStream(true);
            process = pb.start();
            keys = process.getOutputStream();
            InputStream shown = process.getInputStream();
            Thread.ofPlatform().daemon().start(() -> {
                byte[] b = new byte[4096];
                try {
                    for (int n; (n = shown.read(b)) > 0; ) {
                        synchronized (screen) {
                            screen.append(new String(b, 0, n, StandardCharsets.UTF_8));
                            screen.notifyAll();
                        }
                    }
                } catch (IOException e) {
                    // the terminal is gone
                }
            });
        }

        void type(String keystrokes) throws IOException {
            keys.write(keystrokes.getBytes(StandardCharsets.UTF_8));
            keys.flush();
        }

        /** Waits until the terminal shows {@code text} after what was matched before, and moves past it. */
        void expect(String text) throws InterruptedException {
            long deadline = System.nanoTime() + PATIENCE_NANOS;
            synchronized (screen) {
                int at;
                while ((at = screen.indexOf(text, matched)) < 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("the terminal never showed \"" + text + "\"; it shows:\n" + screen);
                    }
                    TimeUnit.NANOSECONDS.timedWait(screen, left);
                }
                matched = at + text.length();
            }
        }

        String output() {
            synchronized (screen) {
                return screen.toString();
            }
        }

        /** The command's exit status, once it has ended after its input closed. */
        int exit() throws IOException, InterruptedException {
            keys.close();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                throw new AssertionError("the terminal's command did not end; it shows:\n" + output());
            }
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }
}
