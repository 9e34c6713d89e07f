package dev.phoenix.cli.compat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a suite: each test in its own child processes, up to {@code jobs} tests at once, with
 * results handed back in suite order as soon as each and all before it are done, so the
 * console reads the same whatever the scheduling.
 */
public final class CompatRunner {
    /**
     * How to run: the Phoenix launcher, whether to compare with native runs, the default
     * timeout, parallelism, and strace(1)'s path when native runs' syscalls are compared too
     * (null: not compared).
     */
    public record Options(PhoenixLauncher launcher, boolean againstHost, double timeoutSeconds, int jobs,
            String strace) {}

    /** Told of each result, in suite order. */
    public interface Progress {
        void finished(int index, CaseResult result);
    }

    private final Options options;
    private final int hostMachine = ElfMachine.host();

    public CompatRunner(Options options) {
        this.options = options;
    }

    /** Runs every test of {@code cases}; returns their results in the same order. */
    public List<CaseResult> run(List<CompatCase> cases, Progress progress) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(options.jobs(), r -> {
            Thread t = new Thread(r, "compat-worker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<CaseResult>> futures = new ArrayList<>();
            for (CompatCase c : cases) {
                futures.add(pool.submit(() -> runOne(c)));
            }
            List<CaseResult> results = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                CaseResult r;
                try {
                    r = futures.get(i).get();
                } catch (ExecutionException e) {
                    r = error(cases.get(i), "internal error: " + e.getCause(), null, 0);
                }
                results.add(r);
                progress.finished(i, r);
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Runs {@code c} under Phoenix, then natively when that is asked for and possible, and judges it. */
    CaseResult runOne(CompatCase c) throws InterruptedException {
        int machine = ElfMachine.machine(c.programFile());
        boolean nativeRun = options.againstHost() && machine != ElfMachine.NONE && machine == hostMachine;
        Path[] traces = null;
        try {
            if (nativeRun && options.strace() != null) {
                traces = new Path[] {Files.createTempFile("phoenix-compat", ".phoenix.strace"),
                    Files.createTempFile("phoenix-compat", ".native.strace")};
            }
            return runOne(c, machine, nativeRun, traces);
        } catch (IOException e) {
            return error(c, "cannot create a trace file: " + e.getMessage(), null, 0);
        } finally {
            if (traces != null) {
                for (Path t : traces) {
                    try {
                        Files.deleteIfExists(t);
                    } catch (IOException e) {
                        // a temp file left behind; the run's verdict stands
                    }
                }
            }
        }
    }

    /** {@code traces}: where Phoenix's and strace's syscall traces go, or null when syscalls are not compared. */
    private CaseResult runOne(CompatCase c, int machine, boolean nativeRun, Path[] traces) throws InterruptedException {
        String arch = ElfMachine.name(machine);
        double timeout = c.timeoutSeconds() != null ? c.timeoutSeconds() : options.timeoutSeconds();
        long start = System.nanoTime();
        ChildProcess.Captured phoenix;
        try {
            List<String> traceOptions = traces == null ? List.of() : List.of("--strace-output", traces[0].toString());
            phoenix = ChildProcess.run(options.launcher().command(c, traceOptions), c.workDir(), c.stdin(), timeout);
        } catch (IOException e) {
            return error(c, "could not start phoenix: " + e.getMessage(), null, start);
        }
        if (phoenix.timedOut()) {
            return new CaseResult(c, arch, CaseResult.Status.TIMEOUT, List.of(),
                    "timed out after " + CaseResult.timeout(timeout) + " s", phoenix, elapsed(start));
        }
        ChildProcess.Captured host = null;
        if (nativeRun) {
            try {
                List<String> command = traces == null ? PhoenixLauncher.nativeCommand(c)
                        : SyscallTrace.nativeCommand(c, options.strace(), traces[1]);
                host = ChildProcess.run(command, c.workDir(), c.stdin(), timeout);
            } catch (IOException e) {
                return error(c, "could not start the native run: " + e.getMessage(), phoenix, start);
            }
            if (host.timedOut()) {
                return new CaseResult(c, arch, CaseResult.Status.TIMEOUT, List.of(),
                        "the native run timed out after " + CaseResult.timeout(timeout) + " s", phoenix, elapsed(start));
            }
        }
        try {
            List<CaseResult.Difference> differences = Verdict.compare(c, phoenix, host);
            if (traces != null) {
                Verdict.syscalls(differences, SyscallTrace.calls(traces[1], true), SyscallTrace.calls(traces[0], false));
            }
            return new CaseResult(c, arch, differences.isEmpty() ? CaseResult.Status.PASS : CaseResult.Status.FAIL,
                    differences, null, phoenix, elapsed(start));
        } catch (IOException e) {
            return error(c, "cannot read an expectation file: " + e.getMessage(), phoenix, start);
        }
    }

    private static CaseResult error(CompatCase c, String problem, ChildProcess.Captured phoenix, long start) {
        return new CaseResult(c, ElfMachine.name(ElfMachine.machine(c.programFile())), CaseResult.Status.ERROR, List.of(),
                problem, phoenix, start == 0 ? 0 : elapsed(start));
    }

    private static double elapsed(long start) {
        return (System.nanoTime() - start) / 1e9;
    }
}
