package dev.phoenix.cli.compat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The syscall sequence of a run, for {@code --compare-syscalls}: Phoenix's {@code --strace -o}
 * and the real strace(1) write the same format, so the two runs' calls (and signals) compare
 * name by name; arguments are left out, as addresses and pids differ between any two runs.
 */
public final class SyscallTrace {
    private SyscallTrace() {}

    /** The absolute path of strace(1) on PATH (the native run's environment is empty), or null. */
    public static String findStrace() {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "strace");
            if (Files.isExecutable(p)) {
                return p.toAbsolutePath().toString();
            }
        }
        return null;
    }

    /** {@code native} run under strace: env -i K=V... STRACE -o FILE PROGRAM ARGS. */
    static List<String> nativeCommand(CompatCase c, String strace, Path traceFile) {
        return PhoenixLauncher.nativeCommand(c, List.of(strace, "-o", traceFile.toString()));
    }

    /**
     * One line per call or signal: "openat", "--- SIGINT"; the exit line and, from the native
     * trace, strace's own execve of the program are left out.
     */
    static String calls(Path traceFile, boolean fromStrace) throws IOException {
        StringBuilder sb = new StringBuilder();
        boolean started = !fromStrace;
        for (String line : Files.readAllLines(traceFile, StandardCharsets.UTF_8)) {
            String l = line.replaceFirst("^\\[pid +\\d+\\] ", "");
            if (!started) {
                started = l.startsWith("execve(");
                continue;
            }
            if (l.startsWith("+++") || l.isBlank()) {
                continue;
            }
            if (l.startsWith("--- ")) {
                int end = l.indexOf(' ', 4);
                sb.append(end < 0 ? l : l.substring(0, end)).append('\n');
                continue;
            }
            int paren = l.indexOf('(');
            sb.append(paren < 0 ? l : l.substring(0, paren)).append('\n');
        }
        return sb.toString();
    }
}
