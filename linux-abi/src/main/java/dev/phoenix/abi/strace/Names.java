package dev.phoenix.abi.strace;

import dev.phoenix.abi.ArchAbi;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The symbolic names strace(1) prints for flag words and enumerated values, with the Linux
 * values from the UAPI headers (fcntl.h, mman-common.h, signal.h, time.h, resource.h).
 */
final class Names {
    private Names() {}

    /**
     * Bit names in print order; {@code zero} is printed when no bit is set (null: "0"), and a
     * value with no known bit at all as {@code 0x40 /* unknown *}{@code /} when {@code unknown} is set.
     */
    record Flags(String zero, long[] bits, String[] names, String unknown) {
        static Flags of(String zero, Object... pairs) {
            long[] bits = new long[pairs.length / 2];
            String[] names = new String[pairs.length / 2];
            for (int i = 0; i < bits.length; i++) {
                bits[i] = ((Number) pairs[2 * i]).longValue();
                names[i] = (String) pairs[2 * i + 1];
            }
            return new Flags(zero, bits, names, null);
        }

        /** The same names; a value with none of them prints as strace's {@code 0xN /* label *}{@code /}. */
        Flags unknownAs(String label) {
            return new Flags(zero, bits, names, label);
        }

        /** NAME|NAME|0x10 for {@code value}: named bits first, any rest in hex. */
        String format(long value) {
            if (value == 0) {
                return zero != null ? zero : "0";
            }
            StringBuilder sb = new StringBuilder();
            long rest = value;
            for (int i = 0; i < bits.length; i++) {
                if (bits[i] != 0 && (rest & bits[i]) == bits[i]) {
                    sb.append(sb.isEmpty() ? "" : "|").append(names[i]);
                    rest &= ~bits[i];
                }
            }
            if (rest != 0) {
                if (sb.isEmpty() && unknown != null) {
                    return "0x" + Long.toHexString(rest) + " /* " + unknown + " */";
                }
                sb.append(sb.isEmpty() ? "" : "|").append("0x").append(Long.toHexString(rest));
            }
            return sb.toString();
        }
    }

    /**
     * Values by name; an unknown value prints as decimal (or hex when {@code hex}), or, when
     * {@code unknown} is set, as strace does: {@code 0x7 /* SIG_??? *}{@code /}.
     */
    record Values(Map<Long, String> names, boolean hex, String unknown) {
        static Values of(boolean hex, Object... pairs) {
            Map<Long, String> m = new TreeMap<>();
            for (int i = 0; i < pairs.length; i += 2) {
                m.put(((Number) pairs[i]).longValue(), (String) pairs[i + 1]);
            }
            return new Values(m, hex, null);
        }

        /** The same names, unknown values shown as {@code 0xN /* label *}{@code /}. */
        Values unknownAs(String label) {
            return new Values(names, hex, label);
        }

        String format(long value) {
            String n = names.get(value);
            if (n != null) {
                return n;
            }
            if (unknown != null) {
                return "0x" + Long.toHexString(value) + " /* " + unknown + " */";
            }
            return hex ? "0x" + Long.toHexString(value) : Long.toString(value);
        }
    }

    static final Flags AT = Flags.of(null, 0x100, "AT_SYMLINK_NOFOLLOW", 0x400, "AT_SYMLINK_FOLLOW",
            0x800, "AT_NO_AUTOMOUNT", 0x1000, "AT_EMPTY_PATH", 0x8000, "AT_RECURSIVE").unknownAs("AT_???");
    private static final Flags STATX_AT = Flags.of(null, 0x100, "AT_SYMLINK_NOFOLLOW", 0x800, "AT_NO_AUTOMOUNT",
            0x1000, "AT_EMPTY_PATH");

