package dev.phoenix.cli.compat;

import java.nio.file.Path;
import java.util.List;

/**
 * One test of a suite, its paths resolved: both runs (Phoenix and native) get exactly the same
 * program string, arguments, environment, stdin and working directory, so any difference
 * between them is Phoenix's.
 *
 * @param name unique test name (a manifest section, or the program's path relative to DIR)
 * @param workDir working directory of both runs: the manifest's directory, or DIR
 * @param program the program as both runs are given it (relative to {@code workDir}, or absolute)
 * @param programFile the program's file, for its ELF header
 * @param args the guest's arguments after argv[0]
 * @param env the guest's whole environment, NAME=VALUE in order
 * @param stdin file fed to stdin, or null for an empty stdin
 * @param exit expected exit status, or null when not given
 * @param stdout expected stdout, or null when not given
 * @param stderr expected stderr, or null when not given
 * @param timeoutSeconds this test's timeout, or null for the command's --timeout
 * @param phoenixArgs extra {@code phoenix run} options, placed before the program
 */
public record CompatCase(String name, Path workDir, String program, Path programFile, List<String> args,
        List<String> env, Path stdin, Integer exit, ExpectedFile stdout, ExpectedFile stderr, Double timeoutSeconds,
        List<String> phoenixArgs) {

    /** An expectation file, and how reports name it (the path as the user wrote it). */
    public record ExpectedFile(Path file, String label) {}

    public CompatCase {
        args = List.copyOf(args);
        env = List.copyOf(env);
        phoenixArgs = List.copyOf(phoenixArgs);
    }

    /**
     * The program string handed to both runs: a bare name would be looked up in PATH by env(1)
     * and a leading '-' read as an option, so relative paths get a "./" where needed.
     */
    static String programArgument(String path) {
        if (path.startsWith("/") || (path.contains("/") && !path.startsWith("-"))) {
            return path;
        }
        return "./" + path;
    }
}
