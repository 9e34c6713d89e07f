package dev.phoenix.abi.strace;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.abi.Signals;
import dev.phoenix.abi.syscall.Arg;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.abi.syscall.SyscallDef;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.mm.GuestMemory;
import dev.phoenix.libos.proc.ExitStatus;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * Prints syscalls as strace(1) does: {@code openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3},
 * errors as {@code = -1 ENOENT (No such file or directory)}, {@code = ?} for calls that never
 * return, and {@code +++ exited with 0 +++}. With {@code follow} (strace -f) every task is
 * traced, and once there is more than one, each line starts with {@code [pid N]}; without it
 * only the first task is.
 */
public final class Strace {
    /** strace's default string limit (-s 32). */
    private static final int STRING_LIMIT = 32;
    private static final int AT_FDCWD = -100;
    private static final int RESULT_COLUMN = 40;
    /** O_CREAT and __O_TMPFILE: open(2) reads its mode argument only with one of them. */
    private static final long OPEN_TAKES_MODE = 0100 | 020000000;
    /** Kernel-internal restart codes (include/linux/errno.h), shown as "= ? ERESTARTSYS (...)". */
    private static final int ERESTART_FIRST = 512, ERESTART_LAST = 516;

    private final PrintStream out;
    private final boolean follow;
    private final Set<Integer> tids = new HashSet<>();
    private int firstTid = -1;

    public Strace(PrintStream out, boolean follow) {
        this.out = out;
        this.follow = follow;
    }

    /** Prints a completed call and its result. */
    public void call(SyscallContext c, SyscallDef def, long result, long... args) {
        int tid = c.task().tid();
        if (traces(tid)) {
            line(tid, align(format(c.memory(), c.abi(), def, result, args)) + "= " + formatResult(c.abi(), def, result,
                    args));
        }
    }

    /** Prints a call that does not return, before it runs. */
    public void noReturn(SyscallContext c, SyscallDef def, long... args) {
        int tid = c.task().tid();
        if (traces(tid)) {
            line(tid, align(format(c.memory(), c.abi(), def, 0, args)) + "= ?");
        }
    }

    /** Prints a syscall number Linux does not assign. */
    public void unknown(SyscallContext c, long nr, long... args) {
        int tid = c.task().tid();
        if (!traces(tid)) {
            return;
        }
        StringBuilder sb = new StringBuilder("syscall_0x").append(Long.toHexString(nr)).append('(');
        for (int i = 0; i < args.length; i++) {
            sb.append(i == 0 ? "" : ", ").append("0x").append(Long.toHexString(args[i]));
        }
        line(tid, align(sb.append(')').toString()) + "= -1 ENOSYS (" + Errno.message(Errno.ENOSYS) + ")");
    }

    /** Prints how a task's process ended: {@code +++ exited with 0 +++} or {@code +++ killed by SIGSEGV +++}. */
    public void exited(int tid, ExitStatus st) {
        if (traces(tid)) {
            line(tid, st.signal() != 0 ? "+++ killed by " + Signals.name(st.signal()) + " +++"
                    : "+++ exited with " + st.code() + " +++");
        }
    }

    /** Whether {@code tid}'s calls are traced; the first task seen is the one strace started. */
    synchronized boolean traces(int tid) {
        if (firstTid < 0) {
            firstTid = tid;
        }
        if (follow) {
            tids.add(tid);
        }
        return follow || tid == firstTid;
    }

    /** strace -f puts [pid N] before every line once a second task is traced. */
    synchronized String prefix(int tid) {
        return follow && tids.size() > 1 ? "[pid " + tid + "] " : "";
    }

    /** strace's -a40 default: the "=" of the result in column 40 unless the call is longer. */
    static String align(String call) {
        return call.length() < RESULT_COLUMN ? call + " ".repeat(RESULT_COLUMN - call.length()) : call + " ";
    }

    private void line(int tid, String text) {
        out.println(prefix(tid) + text);
    }

