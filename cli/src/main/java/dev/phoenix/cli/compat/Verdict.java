package dev.phoenix.cli.compat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides what differed in one test: the Phoenix run against the native run (same program,
 * same inputs), and against every expectation the suite states. Without a native run or an
 * {@code exit} expectation a program must exit 0, so a crash fails the test even when its
 * output up to the crash was right.
 */
final class Verdict {
    private Verdict() {}

    /** The differences of {@code phoenix} from {@code host} (null: no native run) and from {@code c}'s expectations. */
    static List<CaseResult.Difference> compare(CompatCase c, ChildProcess.Captured phoenix, ChildProcess.Captured host)
            throws IOException {
        List<CaseResult.Difference> found = new ArrayList<>();
        if (host != null) {
            exit(found, host.exit(), phoenix.exit(), " (native)");
            output(found, "stdout", host.out(), phoenix.out(), "native");
            output(found, "stderr", host.err(), phoenix.err(), "native");
        }
        if (c.exit() != null) {
            exit(found, c.exit(), phoenix.exit(), "");
        } else if (host == null) {
            exit(found, 0, phoenix.exit(), "");
        }
        if (c.stdout() != null) {
            output(found, "stdout", Files.readAllBytes(c.stdout().file()), phoenix.out(), c.stdout().label());
        }
        if (c.stderr() != null) {
            output(found, "stderr", Files.readAllBytes(c.stderr().file()), phoenix.err(), c.stderr().label());
        }
        return found;
    }

    /** Adds a difference when the native run's syscall sequence ({@code expected}) is not Phoenix's. */
    static void syscalls(List<CaseResult.Difference> found, String expected, String actual) {
        difference(found, "syscalls", "syscall sequence differs from native", "syscalls (native, strace)",
                expected.getBytes(StandardCharsets.UTF_8), actual.getBytes(StandardCharsets.UTF_8));
    }

    private static void exit(List<CaseResult.Difference> found, int expected, int actual, String source) {
        if (expected != actual) {
            found.add(new CaseResult.Difference("exit",
                    "exit status: expected " + status(expected) + source + ", phoenix " + status(actual), ""));
        }
    }

    private static void output(List<CaseResult.Difference> found, String stream, byte[] expected, byte[] actual,
            String source) {
        difference(found, stream, stream + " differs from " + source, "expected (" + source + ")", expected, actual);
    }

    /** Adds {@code what} with a unified diff of {@code expected} (headed {@code label}) against Phoenix's, if they differ. */
    private static void difference(List<CaseResult.Difference> found, String what, String message, String label,
            byte[] expected, byte[] actual) {
        String diff = UnifiedDiff.diff(expected, actual, label, "phoenix");
        if (!diff.isEmpty()) {
            found.add(new CaseResult.Difference(what, message, diff));
        }
    }

    /** An exit status, naming the signal when a shell would read it as one (128+N). */
    private static String status(int s) {
        return s > 128 && s < 128 + 65 ? s + " (signal " + (s - 128) + ")" : String.valueOf(s);
    }
}
