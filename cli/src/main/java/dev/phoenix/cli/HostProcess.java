package dev.phoenix.cli;

import dev.phoenix.abi.Signals;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the process that runs Phoenix was given, as the guest must get it: the environment, the
 * standard descriptors that were closed, and the ignored signals. The launcher ({@code ./phoenix})
 * records what only it can see before the JVM starts (system properties {@code
 * phoenix.closedStdio}, {@code phoenix.ignoredSignals}, {@code phoenix.launcherEnv}); run any
 * other way, the JVM's own view stands.
 */
final class HostProcess {
    private HostProcess() {}

    /** The signals ignored when the launcher started (bit n-1 for signal n), by their names (HUP,QUIT), or none. */
    static long ignoredSignals() {
        String names = System.getProperty("phoenix.ignoredSignals", "");
        long mask = 0;
        for (String name : names.split(",")) {
            int sig = name.isEmpty() ? 0 : Signals.number("SIG" + name);
            mask |= sig > 0 ? 1L << (sig - 1) : 0;
        }
        return mask;
    }

    /**
     * True when standard descriptor {@code fd} (0-2) was closed when Phoenix started. The
     * launcher says so; without it, a descriptor that now holds one of the JVM's own files (its
     * runtime image, a jar, an archive, opened on the lowest free number) was closed before.
     */
    static boolean wasClosed(int fd) {
        String closed = System.getProperty("phoenix.closedStdio");
        if (closed != null) {
            return ("," + closed + ",").contains("," + fd + ",");
        }
        try {
            Path target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd));
            String t = target.toString();
            return t.startsWith(System.getProperty("java.home") + "/") || t.endsWith(".jar") || t.endsWith(".aot")
                    || t.endsWith(".jsa");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** The environment the guest inherits: the JVM's, without what the launcher added for the JVM itself. */
    static Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>(System.getenv());
        String added = System.getProperty("phoenix.launcherEnv");
        if (added != null) {
            for (String name : added.split(",")) {
                env.remove(name);
            }
        }
        return env;
    }
}
