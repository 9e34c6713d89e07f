package dev.phoenix.cli;

import dev.phoenix.cli.compat.CaseResult;
import dev.phoenix.cli.compat.CompatCase;
import dev.phoenix.cli.compat.CompatRunner;
import dev.phoenix.cli.compat.ConsoleProgress;
import dev.phoenix.cli.compat.DirectorySuite;
import dev.phoenix.cli.compat.JUnitReport;
import dev.phoenix.cli.compat.Manifest;
import dev.phoenix.cli.compat.MarkdownReport;
import dev.phoenix.cli.compat.PhoenixLauncher;
import dev.phoenix.cli.compat.Summary;
import dev.phoenix.cli.compat.SuiteError;
import dev.phoenix.cli.compat.SyscallTrace;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code phoenix compat}: runs a suite of programs under Phoenix and reports what changed, for CI. */
@Command(name = "compat", mixinStandardHelpOptions = true,
        description = {"Check that programs still work under Phoenix.",
            "Runs each test of MANIFEST, or every ELF program under DIR, in a child 'phoenix run' with an empty "
                + "environment, and compares its exit status, stdout and stderr with the expected ones; with "
                + "--against-host, programs of the host's arch also run natively and must behave the same."},
        footer = {"", "Manifest (UTF-8, # comments, paths relative to the manifest's directory, where tests run):",
            "  [hello]                          a test's unique name",
            "  run = x86_64/hello \"an arg\" b    PROGRAM ARGS..., \"quotes\" group, \\\" escapes",
            "  stdin = inputs/hello.in          file fed to stdin (default: empty)",
            "  exit = 0                         expected exit status",
            "  stdout = expected/hello.out      exact expected stdout (stderr = ... likewise)",
            "  timeout = 30                     seconds, instead of --timeout",
            "  phoenix-args = --deterministic   options for 'phoenix run'",
            "  env = LANG=C TZ=UTC              the test's whole environment (default: empty)",
            "Without exit = and without a native run, a test must exit 0. In DIR, sidecar files NAME.args (one "
                + "argument per line), NAME.stdin, NAME.stdout, NAME.stderr and NAME.exit do the same.",
            "", "Exit status:",
            "  0   every test passed",
            "  1   a test failed, timed out or could not run",
            "  2   usage: bad options or report path, bad manifest or sidecar file,",
            "      no such MANIFEST or DIR (all checked before any test runs)",
            "", "Examples:",
            "  phoenix compat tests.manifest",
            "  phoenix compat --against-host --junit compat.xml --markdown compat.md \\",
            "      tests.manifest",
            "  phoenix compat -j 4 --timeout 10 build/bin/",
            "  phoenix compat --against-host --compare-syscalls tests.manifest"},
        sortOptions = false)
final class CompatCommand implements Callable<Integer> {
    @ParentCommand
    Main parent;

    @Option(names = "--against-host", description = "Also run programs of the host's arch natively (env -i, same "
            + "arguments, stdin and directory) and require the same exit status, stdout and stderr. Foreign-arch "
            + "programs are never run natively: binfmt_misc could hand them to qemu.")
    boolean againstHost;

    @Option(names = "--compare-syscalls", description = "With --against-host, also run the native side under "
            + "strace(1) and require the same sequence of syscalls (names, in order) as Phoenix's --strace.")
    boolean compareSyscalls;

    @Option(names = "--timeout", paramLabel = "SECONDS", description = "Kill a run (and its children) after this "
            + "long and report TIMEOUT (default: 60; a test's 'timeout =' wins).")
    double timeout = 60;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N", description = "Run N tests at once (default: the number of "
            + "processors, here ${DEFAULT-VALUE}).")
    int jobs = Runtime.getRuntime().availableProcessors();

    @Option(names = "--junit", paramLabel = "FILE", description = "Write a JUnit XML report (Surefire's format).")
    Path junit;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Write a Markdown report: a table and each failure's diff.")
    Path markdown;

