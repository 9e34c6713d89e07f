package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The command line: help texts, and the ./phoenix launcher as users run it. */
class CliTest {
    @Test
    void topLevelHelpListsCommands() {
        Result r = Guests.phoenix("--help");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("Usage: phoenix [-hV] [COMMAND]"), r.out());
        // picocli aligns the descriptions after the longest command name, so the gap is not fixed.
        assertTrue(r.out().matches("(?s).*\n  run +Run a Linux ELF program on an emulated CPU\\.\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\n  compat +Check that programs still work under Phoenix\\.\n.*"), r.out());
        assertTrue(r.out().matches("(?s).*\n  syscalls +Print the syscall compatibility table.*"), r.out());
        assertTrue(r.out().matches("(?s).*\n  sysroot +Fetch Debian packages and their dependencies into a sysroot\\.\n.*"), r.out());
    }

    @Test
    void runHelpDocumentsEveryOptionAndExitCode() {
        Result r = Guests.phoenix("run", "--help");
        assertEquals(0, r.exit());
        for (String s : List.of("--strace", "--strace-output=FILE", "--strace-follow", "--trace-unimplemented", "--trace", "--env=NAME=VALUE", "--unset-env=NAME", "--argv0=NAME",
                "--ignore-environment", "--hostname=NAME", "--rootfs=DIR", "--sysroot=DIR", "--engine=ENGINE", "--debug", "PROGRAM",
                "ARGS", "76  interpreter (dynamic loader) not found", "79  Unicorn/Capstone missing",
                "80  interpreter for another machine")) {
            assertTrue(r.out().contains(s), "run --help lacks " + s + ":\n" + r.out());
        }
    }

    /** Through the launcher and main(): a mistake is two lines on stderr and exit 2, not the usage. */
    @Test
    void aBadOptionIsOneLineAndWhereHelpIs() throws Exception {
        String launcher = Guests.repoRoot().resolve("phoenix").toString();
        Result r = Guests.host(List.of(launcher, "run", "--bogus", "/bin/busybox", "true"),
                List.of("PATH=/usr/bin:/bin", "HOME=" + System.getProperty("user.home")));
        assertEquals(new Result(2, "", "phoenix: unknown option: '--bogus'\nTry 'phoenix run --help'.\n"), r);
    }

    @Test
    void optionsAfterTheProgramBelongToTheGuest() {
        Result r = Guests.phoenix("run", "-i", Guests.binary(Target.X86_64_MUSL, "args").toString(), "--strace", "-i");
        assertEquals(new Result(0, "argc=3\nargv[0]=" + Guests.binary(Target.X86_64_MUSL, "args")
                + "\nargv[1]=--strace\nargv[2]=-i\n", ""), r);
    }

    @Test
    void launcherRunsForeignBinariesInASeparateProcess() throws Exception {
        // The aarch64 program cannot run on this x86_64 host without an emulator; the uname
        // release proves the answer came from Phoenix, not from qemu registered with binfmt_misc.
        String launcher = Guests.repoRoot().resolve("phoenix").toString();
        Result r = Guests.host(List.of(launcher, "run", "/bin/busybox", "uname", "-m", "-r"),
                List.of("PATH=/usr/bin:/bin", "HOME=" + System.getProperty("user.home")));
        assertEquals(new Result(0, "6.1.0-phoenix x86_64\n", ""), r);
        Result hello = Guests.host(List.of(launcher, "run", Guests.binary(Target.AARCH64, "exitcode").toString(), "9"),
                List.of("PATH=/usr/bin:/bin", "HOME=" + System.getProperty("user.home")));
        assertEquals(new Result(9, "", ""), hello);
    }

    /**
     * A standard descriptor closed when phoenix starts is closed in the guest (EBADF), as in a
     * native run; the JVM's own files (its runtime image) never take its place.
     */
    @Test
    void closedStandardDescriptorsStayClosedInTheGuest() throws Exception {
        String launcher = Guests.repoRoot().resolve("phoenix").toString();
        List<String> env = List.of("PATH=/usr/bin:/bin", "HOME=" + System.getProperty("user.home"));
        for (String script : List.of("exec $0 cat <&-", "exec $0 cat /proc/self/fd/0 <&-", "exec $0 echo hi >&-",
                "exec $0 ls /nonexistent 2>&-", "exec $0 wc -c <&- >&-")) {
            Result natively = Guests.host(List.of("/bin/sh", "-c", script, "/bin/busybox"), env);
            Result underPhoenix = Guests.host(List.of("/bin/sh", "-c", script, launcher + " run /bin/busybox"), env);
            assertEquals(natively, underPhoenix, script);
        }
    }
}
