package dev.phoenix.abi.strace;

import dev.phoenix.abi.syscall.Arg;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.abi.syscall.SyscallDef;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.mm.GuestMemory;
import java.io.PrintStream;

/**
 * Prints syscalls as strace(1) does: {@code write(1, "hello\n", 6) = 6}, errors as
 * {@code = -1 ENOENT (No such file or directory)}, and {@code = ?} for calls that never return.
 */
public final class Strace {
    /** strace's default string limit (-s 32). */
    private static final int STRING_LIMIT = 32;
    private static final int AT_FDCWD = -100;

    private final PrintStream out;

    public Strace(PrintStream out) {
        this.out = out;
    }

    /** Prints a completed call and its result. */
    public void call(SyscallContext c, SyscallDef def, long result, long... args) {
        out.println(format(c.memory(), def, result, args) + " = " + formatResult(def.result(), result));
    }

    /** Prints a call that does not return, before it runs. */
    public void noReturn(SyscallContext c, SyscallDef def, long... args) {
        out.println(format(c.memory(), def, 0, args) + " = ?");
    }

    /** Prints a syscall Phoenix does not know. */
    public void unknown(long nr, long... args) {
        StringBuilder sb = new StringBuilder("syscall_").append(nr).append('(');
        for (int i = 0; i < args.length; i++) {
            sb.append(i == 0 ? "" : ", ").append("0x").append(Long.toHexString(args[i]));
        }
        out.println(sb.append(") = -1 ENOSYS (").append(Errno.message(Errno.ENOSYS)).append(')'));
    }

    static String format(GuestMemory mem, SyscallDef def, long result, long... a) {
        StringBuilder sb = new StringBuilder(def.name()).append('(');
        Arg[] kinds = def.args();
        for (int i = 0; i < kinds.length && i < a.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            long next = i + 1 < a.length ? a[i + 1] : 0;
            appendArg(sb, mem, kinds[i], a[i], next, result);
        }
        return sb.append(')').toString();
    }

    private static void appendArg(StringBuilder sb, GuestMemory mem, Arg kind, long v, long next, long result) {
        switch (kind) {
            case DEC, NORETURN -> sb.append(v);
            case UDEC -> sb.append(Long.toUnsignedString(v));
            case HEX -> sb.append("0x").append(Long.toHexString(v));
            case OCT -> sb.append('0').append(Long.toOctalString(v));
            case FD -> sb.append((int) v == AT_FDCWD ? "AT_FDCWD" : Integer.toString((int) v));
            case PTR -> sb.append(v == 0 ? "NULL" : "0x" + Long.toHexString(v));
            case STR -> appendString(sb, mem, v, -1);
            case BUF_IN -> appendString(sb, mem, v, next);
            case BUF_OUT -> {
                if (result < 0) {
                    sb.append(v == 0 ? "NULL" : "0x" + Long.toHexString(v));
                } else {
                    appendString(sb, mem, v, result);
                }
            }
            case IOV_IN -> appendIovec(sb, mem, v, next);
        }
    }

    /** Appends a quoted, escaped string: NUL-terminated when {@code length} is -1. */
    private static void appendString(StringBuilder sb, GuestMemory mem, long address, long length) {
        if (address == 0) {
            sb.append("NULL");
            return;
        }
        try {
            byte[] bytes;
            if (length < 0) {
                String s = mem.readCString(address, 4096);
                bytes = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            } else {
                bytes = mem.read(address, (int) Math.min(length, STRING_LIMIT));
            }
            long total = length < 0 ? bytes.length : length;
            sb.append('"');
            for (int i = 0; i < Math.min(bytes.length, STRING_LIMIT); i++) {
                escape(sb, bytes[i]);
            }
            sb.append('"');
            if (total > STRING_LIMIT) {
                sb.append("...");
            }
        } catch (Errno e) {
            sb.append("0x").append(Long.toHexString(address));
        }
    }

    private static void appendIovec(StringBuilder sb, GuestMemory mem, long address, long count) {
        sb.append('[');
        try {
            for (int i = 0; i < Math.min(count, 8); i++) {
                long base = mem.readLong(address + 16L * i);
                long len = mem.readLong(address + 16L * i + 8);
                sb.append(i == 0 ? "" : ", ").append("{iov_base=");
                appendString(sb, mem, base, len);
                sb.append(", iov_len=").append(len).append('}');
            }
            if (count > 8) {
                sb.append(", ...");
            }
        } catch (Errno e) {
            sb.setLength(sb.length() - 1);
            sb.append("0x").append(Long.toHexString(address));
            return;
        }
        sb.append(']');
    }

    private static void escape(StringBuilder sb, byte b) {
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
                } else {
                    sb.append('\\').append(Integer.toOctalString(c));
                }
            }
        }
    }

    static String formatResult(Arg kind, long r) {
        if (r < 0 && r > -4096) {
            int errno = (int) -r;
            return "-1 " + Errno.name(errno) + " (" + Errno.message(errno) + ")";
        }
        return switch (kind) {
            case HEX, PTR -> "0x" + Long.toHexString(r);
            default -> Long.toString(r);
        };
    }
}
