package dev.phoenix.abi.strace;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.abi.Signals;
import dev.phoenix.abi.syscall.Arg;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.abi.syscall.SyscallDef;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.mm.GuestMemory;

/**
 * A call's argument list as strace(1) prints it, in the two parts strace prints: at syscall
 * entry the arguments the call reads ({@link #head}), at exit the ones it fills and the rest
 * ({@link #tail}); output structs only when the call succeeded. strace -f shows the split when
 * another task's line comes between the two: {@code wait4(-1,  <unfinished ...>} and later
 * {@code <... wait4 resumed>[{WIFEXITED(s) && WEXITSTATUS(s) == 3}], 0, NULL) = 123}.
 */
final class Args {
    private static final int AT_FDCWD = -100;
    /** O_CREAT and __O_TMPFILE: open(2) reads its mode argument only with one of them. */
    private static final long OPEN_TAKES_MODE = 0100 | 020000000;
    private static final long MREMAP_FIXED = 2;

    private Args() {}

    /** {@code name(arg, arg, ...)} for the call {@code def} with registers {@code a} and {@code result}, whole. */
    static String format(SyscallContext c, SyscallDef def, long result, long... a) {
        return def.name() + "(" + head(c, def, a) + tail(c, def, result, a);
    }

    /**
     * What strace prints of the call at its entry, after "name(": the arguments decoded then,
     * and ", " when more follow at exit ("-1, " for wait4; the whole list for write).
     */
    static String head(SyscallContext c, SyscallDef def, long... a) {
        Arg[] kinds = def.args();
        int split = split(kinds, a);
        StringBuilder sb = new StringBuilder();
        boolean more = false;
        for (int i = 0, shown = 0; i < kinds.length && i < a.length; i += 1 + consumed(kinds[i], a.length, i)) {
            if (hidden(kinds, a, i)) {
                continue;
            }
            if (i >= split) {
                more = true;
                break;
            }
            if (shown++ > 0) {
                sb.append(", ");
            }
            appendSafely(sb, c, kinds[i], a, i, 0, true);
        }
        return more && !sb.isEmpty() ? sb.append(", ").toString() : sb.toString();
    }

    /**
     * What strace prints of the call at its exit: the arguments {@link #head} left, and ")".
     * clone and clone3 add what the kernel stored (parent_tid=[123]) to the arguments read at entry.
     */
    static String tail(SyscallContext c, SyscallDef def, long result, long... a) {
        Arg[] kinds = def.args();
        int split = split(kinds, a);
        StringBuilder sb = new StringBuilder();
        for (int i = 0, shown = 0; i < kinds.length && i < a.length; i += 1 + consumed(kinds[i], a.length, i)) {
            if (hidden(kinds, a, i)) {
                continue;
            }
            if (i < split) {
                if (kinds[i] == Arg.CLONE_FLAGS || kinds[i] == Arg.CLONE_ARGS) {
                    appendSafely(sb, c, kinds[i], a, i, result, false);
                }
                continue;
            }
            if (shown++ > 0) {
                sb.append(", ");
            }
            appendSafely(sb, c, kinds[i], a, i, result, true);
        }
        return sb.append(')').toString();
    }

    /** True when strace decodes every argument at entry (the exit prints only the result). */
    static boolean decodedAtEntry(SyscallContext c, SyscallDef def, long... a) {
        Arg[] kinds = def.args();
        if (split(kinds, a) < Math.min(kinds.length, a.length)) {
            return false;
        }
        for (int i = 0; i < kinds.length && i < a.length; i++) {
            if (kinds[i] == Arg.CLONE_FLAGS) {
                return !Calls.cloneFinishesAtExit(a[i]);
            }
            if (kinds[i] == Arg.CLONE_ARGS) {
                return !Structs.cloneArgsFinishAtExit(c.memory(), a[i], i + 1 < a.length ? a[i + 1] : 0);
            }
        }
        return true;
    }

    /**
     * The index of the first argument strace prints at exit (what the call fills, or reads
     * after a decision made then), or past the end when it prints them all at entry.
     */
    private static int split(Arg[] kinds, long[] a) {
        for (int i = 0; i < kinds.length && i < a.length; i++) {
            if (atExit(kinds[i])) {
                return i;
            }
        }
        return kinds.length;
    }

