package dev.phoenix.cli.sysroot;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The host programs a sysroot is made with (apt-get, dpkg-deb, tar): finding them and running them. */
final class HostCommand {
    private HostCommand() {}

    /** How a command ended and what it printed. */
    record Result(int exit, String out, String err) {}

    /** {@code name}'s path in {@code $PATH}, or null when it is not installed. */
    static Path find(String name) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/bin:/bin" : path).split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Runs {@code command} with the host's environment plus {@code env}, C locale (so its
     * messages can be read), stdin empty, and returns its status and output.
     */
    static Result run(List<String> command, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Map<String, String> e = pb.environment();
        e.remove("LANGUAGE");
        e.put("LC_ALL", "C");
        e.putAll(env);
        Process p = pb.start();
        try {
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> text(p.getErrorStream()));
            String out = text(p.getInputStream());
            int exit = p.waitFor();
            return new Result(exit, out, err.get());
        } catch (ExecutionException | UncheckedIOException e1) {
            throw new IOException("cannot read the output of " + command.get(0), e1);
        } finally {
            p.destroy();
        }
    }

    private static String text(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first line of {@code text} that starts with {@code E: }, else {@code W: }, else its last line; without the prefix. */
    static String firstError(String text) {
        List<String> lines = text.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        for (String prefix : List.of("E: ", "W: ")) {
            for (String l : lines) {
                if (l.startsWith(prefix)) {
                    return l.substring(prefix.length());
                }
            }
        }
        return lines.isEmpty() ? "no message" : lines.get(lines.size() - 1);
    }
}
