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
    private static final int FIONREAD = 0x541b, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, TIOCGPGRP = 0x540f;
    private static final int PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4, PR_SET_NAME = 15, PR_GET_NAME = 16;

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

    /** ioctl(fd, REQUEST, arg): the argument decoded where strace decodes it. */
    static String ioctl(GuestMemory mem, long request, long arg, boolean ok) {
        int r = (int) request;
        String head = Names.IOCTL.format(request & 0xffffffffL) + ", ";
        if (arg == 0) {
            return head + "NULL";
        }
        return head + switch (r) {
            case FIONREAD, TIOCGPGRP -> ok ? orAddress(arg, () -> "[" + mem.readInt(arg) + "]") : Strace.pointer(arg);
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
            case PR_GET_NAME -> name + ", " + (ok && arg2 != 0 ? Strings.quoted(mem, arg2, -1, false) : Strace.pointer(arg2));
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
