package dev.phoenix.cli.compat;

import java.util.List;
import java.util.Locale;

/**
 * The verdict on one test, with what reports need to explain it: each difference found, and
 * the Phoenix run's own output (a failure is easier to read next to what the guest printed).
 *
 * @param test the test
 * @param arch the program's arch name (x86_64, aarch64, riscv64; "unknown" for a non-ELF file)
 * @param status the verdict
 * @param differences what differed (empty unless FAIL)
 * @param problem why a TIMEOUT or ERROR case has no verdict on its output; null otherwise
 * @param phoenix the Phoenix run, or null if it could not start
 * @param seconds wall time of the test (both runs)
 */
public record CaseResult(CompatCase test, String arch, Status status, List<Difference> differences, String problem,
        ChildProcess.Captured phoenix, double seconds) {

    /** PASS: everything matched; FAIL: something differed; TIMEOUT: a run overstayed; ERROR: a run could not start. */
    public enum Status { PASS, FAIL, TIMEOUT, ERROR }

    /**
     * One thing that differed.
     *
     * @param what "exit", "stdout" or "stderr"
     * @param message one line, e.g. "stdout differs from native"
     * @param diff a unified diff, or "" for an exit status
     */
    public record Difference(String what, String message, String diff) {}

    public CaseResult {
        differences = List.copyOf(differences);
    }

    /** Everything that went wrong, on one line: the differences' messages or the problem. */
    public String headline() {
        if (problem != null) {
            return problem;
        }
        return String.join("; ", differences.stream().map(Difference::message).toList());
    }

    /** Lines of a timed-out run's stdout and stderr a report shows: enough for a JVM's thread dump. */
    static final int TIMEOUT_TAIL_LINES = 200;

    /**
     * The explanation a report shows under a failure: each message followed by its diff; for a
     * timeout, the end of what the run printed (with the thread dump of a hung Phoenix).
     */
    public String details() {
        StringBuilder sb = new StringBuilder();
        if (problem != null) {
            sb.append(problem).append('\n');
        }
        if (status == Status.TIMEOUT && phoenix != null && phoenix.timedOut()) {
            tail(sb, "stdout", phoenix.out());
            tail(sb, "stderr", phoenix.err());
        }
        for (Difference d : differences) {
            sb.append(d.message()).append('\n').append(d.diff());
        }
        return sb.toString();
    }

    private static void tail(StringBuilder sb, String name, byte[] output) {
        if (output.length == 0) {
            return;
        }
        String[] lines = new String(output, java.nio.charset.StandardCharsets.UTF_8).split("\n", -1);
        int n = lines.length - (lines[lines.length - 1].isEmpty() ? 1 : 0);
        int from = Math.max(0, n - TIMEOUT_TAIL_LINES);
        sb.append("its ").append(name).append(from > 0 ? ", last " + (n - from) + " lines:" : ":").append('\n');
        for (int i = from; i < n; i++) {
            sb.append("| ").append(lines[i]).append('\n');
        }
    }

    /** Seconds as reports print them: "0.41 s". */
    static String seconds(double s) {
        return String.format(Locale.ROOT, "%.2f s", s);
    }

    /** A timeout as the user wrote it: "30", "2.5". */
    static String timeout(double s) {
        return s == Math.rint(s) ? String.valueOf((long) s) : String.valueOf(s);
    }
}
