package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code --strace} prints syscalls as strace(1) does, byte for byte where the guest does the
 * same thing: checked against the real strace running the same binary natively.
 */
class StraceTest {
    /** What tests/guest/tracee.c makes, as strace shows it; addresses masked as ADDR. */
    private static List<String> traceeLines(Target t) {
        boolean x86 = t.arch == dev.phoenix.emu.Arch.X86_64;
        String restorer = x86 ? ", sa_restorer=ADDR" : "";
        List<String> l = new ArrayList<>(List.of(
                "openat(AT_FDCWD, \"/nonexistent/phoenix\", O_RDONLY|O_CLOEXEC) = -1 ENOENT (No such file or directory)",
                "openat(AT_FDCWD, \"/proc/self/exe\", O_RDONLY|O_CLOEXEC) = 3",
                "newfstatat(AT_FDCWD, \"/dev/null\", {st_mode=S_IFCHR|0666, st_rdev=makedev(0x1, 0x3), ...}, 0) = 0",
                "fcntl(3, F_SETFD, FD_CLOEXEC)           = 0",
                "fcntl(3, F_GETFL)                       = " + (t.arch == dev.phoenix.emu.Arch.AARCH64 ? "0x20000" : "0x8000")
                        + " (flags O_RDONLY|O_LARGEFILE)",
                align("lseek(3, 0, SEEK_END)") + "= " + size(Guests.binary(t, "tracee")),
                "close(3)                                = 0",
                "clock_nanosleep(CLOCK_MONOTONIC, 0, {tv_sec=0, tv_nsec=1000}, NULL) = 0",
                "clock_gettime(CLOCK_REALTIME, NULL)     = -1 EFAULT (Bad address)",
                "rt_sigaction(SIGUSR1, {sa_handler=SIG_IGN, sa_mask=[TERM], sa_flags="
                        + (x86 ? "SA_RESTORER|" : "") + "SA_RESTART" + restorer + "}, NULL, 8) = 0",
                "rt_sigprocmask(SIG_BLOCK, [INT], NULL, 8) = 0",
                "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = ADDR",
                "mprotect(ADDR, 4096, PROT_NONE) = 0",
                "munmap(ADDR, 8192) = 0",
                "connect(-1, {sa_family=AF_UNIX, sun_path=\"/run/phoenix.sock\"}, 110) = -1 EBADF (Bad file descriptor)",
                "connect(-1, {sa_family=AF_INET, sin_port=htons(8080), sin_addr=inet_addr(\"127.0.0.1\")}, 16) = -1 EBADF "
                        + "(Bad file descriptor)",
                align("acct(\"/nonexistent/phoenix-acct\")") + "= -1 ENOSYS (Function not implemented)",
                (x86 ? "access(\"/\", R_OK|X_OK)                  = 0" : "faccessat(AT_FDCWD, \"/\", R_OK|X_OK)     = 0"),
                "fcntl(0, F_SETLK, 0x10)                 = -1 EFAULT (Bad address)",
                "rt_sigaction(SIGUSR1, 0x10, NULL, 8)    = -1 EFAULT (Bad address)",
                "openat(AT_FDCWD, 0x10, O_RDONLY)        = -1 EFAULT (Bad address)",
                "write(1, \"done\\n\", 5)                   = 5",
                "exit_group(0)                           = ?",
                "+++ exited with 0 +++"));
        return l;
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** strace's -a40: the "=" in column 40. */
    private static String align(String call) {
        return call.length() < 40 ? call + " ".repeat(40 - call.length()) : call + " ";
    }

    /**
     * Addresses vary from run to run (and between Phoenix and Linux), and so does the padding
     * before "=" on their lines; everything else must not.
     */
    private static String mask(String line) {
        String masked = line.replaceAll("0x[0-9a-f]{6,}", "ADDR");
        return masked.equals(line) ? line : masked.replaceAll(" +=", " =");
    }

    private static List<String> from(List<String> lines, String first) {
        int at = 0;
        while (at < lines.size() && !lines.get(at).startsWith(first)) {
            at++;
        }
        assertTrue(at < lines.size(), "no line starting " + first + " in:\n" + String.join("\n", lines));
        return lines.subList(at, lines.size()).stream().map(StraceTest::mask).toList();
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void flagsStringsStructsAndErrnosAreDecodedIntoTheOutputFile(Target t, @TempDir Path dir) throws IOException {
        Path out = dir.resolve("trace.txt");
        Result r = Guests.phoenix("run", "-i", "-o", out.toString(), Guests.binary(t, "tracee").toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("done\n", r.out());
        String warning = "phoenix: warning: unimplemented " + t.arch.unameMachine() + " syscall "
                + (t.arch == dev.phoenix.emu.Arch.X86_64 ? 163 : 89) + " (acct) returns ENOSYS\n";
        assertEquals(warning, r.err(), "-o moves the trace out of stderr");
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        assertEquals(traceeLines(t), from(lines, "openat(AT_FDCWD, \"/nonexistent"));
    }

    /** The same binary under the real strace(1), natively: the lines agree except for acct's errno. */
    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"X86_64_MUSL", "X86_64_GLIBC"})
    void outputIsStraceOwnFormat(Target t, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("native.txt");
        Result nativeRun = Guests.host(List.of("strace", "-o", out.toString(), Guests.binary(t, "tracee").toString()),
                List.of());
        assertEquals(0, nativeRun.exit(), "strace(1) is installed by ./setup.sh: " + nativeRun.err());
        List<String> expected = new ArrayList<>();
        for (String l : from(Files.readAllLines(out, StandardCharsets.UTF_8), "openat(AT_FDCWD, \"/nonexistent")) {
            // Linux has process accounting; Phoenix's acct is ENOSYS.
            expected.add(l.startsWith("acct(") ? l.replace("ENOENT (No such file or directory)",
                    "ENOSYS (Function not implemented)") : l);
        }
        assertEquals(expected, traceeLines(t));
    }

    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"X86_64_GLIBC", "AARCH64", "RISCV64"})
    void glibcStartupIsTracedInStraceFormat(Target t) {
        Result r = Guests.phoenix("run", "-i", "--strace", Guests.binary(t, "hello").toString());
        assertEquals(0, r.exit());
        assertEquals("hello, world\n", r.out());
        List<String> lines = r.err().lines().toList();
        String[] expected = {
            "brk\\(NULL\\) +  = 0x[0-9a-f]+",
            "set_tid_address\\(0x[0-9a-f]+\\) += \\d+",
            "set_robust_list\\(0x[0-9a-f]+, 24\\) += 0",
            "prlimit64\\(0, RLIMIT_STACK, NULL, \\{rlim_cur=8192\\*1024, rlim_max=RLIM64_INFINITY\\}\\) = 0",
            "readlink(at)?\\((AT_FDCWD, )?\"/proc/self/exe\", \"/[^\"]*\"(\\.\\.\\.)?, 4096\\) = \\d+",
            "getrandom\\(\"(\\\\x[0-9a-f]{2}){8}\", 8, GRND_NONBLOCK\\) += 8",
            "mprotect\\(0x[0-9a-f]+, \\d+, PROT_READ\\) += 0",
            "newfstatat\\(1, \"\", \\{st_mode=S_IFIFO\\|0600, st_size=0, \\.\\.\\.\\}, AT_EMPTY_PATH\\) = 0",
            "write\\(1, \"hello, world\\\\n\", 13\\) += 13",
            "exit_group\\(0\\) += \\?",
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
            assertTrue(r.err().contains("arch_prctl(ARCH_SET_FS, 0x"), r.err());
            assertTrue(r.err().contains("rseq(0x") && r.err().contains("= -1 ENOSYS (Function not implemented)"), r.err());
        }
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void traceUnimplementedCountsEveryEnosysAtExit(Target t) {
        Result r = Guests.phoenix("run", "-i", "--trace-unimplemented", Guests.binary(t, "tracee").toString());
        assertEquals(0, r.exit());
        String nr = t.arch == dev.phoenix.emu.Arch.X86_64 ? "163" : "89";
        List<String> summary = r.err().lines().dropWhile(l -> !l.startsWith("phoenix: --trace-unimplemented")).toList();
        List<String> expected = new ArrayList<>();
        if (t == Target.X86_64_GLIBC || t == Target.AARCH64) {
            expected.add("rseq"); // glibc 2.36's startup asks for it; Phoenix refuses it on purpose
        }
        expected.add("acct");
        assertEquals("phoenix: --trace-unimplemented: " + expected.size() + " system call"
                + (expected.size() == 1 ? "" : "s") + " returned ENOSYS:", summary.get(0), r.err());
        assertEquals(expected.size() + 1, summary.size(), r.err());
        if (expected.contains("rseq")) {
            assertTrue(summary.get(1).matches(" +1  rseq \\(\\d+\\) +refused: restartable sequences .*"), r.err());
        }
        assertTrue(summary.get(summary.size() - 1).matches(" +1  acct \\(" + nr + "\\) +not implemented"), r.err());
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

    /**
     * arm64 and riscv64 pass clone's tls before child_tid (x86_64 the other way round, which
     * StraceDifferentialTest checks against the real strace): the labels follow the registers.
     */
    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"AARCH64", "RISCV64"})
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard, not a speed assertion
    void cloneArgumentsAreLabelledInTheArchsRegisterOrder(Target t, @TempDir Path dir) throws IOException {
        Path out = dir.resolve("trace.txt");
        Result r = Guests.phoenix("run", "-i", "-f", "-o", out.toString(), Guests.binary(t, "clones").toString());
        assertEquals(0, r.exit(), r.err());
        List<String> clones = StraceLines.joined(Files.readAllLines(out, StandardCharsets.UTF_8)).stream()
                .map(StraceLines.Line::text).filter(l -> l.startsWith("clone")).toList();
        assertEquals(8, clones.size(), String.join("\n", clones));
        // Debian 12's glibc for these arches has no clone3 wrapper: pthread_create calls clone.
        String thread = "clone\\(child_stack=0x[0-9a-f]+, flags=CLONE_VM\\|CLONE_FS\\|CLONE_FILES\\|CLONE_SIGHAND"
                + "\\|CLONE_THREAD\\|CLONE_SYSVSEM\\|CLONE_SETTLS\\|CLONE_PARENT_SETTID\\|CLONE_CHILD_CLEARTID, "
                + "parent_tid=\\[(\\d+)\\], tls=0x[0-9a-f]+, child_tidptr=0x[0-9a-f]+\\) = \\1";
        assertTrue(clones.get(0).matches(thread), clones.get(0));
        String einval = " = -1 EINVAL (Invalid argument)";
        assertEquals(List.of(
                "clone(child_stack=NULL, flags=CLONE_THREAD|CLONE_PARENT_SETTID, parent_tid=0x",
                align("clone(child_stack=NULL, flags=CLONE_SIGHAND|SIGUSR1)").stripTrailing() + einval,
                "clone(child_stack=NULL, flags=CLONE_THREAD|CLONE_SETTLS|CLONE_CHILD_CLEARTID|0x1000400000, tls=0x1234, "
                        + "child_tidptr=0x5678)" + einval,
                "clone3({flags=CLONE_VM|0x1000000000, exit_signal=SIGCHLD, stack=NULL, stack_size=0}, 88)" + einval,
                "clone3({flags=0x1000000000 /* CLONE_??? */, exit_signal=SIGCHLD, stack=NULL, stack_size=0}, 88)" + einval,
                "clone3(0x",
                "clone3({flags=0, exit_signal=SIGCHLD, stack=NULL, stack_size=0, /* bytes 88..103 */ \""
                        + "\\x00\\x00\\x00\\x01" + "\\x00".repeat(12) + "\"}, 104) = -1 E2BIG (Argument list too long)"),
                clones.subList(1, 8).stream().map(l -> l.startsWith("clone(child_stack=NULL, flags=CLONE_THREAD|CLONE_PARENT")
                        || l.startsWith("clone3(0x") ? l.substring(0, l.indexOf("0x") + 2) : l).toList());
    }

    /**
     * tests/guest/forkexec.c under -f on arm64 and riscv64 (x86_64 is compared with the real
     * strace by StraceDifferentialTest): each process's calls whole and in order, pids named
     * P1, P2, P3 by first appearance. Debian 12's glibc forks with clone and vforks with
     * clone(CLONE_VM|CLONE_VFORK) on these arches; execve shows argv and counts envp; wait4
     * shows the status with wait(2)'s macros and the rusage, waitid the siginfo; SIGCHLD its
     * child and status.
     */
    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"AARCH64", "RISCV64"})
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard, not a speed assertion
    void forkExecAndWaitAsStraceShowsThem(Target t, @TempDir Path dir) throws IOException {
        Path out = dir.resolve("trace.txt");
        Result r = Guests.phoenix("run", "-i", "--deterministic", "-f", "-o", out.toString(),
                Guests.binary(t, "forkexec").toString());
        assertEquals(new Result(0, "child: exiting 3\nparent: forked child reaped, status 3\n"
                + "parent: vforked child reaped, status 5\n", ""), r);
        java.util.Map<String, List<String>> tasks = StraceLines.byTask(
                StraceLines.joined(Files.readAllLines(out, StandardCharsets.UTF_8)));
        java.util.function.Function<List<String>, List<String>> masked = lines -> lines.stream()
                .map(l -> l.replaceAll("0x[0-9a-f]{5,}", "ADDR").replaceAll("si_uid=\\d+", "si_uid=UID")
                        .replaceAll("tv_usec=\\d+", "tv_usec=N")).toList();
        assertEquals(List.of("P1", "P2", "P3"), List.copyOf(tasks.keySet()), tasks.toString());
        List<String> parent = masked.apply(from(tasks.get("P1"), "rt_sigaction(SIGCHLD"));
        String sigchld = "--- SIGCHLD {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=%s, si_uid=UID, si_status=%d, "
                + "si_utime=0, si_stime=0} ---";
        assertEquals(String.join("\n",
                "rt_sigaction(SIGCHLD, {sa_handler=ADDR, sa_mask=[], sa_flags=0}, NULL, 8) = 0",
                "rt_sigprocmask(SIG_BLOCK, [CHLD], NULL, 8) = 0",
                "clone(child_stack=NULL, flags=CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD, child_tidptr=ADDR) = P2",
                "wait4(-1, [{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, {ru_utime={tv_sec=0, tv_usec=N}, "
                        + "ru_stime={tv_sec=0, tv_usec=N}, ...}) = P2",
                "write(1, \"parent: forked child reaped, sta\"..., 38) = 38",
                "rt_sigprocmask(SIG_UNBLOCK, [CHLD], NULL, 8) = 0",
                String.format(sigchld, "P2", 3),
                "rt_sigreturn({mask=[]}) = 0",
                "rt_sigprocmask(SIG_BLOCK, [CHLD], NULL, 8) = 0",
                "clone(child_stack=ADDR, flags=CLONE_VM|CLONE_VFORK|SIGCHLD) = P3",
                "waitid(P_PID, P3, {si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=P3, si_uid=UID, si_status=5, "
                        + "si_utime=0, si_stime=0}, WEXITED, NULL) = 0",
                "write(1, \"parent: vforked child reaped, st\"..., 39) = 39",
                "rt_sigprocmask(SIG_UNBLOCK, [CHLD], NULL, 8) = 0",
                String.format(sigchld, "P3", 5),
                "rt_sigreturn({mask=[]}) = 0",
                "exit_group(0) = ?",
                "+++ exited with 0 +++"), String.join("\n", parent));
        List<String> child = masked.apply(tasks.get("P2"));
        assertEquals(List.of("set_robust_list(ADDR, 24) = 0",
                "execve(\"/proc/self/exe\", [\"forkexec\", \"child\"], ADDR /* 2 vars */) = 0"), child.subList(0, 2));
        assertEquals(List.of("write(1, \"child: exiting 3\\n\", 17) = 17", "exit_group(3) = ?", "+++ exited with 3 +++"),
                child.subList(child.size() - 3, child.size()));
        assertEquals(List.of("exit_group(5) = ?", "+++ exited with 5 +++"), tasks.get("P3"));
    }

    /**
     * strace -f to stderr prefixes a line "[pid  1001] " (the pid in five columns) only while
     * more than one process is traced: none before the first fork, none once the children
     * exited, the prefix a line began with whoever's line cut it. A call cut by another
     * task's line ends "<unfinished ...>" and is resumed by its own task's next line.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard, not a speed assertion
    void followPrefixesLinesWhileAChildIsTraced(Target t) {
        Result r = Guests.phoenix("run", "-i", "--deterministic", "-f", Guests.binary(t, "forkexec").toString());
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.err().lines().toList();
        Pattern prefixed = Pattern.compile("\\[pid +(\\d+)\\] (.*)");
        // The lines without a prefix are the first process's: set_tid_address returns its pid.
        String first = lines.stream().filter(l -> l.startsWith("set_tid_address(")).findFirst()
                .map(l -> l.substring(l.lastIndexOf(' ') + 1)).orElseThrow();
        int forks = 0;
        boolean twoLive = false;
        java.util.Map<String, String> cut = new java.util.HashMap<>();
        for (String line : lines) {
            java.util.regex.Matcher m = prefixed.matcher(line);
            boolean hasPrefix = m.matches();
            String pid = hasPrefix ? m.group(1) : first;
            String text = hasPrefix ? m.group(2) : line;
            if (hasPrefix) {
                assertEquals(String.format("[pid %5d] ", Integer.parseInt(pid)), line.substring(0, line.indexOf(']') + 2),
                        "strace's [pid %5u]");
            }
            String resumed = cut.remove(pid);
            if (resumed != null) {
                assertTrue(text.startsWith("<... " + resumed + " resumed>"), "after " + resumed + " was cut: " + line);
            }
            if (text.endsWith(" <unfinished ...>")) {
                cut.put(pid, text.substring(0, text.indexOf('(')));
            }
            assertEquals(twoLive, hasPrefix, "prefix while " + (twoLive ? "two" : "one") + " traced: " + line);
            if (text.startsWith("clone(") || text.startsWith("fork(") || text.startsWith("vfork(")) {
                forks++;
                twoLive = true; // from the line after the fork-like call began
            }
            if (text.startsWith("+++ exited with")) {
                twoLive = false;
            }
        }
        assertEquals(2, forks, r.err());
        assertTrue(cut.isEmpty(), "never resumed: " + cut);
        assertEquals("+++ exited with 0 +++", lines.get(lines.size() - 1));
    }

    @ParameterizedTest
    @EnumSource(value = Target.class, names = "X86_64_MUSL")
    void muslStartupUsesWritev(Target t) {
        Result r = Guests.phoenix("run", "-i", "--strace", Guests.binary(t, "hello").toString());
        assertEquals(0, r.exit());
        assertTrue(r.err().contains("set_tid_address(0x"), r.err());
        // musl's stdout is not a terminal here (TIOCGWINSZ says ENOTTY), so puts is one writev.
        assertTrue(r.err().contains("ioctl(1, TIOCGWINSZ, 0x"), r.err());
        assertTrue(r.err().contains("= -1 ENOTTY (Inappropriate ioctl for device)"), r.err());
        assertTrue(r.err().contains(
                "writev(1, [{iov_base=\"hello, world\", iov_len=12}, {iov_base=\"\\n\", iov_len=1}], 2) = 13\n"),
                r.err());
        assertTrue(r.err().endsWith("+++ exited with 0 +++\n"), r.err());
    }
}
