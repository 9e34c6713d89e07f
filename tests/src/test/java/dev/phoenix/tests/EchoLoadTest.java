package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Load on a guest server (issue 15): {@code echoserver.c}, an edge-triggered epoll server under
 * Phoenix in host mode, holds 200 concurrent connections from host clients, each exchanging
 * 1,000 messages of varying lengths, and every byte comes back in order. The server ends by
 * itself after the last connection and says how many bytes it echoed. The timeout is a hang
 * guard only; messages per second are the echo benchmark's (benchmarks/echo.sh).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
class EchoLoadTest {
    private static final int CONNECTIONS = 200, MESSAGES = 1000;
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** Message {@code m} of connection {@code c}: 12 to 61 bytes, different for every pair. */
    static byte[] message(int c, int m) {
        String head = String.format("c%03d m%04d ", c, m);
        char[] pad = new char[(c * 31 + m * 7) % 50];
        Arrays.fill(pad, (char) ('a' + (c + m) % 26));
        return (head + new String(pad) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"X86_64_MUSL", "AARCH64", "RISCV64"})
    void anEpollServerEchoesEveryByteOf200ConcurrentConnections(Target t) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            port = s.getLocalPort();
        }
        // one more connection than the clients': the probe that sees the server listening
        CompletableFuture<Result> server = CompletableFuture.supplyAsync(
                () -> Guests.phoenix("run", Guests.binary(t, "echoserver").toString(), Integer.toString(port),
                        Integer.toString(CONNECTIONS + 1)),
                r -> Thread.ofPlatform().daemon().start(r));
        while (true) {
            if (server.isDone()) {
                throw new AssertionError("the server ended before it listened: " + server.join());
            }
            try (Socket probe = new Socket(LOOPBACK, port)) {
                break;
            } catch (java.net.ConnectException e) {
                Thread.sleep(20);
            }
        }
        long expectedBytes = 0;
        List<Future<Integer>> clients = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int c = 0; c < CONNECTIONS; c++) {
                int conn = c;
                for (int m = 0; m < MESSAGES; m++) {
                    expectedBytes += message(c, m).length;
                }
                clients.add(pool.submit(() -> exchange(port, conn)));
            }
            int good = 0;
            for (Future<Integer> f : clients) {
                good += f.get();
            }
            assertEquals(CONNECTIONS * MESSAGES, good, "messages that came back whole and in order");
        }
        assertEquals(new Result(0, "echoserver: " + (CONNECTIONS + 1) + " connections, " + expectedBytes
                + " bytes echoed\n", ""), server.get(120, TimeUnit.SECONDS));
    }

    /** One client: sends each message, reads its echo, counts the ones that match; then half-closes and sees the end. */
    private static int exchange(int port, int c) throws IOException {
        int good = 0;
        try (Socket s = new Socket(LOOPBACK, port)) {
            s.setTcpNoDelay(true);
            OutputStream out = s.getOutputStream();
            DataInputStream in = new DataInputStream(s.getInputStream());
            for (int m = 0; m < MESSAGES; m++) {
                byte[] msg = message(c, m);
                out.write(msg);
                byte[] back = new byte[msg.length];
                in.readFully(back);
                if (Arrays.equals(msg, back)) {
                    good++;
                }
            }
            s.shutdownOutput();
            if (in.read() != -1) {
                good = -1; // a byte nobody sent
            }
        }
        return good;
    }
}
