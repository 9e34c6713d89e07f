package dev.phoenix.cli.compat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A program's output as lines a person can compare: bytes that print as nothing (a carriage
 * return, an escape, a byte that is not UTF-8) are spelt out, so two lines that differ never
 * look the same in a report.
 */
final class Lines {
    private Lines() {}

    /** One line of output; {@code newline} is false only for a last line with no terminator. */
    record Line(String text, boolean newline) {}

    /** Splits {@code bytes} at '\n'; a final '\n' ends the last line and starts no empty one. */
    static List<Line> split(byte[] bytes) {
        List<Line> lines = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                lines.add(new Line(visible(bytes, start, i), true));
                start = i + 1;
            }
        }
        if (start < bytes.length) {
            lines.add(new Line(visible(bytes, start, bytes.length), false));
        }
        return lines;
    }

    /** Decodes {@code bytes[from, to)} as UTF-8, escaping control characters and invalid bytes. */
    static String visible(byte[] bytes, int from, int to) {
        StringBuilder sb = new StringBuilder(to - from);
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        int i = from;
        while (i < to) {
            int b = bytes[i] & 0xff;
            if (b < 0x80) {
                escapeAscii(sb, (char) b);
                i++;
                continue;
            }
            int len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
            if (len > 1 && i + len <= to) {
                try {
                    sb.append(utf8.decode(ByteBuffer.wrap(bytes, i, len)));
                    i += len;
                    continue;
                } catch (CharacterCodingException e) {
                    // not a UTF-8 sequence: show the lead byte and resynchronise
                }
            }
            sb.append(String.format("\\x%02x", b));
            i++;
        }
        return sb.toString();
    }

    private static void escapeAscii(StringBuilder sb, char c) {
        switch (c) {
            case '\t' -> sb.append('\t');
            case '\r' -> sb.append("\\r");
            case '\f' -> sb.append("\\f");
            case '\b' -> sb.append("\\b");
            case 0 -> sb.append("\\0");
            default -> {
                if (c < 0x20 || c == 0x7f) {
                    sb.append(String.format("\\x%02x", (int) c));
                } else {
                    sb.append(c);
                }
            }
        }
    }
}
