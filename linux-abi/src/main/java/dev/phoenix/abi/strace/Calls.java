package dev.phoenix.abi.strace;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.libos.mm.GuestMemory;

/**
 * Calls whose later arguments depend on an earlier one, decoded as strace(1) does: fcntl's
 * argument by command, ioctl's by request, prctl's by option (unused ones are not shown).
 */
final class Calls {
    private static final int F_GETFD = 1, F_GETFL = 3, F_GETOWN = 9, F_GETSIG = 11, F_GETLEASE = 1025,
            F_GETPIPE_SZ = 1032, F_GET_SEALS = 1034, F_SETFD = 2, F_SETFL = 4, F_GETLK = 5, F_SETLK = 6, F_SETLKW = 7,
            F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_OFD_SETLKW = 38, F_SETOWN_EX = 15, F_GETOWN_EX = 16;
    private static final int FIONREAD = 0x541b, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, TIOCGPGRP = 0x540f,
            TIOCSPGRP = 0x5410;
    private static final int PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4, PR_SET_NAME = 15, PR_GET_NAME = 16,
            PR_GET_KEEPCAPS = 7, PR_SET_KEEPCAPS = 8, PR_CAPBSET_READ = 23, PR_CAPBSET_DROP = 24, PR_GET_SECUREBITS = 27,
            PR_SET_NO_NEW_PRIVS = 38, PR_CAP_AMBIENT = 47, PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2,
            PR_SET_CHILD_SUBREAPER = 36, PR_GET_CHILD_SUBREAPER = 37;

    private Calls() {}

    /** fcntl(fd, CMD[, arg]): the argument only for commands that take one. */
    static String fcntl(GuestMemory mem, ArchAbi abi, long cmd, long arg, boolean ok) {
        String name = Names.FCNTL.format((int) cmd);
        return switch ((int) cmd) {
            case F_GETFD, F_GETFL, F_GETOWN, F_GETSIG, F_GETLEASE, F_GETPIPE_SZ, F_GET_SEALS -> name;
            case F_SETFD -> name + ", " + Names.FD_FLAGS.format(arg);
            case F_SETFL -> name + ", " + Names.openFlags(abi, arg);
            case F_SETLK, F_SETLKW, F_OFD_SETLK, F_OFD_SETLKW -> name + ", " + struct(mem, arg, false);
            case F_GETLK, F_OFD_GETLK -> name + ", " + (ok ? struct(mem, arg, true) : Strace.pointer(arg));
            case F_SETOWN_EX, F_GETOWN_EX -> name + ", " + Strace.pointer(arg);
            default -> name + ", " + (int) arg;
        };
    }

    /** F_GETFD's and F_GETFL's result with its flags named: 0x1 (flags FD_CLOEXEC); null for other commands. */
    static String fcntlResult(ArchAbi abi, long cmd, long r) {
        return switch ((int) cmd) {
            case F_GETFD -> r == 0 ? null : Strace.hex(r) + " (flags " + Names.FD_FLAGS.format(r) + ")";
            case F_GETFL -> Strace.hex(r) + " (flags " + Names.openFlags(abi, r) + ")";
            default -> null;
        };
    }

    private static String struct(GuestMemory mem, long address, boolean withPid) {
        return address == 0 ? "NULL" : orAddress(address, () -> Structs.flock(mem, address, withPid));
    }

    /** {@code decode}'s text, or the address when guest memory there cannot be read (as strace prints it). */
    private static String orAddress(long address, java.util.function.Supplier<String> decode) {
        try {
            return decode.get();
        } catch (dev.phoenix.libos.Errno e) {
            return Strace.pointer(address);
        }
    }

    private static final long CSIGNAL = 0xff, CLONE_PIDFD = 0x1000, CLONE_SETTLS = 0x80000,
            CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000, CLONE_CHILD_SETTID = 0x1000000;