    static String format(GuestMemory mem, ArchAbi abi, SyscallDef def, long result, long... a) {
        StringBuilder sb = new StringBuilder(def.name()).append('(');
        Arg[] kinds = def.args();
        for (int i = 0, shown = 0; i < kinds.length && i < a.length; i++) {
            if (kinds[i] == Arg.SKIP || (kinds[i] == Arg.OCT && i > 0 && kinds[i - 1] == Arg.OPEN_FLAGS
                    && (a[i - 1] & OPEN_TAKES_MODE) == 0)) {
                continue; // strace shows open's mode only when the flags make the kernel read it
            }
            if (shown++ > 0) {
                sb.append(", ");
            }
            long next = i + 1 < a.length ? a[i + 1] : 0;
            if (kinds[i] == Arg.FCNTL_CMD) {
                sb.append(fcntl(abi, a[i], next));
                i++;
                continue;
            }
            try {
                appendArg(sb, mem, abi, kinds[i], a[i], next, result);
            } catch (Errno e) {
                sb.append(pointer(a[i])); // strace prints an unreadable struct as its address
            }
        }
        return sb.append(')').toString();
    }

    private static void appendArg(StringBuilder sb, GuestMemory mem, ArchAbi abi, Arg kind, long v, long next,
            long result) {
        boolean failed = result < 0 && result > -4096;
        switch (kind) {
            case DEC, NORETURN -> sb.append(v);
            case SKIP -> { }
            case UDEC -> sb.append(Long.toUnsignedString(v));
            case HEX -> sb.append(v == 0 ? "0" : "0x" + Long.toHexString(v)); // printf's %#lx
            case OCT -> sb.append(String.format("0%02o", v)); // strace's 0644, 000
            case FD -> sb.append((int) v == AT_FDCWD ? "AT_FDCWD" : Integer.toString((int) v));
            case PTR -> sb.append(pointer(v));
            case STR -> appendString(sb, mem, v, -1);
            case BUF_IN -> appendString(sb, mem, v, next);
            case BUF_OUT -> {
                if (failed) {
                    sb.append(pointer(v));
                } else {
                    appendString(sb, mem, v, result);
                }
            }
            case IOV_IN -> appendIovec(sb, mem, v, next);
            case OPEN_FLAGS -> sb.append(Names.openFlags(abi, v));
            case PIPE_FLAGS -> sb.append(Names.pipeFlags(abi, v));
            case AT_FLAGS -> sb.append(Names.AT.format(v));
            case UNLINKAT_FLAGS -> sb.append(Names.UNLINKAT.format(v));
            case FACCESSAT_FLAGS -> sb.append(Names.FACCESSAT.format(v));
            case ACCESS_MODE -> sb.append(Names.ACCESS.format(v));
            case MMAP_PROT -> sb.append(Names.PROT.format(v));
            case MMAP_FLAGS -> sb.append(Names.MAP.format(v));
            case MREMAP_FLAGS -> sb.append(Names.MREMAP.format(v));
            case MSYNC_FLAGS -> sb.append(Names.MSYNC.format(v));
            case MADVISE -> sb.append(Names.MADVISE.format(v));
            case SIGNAL -> sb.append(v > 0 && v <= Signals.NSIG ? Signals.name((int) v) : Long.toString(v));
            case SIG_HOW -> sb.append(Names.SIG_HOW.format(v));
            case SIGSET -> sb.append(v == 0 ? "NULL" : Structs.sigset(mem.readLong(v)));
            case SIGSET_OUT -> sb.append(v == 0 || failed ? pointer(v) : Structs.sigset(mem.readLong(v)));
            case SIGACTION -> sb.append(v == 0 ? "NULL" : Structs.sigaction(mem, abi, v));
            case SIGACTION_OUT -> sb.append(v == 0 || failed ? pointer(v) : Structs.sigaction(mem, abi, v));
            case CLOCK -> sb.append(Names.CLOCK.format((int) v));
            case TIMESPEC -> sb.append(v == 0 ? "NULL" : Structs.timespec(mem, v));
            case TIMESPEC_OUT -> sb.append(v == 0 || failed ? pointer(v) : Structs.timespec(mem, v));
            case STAT_OUT -> sb.append(v == 0 || failed ? pointer(v) : Structs.stat(mem, abi, v));
            case SOCKADDR -> sb.append(v == 0 ? "NULL" : Structs.sockaddr(mem, v, next));
            case FCNTL_CMD -> sb.append(Names.FCNTL.format(v));
            case IOCTL_REQ -> sb.append(Names.IOCTL.format(v & 0xffffffffL));
            case WHENCE -> sb.append(Names.WHENCE.format(v));
            case FLOCK_OP -> sb.append(Names.FLOCK.format(v));
            case RLIMIT -> sb.append(Names.RLIMIT.format(v));
            case RLIMIT_IN -> sb.append(v == 0 ? "NULL" : Structs.rlimit(mem, v));
            case RLIMIT_OUT -> sb.append(v == 0 || failed ? pointer(v) : Structs.rlimit(mem, v));
            case GRND_FLAGS -> sb.append(Names.GRND.format(v));
            case ARCH_PRCTL_CODE -> sb.append(Names.ARCH_PRCTL.format(v));
            case ITIMER_WHICH -> sb.append(Names.ITIMER.format(v));
            case TIMER_FLAGS -> sb.append(Names.TIMER.format(v));
        }
    }