    private static boolean atExit(Arg kind) {
        return switch (kind) {
            case ID_OUT, GROUPS_OUT, CAP_DATA_OUT, STR_OUT, BUF_OUT, BUF_OUT_HEX, IOV_OUT, GETDENTS, SIGRETURN_MASK,
                    STATX_OUT, PIPEFDS_OUT, MINCORE_VEC, SIGSET_OUT, SIGACTION_OUT, STACK_T_OUT, ITIMERVAL_OUT,
                    TIMESPEC_OUT, TIMESPEC_REM, STAT_OUT, RLIMIT_OUT, FCNTL_CMD, IOCTL_REQ, PRCTL_OPTION, WAIT_STATUS,
                    WAIT_RUSAGE, SIGINFO_OUT, RUSAGE_OUT -> true;
            default -> false;
        };
    }

    /** How many registers after {@code i} argument kind {@code kind} decodes with it. */
    private static int consumed(Arg kind, int registers, int i) {
        return switch (kind) {
            case FCNTL_CMD, IOCTL_REQ, CLONE_ARGS -> 1;
            case PRCTL_OPTION, FUTEX_OP, CLONE_FLAGS -> registers - i - 1;
            default -> 0;
        };
    }

    /** Appends argument {@code i} (clone's and clone3's entry or exit part, by {@code entry}); an unreadable struct is its address. */
    private static void appendSafely(StringBuilder sb, SyscallContext c, Arg kind, long[] a, int i, long result,
            boolean entry) {
        try {
            append(sb, c, kind, a, i, result, entry);
        } catch (Errno e) {
            sb.append(Strace.pointer(a[i])); // strace prints an unreadable struct as its address
        }
    }

    /** Registers strace leaves out: split offsets' high halves, open's mode without O_CREAT, mremap's address without MREMAP_FIXED. */
    private static boolean hidden(Arg[] kinds, long[] a, int i) {
        if (kinds[i] == Arg.SKIP) {
            return true;
        }
        Arg before = i > 0 ? kinds[i - 1] : null;
        return (kinds[i] == Arg.OCT && before == Arg.OPEN_FLAGS && (a[i - 1] & OPEN_TAKES_MODE) == 0)
                || (before == Arg.MREMAP_FLAGS && (a[i - 1] & MREMAP_FIXED) == 0);
    }

    /** Appends argument {@code i}. */
    private static void append(StringBuilder sb, SyscallContext c, Arg kind, long[] a, int i, long result,
            boolean entry) {
        GuestMemory mem = c.memory();
        ArchAbi abi = c.abi();
        long v = a[i];
        long next = i + 1 < a.length ? a[i + 1] : 0;
        boolean ok = result >= 0 || result <= -4096;
        switch (kind) {
            case FCNTL_CMD -> sb.append(Calls.fcntl(mem, abi, v, next, ok));
            case IOCTL_REQ -> sb.append(Calls.ioctl(mem, v, next, ok));
            case PRCTL_OPTION -> sb.append(Calls.prctl(mem, a, i, ok));
            case FUTEX_OP -> sb.append(Calls.futex(mem, a, i));
            case CLONE_FLAGS -> sb.append(entry ? Calls.clone(a, i) : Calls.cloneStored(mem, abi, a, i, ok));
            case CLONE_ARGS -> {
                // clone3's size comes after what the kernel stored, when strace waits for the exit to print that.
                boolean atExit = Structs.cloneArgsFinishAtExit(mem, v, next);
                if (entry) {
                    sb.append(Structs.cloneArgs(mem, v, next)).append(atExit ? "" : ", " + Long.toUnsignedString(next));
                } else if (atExit) {
                    sb.append(ok ? Structs.cloneArgsStored(mem, v) : "").append(", ").append(Long.toUnsignedString(next));
                }
            }
            case MINCORE_VEC -> {
                boolean show = v != 0 && ok && i > 0;
                sb.append(show ? Structs.mincore(mem, v, a[i - 1]) : Strace.pointer(v));
            }
            case OPEN_HOW -> sb.append(v == 0 ? "NULL" : next < 24 ? Strace.pointer(v) : Structs.openHow(mem, abi, v, next));
            case CAP_DATA -> sb.append(v == 0 || i == 0 ? Strace.pointer(v) : Structs.capData(mem, a[i - 1], v));
            case CAP_DATA_OUT -> sb.append(v == 0 || i == 0 || result != 0 ? Strace.pointer(v)
                    : Structs.capData(mem, a[i - 1], v));
            case GROUPS_IN -> sb.append(v == 0 || i == 0 || (int) a[i - 1] < 0 || (int) a[i - 1] > 65536
                    ? Strace.pointer(v) : Structs.ids(mem, v, (int) a[i - 1]));
            case GROUPS_OUT -> sb.append(v == 0 || i == 0 || (int) a[i - 1] == 0 || result < 0 ? Strace.pointer(v)
                    : Structs.ids(mem, v, result));
            case SIGRETURN_MASK -> {
                sb.append("{mask=").append(Structs.sigset(c.task().blocked)).append('}'); // state, not a register
            }
            case ARGV -> sb.append(Strings.argv(mem, v));
            case ENVP -> sb.append(Strings.envp(mem, v));
            // wait4 fills them only when it reports a child (a positive result): else the addresses.
            case WAIT_STATUS -> sb.append(v == 0 ? "NULL" : result > 0 ? "[" + Structs.waitStatus(mem.readInt(v)) + "]"
                    : Strace.pointer(v));
            case WAIT_RUSAGE -> sb.append(v == 0 ? "NULL" : result > 0 ? Structs.rusage(mem, v) : Strace.pointer(v));
            default -> sb.append(value(mem, abi, kind, v, next, result, ok));
        }
    }

