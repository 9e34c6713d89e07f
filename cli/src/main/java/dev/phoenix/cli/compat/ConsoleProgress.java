package dev.phoenix.cli.compat;

import java.io.PrintStream;
import java.util.List;

/**
 * The console side of a suite run: one progress line per test in suite order, and under a
 * failure its messages and diffs, indented, so a CI log alone tells what broke.
 */
public final class ConsoleProgress implements CompatRunner.Progress {
    private static final int MAX_NAME_WIDTH = 40;
    private static final String INDENT = "        ";

    private final PrintStream out;
    private final int total;
    private final int nameWidth;
    private final int countWidth;

    /** Reports on {@code cases} to {@code out}. */
    public ConsoleProgress(PrintStream out, List<CompatCase> cases) {
        this.out = out;
        this.total = cases.size();
        this.nameWidth = Math.min(MAX_NAME_WIDTH, cases.stream().mapToInt(c -> c.name().length()).max().orElse(0));
        this.countWidth = String.valueOf(total).length();
    }

    @Override
    public void finished(int index, CaseResult r) {
        out.printf("[%" + countWidth + "d/%d] %-7s %-" + nameWidth + "s %8s%n", index + 1, total, r.status(),
                r.test().name(), CaseResult.seconds(r.seconds()));
        if (r.status() != CaseResult.Status.PASS) {
            for (String line : r.details().split("\n")) {
                out.println(INDENT + line);
            }
        }
    }
}
