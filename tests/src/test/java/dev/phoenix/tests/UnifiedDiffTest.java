package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.cli.compat.UnifiedDiff;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * The diff {@code phoenix compat} shows for differing output: diff -u's hunks, and differences
 * a terminal would hide (line ends, control characters, bad UTF-8) made visible.
 */
class UnifiedDiffTest {
    private static String diff(String expected, String actual) {
        return UnifiedDiff.diff(expected.getBytes(StandardCharsets.ISO_8859_1),
                actual.getBytes(StandardCharsets.ISO_8859_1), "expected (native)", "phoenix");
    }

    private static String lines(int from, int to, int changed) {
        return IntStream.rangeClosed(from, to).mapToObj(i -> i == changed ? "changed\n" : "line " + i + "\n")
                .collect(Collectors.joining());
    }

    @Test
    void equalOutputHasNoDiff() {
        assertEquals("", diff("same\n", "same\n"));
    }

    @Test
    void aChangedLineShowsWithThreeLinesOfContext() {
        assertEquals("--- expected (native)\n+++ phoenix\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+changed\n"
                + " line 6\n line 7\n line 8\n", diff(lines(1, 10, 0), lines(1, 10, 5)));
    }

    @Test
    void distantChangesAreSeparateHunksAndNearOnesMerge() {
        String far = diff(lines(1, 20, 0), lines(1, 20, 2).replace("line 18\n", "changed\n"));
        assertTrue(far.contains("@@ -1,5 +1,5 @@\n line 1\n-line 2\n+changed\n"), far);
        assertTrue(far.contains("@@ -15,6 +15,6 @@\n line 15\n line 16\n line 17\n-line 18\n+changed\n"), far);
        String near = diff(lines(1, 20, 0), lines(1, 20, 2).replace("line 9\n", "changed\n"));
        assertEquals(1, near.split("@@ ", -1).length / 2, near);
    }

    @Test
    void aMissingFinalNewlineIsNoted() {
        assertEquals("--- expected (native)\n+++ phoenix\n@@ -1,2 +1,2 @@\n a\n-b\n+b\n\\ No newline at end of file\n",
                diff("a\nb\n", "a\nb"));
    }

    @Test
    void invisibleBytesAreSpeltOut() {
        assertTrue(diff("ok\n", "ok\r\n").endsWith("-ok\n+ok\\r\n"));
        assertTrue(diff("caf\u00c3\u00a9\n", "caf\u00e9\n").endsWith("-café\n+caf\\xe9\n"));
        assertTrue(diff("x\n", "\u001b[1mx\n").endsWith("+\\x1b[1mx\n"));
    }

    @Test
    void insertionsIntoEmptyOutputStartAtLineZero() {
        assertEquals("--- expected (native)\n+++ phoenix\n@@ -0,0 +1,2 @@\n+warning\n+again\n", diff("", "warning\nagain\n"));
    }

    @Test
    void longDiffsAreCutWithACount() {
        String d = diff(lines(1, 500, 0), lines(1001, 1500, 0));
        assertTrue(d.endsWith("... 801 more lines\n"), d.substring(d.length() - 100));
        assertEquals(2 + 200 + 1, d.split("\n").length);
    }

    @Test
    void onlyTheFirstLinesOfHugeOutputsAreCompared() {
        String d = diff(lines(1, 3000, 0), lines(1, 3000, 2500));
        assertTrue(d.contains("(only the first 2000 lines of each side are compared)"), d);
        assertTrue(d.contains("(the first 2000 lines are the same; the outputs differ after them)"), d);
    }
}