    /** statx flags: the sync type always (AT_STATX_SYNC_AS_STAT is 0), then the other AT_ flags. */
    static String statxAt(long value) {
        String sync = switch ((int) (value & 0x6000)) {
            case 0 -> "AT_STATX_SYNC_AS_STAT";
            case 0x2000 -> "AT_STATX_FORCE_SYNC";
            case 0x4000 -> "AT_STATX_DONT_SYNC";
            default -> "AT_STATX_FORCE_SYNC|AT_STATX_DONT_SYNC";
        };
        long rest = value & ~0x6000L;
        return rest == 0 ? sync : sync + "|" + STATX_AT.format(rest);
    }
    static final Flags STATX_MASK = Flags.of("0", 0x7ff, "STATX_BASIC_STATS", 1, "STATX_TYPE", 2, "STATX_MODE",
            4, "STATX_NLINK", 8, "STATX_UID", 0x10, "STATX_GID", 0x20, "STATX_ATIME", 0x40, "STATX_MTIME",
            0x80, "STATX_CTIME", 0x100, "STATX_INO", 0x200, "STATX_SIZE", 0x400, "STATX_BLOCKS", 0x800, "STATX_BTIME",
            0x1000, "STATX_MNT_ID", 0x2000, "STATX_DIOALIGN").unknownAs("STATX_???");
    static final Flags UNLINKAT = Flags.of(null, 0x200, "AT_REMOVEDIR").unknownAs("AT_???");
    static final Flags FACCESSAT = Flags.of(null, 0x100, "AT_SYMLINK_NOFOLLOW", 0x200, "AT_EACCESS",
            0x1000, "AT_EMPTY_PATH").unknownAs("AT_???");
    static final Flags ACCESS = Flags.of("F_OK", 4, "R_OK", 2, "W_OK", 1, "X_OK").unknownAs("?_OK");
    static final Flags FALLOCATE = Flags.of("0", 1, "FALLOC_FL_KEEP_SIZE", 2, "FALLOC_FL_PUNCH_HOLE",
            4, "FALLOC_FL_NO_HIDE_STALE", 8, "FALLOC_FL_COLLAPSE_RANGE", 0x10, "FALLOC_FL_ZERO_RANGE",
            0x20, "FALLOC_FL_INSERT_RANGE", 0x40, "FALLOC_FL_UNSHARE_RANGE").unknownAs("FALLOC_FL_???");
    static final Flags RENAME = Flags.of("0", 1, "RENAME_NOREPLACE", 2, "RENAME_EXCHANGE", 4, "RENAME_WHITEOUT")
            .unknownAs("RENAME_???");
    static final Flags RESOLVE = Flags.of("0", 1, "RESOLVE_NO_XDEV", 2, "RESOLVE_NO_MAGICLINKS",
            4, "RESOLVE_NO_SYMLINKS", 8, "RESOLVE_BENEATH", 0x10, "RESOLVE_IN_ROOT", 0x20, "RESOLVE_CACHED")
            .unknownAs("RESOLVE_???");
    static final Flags WAIT = Flags.of("0", 1, "WNOHANG", 2, "WSTOPPED", 4, "WEXITED", 8, "WCONTINUED",
            0x01000000, "WNOWAIT", 0x20000000, "__WNOTHREAD", 0x80000000L, "__WCLONE", 0x40000000, "__WALL")
            .unknownAs("W???");
    static final Values WAITID_TYPE = Values.of(false, 0, "P_ALL", 1, "P_PID", 2, "P_PGID", 3, "P_PIDFD")
            .unknownAs("P_???");
    static final Values PTRACE_EVENT = Values.of(false, 1, "PTRACE_EVENT_FORK", 2, "PTRACE_EVENT_VFORK",
            3, "PTRACE_EVENT_CLONE", 4, "PTRACE_EVENT_EXEC", 5, "PTRACE_EVENT_VFORK_DONE", 6, "PTRACE_EVENT_EXIT",
            7, "PTRACE_EVENT_SECCOMP", 128, "PTRACE_EVENT_STOP").unknownAs("PTRACE_EVENT_???");
    static final Values LOCK_TYPE = Values.of(false, 0, "F_RDLCK", 1, "F_WRLCK", 2, "F_UNLCK").unknownAs("F_???");
    static final Values PRCTL = Values.of(false, 3, "PR_GET_DUMPABLE", 4, "PR_SET_DUMPABLE", 15, "PR_SET_NAME",
            16, "PR_GET_NAME", 1, "PR_SET_PDEATHSIG", 2, "PR_GET_PDEATHSIG", 22, "PR_SET_SECCOMP",
            38, "PR_SET_NO_NEW_PRIVS", 39, "PR_GET_NO_NEW_PRIVS", 0x59616d61, "PR_SET_PTRACER", 7, "PR_GET_KEEPCAPS",
            8, "PR_SET_KEEPCAPS", 23, "PR_CAPBSET_READ", 24, "PR_CAPBSET_DROP", 27, "PR_GET_SECUREBITS",
            28, "PR_SET_SECUREBITS", 36, "PR_SET_CHILD_SUBREAPER", 37, "PR_GET_CHILD_SUBREAPER", 47, "PR_CAP_AMBIENT")
            .unknownAs("PR_???");
    static final Values CAP_AMBIENT = Values.of(false, 1, "PR_CAP_AMBIENT_IS_SET", 2, "PR_CAP_AMBIENT_RAISE",
            3, "PR_CAP_AMBIENT_LOWER", 4, "PR_CAP_AMBIENT_CLEAR_ALL").unknownAs("PR_CAP_AMBIENT_???");
    /** Capability names by number (linux/capability.h, through Linux 6.1's CAP_CHECKPOINT_RESTORE). */
    private static final String[] CAPS = {"CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
        "CAP_FSETID", "CAP_KILL", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE",
        "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
        "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT", "CAP_SYS_ADMIN",
        "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME", "CAP_SYS_TTY_CONFIG", "CAP_MKNOD",
        "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL", "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN",
        "CAP_SYSLOG", "CAP_WAKE_ALARM", "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF",
        "CAP_CHECKPOINT_RESTORE"};

