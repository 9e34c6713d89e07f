package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.util.List;
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
