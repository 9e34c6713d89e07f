package dev.phoenix.cli.compat;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff (as {@code diff -u} prints it, three lines of context) between expected and
 * actual output, so a CI report shows which lines changed instead of "stdout differs". Lines
 * are compared with their terminator: a missing final newline is a difference and is shown as
 * {@code \ No newline at end of file}. Big outputs are capped on both input and output.
 */
public final class UnifiedDiff {
    private UnifiedDiff() {}

    /** Lines of each side compared (the LCS table is quadratic in this). */
    static final int MAX_LINES = 2000;
    /** Lines of diff body shown before "... N more lines". */
    static final int MAX_OUTPUT = 200;
    private static final int CONTEXT = 3;

    private enum Op { SAME, DELETE, INSERT }

    private record Edit(Op op, Lines.Line line) {}

    /** The diff of {@code expected} against {@code actual}; empty when the bytes are equal. */
    public static String diff(byte[] expected, byte[] actual, String expectedLabel, String actualLabel) {
        if (java.util.Arrays.equals(expected, actual)) {
            return "";
        }
        List<Lines.Line> a = Lines.split(expected);
        List<Lines.Line> b = Lines.split(actual);
        boolean capped = a.size() > MAX_LINES || b.size() > MAX_LINES;
        a = a.subList(0, Math.min(a.size(), MAX_LINES));
        b = b.subList(0, Math.min(b.size(), MAX_LINES));
        List<String> out = new ArrayList<>();
        out.add("--- " + expectedLabel);
        out.add("+++ " + actualLabel);
        if (capped) {
            out.add("(only the first " + MAX_LINES + " lines of each side are compared)");
        }
        List<Edit> edits = edits(a, b);
        List<String> body = hunks(edits);
        if (body.isEmpty()) {
            out.add("(the first " + MAX_LINES + " lines are the same; the outputs differ after them)");
        }
        int shown = Math.min(body.size(), MAX_OUTPUT);
        out.addAll(body.subList(0, shown));
        if (body.size() > shown) {
            out.add("... " + (body.size() - shown) + " more lines");
        }
        return String.join("\n", out) + "\n";
    }

    /** The shortest edit script, from a longest-common-subsequence table over the lines between equal ends. */
    private static List<Edit> edits(List<Lines.Line> a, List<Lines.Line> b) {
        int prefix = 0;
        while (prefix < a.size() && prefix < b.size() && a.get(prefix).equals(b.get(prefix))) {
            prefix++;
        }
        int suffix = 0;
        while (suffix < a.size() - prefix && suffix < b.size() - prefix
                && a.get(a.size() - 1 - suffix).equals(b.get(b.size() - 1 - suffix))) {
            suffix++;
        }
        int n = a.size() - prefix - suffix;
        int m = b.size() - prefix - suffix;
        // lcs[i * (m + 1) + j]: length of the LCS of a[prefix + i ..] and b[prefix + j ..] (fits: at most MAX_LINES).
        short[] lcs = new short[(n + 1) * (m + 1)];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i * (m + 1) + j] = a.get(prefix + i).equals(b.get(prefix + j))
                        ? (short) (lcs[(i + 1) * (m + 1) + j + 1] + 1)
                        : (short) Math.max(lcs[(i + 1) * (m + 1) + j], lcs[i * (m + 1) + j + 1]);
            }
        }
        List<Edit> edits = new ArrayList<>();
        for (int k = 0; k < prefix; k++) {
            edits.add(new Edit(Op.SAME, a.get(k)));
        }
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a.get(prefix + i).equals(b.get(prefix + j))) {
                edits.add(new Edit(Op.SAME, a.get(prefix + i++)));
                j++;
            } else if (j < m && (i == n || lcs[i * (m + 1) + j + 1] >= lcs[(i + 1) * (m + 1) + j])) {
                edits.add(new Edit(Op.INSERT, b.get(prefix + j++)));
            } else {
                edits.add(new Edit(Op.DELETE, a.get(prefix + i++)));
            }
        }
        for (int k = a.size() - suffix; k < a.size(); k++) {
            edits.add(new Edit(Op.SAME, a.get(k)));
        }
        return reorder(edits);
    }

    /** Within each run of changes, deletions first, as diff -u prints them. */
    private static List<Edit> reorder(List<Edit> edits) {
        List<Edit> out = new ArrayList<>(edits.size());
        List<Edit> inserts = new ArrayList<>();
        for (Edit e : edits) {
            if (e.op() == Op.INSERT) {
                inserts.add(e);
                continue;
            }
            if (e.op() == Op.SAME) {
                out.addAll(inserts);
                inserts.clear();
            }
            out.add(e);
        }
        out.addAll(inserts);
        return out;
    }

    /** The @@ hunks: changes with up to three lines of context, merged when their contexts touch. */
    private static List<String> hunks(List<Edit> edits) {
        List<String> out = new ArrayList<>();
        int k = 0;
        while (k < edits.size()) {
            if (edits.get(k).op() == Op.SAME) {
                k++;
                continue;
            }
            int start = Math.max(0, k - CONTEXT);
            int end = k;
            int lastChange = k;
            while (end < edits.size() && end - lastChange <= 2 * CONTEXT + 1) {
                if (edits.get(end).op() != Op.SAME) {
                    lastChange = end;
                }
                end++;
            }
            end = Math.min(edits.size(), lastChange + 1 + CONTEXT);
            out.add(header(edits, start, end));
            for (int x = start; x < end; x++) {
                Edit e = edits.get(x);
                out.add((e.op() == Op.SAME ? " " : e.op() == Op.DELETE ? "-" : "+") + e.line().text());
                if (!e.line().newline()) {
                    out.add("\\ No newline at end of file");
                }
            }
            k = end;
        }
        return out;
    }

    /** "@@ -l,s +l,s @@" with diff's conventions: ",1" left out, an empty range starts at the line before it. */
    private static String header(List<Edit> edits, int start, int end) {
        int aLine = 0;
        int bLine = 0;
        for (int x = 0; x < start; x++) {
            aLine += edits.get(x).op() != Op.INSERT ? 1 : 0;
            bLine += edits.get(x).op() != Op.DELETE ? 1 : 0;
        }
        int aCount = 0;
        int bCount = 0;
        for (int x = start; x < end; x++) {
            aCount += edits.get(x).op() != Op.INSERT ? 1 : 0;
            bCount += edits.get(x).op() != Op.DELETE ? 1 : 0;
        }
        return "@@ -" + range(aLine, aCount) + " +" + range(bLine, bCount) + " @@";
    }

    private static String range(int before, int count) {
        int first = count == 0 ? before : before + 1;
        return count == 1 ? String.valueOf(first) : first + "," + count;
    }
}
