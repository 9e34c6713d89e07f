package dev.phoenix.cli.compat;

import java.util.List;
import java.util.Locale;

/**
 * The counts of a finished suite, and the one line that states them; the console and the
 * Markdown report print the same line, so a CI log and its report never disagree.
 */
public record Summary(int tests, int passed, int failed, int timedOut, int errors, double seconds) {

    /** Counts {@code results}; the suite took {@code seconds} of wall time. */
    public static Summary of(List<CaseResult> results, double seconds) {
        int passed = 0;
        int failed = 0;
        int timedOut = 0;
        int errors = 0;
        for (CaseResult r : results) {
            switch (r.status()) {
                case PASS -> passed++;
                case FAIL -> failed++;
                case TIMEOUT -> timedOut++;
                case ERROR -> errors++;
            }
        }
        return new Summary(results.size(), passed, failed, timedOut, errors, seconds);
    }

    /** True when every test passed. */
    public boolean allPassed() {
        return passed == tests;
    }

    /** "12 tests: 11 passed, 1 failed, 0 timed out in 8.2 s" (tests that could not start are listed apart). */
    public String text() {
        return String.format(Locale.ROOT, "%d test%s: %d passed, %d failed, %d timed out%s in %.1f s", tests,
                tests == 1 ? "" : "s", passed, failed, timedOut, errors == 0 ? "" : ", " + errors + " could not run",
                seconds);
    }
}
