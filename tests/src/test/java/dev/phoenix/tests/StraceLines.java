package dev.phoenix.tests;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads strace -f output, Phoenix's or the real strace(1)'s: which task each line is of (the
 * "[pid  N] " of stderr or the "N     " of -o), and each call whole again where another task's
 * line cut it into "<unfinished ...>" and "<... name resumed>" (the order of lines between
 * tasks is up to the scheduler; the order within one task is not).
 */
final class StraceLines {
    private StraceLines() {}

    /** One line of a trace: the task's pid ("" when the line has no prefix) and what it says. */
    record Line(String pid, String text) {}

    private static final Pattern PID = Pattern.compile("(?:\\[pid +(\\d+)\\] |(\\d+) +)");
    private static final Pattern RESUMED = Pattern.compile("<\\.\\.\\. (\\w+) resumed>(.*)");
    private static final String UNFINISHED = " <unfinished ...>";

    /** The task a line is of (its prefix), and the line without the prefix. */
    static Line split(String line) {
        Matcher m = PID.matcher(line);
        if (!m.lookingAt()) {
            return new Line("", line);
        }
        return new Line(m.group(1) != null ? m.group(1) : m.group(2), line.substring(m.end()));
    }

    /**
     * The lines without their prefixes, each call another task's line cut joined back into one
     * line where it began; the padding before a result (strace's column 40, counted with the
     * prefix) is one space. For strace -f -o output, where every line has its pid.
     */
    static List<Line> joined(List<String> lines) {
        List<Line> out = new ArrayList<>();
        Map<String, Integer> cutAt = new HashMap<>();
        for (String raw : lines) {
            Line l = split(raw);
            String pid = l.pid();
            String text = l.text();
            if (text.endsWith(UNFINISHED)) {
                cutAt.put(pid, out.size());
                out.add(new Line(pid, text.substring(0, text.length() - UNFINISHED.length())));
                continue;
            }
            Matcher r = RESUMED.matcher(text);
            Integer at = cutAt.remove(pid);
            if (r.matches() && at != null) {
                out.set(at, new Line(pid, result(out.get(at).text() + r.group(2))));
            } else {
                out.add(new Line(pid, result(text)));
            }
        }
        return out;
    }

    /** ")   = 3" as ") = 3": the padding depends on the prefix. */
    private static String result(String text) {
        return text.replaceFirst("\\) +(= [^=]*)$", ") $1");
    }

    /**
     * The joined lines of each process in order, its pid and every other process's written as
     * P1, P2, ... in the order they first appear (the pids differ between any two runs).
     */
    static Map<String, List<String>> byTask(List<Line> joined) {
        Map<String, String> names = new LinkedHashMap<>();
        for (Line l : joined) {
            names.putIfAbsent(l.pid(), "P" + (names.size() + 1));
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Line l : joined) {
            String text = l.text();
            for (Map.Entry<String, String> e : names.entrySet()) {
                if (!e.getKey().isEmpty()) { // lines without a pid are one task's, but no pid names it
                    text = text.replaceAll("\\b" + e.getKey() + "\\b", e.getValue());
                }
            }
            out.computeIfAbsent(names.get(l.pid()), k -> new ArrayList<>()).add(text);
        }
        return out;
    }
}
