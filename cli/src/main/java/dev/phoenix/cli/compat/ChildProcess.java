package dev.phoenix.cli.compat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one command to completion or to its deadline and keeps its output as bytes. A run that
 * overstays is killed with all its descendants (a launcher script's JVM, a guest's helpers),
 * so a hung test can neither block the suite nor outlive it.
 */
final class ChildProcess {
    private ChildProcess() {}

    /** What one run did: its status (128+N for signal N), output, and whether it was cut off. */
    record Captured(int exit, byte[] out, byte[] err, boolean timedOut, double seconds) {}

    /** Past this, output is drained and dropped: a runaway guest must not fill the heap. */
    private static final int MAX_OUTPUT = 16 << 20;
    /** Variables a child JVM would echo to stderr ("Picked up ..."); their options are inherited already. */
    private static final List<String> JVM_ECHOED_VARIABLES = List.of("JAVA_TOOL_OPTIONS", "_JAVA_OPTIONS", "JDK_JAVA_OPTIONS");
    /** Children still running, killed if this JVM is stopped (Ctrl-C on the suite). */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ChildProcess::killTree), "compat-reaper"));
    }

    /** Runs {@code command} in {@code dir} with {@code stdin} (null: empty) for at most {@code timeoutSeconds}. */
    static Captured run(List<String> command, Path dir, Path stdin, double timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.redirectInput(stdin != null ? stdin.toFile() : new File("/dev/null"));
        Map<String, String> env = pb.environment();
        JVM_ECHOED_VARIABLES.forEach(env::remove);
        long start = System.nanoTime();
        Process p = pb.start();
        LIVE.add(p);
        try {
            Future<byte[]> out = drain(p.getInputStream());
            Future<byte[]> err = drain(p.getErrorStream());
            boolean finished = p.waitFor((long) Math.ceil(timeoutSeconds * 1000), TimeUnit.MILLISECONDS);
            if (!finished) {
                dumpJavaThreads(p);
                killTree(p);
                p.waitFor();
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Captured(p.exitValue(), collect(out, p), collect(err, p), !finished, seconds);
        } finally {
            if (p.isAlive()) {
                killTree(p); // interrupted: leave nothing behind
            }
            LIVE.remove(p);
        }
    }

    /** How long a JVM in the tree gets to print its thread dump before the tree is killed. */
    private static final long DUMP_GRACE_MS = 1000;

    /**
     * A hung Phoenix run is worth more with its stacks: every JVM in the tree (the Phoenix of a
     * launcher script, or the child itself) is sent SIGQUIT, on which HotSpot prints each
     * thread's stack to its stdout, and gets a moment to do so. A native guest is left alone.
     */
    private static void dumpJavaThreads(Process p) throws InterruptedException {
        List<ProcessHandle> jvms = java.util.stream.Stream.concat(java.util.stream.Stream.of(p.toHandle()), p.descendants())
                .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .toList();
        for (ProcessHandle h : jvms) {
            try {
                new ProcessBuilder("kill", "-QUIT", String.valueOf(h.pid())).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
            } catch (IOException e) {
                return; // no kill(1): the report has the output so far
            }
        }
        if (!jvms.isEmpty()) {
            Thread.sleep(DUMP_GRACE_MS);
        }
    }

    /** Kills the descendants first: once the parent dies they are reparented and out of reach. */
    private static void killTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    private static Future<byte[]> drain(InputStream in) {
        FutureTask<byte[]> task = new FutureTask<>(() -> {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            for (int n; (n = in.read(chunk)) >= 0; ) {
                buf.write(chunk, 0, Math.max(0, Math.min(n, MAX_OUTPUT - buf.size())));
            }
            return buf.toByteArray();
        });
        Thread.ofVirtual().name("compat-drain").start(task);
        return task;
    }

    /**
     * The drained output; a grandchild that escaped the kill may hold the pipe open, so after a
     * grace period the pipe is closed and the output so far is lost rather than waited for.
     */
    private static byte[] collect(Future<byte[]> output, Process p) throws InterruptedException {
        try {
            return output.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            closeQuietly(p);
            return new byte[0];
        } catch (ExecutionException e) {
            return new byte[0];
        }
    }

    private static void closeQuietly(Process p) {
        try {
            p.getInputStream().close();
            p.getErrorStream().close();
        } catch (IOException e) {
            // already closed
        }
    }
}
