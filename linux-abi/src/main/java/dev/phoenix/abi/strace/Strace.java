package dev.phoenix.abi.strace;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.abi.Signals;
import dev.phoenix.abi.signal.SigInfo;
import dev.phoenix.abi.syscall.Arg;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.abi.syscall.SyscallDef;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.ExitStatus;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Prints syscalls as strace(1) does: {@code openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3},
 * errors as {@code = -1 ENOENT (No such file or directory)}, {@code = ?} for calls that never
 * return, signals as {@code --- SIGINT {...} ---} and {@code +++ exited with 0 +++}. With
 * {@code follow} (strace -f) every task is traced, and once there is more than one, each line
 * starts with {@code [pid N]}; without it only the first task is. Arguments are decoded by
 * {@link Args}.
 */
public final class Strace {
    private static final int RESULT_COLUMN = 40;

    private final PrintStream out;
    private final boolean follow;
    private final Set<Integer> tids = new HashSet<>();
    /** Signal lines to print after the current call's line (signals discarded while it ran). */
    private final List<String> afterCall = new ArrayList<>();
    private int firstTid = -1;

    public Strace(PrintStream out, boolean follow) {
        this.out = out;
        this.follow = follow;
    }

    /** Prints a completed call and its result. */
    public void call(SyscallContext c, SyscallDef def, long result, long... args) {
        int tid = c.task().tid();
        if (traces(tid)) {
            line(tid, align(Args.format(c, def, result, args)) + "= " + formatResult(c.abi(), def, result, args));
            flushAfterCall();
        }
    }

    /** Prints a call that does not return, before it runs. */
    public void noReturn(SyscallContext c, SyscallDef def, long... args) {
        int tid = c.task().tid();
        if (traces(tid)) {
            line(tid, align(Args.format(c, def, 0, args)) + "= ?");
        }
    }

    /** Prints a syscall number Linux does not assign, as strace does: syscall_0x3e8(...). */
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

    /** Prints {@code info} after the line of the call now running, where strace shows its delivery. */
    public synchronized void signalAfterCall(int tid, SigInfo info) {
        if (traces(tid)) {
            afterCall.add(prefix(tid) + signalLine(info));
        }
    }

    private synchronized void flushAfterCall() {
        afterCall.forEach(out::println);
        afterCall.clear();
    }

    /** Prints a signal as the task dequeues it: {@code --- SIGSEGV {si_signo=SIGSEGV, ...} ---}. */
    public void signal(int tid, SigInfo info) {
        if (traces(tid)) {
            line(tid, signalLine(info));
        }
    }

    private static String signalLine(SigInfo info) {
        return "--- " + Signals.name(info.signo()) + " " + siginfo(info) + " ---";
    }

    static String siginfo(SigInfo info) {
        String head = "{si_signo=" + Signals.name(info.signo()) + ", si_code=";
        return switch (info.code()) {
            case SigInfo.SI_USER, SigInfo.SI_TKILL -> head + (info.code() == SigInfo.SI_USER ? "SI_USER" : "SI_TKILL")
                    + ", si_pid=" + (int) info.word() + ", si_uid=" + (int) (info.word() >>> 32) + "}";
            case SigInfo.SI_KERNEL -> head + "SI_KERNEL" + (info.signo() == Signals.SIGSEGV ? ", si_addr=NULL}" : "}");
            default -> head + faultCode(info) + ", si_addr=" + pointer(info.word()) + "}";
        };
    }

    private static String faultCode(SigInfo info) {
        int s = info.signo();
        int code = info.code();
        String name = s == Signals.SIGSEGV ? (code == SigInfo.SEGV_MAPERR ? "SEGV_MAPERR" : "SEGV_ACCERR")
                : s == Signals.SIGBUS ? (code == SigInfo.BUS_ADRALN ? "BUS_ADRALN" : "BUS_ADRERR")
                : s == Signals.SIGILL ? "ILL_ILLOPC" : s == Signals.SIGFPE ? "FPE_INTDIV"
                : s == Signals.SIGTRAP ? "TRAP_BRKPT" : null;
        return name != null ? name : Integer.toString(code);
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

    static String pointer(long v) {
        return v == 0 ? "NULL" : "0x" + Long.toHexString(v);
    }

    /** printf's {@code %#lx}, as strace prints flags and offsets: 0, 0x1000. */
    static String hex(long v) {
        return v == 0 ? "0" : "0x" + Long.toHexString(v);
    }

    /** strace's modes: 0644, 000. */
    static String octal(long v) {
        return String.format("0%02o", v);
    }

    /** "-1 ENOENT (...)", "? ERESTARTSYS (...)", or the value, decoded where strace decodes it. */
    static String formatResult(ArchAbi abi, SyscallDef def, long r, long... args) {
        if (r < 0 && r > -4096) {
            int errno = (int) -r;
            return (Errno.isRestart(errno) ? "? " : "-1 ") + Errno.name(errno) + " (" + Errno.message(errno) + ")";
        }
        Arg[] kinds = def.args();
        if (kinds.length > 1 && kinds[1] == Arg.FCNTL_CMD && args.length > 1) {
            String decoded = Calls.fcntlResult(abi, args[1], r);
            if (decoded != null) {
                return decoded;
            }
        }
        return switch (def.result()) {
            case HEX, PTR -> "0x" + Long.toHexString(r);
            case OCT -> octal(r);
            default -> Long.toString(r);
        };
    }
}
