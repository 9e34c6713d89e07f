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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Prints syscalls as strace(1) does: {@code openat(AT_FDCWD, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3},
 * errors as {@code = -1 ENOENT (No such file or directory)}, {@code = ?} for calls that never
 * return, signals as {@code --- SIGINT {...} ---} and {@code +++ exited with 0 +++}. Arguments
 * are decoded by {@link Args}.
 *
 * <p>With {@code follow} (strace -f) every thread and process is traced, and while more than
 * one is, each line starts with {@code [pid  N]} (the pid in five columns); written to a file
 * (-o), every line starts with the pid, {@code N     }, from the first. Without it only the
 * first task is traced. As strace, which prints a call's arguments at entry and the rest at
 * exit, it keeps the one line begun (a call entered and not returned): when another task's line
 * comes first, that line ends {@code <unfinished ...>} and the call's own exit later prints
 * {@code <... name resumed>} and the rest. The prefix of a line is the one in force when it
 * began. Tasks run on several host threads: every line is printed whole, by one println, under
 * this printer's lock, so lines of different tasks never mix.
 */
public final class Strace {
    private static final int RESULT_COLUMN = 40;
    private static final String UNFINISHED = " <unfinished ...>";

    private final PrintStream out;
    private final boolean follow;
    /** strace -f -o FILE: every line starts with the pid, left-aligned in five columns. */
    private final boolean pidColumn;
    /** Traced tasks not yet exited, each with its thread group (-1 until known): strace's count of tracees. */
    private final Map<Integer, Integer> live = new LinkedHashMap<>();
    /** Tasks whose exit was printed: a fork's result naming one of them does not bring it back. */
    private final Set<Integer> gone = new HashSet<>();
    /** The call each task entered and has not returned from. */
    private final Map<Integer, Call> inCall = new HashMap<>();
    /** Tasks that called exit(2): their exit line is theirs alone, not their process's. */
    private final Set<Integer> threadExiting = new HashSet<>();
    /** Signal lines to print after a task's current call's line (signals discarded while it ran). */
    private final Map<Integer, List<SigInfo>> afterCall = new HashMap<>();
    /** The line begun and not ended: its task's call entered, printed up to its entry arguments. */
    private Call open;
    private int firstTid = -1;

    /** A call a task entered: the line strace began for it, and whether another's line cut it. */
    private static final class Call {
        final int tid;
        final String name;
        /** The prefix and "name(args, " as printed at entry. */
        final String leader;
        final String head;
        /** Whether strace would print anything more at exit (else a cut line resumes with ")" alone). */
        final boolean decodedAtEntry;
        boolean cut;

        Call(int tid, String name, String leader, String head, boolean decodedAtEntry) {
            this.tid = tid;
            this.name = name;
            this.leader = leader;
            this.head = head;
            this.decodedAtEntry = decodedAtEntry;
        }
    }

    /** As {@link #Strace(PrintStream, boolean, boolean)} writing to stderr. */
    public Strace(PrintStream out, boolean follow) {
        this(out, follow, false);
    }

    /** {@code toFile}: the output is a file (strace -o), where -f puts the pid before every line. */
    public Strace(PrintStream out, boolean follow, boolean toFile) {
        this.out = out;
        this.follow = follow;
        this.pidColumn = follow && toFile;
    }

    /**
     * A task enters a call: strace prints its arguments read at entry now (and they are read
     * now, before the call changes memory, as execve does); the line ends when it returns. A
     * call that parked and runs again is the same call.
     */
    public void enter(SyscallContext c, SyscallDef def, long... args) {
        int tid = c.task().tid();
        synchronized (this) {
            if (!traces(tid, c.task().process().pid()) || inCall.containsKey(tid)) {
                return;
            }
        }
        String head = Args.head(c, def, args);
        boolean decoded = Args.decodedAtEntry(c, def, args);
        synchronized (this) {
            cut();
            Call call = new Call(tid, def.name(), leader(tid), head, decoded);
            inCall.put(tid, call);
            open = call;
        }
    }

    /** Prints a completed call and its result, and the signal lines that wait for it. */
    public void call(SyscallContext c, SyscallDef def, long result, long... args) {
        int tid = c.task().tid();
        Call entered;
        synchronized (this) {
            if (!traces(tid, c.task().process().pid())) {
                return;
            }
            entered = inCall.get(tid);
        }
        String head = entered != null ? null : Args.head(c, def, args);
        String tail = Args.tail(c, def, result, args);
        String shown = "= " + formatResult(c.abi(), def, result, args);
        synchronized (this) {
            inCall.remove(tid);
            if (entered != null && open == entered) {
                open = null;
                println(entered.leader, def.name() + "(" + entered.head + tail, shown);
            } else {
                cut();
                println(leader(tid), entered != null ? "<... " + entered.name + " resumed>" + tail
                        : def.name() + "(" + head + tail, shown);
            }
            List<SigInfo> signals = afterCall.remove(tid);
            if (signals != null) {
                for (SigInfo info : signals) {
                    println(leader(tid), signalLine(info), "");
                }
            }
            if (follow && result > 0 && result < Integer.MAX_VALUE && forks(def.name())) {
                attach((int) result, newGroup(c, def, tid, args) ? (int) result : c.task().process().pid());
            }
        }
    }

    /** Prints a call that does not return, before it runs: {@code exit_group(0) = ?}. */
    public void noReturn(SyscallContext c, SyscallDef def, long... args) {
        int tid = c.task().tid();
        synchronized (this) {
            if (!traces(tid, c.task().process().pid())) {
                return;
            }
        }
        String text = Args.format(c, def, 0, args);
        synchronized (this) {
            cut();
            println(leader(tid), text, "= ?");
            if (def.name().equals("exit")) {
                threadExiting.add(tid);
            }
        }
    }

    /** Prints a syscall number Linux does not assign, as strace does: syscall_0x3e8(...). */
    public void unknown(SyscallContext c, long nr, long... args) {
        int tid = c.task().tid();
        StringBuilder sb = new StringBuilder("syscall_0x").append(Long.toHexString(nr)).append('(');
        for (int i = 0; i < args.length; i++) {
            sb.append(i == 0 ? "" : ", ").append("0x").append(Long.toHexString(args[i]));
        }
        sb.append(')');
        synchronized (this) {
            if (traces(tid, c.task().process().pid())) {
                cut();
                println(leader(tid), sb.toString(), "= -1 ENOSYS (" + Errno.message(Errno.ENOSYS) + ")");
            }
        }
    }

    /** Prints {@code info} after the line of the call now running, where strace shows its delivery. */
    public synchronized void signalAfterCall(int tid, SigInfo info) {
        if (traces(tid, -1)) {
            afterCall.computeIfAbsent(tid, t -> new ArrayList<>()).add(info);
        }
    }

    /** Prints a signal as the task dequeues it: {@code --- SIGSEGV {si_signo=SIGSEGV, ...} ---}. */
    public synchronized void signal(int tid, SigInfo info) {
        if (traces(tid, -1)) {
            cut();
            println(leader(tid), signalLine(info), "");
        }
    }

    private static String signalLine(SigInfo info) {
        return "--- " + Signals.name(info.signo()) + " " + siginfo(info) + " ---";
    }

    static String siginfo(SigInfo info) {
        return siginfo(info, 0, 0);
    }

    /** A siginfo as strace prints it; {@code utime} and {@code stime} are SIGCHLD's (clock ticks). */
    static String siginfo(SigInfo info, long utime, long stime) {
        String head = "{si_signo=" + Signals.name(info.signo()) + ", si_code=";
        String source = ", si_pid=" + (int) info.word() + ", si_uid=" + (int) (info.word() >>> 32);
        if (info.signo() == Signals.SIGCHLD && info.code() > 0 && info.code() <= CLD_CODES.length) {
            // sigaction(2): a child's pid, uid and status; the status is a signal unless it exited.
            int status = (int) info.value();
            return head + CLD_CODES[info.code() - 1] + source + ", si_status="
                    + (info.code() == SigInfo.CLD_EXITED ? Integer.toString(status) : Names.signal(status))
                    + ", si_utime=" + clockTicks(utime) + ", si_stime=" + clockTicks(stime) + "}";
        }
        return switch (info.code()) {
            case SigInfo.SI_USER, SigInfo.SI_TKILL -> head + (info.code() == SigInfo.SI_USER ? "SI_USER" : "SI_TKILL")
                    + source + "}";
            case SigInfo.SI_KERNEL -> head + "SI_KERNEL" + (info.signo() == Signals.SIGSEGV ? ", si_addr=NULL}" : "}");
            case SigInfo.SI_TIMER -> head + "SI_TIMER, si_timerid=" + hexOrZero((int) info.word()) + ", si_overrun="
                    + (int) (info.word() >>> 32) + sigval(info) + "}";
            case SigInfo.SI_QUEUE -> head + "SI_QUEUE" + source + sigval(info) + "}";
            default -> head + faultCode(info) + ", si_addr=" + pointer(info.word()) + "}";
        };
    }

    /** si_value as strace prints it: its int and its pointer. */
    private static String sigval(SigInfo info) {
        return ", si_int=" + (int) info.value() + ", si_ptr=" + pointer(info.value());
    }

    private static String hexOrZero(int v) {
        return v == 0 ? "0" : "0x" + Integer.toHexString(v);
    }

    private static final String[] CLD_CODES = {"CLD_EXITED", "CLD_KILLED", "CLD_DUMPED", "CLD_TRAPPED",
        "CLD_STOPPED", "CLD_CONTINUED"};

    /** A clock_t, and when it is not 0 its seconds at USER_HZ 100 in a comment, as strace prints si_utime. */
    private static String clockTicks(long ticks) {
        return ticks == 0 ? "0" : Long.toUnsignedString(ticks) + " /* " + Long.divideUnsigned(ticks, 100) + "."
                + String.format("%02d", Long.remainderUnsigned(ticks, 100)) + " s */";
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

    /**
     * Prints how a task, or a process and every thread of it, ended: {@code +++ exited with 0 +++}
     * or {@code +++ killed by SIGSEGV +++}, after {@code <... read resumed>) = ?} for a call it
     * was in (strace's line for a call that never returned).
     */
    public synchronized void exited(int id, ExitStatus st) {
        String text = st.signal() != 0 ? "+++ killed by " + Signals.name(st.signal()) + " +++"
                : "+++ exited with " + st.code() + " +++";
        if (!follow) {
            if (id == firstTid) {
                endCall(id);
                cut();
                println(leader(id), text, "");
            }
            return;
        }
        List<Integer> ending = new ArrayList<>();
        boolean oneThread = threadExiting.remove(id) && live.containsKey(id);
        for (Map.Entry<Integer, Integer> e : live.entrySet()) {
            if (!oneThread && e.getKey() != id && e.getValue() == id) {
                ending.add(e.getKey()); // the other threads of a process that ended
            }
        }
        if (live.containsKey(id) || !gone.contains(id)) {
            ending.add(id); // the leader last, as Linux reports it after its threads
        }
        // Every call in progress ends before any task's exit line, as each task stops in the kernel first.
        ending.forEach(this::endCall);
        for (int tid : ending) {
            cut();
            println(leader(tid), text, "");
            live.remove(tid);
            gone.add(tid);
            threadExiting.remove(tid);
            afterCall.remove(tid);
        }
    }

    /** Ends {@code tid}'s line for a call it never returned from: {@code <... read resumed> <unfinished ...>) = ?}. */
    private void endCall(int tid) {
        Call call = inCall.remove(tid);
        if (call == null) {
            return;
        }
        String more = call.decodedAtEntry ? "" : UNFINISHED;
        if (open == call) {
            open = null;
            println(call.leader, call.name + "(" + call.head + more + ")", "= ?");
        } else {
            cut();
            println(leader(tid), "<... " + call.name + " resumed>" + more + ")", "= ?");
        }
    }

    /** Whether {@code tid}'s calls are traced; the first task seen is the one strace started. */
    private boolean traces(int tid, int tgid) {
        if (firstTid < 0) {
            firstTid = tid;
        }
        if (!follow) {
            return tid == firstTid;
        }
        Integer known = live.get(tid);
        if (known == null || (known < 0 && tgid >= 0)) {
            live.put(tid, tgid);
            gone.remove(tid);
        }
        return true;
    }

    /** A child a fork, vfork, clone or clone3 made: traced from now on (strace attaches it before the call returns). */
    private void attach(int tid, int tgid) {
        if (!gone.contains(tid)) {
            live.putIfAbsent(tid, tgid);
        }
    }

    private static boolean forks(String name) {
        return name.equals("fork") || name.equals("vfork") || name.equals("clone") || name.equals("clone3");
    }

    private static final long CLONE_THREAD = 0x10000;

    /** Whether the child a fork-like call made leads a thread group of its own (not CLONE_THREAD). */
    private static boolean newGroup(SyscallContext c, SyscallDef def, int tid, long[] args) {
        long flags = 0;
        if (def.name().equals("clone")) {
            flags = args[0];
        } else if (def.name().equals("clone3")) {
            try {
                flags = c.memory().readLong(args[0]);
            } catch (Errno e) {
                return true;
            }
        }
        return (flags & CLONE_THREAD) == 0;
    }

    /**
     * The line begun for another call ends here, as strace ends it when another task's line
     * starts: {@code wait4(-1,  <unfinished ...>}; that call's exit resumes it.
     */
    private void cut() {
        Call c = open;
        if (c != null) {
            open = null;
            c.cut = true;
            write(c.leader + c.name + "(" + c.head + UNFINISHED);
        }
    }

    /** strace -f's prefix of a line beginning now. */
    private String leader(int tid) {
        if (pidColumn) {
            return String.format("%-5d ", tid);
        }
        return follow && live.size() > 1 ? String.format("[pid %5d] ", tid) : "";
    }

    /** One whole line: the result (if any) in column 40, counted from the line's start, prefix included (strace's -a40). */
    private void println(String leader, String text, String result) {
        String line = leader + text;
        write(result.isEmpty() ? line : align(line) + result);
    }

    /**
     * A line and its newline in one write, so that the guest's own writes to the same stream
     * (its stderr, when the trace goes there too) come between lines, not inside one.
     */
    private void write(String line) {
        out.print(line + "\n");
    }

    /** strace's -a40 default: the "=" of the result in column 40 unless the call is longer. */
    static String align(String call) {
        return call.length() < RESULT_COLUMN ? call + " ".repeat(RESULT_COLUMN - call.length()) : call + " ";
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
