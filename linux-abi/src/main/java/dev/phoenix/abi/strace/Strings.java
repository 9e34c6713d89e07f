package dev.phoenix.abi.strace;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.mm.GuestMemory;
import java.io.ByteArrayOutputStream;

/** Guest strings and buffers quoted as strace(1) quotes them, cut at its default -s 32. */
final class Strings {
    /** strace's default string limit (-s 32). */
    static final int LIMIT = 32;
    /** Paths are shown whole, up to PATH_MAX. */
    private static final int PATH_MAX = 4096;

    private Strings() {}

    /**
     * A quoted, escaped string: a NUL-terminated path when {@code length} is -1 (shown whole, as
     * strace shows paths), else {@code length} bytes cut at -s 32; {@code hex} prints every byte
     * as \xNN, as strace does for binary buffers (getrandom).
     */
    static String quoted(GuestMemory mem, long address, long length, boolean hex) {
        if (address == 0) {
            return "NULL";
        }
        try {
            int limit = length < 0 ? PATH_MAX : LIMIT;
            byte[] bytes = length < 0 ? cString(mem, address, limit + 1) : mem.read(address, (int) Math.min(length, limit));
            long total = length < 0 ? bytes.length : length;
            int shown = Math.min(bytes.length, limit);
            StringBuilder sb = new StringBuilder("\"");
            for (int i = 0; i < shown; i++) {
                if (hex) {
                    sb.append(String.format("\\x%02x", bytes[i] & 0xff));
                } else {
                    escape(sb, bytes[i], i + 1 < shown ? bytes[i + 1] : 0);
                }
            }
            sb.append('"');
            return total > limit ? sb + "..." : sb.toString();
        } catch (Errno e) {
            return Strace.pointer(address);
        }
    }

    /** A NUL-terminated string cut at -s 32, as strace prints strings that are not paths (execve's argv). */
    static String limited(GuestMemory mem, long address) {
        if (address == 0) {
            return "NULL";
        }
        try {
            byte[] bytes = cString(mem, address, LIMIT + 1);
            int shown = Math.min(bytes.length, LIMIT);
            StringBuilder sb = new StringBuilder("\"");
            for (int i = 0; i < shown; i++) {
                escape(sb, bytes[i], i + 1 < shown ? bytes[i + 1] : 0);
            }
            sb.append('"');
            return bytes.length > LIMIT ? sb + "..." : sb.toString();
        } catch (Errno e) {
            return Strace.pointer(address);
        }
    }

    /**
     * execve(2)'s argv as strace prints it: ["prog", "arg"], at most 32 strings and then "...";
     * the address when the array cannot be read, and "..." with the address in a comment where
     * it stops being readable.
     */
    static String argv(GuestMemory mem, long address) {
        if (address == 0) {
            return "NULL";
        }
        StringBuilder sb = new StringBuilder("[");
        for (int n = 0;; n++) {
            long at = address + 8L * n;
            long word;
            try {
                word = mem.readLong(at);
            } catch (Errno e) {
                if (n == 0) {
                    return Strace.pointer(address);
                }
                sb.append(", ... /* ").append(Strace.pointer(at)).append(" */");
                break;
            }
            if (word == 0) {
                break;
            }
            if (n != 0) {
                sb.append(", ");
            }
            if (n >= LIMIT) {
                sb.append("...");
                break;
            }
            sb.append(limited(mem, word));
        }
        return sb.append(']').toString();
    }

    /**
     * execve(2)'s envp as strace prints it without -v: its address and how many variables it
     * holds in a comment ("1 var", "20 vars", ", unterminated" when the array runs into memory
     * that cannot be read); the address alone when none of it can be.
     */
    static String envp(GuestMemory mem, long address) {
        if (address == 0) {
            return "NULL";
        }
        long n = 0;
        boolean unterminated = false;
        long at = address;
        scan:
        while (true) {
            int chunk = (int) (4096 - (at & 4095)) & ~7;
            byte[] words;
            try {
                words = mem.read(at, Math.max(chunk, 8));
            } catch (Errno e) {
                if (n == 0) {
                    return Strace.pointer(address);
                }
                unterminated = true;
                break;
            }
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(words).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i + 8 <= words.length; i += 8) {
                if (b.getLong(i) == 0) {
                    break scan;
                }
                n++;
            }
            at += words.length;
        }
        return Strace.pointer(address) + " /* " + n + " var" + (n == 1 ? "" : "s") + (unterminated ? ", unterminated" : "")
                + " */";
    }

    /** The bytes of the NUL-terminated string at {@code address}, read a page at a time, at most {@code max}. */
    private static byte[] cString(GuestMemory mem, long address, int max) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long at = address;
        while (out.size() < max) {
            int chunk = (int) Math.min(4096 - (at & 4095), max - out.size());
            for (byte x : mem.read(at, chunk)) {
                if (x == 0) {
                    return out.toByteArray();
                }
                out.write(x);
            }
            at += chunk;
        }
        return out.toByteArray();
    }

    /** [{iov_base="...", iov_len=N}, ...]; only the first {@code limit} bytes in all are shown (a read's result). */
    static String iovec(GuestMemory mem, long address, long count, long limit) {
        StringBuilder sb = new StringBuilder("[");
        long left = limit;
        try {
            for (int i = 0; i < Math.min(count, 8); i++) {
                long base = mem.readLong(address + 16L * i);
                long len = mem.readLong(address + 16L * i + 8);
                sb.append(i == 0 ? "" : ", ").append("{iov_base=")
                        .append(quoted(mem, base, Math.min(len, Math.max(left, 0)), false))
                        .append(", iov_len=").append(len).append('}');
                left -= len;
            }
            if (count > 8) {
                sb.append(", ...");
            }
        } catch (Errno e) {
            return Strace.pointer(address);
        }
        return sb.append(']').toString();
    }

    /** C's escapes; other bytes in the shortest octal, three digits when an octal digit follows. */
    static void escape(StringBuilder sb, byte b, byte next) {
        int c = b & 0xff;
        switch (c) {
            case '\n' -> sb.append("\\n");
            case '\t' -> sb.append("\\t");
            case '\r' -> sb.append("\\r");
            case 0x0b -> sb.append("\\v");
            case 0x0c -> sb.append("\\f");
            case '"' -> sb.append("\\\"");
            case '\\' -> sb.append("\\\\");
            default -> {
                if (c >= 0x20 && c < 0x7f) {
                    sb.append((char) c);
                } else if (next >= '0' && next <= '7') {
                    sb.append(String.format("\\%03o", c));
                } else {
                    sb.append('\\').append(Integer.toOctalString(c));
                }
            }
        }
    }
}
