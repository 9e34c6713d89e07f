package dev.phoenix.cli.compat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes results as Markdown, for a person rather than a CI server: a pull-request comment or a
 * job summary ({@code $GITHUB_STEP_SUMMARY}) shows the table, and each failure's diff renders
 * coloured in a {@code diff} block.
 */
public final class MarkdownReport {
    private MarkdownReport() {}

    /** Writes {@code results} to {@code file}; {@code againstHost} is noted in the summary. */
    public static void write(Path file, List<CaseResult> results, Summary summary, boolean againstHost) throws IOException {
        Files.writeString(file, render(results, summary, againstHost), StandardCharsets.UTF_8);
    }

    /** The whole report as text. */
    static String render(List<CaseResult> results, Summary summary, boolean againstHost) {
        StringBuilder md = new StringBuilder();
        md.append("# Phoenix compat report\n\n");
        md.append("**").append(summary.text()).append("**");
        md.append(againstHost ? " (host-arch programs compared with native runs)" : "").append("\n\n");
        md.append("| test | arch | result | time | what differed |\n");
        md.append("|---|---|---|---:|---|\n");
        for (CaseResult r : results) {
            md.append("| ").append(cell(r.test().name())).append(" | ").append(r.arch()).append(" | ")
                    .append(r.status() == CaseResult.Status.PASS ? "PASS" : "**" + r.status() + "**").append(" | ")
                    .append(CaseResult.seconds(r.seconds())).append(" | ").append(cell(r.headline())).append(" |\n");
        }
        List<CaseResult> failed = results.stream().filter(r -> r.status() != CaseResult.Status.PASS).toList();
        if (!failed.isEmpty()) {
            md.append("\n## Failures\n");
        }
        for (CaseResult r : failed) {
            md.append("\n### ").append(r.test().name()).append(" (").append(r.arch()).append(", ")
                    .append(r.status()).append(")\n\n");
            if (r.problem() != null) {
                md.append(r.problem()).append("\n");
            }
            for (CaseResult.Difference d : r.differences()) {
                md.append("- ").append(d.message()).append("\n");
            }
            for (CaseResult.Difference d : r.differences()) {
                if (!d.diff().isEmpty()) {
                    String fence = fence(d.diff());
                    md.append("\n").append(fence).append("diff\n").append(d.diff()).append(fence).append("\n");
                }
            }
        }
        return md.toString();
    }

    /** A table cell: one line, and a '|' that does not end the cell. */
    private static String cell(String s) {
        return s.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ");
    }

    /** A code fence longer than any run of backticks in {@code body}, so guest output cannot close it early. */
    private static String fence(String body) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < body.length(); i++) {
            run = body.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        return "`".repeat(Math.max(3, longest + 1));
    }
}
