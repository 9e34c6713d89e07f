package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code --strace} shows the startup syscalls of static binaries in strace(1)'s format. */
class StraceTest {
    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"X86_64_GLIBC", "AARCH64", "RISCV64"})
    void glibcStartupIsTracedInStraceFormat(Target t) {
        Result r = Guests.phoenix("run", "-i", "--strace", Guests.binary(t, "hello").toString());
        assertEquals(0, r.exit());
        assertEquals("hello, world\n", r.out());
        List<String> lines = r.err().lines().toList();
        String[] expected = {
            "brk\\(NULL\\) = 0x[0-9a-f]+",
            "set_tid_address\\(0x[0-9a-f]+\\) = \\d+",
            "set_robust_list\\(0x[0-9a-f]+, 24\\) = 0",
            "prlimit64\\(0, 3, NULL, 0x[0-9a-f]+\\) = 0",
            "readlink(at)?\\((AT_FDCWD, )?\"/proc/self/exe\", \"/[^\"]*\"(\\.\\.\\.)?, 4096\\) = \\d+",
            "getrandom\\(0x[0-9a-f]+, 8, 0x1\\) = 8",
            "mprotect\\(0x[0-9a-f]+, \\d+, 0x1\\) = 0",
            "newfstatat\\(1, \"\", 0x[0-9a-f]+, 0x1000\\) = 0",
            "write\\(1, \"hello, world\\\\n\", 13\\) = 13",
            "exit_group\\(0\\) = \\?",
            "\\+\\+\\+ exited with 0 \\+\\+\\+"};
        int at = 0;
        for (String pattern : expected) {
            Pattern p = Pattern.compile(pattern);
            while (at < lines.size() && !p.matcher(lines.get(at)).matches()) {
                at++;
            }
            assertTrue(at < lines.size(), "no line matching " + pattern + " in order in:\n" + r.err());
            at++;
        }
        if (t == Target.X86_64_GLIBC) {
            assertTrue(r.err().contains("arch_prctl(0x1002, 0x"), r.err());
            assertTrue(r.err().contains("rseq(0x") && r.err().contains("= -1 ENOSYS (Function not implemented)"), r.err());
        }
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void traceDisassemblesEveryInstruction(Target t) {
        Result r = Guests.phoenix("run", "-i", "--trace", Guests.binary(t, "exitcode").toString(), "3");
        assertEquals(3, r.exit());
        List<String> lines = r.err().lines().toList();
        assertTrue(lines.size() > 500, "even musl's startup runs hundreds of instructions: " + lines.size());
        Pattern line = Pattern.compile("0x[0-9a-f]+: [a-z0-9.]+( .*)?");
        for (String l : lines) {
            assertTrue(line.matcher(l).matches(), "not a trace line: " + l);
        }
        String trap = switch (t.arch) {
            case X86_64 -> ": syscall";
            case AARCH64 -> ": svc #0";
            case RISCV64 -> ": ecall";
        };
        assertTrue(lines.stream().anyMatch(l -> l.endsWith(trap)), "no " + trap + " in the trace");
    }

    @ParameterizedTest
    @EnumSource(value = Target.class, names = "X86_64_MUSL")
    void muslStartupUsesWritev(Target t) {
        Result r = Guests.phoenix("run", "-i", "--strace", Guests.binary(t, "hello").toString());
        assertEquals(0, r.exit());
        assertTrue(r.err().contains("set_tid_address(0x"), r.err());
        // musl's stdout is not a terminal here (TIOCGWINSZ says ENOTTY), so puts is one writev.
        assertTrue(r.err().contains("ioctl(1, 0x5413, 0x"), r.err());
        assertTrue(r.err().contains("= -1 ENOTTY (Inappropriate ioctl for device)"), r.err());
        assertTrue(r.err().contains(
                "writev(1, [{iov_base=\"hello, world\", iov_len=12}, {iov_base=\"\\n\", iov_len=1}], 2) = 13\n"),
                r.err());
        assertTrue(r.err().endsWith("+++ exited with 0 +++\n"), r.err());
    }
}