    /** fcntl(fd, CMD[, arg]): the argument only for commands that take one, decoded by command. */
    private static String fcntl(ArchAbi abi, long cmd, long arg) {
        String name = Names.FCNTL.format((int) cmd);
        return switch ((int) cmd) {
            case 1, 3, 9, 11, 1025, 1032, 1034 -> name; // the F_GET* commands take no argument
            case 2 -> name + ", " + Names.FD_FLAGS.format(arg);
            case 4 -> name + ", " + Names.openFlags(abi, arg);
            case 5, 6, 7, 15, 16, 36, 37, 38 -> name + ", " + pointer(arg);
            default -> name + ", " + (int) arg;
        };
    }

    static String pointer(long v) {
        return v == 0 ? "NULL" : "0x" + Long.toHexString(v);
    }

    /** Appends a quoted, escaped string: NUL-terminated when {@code length} is -1. */
    private static void appendString(StringBuilder sb, GuestMemory mem, long address, long length) {
        if (address == 0) {
            sb.append("NULL");
            return;
        }
        try {
            byte[] bytes = length < 0 ? mem.readCString(address, 4096).getBytes(StandardCharsets.UTF_8)
                    : mem.read(address, (int) Math.min(length, STRING_LIMIT));
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
            sb.append(pointer(address));
        }
    }

    private static void appendIovec(StringBuilder sb, GuestMemory mem, long address, long count) {
        int start = sb.length();
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
            sb.setLength(start);
            sb.append(pointer(address));
            return;
        }
        sb.append(']');
    }

    static void escape(StringBuilder sb, byte b) {
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

    /** "-1 ENOENT (...)", "? ERESTARTSYS (...)", or the value, decoded where strace decodes it. */
    static String formatResult(ArchAbi abi, SyscallDef def, long r, long... args) {
        if (r < 0 && r > -4096) {
            int errno = (int) -r;
            String code = errno >= ERESTART_FIRST && errno <= ERESTART_LAST ? "? " : "-1 ";
            return code + Errno.name(errno) + " (" + Errno.message(errno) + ")";
        }
        if (def.name().equals("fcntl") && args.length > 1 && (args[1] == 1 || args[1] == 3)) {
            return (r == 0 ? "0" : "0x" + Long.toHexString(r)) + " (flags " + (args[1] == 1 ? Names.FD_FLAGS.format(r)
                    : Names.openFlags(abi, r)) + ")";
        }
        return switch (def.result()) {
            case HEX, PTR -> "0x" + Long.toHexString(r);
            default -> Long.toString(r);
        };
    }
}