    /** A capability number: CAP_CHOWN, or 0x63 /* CAP_??? *}{@code /}. */
    static String capability(long cap) {
        return cap >= 0 && cap < CAPS.length ? CAPS[(int) cap] : "0x" + Long.toHexString(cap) + " /* CAP_??? */";
    }

    /**
     * One 32-bit word of a capability set, as strace prints it: 1<<CAP_CHOWN|1<<CAP_KILL, bits
     * it has no name for as hex at the end, 0 for none; word 1 holds capabilities 32-63.
     */
    static String capabilityWord(int word, int value) {
        if (value == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder();
        int rest = value;
        for (int b = 0; b < 32; b++) {
            int cap = 32 * word + b;
            if ((value & (1 << b)) != 0 && cap < CAPS.length) {
                sb.append(sb.isEmpty() ? "" : "|").append("1<<").append(CAPS[cap]);
                rest &= ~(1 << b);
            }
        }
        if (rest != 0) {
            sb.append(sb.isEmpty() ? "" : "|").append("0x").append(Integer.toHexString(rest));
        }
        return sb.toString();
    }
    static final Flags PROT = Flags.of("PROT_NONE", 1, "PROT_READ", 2, "PROT_WRITE", 4, "PROT_EXEC", 8, "PROT_SEM",
            0x01000000, "PROT_GROWSDOWN", 0x02000000, "PROT_GROWSUP").unknownAs("PROT_???");
    /** mmap flags after the type (MAP_SHARED, MAP_PRIVATE...), in strace's order. */
    private static final Flags MAP = Flags.of(null, 0x10, "MAP_FIXED", 0x20, "MAP_ANONYMOUS", 0x40, "MAP_32BIT",
            0x4000, "MAP_NORESERVE", 0x8000, "MAP_POPULATE", 0x10000, "MAP_NONBLOCK", 0x100, "MAP_GROWSDOWN",
            0x800, "MAP_DENYWRITE", 0x1000, "MAP_EXECUTABLE", 0x2000, "MAP_LOCKED", 0x20000, "MAP_STACK",
            0x40000, "MAP_HUGETLB", 0x80000, "MAP_SYNC", 0x100000, "MAP_FIXED_NOREPLACE");

    /** MAP_PRIVATE|MAP_ANONYMOUS: the type field by name (0 is MAP_FILE), then the flags. */
    static String mmapFlags(long value) {
        String type = switch ((int) (value & 0xf)) {
            case 0 -> "MAP_FILE";
            case 1 -> "MAP_SHARED";
            case 2 -> "MAP_PRIVATE";
            case 3 -> "MAP_SHARED_VALIDATE";
            default -> "0x" + Long.toHexString(value & 0xf) + " /* MAP_??? */";
        };
        long rest = value & ~0xfL;
        return rest == 0 ? type : type + "|" + MAP.format(rest);
    }
    /**
     * clone(2) flags (linux/sched.h) in strace's order, without CSIGNAL's low byte, which is the
     * exit signal; CLONE_DETACHED (0x400000) is not named, as the kernel ignores it.
     */
    static final Flags CLONE = Flags.of(null, 0x100, "CLONE_VM", 0x200, "CLONE_FS", 0x400, "CLONE_FILES",
            0x800, "CLONE_SIGHAND", 0x1000, "CLONE_PIDFD", 0x2000, "CLONE_PTRACE", 0x4000, "CLONE_VFORK",
            0x8000, "CLONE_PARENT", 0x10000, "CLONE_THREAD", 0x20000, "CLONE_NEWNS", 0x40000, "CLONE_SYSVSEM",
            0x80000, "CLONE_SETTLS", 0x100000, "CLONE_PARENT_SETTID", 0x200000, "CLONE_CHILD_CLEARTID",
            0x800000, "CLONE_UNTRACED", 0x1000000, "CLONE_CHILD_SETTID", 0x2000000, "CLONE_NEWCGROUP",
            0x4000000, "CLONE_NEWUTS", 0x8000000, "CLONE_NEWIPC", 0x10000000, "CLONE_NEWUSER",
            0x20000000, "CLONE_NEWPID", 0x40000000, "CLONE_NEWNET", 0x80000000L, "CLONE_IO").unknownAs("CLONE_???");
    /** clone3(2)'s flags: clone's, then the three only clone_args can carry (strace prints them last). */
    static final Flags CLONE3 = withMore(CLONE, 0x80, "CLONE_NEWTIME", 0x100000000L, "CLONE_CLEAR_SIGHAND",
            0x200000000L, "CLONE_INTO_CGROUP");

    /**
     * A signal number as strace's printsignal shows it: SIGCHLD, SIGRTMIN for 32, SIGRT_1 to
     * SIGRT_32 above it, anything else (0 included) in decimal.
     */
    static String signal(long sig) {
        if (sig > 0 && sig < 32) {
            return dev.phoenix.abi.Signals.name((int) sig);
        }
        return sig == 32 ? "SIGRTMIN" : sig > 32 && sig <= 64 ? "SIGRT_" + (sig - 32) : Long.toUnsignedString(sig);
    }

    /** {@code base}'s names followed by more, with {@code base}'s zero and unknown labels. */
    private static Flags withMore(Flags base, Object... pairs) {
        Flags more = Flags.of(null, pairs);
        long[] bits = java.util.Arrays.copyOf(base.bits(), base.bits().length + more.bits().length);
        String[] names = java.util.Arrays.copyOf(base.names(), bits.length);
        System.arraycopy(more.bits(), 0, bits, base.bits().length, more.bits().length);
        System.arraycopy(more.names(), 0, names, base.names().length, more.names().length);
        return new Flags(base.zero(), bits, names, base.unknown());
    }
    static final Flags MREMAP = Flags.of(null, 1, "MREMAP_MAYMOVE", 2, "MREMAP_FIXED", 4, "MREMAP_DONTUNMAP");
    static final Flags MSYNC = Flags.of(null, 4, "MS_SYNC", 1, "MS_ASYNC", 2, "MS_INVALIDATE").unknownAs("MS_???");
    static final Flags SYNC_FILE_RANGE = Flags.of(null, 1, "SYNC_FILE_RANGE_WAIT_BEFORE", 2, "SYNC_FILE_RANGE_WRITE",
            4, "SYNC_FILE_RANGE_WAIT_AFTER").unknownAs("SYNC_FILE_RANGE_???");
    static final Values MADVISE = Values.of(false, 0, "MADV_NORMAL", 1, "MADV_RANDOM", 2, "MADV_SEQUENTIAL",
            3, "MADV_WILLNEED", 4, "MADV_DONTNEED", 8, "MADV_FREE", 9, "MADV_REMOVE", 10, "MADV_DONTFORK",
            11, "MADV_DOFORK", 12, "MADV_MERGEABLE", 13, "MADV_UNMERGEABLE", 14, "MADV_HUGEPAGE",
            15, "MADV_NOHUGEPAGE", 16, "MADV_DONTDUMP", 17, "MADV_DODUMP", 18, "MADV_WIPEONFORK",
            19, "MADV_KEEPONFORK", 20, "MADV_COLD", 21, "MADV_PAGEOUT", 22, "MADV_POPULATE_READ",
            23, "MADV_POPULATE_WRITE", 24, "MADV_DONTNEED_LOCKED", 25, "MADV_COLLAPSE", 100, "MADV_HWPOISON")
            .unknownAs("MADV_???");
    static final Values SIG_HOW = Values.of(false, 0, "SIG_BLOCK", 1, "SIG_UNBLOCK", 2, "SIG_SETMASK")
            .unknownAs("SIG_???");
    static final Flags SA = Flags.of(null, 0x04000000L, "SA_RESTORER", 0x08000000L, "SA_ONSTACK",
            0x10000000L, "SA_RESTART", 0x40000000L, "SA_NODEFER", 0x80000000L, "SA_RESETHAND", 4, "SA_SIGINFO",
            2, "SA_NOCLDWAIT", 1, "SA_NOCLDSTOP");
    static final Values CLOCK = Values.of(false, 0, "CLOCK_REALTIME", 1, "CLOCK_MONOTONIC",
            2, "CLOCK_PROCESS_CPUTIME_ID", 3, "CLOCK_THREAD_CPUTIME_ID", 4, "CLOCK_MONOTONIC_RAW",
            5, "CLOCK_REALTIME_COARSE", 6, "CLOCK_MONOTONIC_COARSE", 7, "CLOCK_BOOTTIME", 8, "CLOCK_REALTIME_ALARM",
            9, "CLOCK_BOOTTIME_ALARM", 11, "CLOCK_TAI").unknownAs("CLOCK_???");
    static final Values FCNTL = Values.of(false, 0, "F_DUPFD", 1, "F_GETFD", 2, "F_SETFD", 3, "F_GETFL",
            4, "F_SETFL", 5, "F_GETLK", 6, "F_SETLK", 7, "F_SETLKW", 8, "F_SETOWN", 9, "F_GETOWN", 10, "F_SETSIG",
            11, "F_GETSIG", 15, "F_SETOWN_EX", 16, "F_GETOWN_EX", 36, "F_OFD_GETLK", 37, "F_OFD_SETLK",
            38, "F_OFD_SETLKW", 1024, "F_SETLEASE", 1025, "F_GETLEASE", 1026, "F_NOTIFY", 1030, "F_DUPFD_CLOEXEC",
            1031, "F_SETPIPE_SZ", 1032, "F_GETPIPE_SZ", 1033, "F_ADD_SEALS", 1034, "F_GET_SEALS").unknownAs("F_???");
    static final Values IOCTL = Values.of(true, 0x5401, "TCGETS", 0x5402, "TCSETS", 0x5403, "TCSETSW",
            0x5404, "TCSETSF", 0x540b, "TCFLSH", 0x540e, "TIOCSCTTY", 0x540f, "TIOCGPGRP", 0x5410, "TIOCSPGRP",
            0x5413, "TIOCGWINSZ", 0x5414, "TIOCSWINSZ", 0x541b, "FIONREAD", 0x5421, "FIONBIO", 0x5422, "TIOCNOTTY",
            0x5429, "TIOCGSID", 0x80045430L, "TIOCGPTN", 0x40045431L, "TIOCSPTLCK", 0x5450, "FIONCLEX",
            0x5451, "FIOCLEX", 0x5452, "FIOASYNC");
    static final Values WHENCE = Values.of(false, 0, "SEEK_SET", 1, "SEEK_CUR", 2, "SEEK_END", 3, "SEEK_DATA",
            4, "SEEK_HOLE").unknownAs("SEEK_???");
    static final Flags FLOCK = Flags.of(null, 1, "LOCK_SH", 2, "LOCK_EX", 4, "LOCK_NB", 8, "LOCK_UN")
            .unknownAs("LOCK_???");
    static final Values RLIMIT = Values.of(false, 0, "RLIMIT_CPU", 1, "RLIMIT_FSIZE", 2, "RLIMIT_DATA",
            3, "RLIMIT_STACK", 4, "RLIMIT_CORE", 5, "RLIMIT_RSS", 6, "RLIMIT_NPROC", 7, "RLIMIT_NOFILE",
            8, "RLIMIT_MEMLOCK", 9, "RLIMIT_AS", 10, "RLIMIT_LOCKS", 11, "RLIMIT_SIGPENDING", 12, "RLIMIT_MSGQUEUE",
            13, "RLIMIT_NICE", 14, "RLIMIT_RTPRIO", 15, "RLIMIT_RTTIME").unknownAs("RLIMIT_???");
    static final Flags GRND = Flags.of(null, 1, "GRND_NONBLOCK", 2, "GRND_RANDOM", 4, "GRND_INSECURE")
            .unknownAs("GRND_???");
    static final Values ARCH_PRCTL = Values.of(true, 0x1001, "ARCH_SET_GS", 0x1002, "ARCH_SET_FS",
            0x1003, "ARCH_GET_FS", 0x1004, "ARCH_GET_GS", 0x1011, "ARCH_GET_CPUID", 0x1012, "ARCH_SET_CPUID")
            .unknownAs("ARCH_???");
    static final Values ITIMER = Values.of(false, 0, "ITIMER_REAL", 1, "ITIMER_VIRTUAL", 2, "ITIMER_PROF")
            .unknownAs("ITIMER_???");
    static final Flags TIMER = Flags.of(null, 1, "TIMER_ABSTIME").unknownAs("TIMER_???");
    static final Flags FD_FLAGS = Flags.of(null, 1, "FD_CLOEXEC");
    static final Flags SS = Flags.of("0", 1, "SS_ONSTACK", 2, "SS_DISABLE", 0x80000000L, "SS_AUTODISARM");

    /** The open and fd flag tables per arch's flag values (two: generic and arm64), built once each. */
    private static final Map<ArchAbi.OpenFlags, Flags> OPEN = new ConcurrentHashMap<>();
    private static final Map<ArchAbi.OpenFlags, Flags> FD = new ConcurrentHashMap<>();

    /** open(2) flags for the arch (arm64 moves O_DIRECTORY, O_NOFOLLOW, O_DIRECT and O_LARGEFILE). */
    static Flags open(ArchAbi abi) {
        return OPEN.computeIfAbsent(abi.openFlags(), Names::openTable);
    }

    private static Flags openTable(ArchAbi.OpenFlags f) {
        return Flags.of(null, 0100, "O_CREAT", 0200, "O_EXCL", 0400, "O_NOCTTY", 01000, "O_TRUNC", 02000, "O_APPEND",
                04000, "O_NONBLOCK", 04010000, "O_SYNC", 010000, "O_DSYNC", f.direct(), "O_DIRECT",
                f.largefile(), "O_LARGEFILE", f.nofollow(), "O_NOFOLLOW", 01000000, "O_NOATIME", 02000000, "O_CLOEXEC",
                010000000, "O_PATH", 020000000 | f.directory(), "O_TMPFILE", f.directory(), "O_DIRECTORY",
                020000, "FASYNC");
    }

    /** pipe2(2) and dup3(2) flags: O_CLOEXEC, O_NONBLOCK, O_DIRECT and O_NOTIFICATION_PIPE (O_EXCL). */
    static Flags fdFlags(ArchAbi abi) {
        return FD.computeIfAbsent(abi.openFlags(), f -> Flags.of(null, 0200, "O_EXCL", 04000, "O_NONBLOCK",
                f.direct(), "O_DIRECT", 02000000, "O_CLOEXEC").unknownAs("O_???"));
    }

    /** O_RDONLY, O_WRONLY or O_RDWR, then the other flags. */
    static String openFlags(ArchAbi abi, long value) {
        String mode = switch ((int) (value & 3)) {
            case 0 -> "O_RDONLY";
            case 1 -> "O_WRONLY";
            case 2 -> "O_RDWR";
            default -> "O_ACCMODE";
        };
        long rest = value & ~3L;
        return rest == 0 ? mode : mode + "|" + open(abi).format(rest);
    }
}
