package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Terminal ioctls give the host terminal's real answers on a pty and ENOTTY on a pipe, the same
 * as a native run; unknown syscalls fail with ENOSYS and warn once.
 */
class TerminalAndUnknownSyscallTest {
    private static final List<String> ENV = List.of("PATH=/usr/bin:/bin", "HOME=" + System.getProperty("user.home"));

    /** Runs {@code command} on a fresh pty of 33x101 made by script(1) (util-linux). */
    private static Result onPty(String command) throws Exception {
        return Guests.host(List.of("/usr/bin/script", "-qec", "stty rows 33 cols 101; " + command, "/dev/null"), ENV);
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void terminalIoctlsMatchANativeRunOnAPty(Target t) throws Exception {
        String launcher = Guests.repoRoot().resolve("phoenix").toString();
        Result phoenix = onPty(launcher + " run " + Guests.binary(t, "tty"));
        Result nativeRun = onPty(Guests.binary(Target.X86_64_GLIBC, "tty").toString());
        String expected = "fd 0: isatty=1 tcgetattr=0 errno=0 lflag_icanon=1 winsize=0 rows=33 cols=101\r\n"
                + "fd 1: isatty=1 tcgetattr=0 errno=0 lflag_icanon=1 winsize=0 rows=33 cols=101\r\n";
        assertEquals(new Result(0, expected, ""), nativeRun);
        assertEquals(nativeRun, phoenix);
    }

    /**
     * ttyname(3) reads /proc/self/fd/N and checks that stat(2) of that name is fstat(2) of the
     * fd: under Phoenix the name is the host's /dev/pts/N, which Phoenix's /dev shows as the
     * host's terminal. Native and Phoenix runs share one pty, so they name the same one.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void ttynameNamesTheTerminalAsNatively(Target t) throws Exception {
        String launcher = Guests.repoRoot().resolve("phoenix").toString();
        Target reference = t == Target.X86_64_MUSL ? Target.X86_64_MUSL : Target.X86_64_GLIBC;
        Result r = onPty(Guests.binary(reference, "devlinks") + " tty; echo ---; " + launcher + " run "
                + Guests.binary(t, "devlinks") + " tty");
        String[] runs = r.out().split("---\r\n", -1);
        assertEquals(2, runs.length, r.out());
        assertTrue(runs[0].matches("(fd \\d: isatty 1, ttyname /dev/pts/\\d+, a pts 1, stat of it is fstat's 1\r\n){3}"
                + "/dev/pts lists it 1\r\nopen /dev/tty ok\r\n"), runs[0]);
        assertEquals(new Result(0, runs[0], ""), new Result(r.exit(), runs[1], r.err()));
    }

    /** busybox tty prints the terminal's name, on x86_64 and on arm64 (Debian's busybox-static for each). */
    @Test
    void busyboxTtyNamesTheTerminalAsNatively() throws Exception {
        String launcher = Guests.repoRoot().resolve("phoenix").toString();
        Result r = onPty("/bin/busybox tty; " + launcher + " run /bin/busybox tty; " + launcher + " run "
                + Guests.binary(Target.AARCH64, "busybox") + " tty");
        String[] lines = r.out().split("\r\n");
        assertEquals(3, lines.length, r.out());
        assertTrue(lines[0].matches("/dev/pts/\\d+"), lines[0]);
        assertEquals(new Result(0, String.join("\r\n", lines[0], lines[0], lines[0]) + "\r\n", ""), r);
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void terminalIoctlsAreEnottyOnAPipe(Target t) {
        Result r = Guests.phoenix("run", Guests.binary(t, "tty").toString());
        String line = "isatty=0 tcgetattr=-1 errno=25 winsize=-1 errno=25\n"; // ENOTTY
        assertEquals(new Result(0, "fd 0: " + line + "fd 1: " + line, ""), r);
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void unknownSyscallIsEnosysWithOneWarning(Target t) {
        Result r = Guests.phoenix("run", Guests.binary(t, "unknown_syscall").toString());
        assertEquals(new Result(0, "syscall(4242) = -1 errno=38\nsyscall(4242) = -1 errno=38\n",
                "phoenix: warning: unimplemented " + t.arch.unameMachine() + " syscall 4242 returns ENOSYS\n"), r);
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void stdoutRedirectedToAFileCanBeSeekedAndSynced(Target t) throws Exception {
        String launcher = Guests.repoRoot().resolve("phoenix").toString();
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("seekout");
        try {
            String script = "%s > " + dir + "/out; cat " + dir + "/out";
            Result phoenix = Guests.host(List.of("/bin/sh", "-c",
                    String.format(script, launcher + " run " + Guests.binary(t, "seekout"))), ENV);
            Result nativeRun = Guests.host(List.of("/bin/sh", "-c",
                    String.format(script, Guests.binary(Target.X86_64_GLIBC, "seekout"))), ENV);
            assertEquals(new Result(0, "Jello\n", "lseek=0 fsync=0\n"), nativeRun);
            assertEquals(nativeRun, phoenix);
        } finally {
            try (var s = java.nio.file.Files.walk(dir)) {
                s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
