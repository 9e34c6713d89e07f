package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.sun.net.httpserver.HttpServer;
import dev.phoenix.emu.Arch;
import dev.phoenix.tests.Guests.Result;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Debian's busybox networking applets under Phoenix in host mode (issue 15), against host
 * programs on 127.0.0.1: httpd serves a file that the host's curl fetches byte for byte, wget
 * fetches from a server of the host, nc carries bytes both ways, and ping gets echo replies;
 * under {@code --net none} guests reach each other (and ping their loopback) and nothing else. Ports are ephemeral ones
 * the host just freed. Guest servers stop by themselves: httpd runs in a guest shell that ends
 * it once the test leaves a stop file. The timeout is a hang guard only.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
class NetworkProgramsTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** 300,000 bytes that are the same in every run. */
    private static byte[] blob() {
        byte[] b = new byte[300_000];
        new Random(15).nextBytes(b);
        return b;
    }

    /**
     * Runs phoenix with {@code args} on a thread of its own (not the common pool, whose one
     * worker on two cores is what Guests.host reads a program's stderr with).
     */
    private static CompletableFuture<Result> inBackground(String... args) {
        return CompletableFuture.supplyAsync(() -> Guests.phoenix(args), r -> Thread.ofPlatform().daemon().start(r));
    }

    /**
     * Connects to {@code port} once the guest listens there, trying again while the connection
     * is refused or until the guest run ended (then its output says why).
     */
    private static Socket connectWhenListening(int port, CompletableFuture<Result> guest) throws Exception {
        while (true) {
            if (guest.isDone()) {
                throw new AssertionError("the guest ended before it listened: " + guest.join());
            }
            try {
                return new Socket(LOOPBACK, port);
            } catch (java.net.ConnectException e) {
                Thread.sleep(20);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void busyboxHttpdServesFilesThatCurlFetches(Arch arch, @TempDir Path dir) throws Exception {
        Path www = Files.createDirectory(dir.resolve("www"));
        Files.write(www.resolve("blob.bin"), blob());
        Files.writeString(www.resolve("index.html"), "<h1>served by a guest</h1>\n");
        String bb = Guests.busybox(arch).toString();
        int port = Guests.freePort();
        Path stop = dir.resolve("stop");
        CompletableFuture<Result> server = inBackground("run", bb, "sh", "-c", bb + " httpd -f -p 127.0.0.1:" + port
                + " -h " + www + " & while [ ! -e " + stop + " ]; do " + bb + " sleep 0.05; done; kill $!; wait");
        try {
            connectWhenListening(port, server).close();
            Path got = dir.resolve("got.bin");
            Result curl = Guests.host(List.of("/usr/bin/curl", "-sS", "-o", got.toString(), "-w", "%{http_code}",
                    "http://127.0.0.1:" + port + "/blob.bin"), List.of());
            assertEquals(new Result(0, "200", ""), curl, "curl is installed by ./setup.sh");
            assertArrayEquals(blob(), Files.readAllBytes(got));
            Result index = Guests.host(List.of("/usr/bin/curl", "-sS", "http://127.0.0.1:" + port + "/"), List.of());
            assertEquals(new Result(0, "<h1>served by a guest</h1>\n", ""), index);
            Result missing = Guests.host(List.of("/usr/bin/curl", "-s", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://127.0.0.1:" + port + "/missing"), List.of());
            assertEquals(new Result(0, "404", ""), missing);
        } finally {
            Files.writeString(stop, "");
        }
        Result r = server.get(60, TimeUnit.SECONDS);
        assertEquals(0, r.exit(), r.toString());
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void busyboxWgetFetchesFromAHostServer(Arch arch, @TempDir Path dir) throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress(LOOPBACK, 0), 8);
        http.createContext("/blob.bin", ex -> {
            byte[] b = blob();
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        http.start();
        try {
            Path got = dir.resolve("got.bin");
            Result r = Guests.phoenix("run", Guests.busybox(arch).toString(), "wget", "-q", "-O", got.toString(),
                    "http://127.0.0.1:" + http.getAddress().getPort() + "/blob.bin");
            assertEquals(new Result(0, "", ""), r);
            assertArrayEquals(blob(), Files.readAllBytes(got));
            Result refused = Guests.phoenix("run", Guests.busybox(arch).toString(), "wget", "-q", "-O", "-",
                    "http://127.0.0.1:" + Guests.freePort() + "/");
            assertEquals(new Result(1, "", "wget: can't connect to remote host (127.0.0.1): Connection refused\n"),
                    refused);
        } finally {
            http.stop(0);
        }
    }

    /**
     * --net none: a guest httpd and a guest wget talk over Phoenix's own 127.0.0.1, on a port
     * where a host program listens too, which they never reach; a host listener and any other
     * network are unreachable.
     */
    @ParameterizedTest
    @EnumSource(Arch.class)
    void underNetNoneGuestsTalkToEachOtherAndNeverToTheHost(Arch arch, @TempDir Path dir) throws Exception {
        Path www = Files.createDirectory(dir.resolve("www"));
        Files.writeString(www.resolve("index.html"), "from the guest's own server\n");
        String bb = Guests.busybox(arch).toString();
        try (ServerSocket host = new ServerSocket(0, 8, LOOPBACK)) {
            int port = host.getLocalPort();
            // the guest's server starts in the background (on [::], which takes IPv4 too, as
            // busybox binds a port without an address): its client tries until it listens
            String script = bb + " httpd -f -p " + port + " -h " + www + " & p=$!; i=0; until " + bb
                    + " wget -q -O - http://127.0.0.1:" + port + "/index.html 2>/dev/null; do i=$((i+1)); [ $i -lt 400 ]"
                    + " || break; " + bb + " sleep 0.05; done; kill $p; wait";
            Result both = Guests.phoenix("run", "--net", "none", bb, "sh", "-c", script);
            assertEquals(new Result(0, "from the guest's own server\n", ""), both);
            Result toHost = Guests.phoenix("run", "--net", "none", bb, "wget", "-q", "-O", "-",
                    "http://127.0.0.1:" + port + "/");
            assertEquals(new Result(1, "", "wget: can't connect to remote host (127.0.0.1): Connection refused\n"),
                    toHost);
            Result elsewhere = Guests.phoenix("run", "--net", "none", bb, "wget", "-q", "-O", "-", "http://10.0.0.1/");
            assertEquals(new Result(1, "", "wget: can't connect to remote host (10.0.0.1): Network is unreachable\n"),
                    elsewhere);
        }
    }

    /** busybox ping 127.0.0.1: ICMP echo through the host (host mode) and through Phoenix's own loopback. */
    @ParameterizedTest
    @EnumSource(Arch.class)
    void busyboxPingGetsEchoRepliesFromTheLoopback(Arch arch) {
        String expected = """
                PING 127.0.0.1 (127.0.0.1): 56 data bytes
                64 bytes from 127.0.0.1: seq=0 ttl=64 time=T ms
                64 bytes from 127.0.0.1: seq=1 ttl=64 time=T ms

                --- 127.0.0.1 ping statistics ---
                2 packets transmitted, 2 packets received, 0% packet loss
                round-trip min/avg/max = T/T/T ms
                """;
        String bb = Guests.busybox(arch).toString();
        for (String net : List.of("host", "none")) {
            Result r = Guests.phoenix("run", "--net", net, bb, "ping", "-c", "2", "-i", "0.2", "127.0.0.1");
            assertEquals(new Result(0, expected, ""),
                    new Result(r.exit(), r.out().replaceAll("time=[0-9.]+", "time=T")
                            .replaceAll("= [0-9.]+/[0-9.]+/[0-9.]+", "= T/T/T"), r.err()), "--net " + net);
        }
        Result unreachable = Guests.phoenix("run", "--net", "none", bb, "ping", "-c", "1", "10.0.0.1");
        assertEquals(new Result(1, "PING 10.0.0.1 (10.0.0.1): 56 data bytes\n", "ping: sendto: Network is unreachable\n"),
                unreachable);
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void busyboxNcListensForAndConnectsToHostPrograms(Arch arch) throws Exception {
        String bb = Guests.busybox(arch).toString();
        int port = Guests.freePort();
        CompletableFuture<Result> listener = inBackground("run", bb, "nc", "-l", "-p", Integer.toString(port),
                "127.0.0.1");
        try (Socket s = connectWhenListening(port, listener)) {
            s.getOutputStream().write("from the host to a guest nc -l\n".getBytes(StandardCharsets.US_ASCII));
            s.shutdownOutput();
            s.getInputStream().readAllBytes();
        }
        assertEquals(new Result(0, "from the host to a guest nc -l\n", ""), listener.get(60, TimeUnit.SECONDS));

        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    s.getOutputStream().write("the host answers\n".getBytes(StandardCharsets.US_ASCII));
                    s.shutdownOutput();
                    return in.readAllBytes();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }, r -> Thread.ofPlatform().daemon().start(r));
            Result client = Guests.phoenixWithInput("from a guest nc to the host\n".getBytes(StandardCharsets.US_ASCII),
                    "run", bb, "nc", "127.0.0.1", Integer.toString(server.getLocalPort()));
            assertEquals(new Result(0, "the host answers\n", ""), client);
            assertEquals("from a guest nc to the host\n",
                    new String(received.get(60, TimeUnit.SECONDS), StandardCharsets.US_ASCII));
        }
    }
}
