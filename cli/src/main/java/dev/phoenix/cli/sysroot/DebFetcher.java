package dev.phoenix.cli.sysroot;

import dev.phoenix.cli.sysroot.SysrootException.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Downloads .deb files into a directory, each checked against the size and SHA256 the signed
 * index gave for it before it takes its name there; so a file found under its name is whole,
 * and a second run need not read it again.
 */
public final class DebFetcher implements AutoCloseable {
    private final Path debs;
    private final HttpClient http;
    /** The proxy's host:port, or null when there is none. */
    private final String proxy;

    /** Fetches into {@code debs}, through {@code $http_proxy} when it is set. */
    public DebFetcher(Path debs) throws IOException {
        this.debs = debs;
        Files.createDirectories(debs.resolve("partial"));
        // HTTP/1.1: over plain http, HTTP/2 would first ask the mirror to upgrade (h2c).
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(30));
        InetSocketAddress via = proxyFromEnvironment();
        if (via != null) {
            b.proxy(ProxySelector.of(via));
        }
        this.proxy = via == null ? null : via.getHostString() + ":" + via.getPort();
        this.http = b.build();
    }

    /** The path {@code deb} has, or will have, here. */
    public Path path(DebFile deb) {
        return debs.resolve(deb.fileName());
    }

    /** True when an earlier run fetched {@code deb} already. */
    public boolean present(DebFile deb) {
        Path p = path(deb);
        try {
            return Files.isRegularFile(p) && Files.size(p) == deb.size();
        } catch (IOException e) {
            return false;
        }
    }

    /** Downloads {@code deb} and checks its size and SHA256. */
    public void fetch(DebFile deb) throws SysrootException, InterruptedException {
        Path partial = debs.resolve("partial").resolve(deb.fileName());
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        try {
            HttpRequest request = HttpRequest.newBuilder(deb.uri()).timeout(Duration.ofSeconds(60)).GET().build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                if (response.statusCode() != 200) {
                    throw new SysrootException(Kind.FETCH, "cannot fetch " + deb.uri() + ": HTTP " + response.statusCode());
                }
                try (OutputStream out = Files.newOutputStream(partial)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n; (n = in.read(buffer)) > 0; ) {
                        sha256.update(buffer, 0, n);
                        out.write(buffer, 0, n);
                    }
                }
            }
            long size = Files.size(partial);
            String hash = HexFormat.of().formatHex(sha256.digest());
            if (size != deb.size() || !hash.equals(deb.sha256())) {
                Files.deleteIfExists(partial);
                throw new SysrootException(Kind.FETCH, deb.uri() + " is not the file the index describes (" + size
                        + " bytes, SHA256 " + hash + "; expected " + deb.size() + " bytes, " + deb.sha256() + ")");
            }
            Files.move(partial, path(deb), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (ConnectException e) {
            throw new SysrootException(Kind.FETCH, "cannot fetch " + deb.uri() + ": cannot connect to "
                    + (proxy != null ? "the proxy " + proxy : deb.uri().getHost()));
        } catch (HttpTimeoutException e) {
            throw new SysrootException(Kind.FETCH, "cannot fetch " + deb.uri() + ": no answer in 60 s");
        } catch (IOException e) {
            throw new SysrootException(Kind.FETCH, "cannot fetch " + deb.uri() + ": " + SysrootException.describe(e));
        }
    }

    /** The proxy {@code $http_proxy} (or {@code $HTTP_PROXY}) names, as apt and curl read it; null without one. */
    private static InetSocketAddress proxyFromEnvironment() {
        String value = System.getenv("http_proxy");
        if (value == null || value.isBlank()) {
            value = System.getenv("HTTP_PROXY");
        }
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            URI uri = URI.create(value.contains("://") ? value : "http://" + value);
            if (uri.getHost() == null) {
                return null;
            }
            return InetSocketAddress.createUnresolved(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 80);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
