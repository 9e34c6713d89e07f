package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.tests.Guests.Result;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Debian's dynamically linked servers under Phoenix, serving the host's clients on 127.0.0.1:
 * redis-server (the host's x86_64 build, and bookworm's arm64 build through the sysroot of
 * {@link SysrootProgramsTest}) answers the host's redis-cli and shuts down when told; nginx
 * (nginx-light: a master and two workers, so fork, epoll, sendfile, signals and credentials)
 * serves a 200 KB file byte for byte to the host's curl, reloads its configuration on SIGHUP and
 * stops on SIGQUIT. nginx runs through the ./phoenix launcher, as users run it, so that the host
 * signals sent to its process reach the guest's master. Both report the kernel Phoenix gives
 * them (uname's release ends in -phoenix), so the host did not run them.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
class ServersTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** Waits until something listens on {@code port}, failing with {@code why} once {@code ended} holds. */
    private static void awaitListening(int port, BooleanSupplier ended, java.util.function.Supplier<String> why)
            throws InterruptedException {
        while (true) {
            if (ended.getAsBoolean()) {
                throw new AssertionError("the server ended before it listened: " + why.get());
            }
            try (Socket s = new Socket(LOOPBACK, port)) {
                return;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
    }

    private static Result cli(int port, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/redis-cli", "-h", "127.0.0.1", "-p", String.valueOf(port)));
        cmd.addAll(List.of(command));
        return Guests.host(cmd, List.of());
    }

    @ParameterizedTest
    @ValueSource(strings = {"x86_64", "aarch64"})
    void redisServesTheHostsRedisCli(String arch, @TempDir Path dir) throws Exception {
        List<String> args = new ArrayList<>(List.of("run"));
        String server = "/usr/bin/redis-server";
        if (!arch.equals("x86_64")) {
            Path root = SysrootProgramsTest.sysroot(arch);
            args.addAll(List.of("-L", root.toString()));
            server = root.resolve("usr/bin/redis-server").toString();
        }
        int port = Guests.freePort();
        args.addAll(List.of(server, "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "",
                "--appendonly", "no", "--dir", dir.toString(), "--daemonize", "no"));
        CompletableFuture<Result> run = CompletableFuture.supplyAsync(() -> Guests.phoenix(args.toArray(String[]::new)),
                r -> Thread.ofPlatform().daemon().start(r));
        try {
            awaitListening(port, run::isDone, () -> run.join().toString());
            assertEquals(new Result(0, "PONG\n", ""), cli(port, "ping"));
            assertEquals(new Result(0, "OK\n", ""), cli(port, "set", "greeting", "hello from a guest"));
            assertEquals(new Result(0, "hello from a guest\n", ""), cli(port, "get", "greeting"));
            cli(port, "incr", "n");
            assertEquals(new Result(0, "2\n", ""), cli(port, "incr", "n"));
            assertEquals(new Result(0, "3\n", ""), cli(port, "rpush", "list", "a", "b", "c"));
            assertEquals(new Result(0, "a\nb\nc\n", ""), cli(port, "lrange", "list", "0", "-1"));
            String info = cli(port, "info", "server").out();
            assertTrue(info.contains("os:Linux 6.1.0-phoenix " + arch), info);
        } finally {
            cli(port, "shutdown", "nosave");
        }
        Result r = run.get(60, TimeUnit.SECONDS);
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("Ready to accept connections") && r.out().contains("Redis is now ready to exit"),
                r.out());
    }

    /** nginx's configuration: every path it would take from its build lies under {@code prefix}. */
    private static void nginxConf(Path prefix, int port, Path docroot, String extra) throws IOException {
        Files.writeString(prefix.resolve("nginx.conf"), """
                daemon off;
                master_process on;
                worker_processes 2;
                pid %1$s/nginx.pid;
                lock_file %1$s/nginx.lock;
                error_log %1$s/error.log notice;
                events { use epoll; }
                http {
                  access_log off;
                  sendfile on;
                  default_type application/octet-stream;
                  client_body_temp_path %1$s/body;
                  proxy_temp_path %1$s/proxy;
                  fastcgi_temp_path %1$s/fastcgi;
                  uwsgi_temp_path %1$s/uwsgi;
                  scgi_temp_path %1$s/scgi;
                  server {
                    listen 127.0.0.1:%2$d;
                    root %3$s;
                    %4$s
                  }
                }
                """.formatted(prefix, port, docroot, extra));
    }

    private static Result curl(int port, String path, Path out) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/curl", "-sS", "-w", "%{http_code}"));
        if (out != null) {
            cmd.addAll(List.of("-o", out.toString()));
        }
        cmd.add("http://127.0.0.1:" + port + path);
        return Guests.host(cmd, List.of());
    }

    private static void signal(long pid, String sig) throws IOException, InterruptedException {
        assertEquals(0, Guests.host(List.of("/bin/kill", "-" + sig, String.valueOf(pid)), List.of()).exit());
    }

    @Test
    void nginxServesReloadsAndQuits(@TempDir Path tmp) throws Exception {
        // Run as root, nginx's workers become the user nobody, who must reach the files.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path prefix = Files.createDirectory(tmp.resolve("nginx"));
        Path docroot = Files.createDirectory(tmp.resolve("html"));
        byte[] big = new byte[200 * 1024];
        new Random(16).nextBytes(big);
        Files.write(docroot.resolve("big.bin"), big);
        int port = Guests.freePort();
        nginxConf(prefix, port, docroot, "");
        Path log = prefix.resolve("error.log");
        ProcessBuilder pb = new ProcessBuilder(Guests.repoRoot().resolve("phoenix").toString(), "run",
                "/usr/sbin/nginx", "-p", prefix + "/", "-c", prefix.resolve("nginx.conf").toString(), "-e", log.toString());
        pb.redirectErrorStream(true).redirectOutput(tmp.resolve("phoenix.out").toFile());
        Process nginx = pb.start();
        try {
            awaitListening(port, () -> !nginx.isAlive(), () -> read(tmp.resolve("phoenix.out")) + read(log));
            Path got = tmp.resolve("got.bin");
            assertEquals(new Result(0, "200", ""), curl(port, "/big.bin", got));
            assertArrayEquals(big, Files.readAllBytes(got));
            assertEquals(new Result(0, "404", ""), curl(port, "/missing", tmp.resolve("missing.html")));
            String started = read(log);
            assertEquals(2, started.lines().filter(l -> l.contains("start worker process ")).count(), started);
            assertTrue(started.contains("OS: Linux 6.1.0-phoenix"), started);

            nginxConf(prefix, port, docroot, "location = /reload-check { default_type text/plain; return 200 \"reloaded\"; }");
            signal(nginx.pid(), "HUP");
            Result reloaded;
            do {
                Thread.sleep(50);
                reloaded = curl(port, "/reload-check", null);
            } while (reloaded.out().endsWith("404") && nginx.isAlive());
            assertEquals(new Result(0, "reloaded200", ""), reloaded);
            assertTrue(read(log).contains("reconfiguring"), read(log));

            signal(nginx.pid(), "QUIT");
            assertTrue(nginx.waitFor(60, TimeUnit.SECONDS), "nginx did not stop on SIGQUIT");
            assertEquals(0, nginx.exitValue(), read(tmp.resolve("phoenix.out")) + read(log));
            assertTrue(read(log).contains("exit"), read(log));
        } finally {
            nginx.destroyForcibly();
        }
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            return e.toString();
        }
    }
}
