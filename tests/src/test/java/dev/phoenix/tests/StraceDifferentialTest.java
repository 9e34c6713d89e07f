package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code --strace} against the real strace(1): the same x86_64 binary traced natively and
 * under Phoenix gives the same lines, once what differs between any two runs is masked
 * (addresses, pids, remaining times, random bytes) and the differences Phoenix documents are
 * named (rseq and acct are ENOSYS; statx has no mount id).
 */
class StraceDifferentialTest {
    /** Guest, and whether it takes an empty directory to work in as argv[1]. */
    static Stream<Arguments> guests() {
        List<Arguments> out = new ArrayList<>();
        for (Target t : List.of(Target.X86_64_MUSL, Target.X86_64_GLIBC)) {
            for (String g : List.of("hello", "tracee", "signals", "exitcode")) {
                out.add(Arguments.of(t, g, false));
            }
            for (String g : List.of("files", "fsops", "moreio", "locks", "openat2", "efault")) {
                out.add(Arguments.of(t, g, true));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("guests")
    void sameLinesAsTheRealStrace(Target t, String guest, boolean takesDir, @TempDir Path tmp) throws Exception {
        Path program = Guests.binary(t, guest);
        Path work = tmp.resolve("work");
        List<String> args = new ArrayList<>(List.of(program.toString()));
        if (takesDir) {
            args.add(work.toString());
        }
        Path nativeTrace = tmp.resolve("native.txt");
        Files.createDirectory(work);
        List<String> cmd = new ArrayList<>(List.of("strace", "-o", nativeTrace.toString()));
        cmd.addAll(args);
        Result nativeRun = Guests.host(cmd, List.of());
        Guests.deleteTree(work);
        Files.createDirectory(work);
        Path phoenixTrace = tmp.resolve("phoenix.txt");
        List<String> run = new ArrayList<>(List.of("run", "-i", "-o", phoenixTrace.toString()));
        run.addAll(args);
        Result phoenixRun = Guests.phoenix(run.toArray(String[]::new));
        assertEquals(nativeRun.exit(), phoenixRun.exit(), "exit status; stderr: " + phoenixRun.err());
        List<String> expected = normalize(Files.readAllLines(nativeTrace, StandardCharsets.UTF_8), true);
        List<String> actual = normalize(Files.readAllLines(phoenixTrace, StandardCharsets.UTF_8), false);
        assertEquals(String.join("\n", expected), String.join("\n", actual));
    }

    /**
     * clone and clone3 under {@code -f}, against strace -f running the same program natively:
     * the thread pthread_create makes (musl calls clone, glibc clone3) and calls Linux refuses,
     * their flags by name, unknown bits in hex and clone's exit signal after them.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Target.class, names = {"X86_64_MUSL", "X86_64_GLIBC"})
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard, not a speed assertion
    void cloneFlagsUnderFollowAreTheRealStraces(Target t, @TempDir Path tmp) throws Exception {
        Path program = Guests.binary(t, "clones");
        Path nativeTrace = tmp.resolve("native.txt");
        Result nativeRun = Guests.host(List.of("strace", "-f", "-o", nativeTrace.toString(), program.toString()),
                List.of());
        Path phoenixTrace = tmp.resolve("phoenix.txt");
        Result phoenixRun = Guests.phoenix("run", "-i", "-f", "-o", phoenixTrace.toString(), program.toString());
        assertEquals(0, nativeRun.exit(), "strace(1) is installed by ./setup.sh: " + nativeRun.err());
        assertEquals(nativeRun.out(), phoenixRun.out(), "stderr: " + phoenixRun.err());
        assertEquals(0, phoenixRun.exit(), phoenixRun.err());
        List<String> expected = cloneLines(Files.readAllLines(nativeTrace, StandardCharsets.UTF_8));
        List<String> actual = cloneLines(Files.readAllLines(phoenixTrace, StandardCharsets.UTF_8));
        assertEquals(8, expected.size(), "one thread and seven refused calls, natively:\n" + String.join("\n", expected));
        assertEquals(String.join("\n", expected), String.join("\n", actual));
    }

    /**
     * fork, execve, wait4, vfork and SIGCHLD under {@code -f}, against strace -f running the same
     * program natively: the calls of each process in order, whole (where another task's line
     * cut one, the two parts joined), its pids named by order of appearance so that wait4's
     * result, si_pid and the clone result must name the right process. The order of lines
     * between processes is the schedulers'.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Target.class, names = {"X86_64_MUSL", "X86_64_GLIBC"})
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard, not a speed assertion
    void forkExecAndWaitAreTheRealStraces(Target t, @TempDir Path tmp) throws Exception {
        Path program = Guests.binary(t, "forkexec");
        Path nativeTrace = tmp.resolve("native.txt");
        Result nativeRun = Guests.host(List.of("strace", "-f", "-o", nativeTrace.toString(), program.toString()),
                List.of());
        Path phoenixTrace = tmp.resolve("phoenix.txt");
        Result phoenixRun = Guests.phoenix("run", "-i", "--deterministic", "-f", "-o", phoenixTrace.toString(),
                program.toString());
        assertEquals(0, nativeRun.exit(), "strace(1) is installed by ./setup.sh: " + nativeRun.err());
        assertEquals(nativeRun.out(), phoenixRun.out(), "stderr: " + phoenixRun.err());
        assertEquals(0, phoenixRun.exit(), phoenixRun.err());
        Map<String, List<String>> expected = processes(Files.readAllLines(nativeTrace, StandardCharsets.UTF_8), true);
        Map<String, List<String>> actual = processes(Files.readAllLines(phoenixTrace, StandardCharsets.UTF_8), false);
        assertEquals(List.of("P1", "P2", "P3"), List.copyOf(expected.keySet()), "natively: " + expected);
        for (String p : expected.keySet()) {
            assertEquals(String.join("\n", expected.get(p)), String.join("\n", actual.getOrDefault(p, List.of())), p);
        }
        assertEquals(expected.keySet(), actual.keySet());
    }

    /** Each process's lines of a strace -f -o trace, masked as {@link #mask} does; strace's own exec of the program left out. */
    private static Map<String, List<String>> processes(List<String> lines, boolean fromLinux) {
        Map<String, List<String>> byTask = StraceLines.byTask(StraceLines.joined(lines));
        Map<String, List<String>> out = new LinkedHashMap<>();
        byTask.forEach((task, calls) -> {
            boolean ownExec = fromLinux && task.equals("P1") && calls.get(0).startsWith("execve(");
            out.put(task, calls.subList(ownExec ? 1 : 0, calls.size()).stream().map(l -> mask(l, fromLinux)).toList());
        });
        return out;
    }

    /**
     * The clone and clone3 lines of a trace, whole (strace -f splits a call another task
     * interrupted into "<unfinished ...>" and "<... clone resumed>"), without the pid before
     * them, with stack and TLS addresses and the new thread's tid masked.
     */
    private static List<String> cloneLines(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (StraceLines.Line line : StraceLines.joined(lines)) {
            String l = line.text();
            if (l.startsWith("clone(") || l.startsWith("clone3(")) {
                // mmap'd stacks and TLS: at the top of the 47-bit space, 0x7e... as well as 0x7f...
                out.add(l.replaceAll("0x7[0-9a-f]{9,}", "ADDR")
                        .replaceAll("parent_tid=\\[\\d+\\]", "parent_tid=[TID]")
                        .replaceAll(" += (\\d+)$", " = TID")
                        .replaceAll(" += ", " = "));
            }
        }
        return out;
    }

    private static List<String> normalize(List<String> lines, boolean fromLinux) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (fromLinux && l.startsWith("execve(")) {
                continue; // strace's own exec of the program
            }
            out.add(mask(l, fromLinux));
        }
        return out;
    }

    private static String mask(String line, boolean fromLinux) {
        String m = line.replaceAll("0x[0-9a-f]{6,}", "ADDR")
                .replaceAll("si_pid=\\d+", "si_pid=PID")
                .replaceAll("^(kill|tkill|tgkill)\\(\\d+, (\\d+, )?", "$1(PID, $2")
                .replaceAll("^(tgkill\\(PID, )\\d+", "$1TID")
                .replaceAll("^(set_tid_address\\(ADDR\\)|getpid\\(\\)|gettid\\(\\)) += \\d+$", "$1 = PID")
                // A child's times: what it ran natively, what Phoenix measured.
                .replaceAll("(ru_[us]time)=\\{tv_sec=\\d+, tv_usec=\\d+\\}", "$1={TIME}")
                .replaceAll("(si_[us]time)=\\d+( /\\* [0-9.]+ s \\*/)?", "$1=TICKS")
                .replaceAll("tv_sec=\\d+, tv_(u|n)sec=\\d{5,}", "tv_sec=S, tv_$1sec=REMAINING")
                .replaceAll("^getrandom\\(\"[^\"]*\"", "getrandom(BYTES");
        // Masked values change the padding before "=": compare the call and result, not the column.
        boolean masked = !m.equals(line);
        if (fromLinux) {
            // Phoenix's documented differences, as they show in Linux's trace (results of the same width).
            m = m.replaceAll("^(rseq\\(.*\\)) += 0$", "$1 = -1 ENOSYS (Function not implemented)")
                    .replaceAll("^(acct\\(.*\\) +)= -1 ENOENT \\(No such file or directory\\)$",
                            "$1= -1 ENOSYS (Function not implemented)")
                    .replace("stx_mask=STATX_BASIC_STATS|STATX_MNT_ID", "stx_mask=STATX_BASIC_STATS");
            masked |= m.startsWith("rseq(") && !m.equals(line);
        }
        return masked ? m.replaceAll(" +=", " =") : m;
    }
}