    @Option(names = "--phoenix", paramLabel = "CMD", description = "Start Phoenix runs as 'CMD run ...' (e.g. "
            + "./phoenix) instead of this JVM's own java and class path.")
    String phoenix;

    /** strace(1)'s path when --compare-syscalls found it. */
    private String strace;

    @Parameters(index = "0", paramLabel = "MANIFEST|DIR", description = "A manifest file, or a directory of ELF programs.")
    String suite;

    @Override
    public Integer call() {
        PrintStream out = new PrintStream(parent.stdio().out(), true, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(parent.stdio().err(), true, StandardCharsets.UTF_8);
        List<CompatCase> cases;
        PhoenixLauncher launcher;
        try {
            checkOptions();
            cases = load(Path.of(suite));
            launcher = phoenix != null ? PhoenixLauncher.command(phoenix) : PhoenixLauncher.sameJvm();
        } catch (SuiteError e) {
            err.println("phoenix: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        long start = System.nanoTime();
        List<CaseResult> results;
        try {
            results = new CompatRunner(new CompatRunner.Options(launcher, againstHost, timeout, jobs, strace))
                    .run(cases, new ConsoleProgress(out, cases));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("phoenix: interrupted");
            return 130;
        }
        Summary summary = Summary.of(results, (System.nanoTime() - start) / 1e9);
        out.println(summary.text());
        try {
            if (junit != null) {
                JUnitReport.write(junit, results, summary, properties());
            }
            if (markdown != null) {
                MarkdownReport.write(markdown, results, summary, againstHost);
            }
        } catch (IOException e) {
            err.println("phoenix: cannot write the report: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        return summary.allPassed() ? 0 : 1;
    }

    /** Option values picocli cannot check, checked before any test runs so a typo costs seconds, not a suite. */
    private void checkOptions() throws SuiteError {
        if (compareSyscalls) {
            if (!againstHost) {
                throw new SuiteError("--compare-syscalls", "needs --against-host (the syscalls are compared with a native run)");
            }
            strace = SyscallTrace.findStrace();
            if (strace == null) {
                throw new SuiteError("--compare-syscalls", "needs strace(1) on PATH: apt-get install -y strace");
            }
        }
        if (!(timeout > 0) || Double.isInfinite(timeout)) {
            throw new SuiteError("--timeout", "takes a positive number of seconds, got " + timeout);
        }
        if (jobs < 1) {
            throw new SuiteError("--jobs", "takes a number of tests from 1 up, got " + jobs);
        }
        for (Path report : new Path[] {junit, markdown}) {
            if (report == null) {
                continue;
            }
            Path dir = report.toAbsolutePath().getParent();
            if (Files.isDirectory(report) || dir == null || !Files.isDirectory(dir)) {
                throw new SuiteError(report.toString(), "cannot write a report there (no such directory, or a directory)");
            }
        }
        if (phoenix != null && phoenix.contains("/") && !Files.isExecutable(Path.of(phoenix))) {
            throw new SuiteError("--phoenix " + phoenix, "not an executable file");
        }
    }

    private List<CompatCase> load(Path path) throws SuiteError {
        if (Files.isDirectory(path)) {
            return DirectorySuite.scan(path, suite);
        }
        if (!Files.exists(path)) {
            throw new SuiteError(suite, "no such manifest or directory");
        }
        return Manifest.parse(path, suite);
    }

    /** What the JUnit report records about this run, so a report can be traced to the Phoenix that wrote it. */
    private Map<String, String> properties() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("phoenix.version", new Main.Version().getVersion()[0].replaceFirst("^phoenix ", ""));
        p.put("java.version", Runtime.version().toString());
        p.put("against-host", String.valueOf(againstHost));
        p.put("timeout", timeout == Math.rint(timeout) ? String.valueOf((long) timeout) : String.valueOf(timeout));
        p.put("jobs", String.valueOf(jobs));
        p.put("suite", suite);
        return p;
    }
}
