package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Debian 12's static shells and container inits, real programs we did not write that fork, exec,
 * wait and reap: bash-static, zsh-static, sash, tini (its tini-static) and catatonit, for amd64 and
 * arm64 (fetched by {@code scripts/fetch-static-programs.sh}, which ./setup.sh runs).
 *
 * <p>Every program they start is a static busybox applet found through PATH, a directory of links
 * made here, since the host's /bin/sh and most of /usr/bin are dynamically linked and Phoenix runs
 * no dynamic loader yet (issue 16). sash, for one, runs {@code echo} as /bin/echo when PATH is
 * unset, and hands any command line with a pipe to /bin/sh.
 *
 * <p>The reference is the same binary run on the host: natively for amd64, under
 * qemu-aarch64-static (named explicitly, so binfmt_misc plays no part) for arm64, with the same
 * arguments and PATH and an otherwise empty environment; stdout, stderr and the exit status must
 * all match. qemu-user passes execve(2) to the host kernel, which runs an arm64 child only through
 * binfmt_misc, so the reference's applets are the x86_64 busybox. Phoenix runs each arm64 program
 * twice: with those x86_64 applets (a guest may exec another arch, as under qemu) and with the
 * arm64 busybox's; both must match the reference.
 *
 * <p>qemu-aarch64-static 7.2 answers prctl(PR_SET_CHILD_SUBREAPER) with EINVAL itself (its -strace
 * shows the call; none reaches the host kernel), so {@code tini -s} ("PR_SET_CHILD_SUBREAPER is
 * unavailable on this platform") and catatonit ("failed to set child-reaper as non-pid1") do not
 * run under it: for those the arm64 runs are compared with the native run of the amd64 build of
 * the same Debian version. Pids differ between any two runs, so tini's and catatonit's messages
 * have theirs masked, each pid by the order it first appears in (P1, P2, ...).
 *
 * <p>A child that waits for a signal loops on {@code [ -e / ]}, a stat(2) each turn, rather than
 * spinning without syscalls: Phoenix stops a single-threaded process that makes no syscall for a
 * signal from another process with Unicorn's asynchronous stop, which can run part of a block
 * twice (docs/ARCHITECTURE.md, "Preempting Unicorn safely"); a busybox sh spinning in
 * {@code while :; do :; done} with a TERM trap then dies of SIGSEGV in about one run in four.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
class DebianStaticProgramsTest {
    private static final String QEMU_AARCH64 = "/usr/bin/qemu-aarch64-static";
    private static final String HOST_BUSYBOX = "/bin/busybox";
    /** The busybox applets the scripts run through PATH (tini, for the parent-death test, is there too). */
    private static final List<String> APPLETS = List.of("busybox", "sh", "cat", "echo", "expr", "false", "head",
            "kill", "printf", "seq", "sleep", "sort", "tr", "true", "wc");

    private static Path programs;

    @TempDir
    static Path links;

    /** The Debian architecture a program was built for, the runs Phoenix makes of it, and the host's. */
    enum Build {
        AMD64,
        ARM64;

        String dir() {
            return name().toLowerCase();
        }

        /** The applet directories Phoenix's runs put on PATH: the host-runnable one, and the arch's own. */
        List<Build> appletBuilds() {
            return this == AMD64 ? List.of(AMD64) : List.of(AMD64, ARM64);
        }
    }

    @BeforeAll
    static void fetchPrograms() throws Exception {
        List<String> env = new ArrayList<>(List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + System.getProperty("user.home")));
        for (String name : List.of("PHOENIX_STATIC_PROGRAMS_DIR", "XDG_CACHE_HOME")) {
            if (System.getenv(name) != null) {
                env.add(name + "=" + System.getenv(name));
            }
        }
        Path script = Guests.repoRoot().resolve("scripts/fetch-static-programs.sh");
        Result r = Guests.host(List.of("bash", script.toString()), env);
        assertEquals(0, r.exit(), "scripts/fetch-static-programs.sh (run by ./setup.sh) failed:\n" + r.err());
        programs = Path.of(r.out().strip());
        assertTrue(Files.isExecutable(Path.of(QEMU_AARCH64)), QEMU_AARCH64 + " is missing: ./setup.sh installs qemu-user-static");
        assertTrue(Files.isExecutable(Path.of(HOST_BUSYBOX)), HOST_BUSYBOX + " is missing: ./setup.sh installs busybox-static");
        for (Build b : Build.values()) {
            Path dir = Files.createDirectories(links.resolve(b.dir()));
            for (String applet : APPLETS) {
                Files.createSymbolicLink(dir.resolve(applet), program(b, "busybox"));
            }
            Files.createSymbolicLink(dir.resolve("tini"), program(b, "tini-static"));
        }
    }

    /** Debian's busybox-static of the build (the host's for amd64, tests/guest/build.sh's for arm64), or a fetched program. */
    private static Path program(Build b, String name) {
        if (name.equals("busybox")) {
            return b == Build.AMD64 ? Path.of(HOST_BUSYBOX) : Guests.binary(Guests.Target.AARCH64, "busybox");
        }
        Path p = programs.resolve(b.dir()).resolve(name);
        assertTrue(Files.isExecutable(p), p + " is missing: scripts/fetch-static-programs.sh fetches it");
        return p;
    }

    private static String path(Build applets) {
        return "PATH=" + links.resolve(applets.dir());
    }

    /** The host's run of {@code name ARGS...}: native for amd64, under qemu-user for arm64, with the x86_64 applets. */
    private static Result hostRun(Build b, String name, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(b == Build.AMD64 ? List.of() : List.of(QEMU_AARCH64));
        cmd.add(program(b, name).toString());
        cmd.addAll(List.of(args));
        return Guests.host(cmd, List.of(path(Build.AMD64)));
    }

    /**
     * Asserts that the host's run of {@code name ARGS...} is {@code expected} (a reference that
     * failed would make the comparison say nothing) and that every Phoenix run of it is the host's,
     * pids masked.
     */
    private static void assertSameAsHost(Build b, Result expected, String name, String... args) throws Exception {
        Result host = masked(hostRun(b, name, args));
        assertEquals(expected, host, "host run of " + b.dir() + " " + name + " " + List.of(args));
        for (Build applets : b.appletBuilds()) {
            assertEquals(host, masked(phoenix(b, applets, name, args)),
                    "Phoenix's run of " + b.dir() + " " + name + " with " + applets.dir() + " applets differs from the host's");
        }
    }

    /**
     * As {@link #assertSameAsHost}, for a program qemu-user cannot run (it refuses
     * PR_SET_CHILD_SUBREAPER): the reference is the amd64 build run natively.
     */
    private static void assertSameAsNativeAmd64(Build b, Result expected, String name, String... args) throws Exception {
        Result host = masked(hostRun(Build.AMD64, name, args));
        assertEquals(expected, host, "native run of amd64 " + name + " " + List.of(args));
        for (Build applets : b.appletBuilds()) {
            assertEquals(host, masked(phoenix(b, applets, name, args)),
                    "Phoenix's run of " + b.dir() + " " + name + " with " + applets.dir() + " applets differs from the native amd64 run");
        }
    }

    private static Result phoenix(Build b, Build applets, String name, String... args) {
        return Guests.phoenix(Guests.runArgs(program(b, name), List.of(path(applets)), args));
    }

    private static final Pattern PID = Pattern.compile("(?<=tini \\(|pid '|pid: '|catatonit:)\\d+");

    /** {@code r} with each pid in tini's and catatonit's messages replaced by P1, P2, ... in order of appearance. */
    private static Result masked(Result r) {
        Map<String, String> names = new HashMap<>();
        return new Result(r.exit(), mask(r.out(), names), mask(r.err(), names));
    }

    private static String mask(String s, Map<String, String> names) {
        Matcher m = PID.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, names.computeIfAbsent(m.group(), k -> "P" + (names.size() + 1)));
        }
        return m.appendTail(sb).toString();
    }

    private static String resource(String name) throws Exception {
        return Path.of(DebianStaticProgramsTest.class.getResource(name).toURI()).toString();
    }

    /** What {@code /debian/forks.sh} prints, in bash and zsh alike. */
    private static final String FORKS_OUTPUT = """
            substitution: INNER nested
            1000
            999
            998
            pipeline status: 0 1
            in a subshell
            subshell status: 4
            wait b: 5
            wait a: 3
            wait all: 0
            1 4 9 16 25\s
            counted to 20 with expr
            sorted: abc
            words: 3
            busybox sh: 7
            exec in a subshell
            after exec: 0
            HERE-DOCUMENT THROUGH A PIPE
            """;

    /** Command substitution, pipelines, subshells, background jobs and wait, and a loop of forked applets. */
    @ParameterizedTest
    @EnumSource(Build.class)
    void bashForksPipesAndWaits(Build b) throws Exception {
        assertSameAsHost(b, new Result(0, FORKS_OUTPUT, ""), "bash-static", resource("/debian/forks.sh"));
    }

    @ParameterizedTest
    @EnumSource(Build.class)
    void zshForksPipesAndWaits(Build b) throws Exception {
        assertSameAsHost(b, new Result(0, FORKS_OUTPUT, ""), "zsh-static", resource("/debian/forks.sh"));
    }

    /** A killed job's status, a trap, PIPESTATUS, process substitution (/dev/fd) and a coprocess. */
    @ParameterizedTest
    @EnumSource(Build.class)
    void bashKillsTrapsAndSubstitutesProcesses(Build b) throws Exception {
        String script = "sleep 10 & p=$!; kill $p; wait $p; echo \"killed: $?\"; trap 'echo trapped USR1' USR1; kill -USR1 $$;"
                + " true | false | (exit 3); echo \"pipestatus: ${PIPESTATUS[*]}\"; cat <(echo 'process substitution');"
                + " while read -r l; do echo \"read: $l\"; done < <(seq 1 3);"
                + " [ \"$(sh -c 'echo $PPID')\" = $$ ] && echo 'a child sees its parent';"
                + " coproc cat; echo 'through a coprocess' >&\"${COPROC[1]}\"; exec {COPROC[1]}>&-;"
                + " read -r y <&\"${COPROC[0]}\"; echo \"$y\"; wait $COPROC_PID; echo \"coproc: $?\"";
        assertSameAsHost(b, new Result(0, "killed: 143\ntrapped USR1\npipestatus: 0 1 3\nprocess substitution\nread: 1\n"
                + "read: 2\nread: 3\na child sees its parent\nthrough a coprocess\ncoproc: 0\n", ""), "bash-static", "-c", script);
    }

    /** zsh's own: a pipeline's last element in the shell, =(...) temporary files, print -p and read -p. */
    @ParameterizedTest
    @EnumSource(Build.class)
    void zshKillsTrapsAndSubstitutesProcesses(Build b) throws Exception {
        String script = "sleep 10 & p=$!; kill $p; wait $p; echo \"killed: $?\"; TRAPUSR1() { echo 'trapped USR1'; }; kill -USR1 $$;"
                + " true | false | (exit 3); echo \"pipestatus: $pipestatus\"; echo 'last element in this shell' | read v;"
                + " echo \"$v\"; cat <(echo 'process substitution'); cat =(echo 'temporary file substitution');"
                + " coproc cat; print -p 'through a coprocess'; read -p y; echo \"$y\"; coproc exit; wait;"
                + " for f in a b c; do sh -c 'echo $0' $f; done | sort -r | tr '\\n' ' '; echo";
        assertSameAsHost(b, new Result(0, "killed: 143\ntrapped USR1\npipestatus: 0 1 3\nlast element in this shell\n"
                + "process substitution\ntemporary file substitution\nthrough a coprocess\nc b a \n", ""), "zsh-static", "-c", script);
    }

    /** sash forks and execs echo from PATH; -echo is its builtin; a child's exit status is its own. */
    @ParameterizedTest
    @EnumSource(Build.class)
    void sashRunsEchoHi(Build b) throws Exception {
        assertSameAsHost(b, new Result(0, "hi\n", ""), "sash", "-c", "echo hi");
        assertSameAsHost(b, new Result(0, "hi\n", ""), "sash", "-c", "-echo hi");
        assertSameAsHost(b, new Result(3, "", ""), "sash", "-c", "sh -c \"exit 3\"");
    }

    /** Without -s and not pid 1, tini warns that it reaps no orphans, runs its child and exits with its status. */
    @ParameterizedTest
    @EnumSource(Build.class)
    void tiniRunsAChild(Build b) throws Exception {
        assertSameAsHost(b, new Result(3, "child\n", "[WARN  tini (P1)] Tini is not running as PID 1 and isn't registered as a"
                + " child subreaper.\nZombie processes will not be re-parented to Tini, so zombie reaping won't work.\nTo fix the"
                + " problem, use the -s option or set the environment variable TINI_SUBREAPER to register Tini as a child"
                + " subreaper, or run Tini as PID 1.\n"), "tini-static", "--", "busybox", "sh", "-c", "echo child; exit 3");
    }

    /** The child (busybox sh) forks a grandchild and exits; whoever waits for the orphan's reap prints it. */
    private static final String ORPHAN = "g=$( (busybox sh -c 'while read -r _ _ _ pp _ </proc/self/stat;"
            + " [ \"$pp\" != \"$1\" ] && [ \"$pp\" != 1 ]; do :; done; [ \"$pp\" = \"$1\" ] && echo \"orphan adopted by its grandparent\" >&2'"
            + " sh $PPID >/dev/null & echo $!) ); while kill -0 $g 2>/dev/null; do :; done;"
            + " echo 'orphan reaped'; exit 3";

    /**
     * tini -s is a subreaper (PR_SET_CHILD_SUBREAPER): its child's orphaned grandchild is
     * re-parented to it (the grandchild sees its ppid become tini's) and tini reaps it (the child
     * waits for that with kill -0, which finds a zombie until it is reaped), then the child exits 3
     * and tini with it. -vv shows each reap.
     */
    @ParameterizedTest
    @EnumSource(Build.class)
    void tiniSubreaperReapsAnOrphan(Build b) throws Exception {
        assertSameAsNativeAmd64(b, new Result(3, "orphan reaped\n[INFO  tini (P1)] Spawned child process 'busybox' with pid 'P2'\n"
                + "[DEBUG tini (P1)] Received SIGCHLD\n[DEBUG tini (P1)] Reaped child with pid: 'P3'\n"
                + "[DEBUG tini (P1)] Received SIGCHLD\n[DEBUG tini (P1)] Reaped child with pid: 'P2'\n"
                + "[INFO  tini (P1)] Main child exited normally (with status '3')\n", "orphan adopted by its grandparent\n"),
                "tini-static", "-vv", "-s", "--", "busybox", "sh", "-c", ORPHAN);
    }

    /** tini -s forwards a SIGTERM sent to it to its child and exits 128+15 when that kills the child. */
    @ParameterizedTest
    @EnumSource(Build.class)
    void tiniForwardsASignalAndReportsTheChildsDeath(Build b) throws Exception {
        assertSameAsNativeAmd64(b, new Result(143, "", ""), "tini-static", "-s", "--", "busybox", "sh", "-c",
                "kill -TERM $PPID; while [ -e / ]; do :; done");
    }

    /**
     * tini -p SIGTERM (PR_SET_PDEATHSIG): its parent, a busybox sh, reads "ready" from tini's child
     * and kills itself; the signal tini then gets is passed to the child, whose trap prints and
     * exits. The parent runs in a pipeline into cat, which gathers everything until the last writer
     * is gone (the JDK stops reading a process's output once the process itself has exited), and
     * the shell running that pipeline says the parent was killed.
     */
    @ParameterizedTest
    @EnumSource(Build.class)
    void tiniGetsItsParentDeathSignal(Build b) throws Exception {
        String parent = "tini -vv -s -p SIGTERM -- busybox sh -c 'trap \"echo child got TERM; exit 7\" TERM; echo ready;"
                + " while [ -e / ]; do :; done' | { read r; echo \"child $r\"; kill -KILL $$; cat; }";
        assertSameAsNativeAmd64(b, new Result(0, "child ready\nchild got TERM\n"
                + "[INFO  tini (P1)] Spawned child process 'busybox' with pid 'P2'\n[DEBUG tini (P1)] Passing signal: 'Terminated'\n"
                + "[DEBUG tini (P1)] Received SIGCHLD\n[DEBUG tini (P1)] Reaped child with pid: 'P2'\n"
                + "[INFO  tini (P1)] Main child exited normally (with status '7')\n", "Killed\n"),
                "busybox", "sh", "-c", "busybox sh -c \"$1\" | cat", "sh", parent);
    }

    /** catatonit makes itself a subreaper when it is not pid 1, runs its child and exits with its status. */
    @ParameterizedTest
    @EnumSource(Build.class)
    void catatonitRunsAChildAndReapsAnOrphan(Build b) throws Exception {
        assertSameAsNativeAmd64(b, new Result(3, "child\n", ""), "catatonit", "--", "busybox", "sh", "-c", "echo child; exit 3");
        assertSameAsNativeAmd64(b, new Result(3, "orphan reaped\n", "orphan adopted by its grandparent\n"), "catatonit", "--",
                "busybox", "sh", "-c", ORPHAN);
    }

    /** catatonit forwards a SIGTERM sent to it to its child and exits 128+15 when that kills the child. */
    @ParameterizedTest
    @EnumSource(Build.class)
    void catatonitForwardsASignal(Build b) throws Exception {
        assertSameAsNativeAmd64(b, new Result(143, "", ""), "catatonit", "--", "busybox", "sh", "-c",
                "kill -TERM $PPID; while [ -e / ]; do :; done");
    }

    /**
     * {@code --strace -f} shows tini's and catatonit's prctl and ioctl calls as strace -f does
     * natively: the parent-death signal and subreaper options by name with their arguments, and
     * TIOCSPGRP's process group read from memory.
     */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"tini-static -s -p SIGTERM --", "catatonit --"})
    void tiniAndCatatonitAreTracedAsStraceTracesThem(String command, @TempDir Path tmp) throws Exception {
        List<String> args = new ArrayList<>(List.of(command.split(" ")));
        args.addAll(List.of("busybox", "true"));
        String name = args.remove(0);
        Path nativeTrace = tmp.resolve("native.txt"), phoenixTrace = tmp.resolve("phoenix.txt");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/strace", "-f", "-o", nativeTrace.toString(),
                program(Build.AMD64, name).toString()));
        cmd.addAll(args);
        Result nativeRun = Guests.host(cmd, List.of(path(Build.AMD64)));
        assertEquals(new Result(0, "", ""), nativeRun, "strace(1) is installed by ./setup.sh");
        List<String> run = new ArrayList<>(List.of("run", "-i", "-E", path(Build.AMD64), "-f", "-o", phoenixTrace.toString(),
                program(Build.AMD64, name).toString()));
        run.addAll(args);
        assertEquals(nativeRun, Guests.phoenix(run.toArray(String[]::new)));
        List<String> expected = prctlAndIoctl(nativeTrace);
        assertEquals(name.equals("catatonit")
                ? List.of("prctl(PR_SET_CHILD_SUBREAPER, 1) = 0",
                        "ioctl(0, TIOCSPGRP, [PID]) = -1 ENOTTY (Inappropriate ioctl for device)",
                        "prctl(PR_GET_NAME, \"busybox\") = 0")
                : List.of("prctl(PR_SET_PDEATHSIG, SIGTERM) = 0", "prctl(PR_SET_CHILD_SUBREAPER, 1) = 0",
                        "prctl(PR_GET_CHILD_SUBREAPER, [1]) = 0",
                        "ioctl(0, TIOCSPGRP, [PID]) = -1 ENOTTY (Inappropriate ioctl for device)",
                        "prctl(PR_GET_NAME, \"busybox\") = 0"), expected);
        assertEquals(expected, prctlAndIoctl(phoenixTrace));
    }

    /** The prctl and ioctl calls of a strace -f -o trace, whole and in order, with a pid they name masked. */
    private static List<String> prctlAndIoctl(Path trace) throws Exception {
        return StraceLines.joined(Files.readAllLines(trace, StandardCharsets.UTF_8)).stream().map(StraceLines.Line::text)
                .filter(l -> l.startsWith("prctl(") || l.startsWith("ioctl("))
                .map(l -> l.replaceAll("TIOCSPGRP, \\[\\d+\\]", "TIOCSPGRP, [PID]").replaceAll(" +=", " =")).toList();
    }
}