    private static String value(GuestMemory mem, ArchAbi abi, Arg kind, long v, long next, long result, boolean ok) {
        boolean showOut = v != 0 && ok;
        return switch (kind) {
            case DEC, NORETURN -> Long.toString(v);
            case ID -> Integer.toString((int) v);
            case ID_OUT -> showOut ? "[" + mem.readInt(v) + "]" : Strace.pointer(v);
            case CAP_HEADER -> v == 0 ? "NULL" : Structs.capHeader(mem, v);
            case UDEC -> Long.toUnsignedString(v);
            case HEX -> Strace.hex(v);
            case OCT -> Strace.octal(v);
            case FD -> (int) v == AT_FDCWD ? "AT_FDCWD" : Integer.toString((int) v);
            case PTR -> Strace.pointer(v);
            case STR -> Strings.quoted(mem, v, -1, false);
            case STR_OUT -> showOut ? Strings.quoted(mem, v, -1, false) : Strace.pointer(v);
            case BUF_IN -> Strings.quoted(mem, v, next, false);
            case BUF_OUT -> ok ? Strings.quoted(mem, v, result, false) : Strace.pointer(v);
            case BUF_OUT_HEX -> ok ? Strings.quoted(mem, v, result, true) : Strace.pointer(v);
            case IOV_IN -> Strings.iovec(mem, v, next, Long.MAX_VALUE);
            case IOV_OUT -> ok ? Strings.iovec(mem, v, next, result) : Strace.pointer(v);
            case GETDENTS -> ok ? Strace.pointer(v) + " /* " + Structs.direntCount(mem, v, result) + " entries */"
                    : Strace.pointer(v);
            case OPEN_FLAGS -> Names.openFlags(abi, v);
            case PIPE_FLAGS -> Names.fdFlags(abi).format(v);
            case AT_FLAGS -> Names.AT.format(v);
            case UNLINKAT_FLAGS -> Names.UNLINKAT.format(v);
            case FACCESSAT_FLAGS -> Names.FACCESSAT.format(v);
            case STATX_AT -> Names.statxAt(v);
            case STATX_MASK -> Names.STATX_MASK.format(v & 0xffffffffL);
            case STATX_OUT -> showOut ? Structs.statx(mem, v) : Strace.pointer(v);
            case ACCESS_MODE -> Names.ACCESS.format(v);
            case MMAP_PROT -> Names.PROT.format(v);
            case MMAP_FLAGS -> Names.mmapFlags(v);
            case MREMAP_FLAGS -> Names.MREMAP.format(v);
            case MSYNC_FLAGS -> Names.MSYNC.format(v);
            case SYNC_FILE_RANGE_FLAGS -> Names.SYNC_FILE_RANGE.format(v);
            case MADVISE -> Names.MADVISE.format(v);
            case FALLOCATE_MODE -> Names.FALLOCATE.format(v);
            case RENAME_FLAGS -> Names.RENAME.format(v);
            // strace reads it on entry: the kernel has since advanced it by the bytes copied.
            case LOFF_PTR -> v == 0 ? "NULL" : "[" + (mem.readLong(v) - (result > 0 ? result : 0)) + "]";
            case PIPEFDS_OUT -> showOut ? "[" + mem.readInt(v) + ", " + mem.readInt(v + 4) + "]" : Strace.pointer(v);
            case WAIT_OPTIONS -> Names.WAIT.format(v);
            case SIGNAL -> v > 0 && v <= Signals.NSIG ? Signals.name((int) v) : Long.toString(v);
            case SIG_HOW -> Names.SIG_HOW.format(v);
            case SIGSET -> v == 0 ? "NULL" : Structs.sigset(mem.readLong(v));
            case SIGSET_OUT -> showOut ? Structs.sigset(mem.readLong(v)) : Strace.pointer(v);
            case SIGACTION -> v == 0 ? "NULL" : Structs.sigaction(mem, abi, v);
            case SIGACTION_OUT -> showOut ? Structs.sigaction(mem, abi, v) : Strace.pointer(v);
            case STACK_T -> v == 0 ? "NULL" : Structs.stack(mem, v);
            case STACK_T_OUT -> showOut ? Structs.stack(mem, v) : Strace.pointer(v);
            case ITIMERVAL -> v == 0 ? "NULL" : Structs.itimerval(mem, v);
            case ITIMERVAL_OUT -> showOut ? Structs.itimerval(mem, v) : Strace.pointer(v);
            case CLOCK -> Names.CLOCK.format(v & 0xffffffffL);
            case TIMESPEC -> v == 0 ? "NULL" : Structs.timespec(mem, v);
            case TIMESPEC_OUT -> showOut ? Structs.timespec(mem, v) : Strace.pointer(v);
            case TIMESPEC_REM -> v != 0 && (result == -Errno.EINTR || (result < 0 && Errno.isRestart((int) -result)))
                    ? Structs.timespec(mem, v) : Strace.pointer(v);
            case STAT_OUT -> showOut ? Structs.stat(mem, abi, v) : Strace.pointer(v);
            case SOCKADDR -> v == 0 ? "NULL" : Structs.sockaddr(mem, v, next);
            case WHENCE -> Names.WHENCE.format(v);
            case FLOCK_OP -> Names.FLOCK.format(v);
            case RLIMIT -> Names.RLIMIT.format(v);
            case RLIMIT_IN -> v == 0 ? "NULL" : Structs.rlimit(mem, v);
            case RLIMIT_OUT -> showOut ? Structs.rlimit(mem, v) : Strace.pointer(v);
            case GRND_FLAGS -> Names.GRND.format(v);
            case ARCH_PRCTL_CODE -> Names.ARCH_PRCTL.format(v);
            case ITIMER_WHICH -> Names.ITIMER.format(v);
            case TIMER_FLAGS -> Names.TIMER.format(v);
            case WAITID_TYPE -> Names.WAITID_TYPE.format(v & 0xffffffffL);
            case SIGINFO_OUT -> v == 0 ? "NULL" : ok ? Structs.siginfo(mem, v) : Strace.pointer(v);
            case RUSAGE_OUT -> v == 0 ? "NULL" : ok ? Structs.rusage(mem, v) : Strace.pointer(v);
            case SKIP, FCNTL_CMD, IOCTL_REQ, PRCTL_OPTION, FUTEX_OP, SIGRETURN_MASK, MINCORE_VEC, OPEN_HOW, CAP_DATA,
                    CAP_DATA_OUT, GROUPS_IN, GROUPS_OUT, CLONE_FLAGS, CLONE_ARGS, ARGV, ENVP, WAIT_STATUS, WAIT_RUSAGE ->
                throw new IllegalStateException(kind.name() + " is decoded with its neighbours");
        };
    }
}