    /**
     * clone(2)'s arguments strace prints at entry: child_stack=..., flags=CLONE_VM|...|SIGCHLD;
     * {@code a[i]} is the flags word, whose low byte is the exit signal.
     */
    static String clone(long[] a, int i) {
        long flags = a[i] & ~CSIGNAL;
        int sig = (int) (a[i] & CSIGNAL);
        StringBuilder sb = new StringBuilder("child_stack=").append(Strace.pointer(a[i + 1])).append(", flags=");
        if (flags == 0) {
            sb.append(Names.signal(sig));
        } else {
            sb.append(Names.CLONE.format(flags)).append(sig != 0 ? "|" + Names.signal(sig) : "");
        }
        return sb.toString();
    }

    /** True when clone's flags make the kernel use an address, which strace prints at exit. */
    static boolean cloneFinishesAtExit(long flagsWord) {
        return (flagsWord & (CLONE_PARENT_SETTID | CLONE_PIDFD | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID
                | CLONE_SETTLS)) != 0;
    }

    /**
     * The rest of clone(2)'s arguments, as strace prints them at exit: ", parent_tid=[1234], tls=...,
     * child_tidptr=...", each only when a flag makes the kernel use it. The addresses follow
     * the flags in the arch's register order ({@link ArchAbi#cloneOrder}) but print in
     * strace's. parent_tid shows the tid (or, for CLONE_PIDFD, the pidfd) the kernel stored
     * there, once the call succeeded.
     */
    static String cloneStored(GuestMemory mem, ArchAbi abi, long[] a, int i, boolean ok) {
        long flags = a[i] & ~CSIGNAL;
        ArchAbi.CloneOrder order = abi.cloneOrder();
        long parentTid = a[i + 2], childTid = a[i + order.childTid()], tls = a[i + order.tls()];
        StringBuilder sb = new StringBuilder();
        if ((flags & (CLONE_PARENT_SETTID | CLONE_PIDFD)) != 0) {
            // CLONE_PIDFD without CLONE_PARENT_SETTID stores the pidfd there, a signed int.
            boolean tid = (flags & CLONE_PARENT_SETTID) != 0;
            sb.append(", parent_tid=").append(ok && parentTid != 0 ? orAddress(parentTid,
                    () -> "[" + (tid ? Integer.toUnsignedString(mem.readInt(parentTid)) : mem.readInt(parentTid)) + "]")
                    : Strace.pointer(parentTid));
        }
        if ((flags & CLONE_SETTLS) != 0) {
            sb.append(", tls=").append(Strace.pointer(tls));
        }
        if ((flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) != 0) {
            sb.append(", child_tidptr=").append(Strace.pointer(childTid));
        }
        return sb.toString();
    }

    private static final String[] FUTEX_CMDS = {"FUTEX_WAIT", "FUTEX_WAKE", "FUTEX_FD", "FUTEX_REQUEUE",
        "FUTEX_CMP_REQUEUE", "FUTEX_WAKE_OP", "FUTEX_LOCK_PI", "FUTEX_UNLOCK_PI", "FUTEX_TRYLOCK_PI",
        "FUTEX_WAIT_BITSET", "FUTEX_WAKE_BITSET", "FUTEX_WAIT_REQUEUE_PI", "FUTEX_CMP_REQUEUE_PI", "FUTEX_LOCK_PI2"};
    private static final String[] FUTEX_WAKE_OPS = {"FUTEX_OP_SET", "FUTEX_OP_ADD", "FUTEX_OP_OR", "FUTEX_OP_ANDN",
        "FUTEX_OP_XOR"};
    private static final String[] FUTEX_WAKE_CMPS = {"FUTEX_OP_CMP_EQ", "FUTEX_OP_CMP_NE", "FUTEX_OP_CMP_LT",
        "FUTEX_OP_CMP_LE", "FUTEX_OP_CMP_GT", "FUTEX_OP_CMP_GE"};
    private static final int FUTEX_PRIVATE = 128, FUTEX_CLOCK_REALTIME = 256;

