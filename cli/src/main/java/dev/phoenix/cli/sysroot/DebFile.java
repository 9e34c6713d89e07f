package dev.phoenix.cli.sysroot;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One .deb to fetch, as {@code apt-get --print-uris} names it: where it is, the file name apt
 * would store it under, its size and its SHA256 from the signed index.
 *
 * @param uri where the mirror has it
 * @param fileName apt's local name, {@code NAME_VERSION_ARCH.deb} with {@code :} written {@code %3a}
 * @param size its size in bytes
 * @param sha256 its SHA256, lowercase hex
 */
public record DebFile(URI uri, String fileName, long size, String sha256) {
    /** {@code 'URI' FILE SIZE SHA256:HEX}, one line of --print-uris with Acquire::ForceHash=SHA256. */
    private static final Pattern LINE = Pattern.compile("'([^']+)' (\\S+\\.deb) (\\d+) SHA256:([0-9a-f]{64})");

    /** The .deb a line of {@code apt-get --print-uris} describes, or null if the line is not one. */
    static DebFile parse(String line) {
        Matcher m = LINE.matcher(line.strip());
        if (!m.matches() || m.group(2).contains("/")) {
            return null;
        }
        return new DebFile(URI.create(m.group(1)), m.group(2), Long.parseLong(m.group(3)), m.group(4));
    }

    /** The package's name. */
    public String name() {
        return field(0);
    }

    /** The package's version, epoch included ({@code 1:2.5.2-3}). */
    public String version() {
        return field(1);
    }

    private String field(int index) {
        String[] parts = fileName.split("_");
        return parts.length > index ? unescape(parts[index]) : "";
    }

    /** Undoes apt's %XX quoting of a file name (only that: a {@code +} stays a {@code +}). */
    private static String unescape(String s) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
                bytes.write(Integer.parseInt(s, i + 1, i + 3, 16));
                i += 2;
            } else {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean isHex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
