package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.cli.Main;
import dev.phoenix.emu.Arch;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The guest programs built by {@code tests/guest/build.sh} and the ways tests run them: under
 * Phoenix in this JVM (fast; the CLI's own code path), or natively on the host.
 */
final class Guests {
    private Guests() {}

    /** One build of the guest programs: a libc and an arch. */
    enum Target {
        X86_64_MUSL("x86_64-musl", Arch.X86_64),
        X86_64_GLIBC("x86_64-glibc", Arch.X86_64),
        AARCH64("aarch64", Arch.AARCH64),
        RISCV64("riscv64", Arch.RISCV64);

        final String dir;
        final Arch arch;

        Target(String dir, Arch arch) {
            this.dir = dir;
            this.arch = arch;
        }

        /** True when the host can run this target's binaries natively (an x86_64 host). */
        boolean isHostArch() {
            return arch == Arch.X86_64;
        }
    }

    /** Exit status and captured output of one run. */
    record Result(int exit, String out, String err) {}

    static Path guestDir() {
        String dir = System.getProperty("phoenix.guest.dir");
        assertTrue(dir != null, "phoenix.guest.dir is not set: run the tests through Maven (./test.sh)");
        return Path.of(dir);
    }

    static Path repoRoot() {
        return Path.of(System.getProperty("phoenix.repo.root", "..")).toAbsolutePath().normalize();
    }

    /** The path of guest program {@code name} built for {@code target}. */
    static Path binary(Target target, String name) {
        Path p = guestDir().resolve(target.dir).resolve(name);
        assertTrue(Files.isRegularFile(p), p + " was not built; tests/guest/build.sh builds it");
        return p;
    }

    /**
     * The directory of Debian 12's static Go programs (amd64/ and arm64/: shfmt, gojq, ...), fetched
     * once by scripts/fetch-go-programs.sh (./setup.sh runs it) and cached.
     */
    static Path goPrograms() throws IOException, InterruptedException {
        List<String> env = new ArrayList<>(List.of("PATH=/usr/sbin:/usr/bin:/sbin:/bin", "HOME=" + System.getProperty("user.home")));
        for (String name : List.of("PHOENIX_PROGRAMS_DIR", "XDG_CACHE_HOME")) {
            if (System.getenv(name) != null) {
                env.add(name + "=" + System.getenv(name));
            }
        }
        Path script = repoRoot().resolve("scripts/fetch-go-programs.sh");
        Result r = host(List.of("bash", script.toString()), env);
        assertEquals(0, r.exit(), "scripts/fetch-go-programs.sh (run by ./setup.sh) failed:\n" + r.err());
        return Path.of(r.out().strip());
    }

    /** Runs {@code phoenix ARGS...} in this JVM with empty stdin and captured stdout and stderr. */
    static Result phoenix(String... args) {
        return phoenixWithInput(new byte[0], args);
    }

    /** Runs {@code phoenix ARGS...} in this JVM with {@code stdin} as the guest's input. */
    static Result phoenixWithInput(byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(args, new ByteArrayInputStream(stdin), out, err);
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Runs a host command with exactly the environment {@code env}, in that order (through
     * env -i, as ProcessBuilder's map would reorder it); fails the test after 60 s.
     */
    static Result host(List<String> command, List<String> env) throws IOException, InterruptedException {
        return host(command, env, null);
    }

    /** As {@link #host(List, List)}, in working directory {@code dir} (null: this JVM's). */
    static Result host(List<String> command, List<String> env, Path dir) throws IOException, InterruptedException {
        return host(command, env, dir, null);
    }

    /** As {@link #host(List, List, Path)}, with {@code stdin} as input (null: /dev/null). */
    static Result host(List<String> command, List<String> env, Path dir, byte[] stdin)
            throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("/usr/bin/env", "-i"));
        full.addAll(env);
        full.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(full);
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        if (stdin == null) {
            pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        }
        // Pipes, as the in-process runs have: a program that reopens /dev/stdout must see a pipe.
        Process p = pb.start();
        if (stdin != null) {
            java.util.concurrent.CompletableFuture.runAsync(() -> {
                try (var in = p.getOutputStream()) {
                    in.write(stdin);
                } catch (IOException e) {
                    // the program exited without reading all of it, as a pipe reader may
                }
            });
        }
        java.util.concurrent.CompletableFuture<byte[]> err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(command + " did not finish in 60 s");
        }
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err.join(), StandardCharsets.UTF_8));
    }

    /**
     * On an x86_64 host, runs {@code program} natively with the same environment and arguments
     * and asserts that everything (exit status, stdout, stderr) equals {@code underPhoenix}; for
     * foreign arches there is no native reference and the caller's exact expectations stand alone.
     */
    static void assertSameAsNative(Target t, Path program, Result underPhoenix, List<String> env, String... args)
            throws IOException, InterruptedException {
        if (!t.isHostArch()) {
            return;
        }
        List<String> cmd = new ArrayList<>(List.of(program.toString()));
        cmd.addAll(List.of(args));
        assertEquals(host(cmd, env), underPhoenix, "native run of " + program + " differs");
    }

    /**
     * Runs guest {@code name} of target {@code t} without arguments: natively first on x86_64,
     * so that a host that behaves differently is told apart from a Phoenix that does, then under
     * Phoenix; both must give {@code expected}.
     */
    static void runsAsExpected(Target t, String name, Result expected) throws IOException, InterruptedException {
        Path program = binary(t, name);
        if (t.isHostArch()) {
            assertEquals(expected, host(List.of(program.toString()), List.of()), "native run");
        }
        assertEquals(expected, phoenix(runArgs(program, List.of())));
    }

    /** Debian's static busybox for an arch: the host's own on x86_64, the fetched ones (build.sh) on the others. */
    static Path busybox(Arch arch) {
        Path p = switch (arch) {
            case X86_64 -> Path.of("/bin/busybox");
            case AARCH64 -> binary(Target.AARCH64, "busybox");
            case RISCV64 -> binary(Target.RISCV64, "busybox");
        };
        assertTrue(Files.isRegularFile(p), p + " missing: apt-get install -y busybox-static");
        return p;
    }

    /** A port on 127.0.0.1 that nothing listens on now (the host chose it, and it is closed again). */
    static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** Deletes {@code dir} and everything in it. */
    static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    /** {@code phoenix run -i [-E kv]... PROGRAM ARGS...} as an argument list. */
    static String[] runArgs(Path program, List<String> env, String... args) {
        List<String> a = new ArrayList<>(List.of("run", "-i"));
        for (String kv : env) {
            a.add("-E");
            a.add(kv);
        }
        a.add(program.toString());
        a.addAll(List.of(args));
        return a.toArray(String[]::new);
    }
}