    /**
     * futex(uaddr, OP, ...): the operation by name (_PRIVATE, |FUTEX_CLOCK_REALTIME), then only
     * the arguments that operation reads, as strace prints them; {@code a[i]} is the operation.
     */
    static String futex(GuestMemory mem, long[] a, int i) {
        int op = (int) a[i];
        long val = a[i + 1] & 0xffffffffL, timeout = a[i + 2], uaddr2 = a[i + 3];
        int val3 = (int) a[i + 4];
        int cmd = op & ~(FUTEX_PRIVATE | FUTEX_CLOCK_REALTIME);
        StringBuilder sb = new StringBuilder(futexOpName(op)).append(", ");
        String time = timeout == 0 ? "NULL" : orAddress(timeout, () -> Structs.timespec(mem, timeout));
        String val2 = Long.toString(timeout & 0xffffffffL);
        switch (cmd) {
            case 0 -> sb.append(val).append(", ").append(time); // WAIT
            case 6, 13 -> sb.setLength(sb.length() - 2); // LOCK_PI, LOCK_PI2: the timeout alone
            case 9 -> sb.append(val).append(", ").append(time).append(", ").append(bitset(val3)); // WAIT_BITSET
            case 10 -> sb.append(val).append(", ").append(bitset(val3)); // WAKE_BITSET
            case 3 -> sb.append(val).append(", ").append(val2).append(", ").append(Strace.pointer(uaddr2)); // REQUEUE
            case 4, 12 -> sb.append(val).append(", ").append(val2).append(", ").append(Strace.pointer(uaddr2))
                    .append(", ").append(Integer.toUnsignedString(val3)); // CMP_REQUEUE, CMP_REQUEUE_PI
            case 5 -> sb.append(val).append(", ").append(val2).append(", ").append(Strace.pointer(uaddr2))
                    .append(", ").append(wakeOp(val3)); // WAKE_OP
            case 11 -> sb.append(val).append(", ").append(time).append(", ").append(Strace.pointer(uaddr2));
            case 1, 2 -> sb.append(val); // WAKE, FD
            case 7, 8 -> sb.setLength(sb.length() - 2); // UNLOCK_PI, TRYLOCK_PI: nothing more
            default -> sb.append(val).append(", ").append(Strace.pointer(timeout)).append(", ")
                    .append(Strace.pointer(uaddr2)).append(", ").append(Strace.hex(val3 & 0xffffffffL));
        }
        if (cmd == 6 || cmd == 13) {
            sb.append(", ").append(time);
        }
        return sb.toString();
    }

    private static String futexOpName(int op) {
        int cmd = op & ~(FUTEX_PRIVATE | FUTEX_CLOCK_REALTIME);
        boolean realtime = (op & FUTEX_CLOCK_REALTIME) != 0;
        boolean realtimeAllowed = cmd == 0 || cmd == 9 || cmd == 11 || cmd == 13;
        if (cmd < 0 || cmd >= FUTEX_CMDS.length || (realtime && !realtimeAllowed)) {
            return Strace.hex(op & 0xffffffffL) + " /* FUTEX_??? */";
        }
        return FUTEX_CMDS[cmd] + ((op & FUTEX_PRIVATE) != 0 ? "_PRIVATE" : "") + (realtime ? "|FUTEX_CLOCK_REALTIME" : "");
    }

    private static String bitset(int val3) {
        return val3 == -1 ? "FUTEX_BITSET_MATCH_ANY" : Strace.hex(val3 & 0xffffffffL);
    }

    /** FUTEX_WAKE_OP's encoded operation: FUTEX_OP_ADD<<28|0x3<<12|FUTEX_OP_CMP_GT<<24|0x1. */
    private static String wakeOp(int v) {
        int op = (v >>> 28) & 15;
        int cmp = (v >>> 24) & 15;
        StringBuilder sb = new StringBuilder();
        if ((op & 8) != 0) {
            sb.append("FUTEX_OP_OPARG_SHIFT<<28|");
        }
        sb.append((op & 7) < FUTEX_WAKE_OPS.length ? FUTEX_WAKE_OPS[op & 7] : "FUTEX_OP_???").append("<<28|");
        sb.append(Strace.hex((v >>> 12) & 0xfff)).append("<<12|");
        sb.append(cmp < FUTEX_WAKE_CMPS.length ? FUTEX_WAKE_CMPS[cmp] : "FUTEX_OP_CMP_???").append("<<24|");
        return sb.append(Strace.hex(v & 0xfff)).toString();
    }

