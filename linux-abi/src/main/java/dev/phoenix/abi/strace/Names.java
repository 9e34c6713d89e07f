package dev.phoenix.abi.strace;

import dev.phoenix.abi.ArchAbi;
import java.util.Map;
import java.util.TreeMap;

/**
 * The symbolic names strace(1) prints for flag words and enumerated values, with the Linux
 * values from the UAPI headers (fcntl.h, mman-common.h, signal.h, time.h, resource.h).
 */
final class Names {
    private Names() {}

    /** Bit names in print order; {@code zero} is printed when no bit is set (null: "0"). */
    record Flags(String zero, long[] bits, String[] names) {
        static Flags of(String zero, Object... pairs) {
            long[] bits = new long[pairs.length / 2];
            String[] names = new String[pairs.length / 2];
            for (int i = 0; i < bits.length; i++) {
                bits[i] = ((Number) pairs[2 * i]).longValue();
                names[i] = (String) pairs[2 * i + 1];
            }
            return new Flags(zero, bits, names);
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
                sb.append(sb.isEmpty() ? "" : "|").append("0x").append(Long.toHexString(rest));
            }
            return sb.toString();
        }
    }

    /** Values by name; unknown values print as decimal (or hex when {@code hex}). */
    record Values(Map<Long, String> names, boolean hex) {
        static Values of(boolean hex, Object... pairs) {
            Map<Long, String> m = new TreeMap<>();
            for (int i = 0; i < pairs.length; i += 2) {
                m.put(((Number) pairs[i]).longValue(), (String) pairs[i + 1]);
            }
            return new Values(m, hex);
        }

        String format(long value) {
            String n = names.get(value);
            return n != null ? n : hex ? "0x" + Long.toHexString(value) : Long.toString(value);
        }
    }

    static final Flags AT = Flags.of(null, 0x100, "AT_SYMLINK_NOFOLLOW", 0x400, "AT_SYMLINK_FOLLOW",
            0x800, "AT_NO_AUTOMOUNT", 0x1000, "AT_EMPTY_PATH", 0x8000, "AT_RECURSIVE", 0x6000, "AT_STATX_DONT_SYNC",
            0x2000, "AT_STATX_FORCE_SYNC");
    static final Flags UNLINKAT = Flags.of(null, 0x200, "AT_REMOVEDIR");
    static final Flags FACCESSAT = Flags.of(null, 0x200, "AT_EACCESS", 0x100, "AT_SYMLINK_NOFOLLOW",
            0x1000, "AT_EMPTY_PATH");
    static final Flags ACCESS = Flags.of("F_OK", 4, "R_OK", 2, "W_OK", 1, "X_OK");
    static final Flags PROT = Flags.of("PROT_NONE", 1, "PROT_READ", 2, "PROT_WRITE", 4, "PROT_EXEC", 8, "PROT_SEM",
            0x01000000, "PROT_GROWSDOWN", 0x02000000, "PROT_GROWSUP");
    static final Flags MAP = Flags.of(null, 3, "MAP_SHARED_VALIDATE", 1, "MAP_SHARED", 2, "MAP_PRIVATE",
            0x10, "MAP_FIXED", 0x20, "MAP_ANONYMOUS", 0x40, "MAP_32BIT", 0x100, "MAP_GROWSDOWN", 0x800, "MAP_DENYWRITE",
            0x1000, "MAP_EXECUTABLE", 0x2000, "MAP_LOCKED", 0x4000, "MAP_NORESERVE", 0x8000, "MAP_POPULATE",
            0x10000, "MAP_NONBLOCK", 0x20000, "MAP_STACK", 0x40000, "MAP_HUGETLB", 0x80000, "MAP_SYNC",
            0x100000, "MAP_FIXED_NOREPLACE");
    static final Flags MREMAP = Flags.of(null, 1, "MREMAP_MAYMOVE", 2, "MREMAP_FIXED", 4, "MREMAP_DONTUNMAP");
    static final Flags MSYNC = Flags.of(null, 1, "MS_ASYNC", 2, "MS_INVALIDATE", 4, "MS_SYNC");
    static final Values MADVISE = Values.of(false, 0, "MADV_NORMAL", 1, "MADV_RANDOM", 2, "MADV_SEQUENTIAL",
            3, "MADV_WILLNEED", 4, "MADV_DONTNEED", 8, "MADV_FREE", 9, "MADV_REMOVE", 10, "MADV_DONTFORK",
            11, "MADV_DOFORK", 12, "MADV_MERGEABLE", 13, "MADV_UNMERGEABLE", 14, "MADV_HUGEPAGE",
            15, "MADV_NOHUGEPAGE", 16, "MADV_DONTDUMP", 17, "MADV_DODUMP", 18, "MADV_WIPEONFORK",
            19, "MADV_KEEPONFORK", 20, "MADV_COLD", 21, "MADV_PAGEOUT", 22, "MADV_POPULATE_READ",
            23, "MADV_POPULATE_WRITE", 24, "MADV_DONTNEED_LOCKED", 25, "MADV_COLLAPSE", 100, "MADV_HWPOISON");
    static final Values SIG_HOW = Values.of(false, 0, "SIG_BLOCK", 1, "SIG_UNBLOCK", 2, "SIG_SETMASK");
    static final Flags SA = Flags.of(null, 1, "SA_NOCLDSTOP", 2, "SA_NOCLDWAIT", 4, "SA_SIGINFO",
            0x04000000L, "SA_RESTORER", 0x08000000L, "SA_ONSTACK", 0x10000000L, "SA_RESTART",
            0x40000000L, "SA_NODEFER", 0x80000000L, "SA_RESETHAND");
    static final Values CLOCK = Values.of(false, 0, "CLOCK_REALTIME", 1, "CLOCK_MONOTONIC",
            2, "CLOCK_PROCESS_CPUTIME_ID", 3, "CLOCK_THREAD_CPUTIME_ID", 4, "CLOCK_MONOTONIC_RAW",
            5, "CLOCK_REALTIME_COARSE", 6, "CLOCK_MONOTONIC_COARSE", 7, "CLOCK_BOOTTIME", 8, "CLOCK_REALTIME_ALARM",
            9, "CLOCK_BOOTTIME_ALARM", 11, "CLOCK_TAI");
    static final Values FCNTL = Values.of(false, 0, "F_DUPFD", 1, "F_GETFD", 2, "F_SETFD", 3, "F_GETFL",
            4, "F_SETFL", 5, "F_GETLK", 6, "F_SETLK", 7, "F_SETLKW", 8, "F_SETOWN", 9, "F_GETOWN", 10, "F_SETSIG",
            11, "F_GETSIG", 15, "F_SETOWN_EX", 16, "F_GETOWN_EX", 36, "F_OFD_GETLK", 37, "F_OFD_SETLK",
            38, "F_OFD_SETLKW", 1024, "F_SETLEASE", 1025, "F_GETLEASE", 1026, "F_NOTIFY", 1030, "F_DUPFD_CLOEXEC",
            1031, "F_SETPIPE_SZ", 1032, "F_GETPIPE_SZ", 1033, "F_ADD_SEALS", 1034, "F_GET_SEALS");
    static final Values IOCTL = Values.of(true, 0x5401, "TCGETS", 0x5402, "TCSETS", 0x5403, "TCSETSW",
            0x5404, "TCSETSF", 0x540b, "TCFLSH", 0x540e, "TIOCSCTTY", 0x540f, "TIOCGPGRP", 0x5410, "TIOCSPGRP",
            0x5413, "TIOCGWINSZ", 0x5414, "TIOCSWINSZ", 0x541b, "FIONREAD", 0x5421, "FIONBIO", 0x5422, "TIOCNOTTY",
            0x5429, "TIOCGSID", 0x80045430L, "TIOCGPTN", 0x40045431L, "TIOCSPTLCK", 0x5450, "FIONCLEX",
            0x5451, "FIOCLEX", 0x5452, "FIOASYNC");
    static final Values WHENCE = Values.of(false, 0, "SEEK_SET", 1, "SEEK_CUR", 2, "SEEK_END", 3, "SEEK_DATA",
            4, "SEEK_HOLE");
    static final Flags FLOCK = Flags.of(null, 1, "LOCK_SH", 2, "LOCK_EX", 4, "LOCK_NB", 8, "LOCK_UN");
    static final Values RLIMIT = Values.of(false, 0, "RLIMIT_CPU", 1, "RLIMIT_FSIZE", 2, "RLIMIT_DATA",
            3, "RLIMIT_STACK", 4, "RLIMIT_CORE", 5, "RLIMIT_RSS", 6, "RLIMIT_NPROC", 7, "RLIMIT_NOFILE",
            8, "RLIMIT_MEMLOCK", 9, "RLIMIT_AS", 10, "RLIMIT_LOCKS", 11, "RLIMIT_SIGPENDING", 12, "RLIMIT_MSGQUEUE",
            13, "RLIMIT_NICE", 14, "RLIMIT_RTPRIO", 15, "RLIMIT_RTTIME");
    static final Flags GRND = Flags.of(null, 1, "GRND_NONBLOCK", 2, "GRND_RANDOM", 4, "GRND_INSECURE");
    static final Values ARCH_PRCTL = Values.of(true, 0x1001, "ARCH_SET_GS", 0x1002, "ARCH_SET_FS",
            0x1003, "ARCH_GET_FS", 0x1004, "ARCH_GET_GS", 0x1011, "ARCH_GET_CPUID", 0x1012, "ARCH_SET_CPUID");
    static final Values ITIMER = Values.of(false, 0, "ITIMER_REAL", 1, "ITIMER_VIRTUAL", 2, "ITIMER_PROF");
    static final Flags TIMER = Flags.of(null, 1, "TIMER_ABSTIME");
    static final Flags FD_FLAGS = Flags.of(null, 1, "FD_CLOEXEC");

    /** open(2) flags for the arch (arm64 moves O_DIRECTORY, O_NOFOLLOW, O_DIRECT and O_LARGEFILE). */
    static Flags open(ArchAbi abi) {
        ArchAbi.OpenFlags f = abi.openFlags();
        return Flags.of(null, 0100, "O_CREAT", 0200, "O_EXCL", 0400, "O_NOCTTY", 01000, "O_TRUNC", 02000, "O_APPEND",
                04000, "O_NONBLOCK", 04010000, "O_SYNC", 010000, "O_DSYNC", 020000, "O_ASYNC", f.direct(), "O_DIRECT",
                f.largefile(), "O_LARGEFILE", 020000000 | f.directory(), "O_TMPFILE", f.directory(), "O_DIRECTORY",
                f.nofollow(), "O_NOFOLLOW", 01000000, "O_NOATIME", 02000000, "O_CLOEXEC", 010000000, "O_PATH");
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

    /** pipe2(2)/dup3(2) flags: the open flags they accept. */
    static String pipeFlags(ArchAbi abi, long value) {
        return open(abi).format(value);
    }
}