    /** ioctl(fd, REQUEST, arg): the argument decoded where strace decodes it. */
    static String ioctl(GuestMemory mem, long request, long arg, boolean ok) {
        int r = (int) request;
        String head = Names.IOCTL.format(request & 0xffffffffL) + ", ";
        if (arg == 0) {
            return head + "NULL";
        }
        return head + switch (r) {
            case FIONREAD, TIOCGPGRP -> ok ? orAddress(arg, () -> "[" + mem.readInt(arg) + "]") : Strace.pointer(arg);
            case TIOCSPGRP -> orAddress(arg, () -> "[" + mem.readInt(arg) + "]");
            case TIOCGWINSZ -> ok ? orAddress(arg, () -> Structs.winsize(mem, arg)) : Strace.pointer(arg);
            case TIOCSWINSZ -> orAddress(arg, () -> Structs.winsize(mem, arg));
            default -> Strace.pointer(arg);
        };
    }

    /** prctl(OPTION, ...): only the arguments the option uses. */
    static String prctl(GuestMemory mem, long[] a, int i, boolean ok) {
        long option = a[i];
        long arg2 = i + 1 < a.length ? a[i + 1] : 0;
        String name = Names.PRCTL.format(option);
        return switch ((int) option) {
            case PR_GET_DUMPABLE -> name;
            case PR_SET_DUMPABLE -> name + ", " + (arg2 == 0 ? "SUID_DUMP_DISABLE" : arg2 == 1 ? "SUID_DUMP_USER"
                    : Long.toString(arg2));
            case PR_SET_NAME -> name + ", " + Strings.quoted(mem, arg2, -1, false);
            case PR_GET_KEEPCAPS, PR_GET_SECUREBITS -> name;
            case PR_SET_KEEPCAPS -> name + ", " + Long.toUnsignedString(arg2);
            case PR_SET_NO_NEW_PRIVS -> {
                StringBuilder sb = new StringBuilder(name).append(", ").append(Long.toUnsignedString(arg2));
                for (int k = i + 2; k < Math.min(a.length, i + 5); k++) {
                    sb.append(", ").append(Strace.hex(a[k]));
                }
                yield sb.toString();
            }
            case PR_CAPBSET_READ, PR_CAPBSET_DROP -> name + ", " + Names.capability(arg2);
            case PR_CAP_AMBIENT -> {
                long arg3 = i + 2 < a.length ? a[i + 2] : 0;
                String rest = arg2 == 4 ? ", " + Strace.hex(arg3) : ", " + Names.capability(arg3);
                for (int k = i + 3; k < Math.min(a.length, i + 5); k++) {
                    rest += ", " + Strace.hex(a[k]);
                }
                yield name + ", " + Names.CAP_AMBIENT.format(arg2) + rest;
            }
            case PR_GET_NAME -> name + ", " + (ok && arg2 != 0 ? Strings.quoted(mem, arg2, -1, false) : Strace.pointer(arg2));
            case PR_SET_PDEATHSIG -> name + ", " + Names.signal(arg2);
            case PR_GET_PDEATHSIG -> name + ", " + (ok ? orAddress(arg2, () -> "[" + Names.signal(mem.readInt(arg2)) + "]")
                    : Strace.pointer(arg2));
            case PR_SET_CHILD_SUBREAPER -> name + ", " + Long.toUnsignedString(arg2);
            case PR_GET_CHILD_SUBREAPER -> name + ", " + (ok ? orAddress(arg2, () -> "[" + Integer.toUnsignedString(
                    mem.readInt(arg2)) + "]") : Strace.pointer(arg2));
            default -> {
                StringBuilder sb = new StringBuilder(name);
                for (int k = i + 1; k < Math.min(a.length, i + 5); k++) {
                    sb.append(", ").append(Strace.hex(a[k]));
                }
                yield sb.toString();
            }
        };
    }
}
