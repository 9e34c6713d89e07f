package dev.phoenix.abi.strace;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.abi.Signals;
import dev.phoenix.emu.Arch;
import dev.phoenix.libos.mm.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Structs as strace(1) shows them, read from guest memory: stat (abbreviated, as strace does
 * without -v), timespec, sigaction, signal sets, sockaddr and rlimit. A pointer that cannot be
 * read prints as its address.
 */
final class Structs {
    private static final long RLIM_INFINITY = -1;
    private static final int AF_UNIX = 1, AF_INET = 2, AF_INET6 = 10;

    private Structs() {}

    /** {st_mode=S_IFREG|0644, st_size=12, ...}, or st_rdev=makedev(...) for devices. */
    static String stat(GuestMemory mem, ArchAbi abi, long address) {
        boolean x86 = abi.arch() == Arch.X86_64;
        int mode = mem.readInt(address + (x86 ? 24 : 16));
        long rdev = mem.readLong(address + (x86 ? 40 : 32));
        long size = mem.readLong(address + 48);
        int type = mode & 0170000;
        String second = type == 020000 || type == 060000
                ? "st_rdev=makedev(0x" + Long.toHexString(major(rdev)) + ", 0x" + Long.toHexString(minor(rdev)) + ")"
                : "st_size=" + size;
        return "{st_mode=" + mode(mode) + ", " + second + ", ...}";
    }

    private static long major(long dev) {
        return ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
    }

    private static long minor(long dev) {
        return (dev & 0xff) | ((dev >>> 12) & ~0xffL);
    }

    /** S_IFDIR|S_ISVTX|0777. */
    static String mode(int mode) {
        String type = switch (mode & 0170000) {
            case 0140000 -> "S_IFSOCK|";
            case 0120000 -> "S_IFLNK|";
            case 0100000 -> "S_IFREG|";
            case 060000 -> "S_IFBLK|";
            case 040000 -> "S_IFDIR|";
            case 020000 -> "S_IFCHR|";
            case 010000 -> "S_IFIFO|";
            default -> "";
        };
        String special = ((mode & 04000) != 0 ? "S_ISUID|" : "") + ((mode & 02000) != 0 ? "S_ISGID|" : "")
                + ((mode & 01000) != 0 ? "S_ISVTX|" : "");
        return type + special + String.format("%04o", mode & 0777);
    }

    /** {tv_sec=1, tv_nsec=500000000}. */
    static String timespec(GuestMemory mem, long address) {
        return "{tv_sec=" + mem.readLong(address) + ", tv_nsec=" + mem.readLong(address + 8) + "}";
    }

    /** {ss_sp=0x7f..., ss_flags=SS_ONSTACK, ss_size=65536}. */
    static String stack(GuestMemory mem, long address) {
        return "{ss_sp=" + Strace.pointer(mem.readLong(address)) + ", ss_flags="
                + Names.SS.format(mem.readInt(address + 8) & 0xffffffffL) + ", ss_size=" + mem.readLong(address + 16) + "}";
    }

    /** {it_interval={tv_sec=0, tv_usec=0}, it_value={tv_sec=1, tv_usec=500000}}. */
    static String itimerval(GuestMemory mem, long address) {
        return "{it_interval=" + timeval(mem, address) + ", it_value=" + timeval(mem, address + 16) + "}";
    }

    private static String timeval(GuestMemory mem, long address) {
        return "{tv_sec=" + mem.readLong(address) + ", tv_usec=" + mem.readLong(address + 8) + "}";
    }

    /**
     * A wait status as strace prints it (wait(2)'s macros, there being no constructors):
     * {WIFEXITED(s) && WEXITSTATUS(s) == 3}, {WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL && WCOREDUMP(s)},
     * {WIFSTOPPED(s) && WSTOPSIG(s) == SIGSTOP}, {WIFCONTINUED(s)}; bits left over after " | ",
     * a ptrace event by number; anything else in hex.
     */
    static String waitStatus(int status) {
        int low = status & 0x7f;
        String head;
        int rest;
        if ((status & 0xff) == 0x7f) {
            int sig = (status >>> 8) & 0xff;
            head = "{WIFSTOPPED(s) && WSTOPSIG(s) == " + Names.signal(sig & 0x7f) + ((sig & 0x80) != 0 ? " | 0x80" : "")
                    + "}";
            rest = status & ~((sig << 8) | 0x7f);
        } else if (low != 0 && low != 0x7f) {
            boolean core = (status & 0x80) != 0;
            head = "{WIFSIGNALED(s) && WTERMSIG(s) == " + Names.signal(low) + (core ? " && WCOREDUMP(s)" : "") + "}";
            rest = status & ~0xff;
        } else if (low == 0) {
            head = "{WIFEXITED(s) && WEXITSTATUS(s) == " + ((status >>> 8) & 0xff) + "}";
            rest = status & ~0xff00;
        } else if (status == 0xffff) {
            head = "{WIFCONTINUED(s)}";
            rest = 0;
        } else {
            return Strace.hex(status & 0xffffffffL);
        }
        StringBuilder sb = new StringBuilder(head);
        int event = rest >>> 16;
        if (event != 0) {
            sb.append(" | ").append(Names.PTRACE_EVENT.format(event)).append(" << 16");
            rest &= 0xffff;
        }
        if (rest != 0) {
            sb.append(" | ").append(Strace.hex(rest & 0xffffffffL));
        }
        return sb.toString();
    }

    /** struct rusage without -v: {ru_utime={tv_sec=0, tv_usec=39}, ru_stime={tv_sec=0, tv_usec=0}, ...}. */
    static String rusage(GuestMemory mem, long address) {
        byte[] b = mem.read(address, 32);
        ByteBuffer r = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        return "{ru_utime={tv_sec=" + r.getLong(0) + ", tv_usec=" + r.getLong(8) + "}, ru_stime={tv_sec=" + r.getLong(16)
                + ", tv_usec=" + r.getLong(24) + "}, ...}";
    }

    /** A siginfo_t the call filled (waitid): {} when it holds no signal, else as --- SIG... lines show it. */
    static String siginfo(GuestMemory mem, long address) {
        ByteBuffer b = ByteBuffer.wrap(mem.read(address, 48)).order(ByteOrder.LITTLE_ENDIAN);
        int signo = b.getInt(0);
        if (signo == 0) {
            return "{}";
        }
        return Strace.siginfo(new dev.phoenix.abi.signal.SigInfo(signo, b.getInt(8), b.getLong(16), b.getLong(24)),
                b.getLong(32), b.getLong(40));
    }

    /** How many struct linux_dirent64 records {@code length} bytes at {@code address} hold (d_reclen at offset 16). */
    static int direntCount(GuestMemory mem, long address, long length) {
        int n = 0;
        for (long off = 0; off + 19 <= length; n++) {
            int reclen = u16(mem.read(address + off + 16, 2), 0);
            if (reclen == 0) {
                break;
            }
            off += reclen;
        }
        return n;
    }

    /** {stx_mask=STATX_BASIC_STATS, stx_attributes=0, stx_mode=S_IFREG|0644, stx_size=12, ...}. */
    static String statx(GuestMemory mem, long address) {
        int mask = mem.readInt(address);
        long attributes = mem.readLong(address + 8);
        int mode = (mem.readInt(address + 28) & 0xffff);
        long size = mem.readLong(address + 40);
        return "{stx_mask=" + Names.STATX_MASK.format(mask & 0xffffffffL) + ", stx_attributes="
                + Strace.hex(attributes) + ", stx_mode=" + mode(mode)
                + ", stx_size=" + size + ", ...}";
    }

    /** mincore's vector: one byte per page of {@code length}, as [1, 0, ...]. */
    static String mincore(GuestMemory mem, long address, long length) {
        long pages = (length + 4095) / 4096;
        byte[] v = mem.read(address, (int) Math.min(pages, Strings.LIMIT));
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(v[i] & 0xff);
        }
        return sb.append(pages > Strings.LIMIT ? ", ...]" : "]").toString();
    }

    /**
     * openat2's {flags=O_RDONLY, resolve=RESOLVE_BENEATH}: mode when the flags use it or it is
     * set, and the bytes past the 24 Linux knows when {@code size} says there are more.
     */
    static String openHow(GuestMemory mem, ArchAbi abi, long address, long size) {
        long flags = mem.readLong(address);
        long mode = mem.readLong(address + 8);
        long resolve = mem.readLong(address + 16);
        boolean showMode = mode != 0 || (flags & (0100 | 020000000)) != 0;
        StringBuilder sb = new StringBuilder("{flags=").append(Names.openFlags(abi, flags));
        if (showMode) {
            sb.append(", mode=").append(Strace.octal(mode));
        }
        sb.append(", resolve=").append(Names.RESOLVE.format(resolve));
        if (size > 24) {
            byte[] extra = mem.read(address + 24, (int) Math.min(size - 24, Strings.LIMIT));
            sb.append(", /* bytes 24..").append(24 + extra.length - 1).append(" */ \"");
            for (byte b : extra) {
                sb.append(String.format("\\x%02x", b & 0xff));
            }
            sb.append('"');
        }
        return sb.append('}').toString();
    }

    /** struct clone_args: the fields through tls (the first version), and all of them (through cgroup). */
    private static final int CLONE_ARGS_VER0 = 64, CLONE_ARGS_KNOWN = 88, PAGE = 4096, SET_TID_MAX = 32;
    private static final long CLONE_PIDFD = 0x1000, CLONE_SETTLS = 0x80000, CLONE_PARENT_SETTID = 0x100000,
            CLONE_CHILD_CLEARTID = 0x200000, CLONE_CHILD_SETTID = 0x1000000, CLONE_INTO_CGROUP = 0x200000000L;

    /**
     * clone3(2)'s struct clone_args of {@code size} bytes, as strace prints it at entry:
     * {flags=CLONE_VM|..., child_tid=..., parent_tid=..., exit_signal=SIGCHLD, stack=...,
     * stack_size=0x..., tls=...}, each address field only when a flag makes the kernel use it;
     * nonzero bytes past the struct strace knows; the address alone when the struct is shorter
     * than the first version or unreadable.
     */
    static String cloneArgs(GuestMemory mem, long address, long size) {
        ByteBuffer b = cloneArgsRead(mem, address, size);
        if (b == null) {
            return Strace.pointer(address);
        }
        int fetch = fetched(size);
        long flags = b.getLong(0), pidfd = b.getLong(8), childTid = b.getLong(16), parentTid = b.getLong(24),
                exitSignal = b.getLong(32), setTid = b.getLong(64), setTidSize = b.getLong(72), cgroup = b.getLong(80);
        StringBuilder sb = new StringBuilder("{flags=").append(Names.CLONE3.format(flags));
        if ((flags & CLONE_PIDFD) != 0) {
            sb.append(", pidfd=").append(Strace.pointer(pidfd));
        }
        if ((flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) != 0) {
            sb.append(", child_tid=").append(Strace.pointer(childTid));
        }
        if ((flags & CLONE_PARENT_SETTID) != 0) {
            sb.append(", parent_tid=").append(Strace.pointer(parentTid));
        }
        sb.append(", exit_signal=").append(Names.signal(exitSignal)).append(", stack=")
                .append(Strace.pointer(b.getLong(40))).append(", stack_size=").append(Strace.hex(b.getLong(48)));
        if ((flags & CLONE_SETTLS) != 0) {
            sb.append(", tls=").append(Strace.pointer(b.getLong(56)));
        }
        if (setTid != 0 || setTidSize != 0) {
            sb.append(", set_tid=").append(setTid != 0 && setTidSize != 0 && Long.compareUnsigned(setTidSize, SET_TID_MAX) <= 0
                    ? orAddress(setTid, () -> ints(mem, setTid, (int) setTidSize)) : Strace.pointer(setTid));
            sb.append(", set_tid_size=").append(Long.toUnsignedString(setTidSize));
        }
        if (fetch > 80 && (cgroup != 0 || (flags & CLONE_INTO_CGROUP) != 0)) {
            sb.append(", cgroup=").append(Long.toUnsignedString(cgroup));
        }
        String tail = tail(mem, address, size);
        return sb.append(tail.isEmpty() ? "" : ", " + tail).append('}').toString();
    }

    /**
     * True when strace finishes clone3's line at exit: the kernel stores a pidfd or the parent's
     * tid, or the struct is longer than strace knows; then the size comes after what was stored.
     */
    static boolean cloneArgsFinishAtExit(GuestMemory mem, long address, long size) {
        ByteBuffer b = cloneArgsRead(mem, address, size);
        return b != null && ((b.getLong(0) & (CLONE_PIDFD | CLONE_PARENT_SETTID)) != 0
                || Long.compareUnsigned(size, CLONE_ARGS_KNOWN) > 0);
    }

    /** What a clone3 that succeeded stored through the pidfd and parent_tid pointers: " => {parent_tid=[1234]}", or "". */
    static String cloneArgsStored(GuestMemory mem, long address) {
        long flags, pidfd, parentTid;
        try {
            flags = mem.readLong(address);
            pidfd = mem.readLong(address + 8);
            parentTid = mem.readLong(address + 24);
        } catch (dev.phoenix.libos.Errno e) {
            return " => " + Strace.pointer(address);
        }
        if ((flags & (CLONE_PIDFD | CLONE_PARENT_SETTID)) == 0) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        if ((flags & CLONE_PIDFD) != 0) {
            out.append("pidfd=").append(orAddress(pidfd, () -> "[" + mem.readInt(pidfd) + "]"));
        }
        if ((flags & CLONE_PARENT_SETTID) != 0) {
            out.append(out.isEmpty() ? "" : ", ").append("parent_tid=")
                    .append(orAddress(parentTid, () -> "[" + Integer.toUnsignedString(mem.readInt(parentTid)) + "]"));
        }
        return " => {" + out + "}";
    }

    private static int fetched(long size) {
        return (int) (Long.compareUnsigned(size, CLONE_ARGS_KNOWN) < 0 ? size : CLONE_ARGS_KNOWN);
    }

    /** The clone_args strace reads (up to the fields it knows, zero-padded), or null when too short or unreadable. */
    private static ByteBuffer cloneArgsRead(GuestMemory mem, long address, long size) {
        int fetch = fetched(size);
        if (address == 0 || fetch < CLONE_ARGS_VER0) {
            return null;
        }
        try {
            byte[] raw = mem.read(address, fetch);
            return ByteBuffer.wrap(java.util.Arrays.copyOf(raw, CLONE_ARGS_KNOWN)).order(ByteOrder.LITTLE_ENDIAN);
        } catch (dev.phoenix.libos.Errno e) {
            return null;
        }
    }

    /** The bytes of a clone_args past the fields strace knows, up to the page's size: "" when all are zero. */
    private static String tail(GuestMemory mem, long address, long size) {
        if (Long.compareUnsigned(size, CLONE_ARGS_KNOWN) <= 0) {
            return "";
        }
        int end = (int) (Long.compareUnsigned(size, PAGE) < 0 ? size : PAGE);
        byte[] extra;
        try {
            extra = mem.read(address + CLONE_ARGS_KNOWN, end - CLONE_ARGS_KNOWN);
        } catch (dev.phoenix.libos.Errno e) {
            return "";
        }
        boolean any = false;
        for (byte x : extra) {
            any |= x != 0;
        }
        if (!any) {
            return "";
        }
        StringBuilder sb = new StringBuilder("/* bytes " + CLONE_ARGS_KNOWN + ".." + (end - 1) + " */ \"");
        for (int i = 0; i < Math.min(extra.length, Strings.LIMIT); i++) {
            sb.append(String.format("\\x%02x", extra[i] & 0xff));
        }
        return sb.append(extra.length > Strings.LIMIT ? "\"..." : "\"").toString();
    }

    /** {@code count} 32-bit ints: [5, 6, 7]. */
    private static String ints(GuestMemory mem, long address, int count) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ", ").append(mem.readInt(address + 4L * i));
        }
        return sb.append(']').toString();
    }

    /** {@code decode}'s text, or the address when guest memory there cannot be read (as strace prints it). */
    private static String orAddress(long address, java.util.function.Supplier<String> decode) {
        if (address == 0) {
            return "NULL";
        }
        try {
            return decode.get();
        } catch (dev.phoenix.libos.Errno e) {
            return Strace.pointer(address);
        }
    }

    /** struct flock: {l_type=F_WRLCK, l_whence=SEEK_SET, l_start=0, l_len=10[, l_pid=0]}. */
    static String flock(GuestMemory mem, long address, boolean withPid) {
        byte[] b = mem.read(address, 4);
        int type = u16(b, 0);
        int whence = u16(b, 2);
        return "{l_type=" + Names.LOCK_TYPE.format(type) + ", l_whence=" + Names.WHENCE.format(whence) + ", l_start="
                + mem.readLong(address + 8) + ", l_len=" + mem.readLong(address + 16)
                + (withPid ? ", l_pid=" + mem.readInt(address + 24) : "") + "}";
    }

    /** struct winsize: {ws_row=24, ws_col=80, ws_xpixel=0, ws_ypixel=0}. */
    static String winsize(GuestMemory mem, long address) {
        byte[] b = mem.read(address, 8);
        return "{ws_row=" + u16(b, 0) + ", ws_col=" + u16(b, 2) + ", ws_xpixel=" + u16(b, 4) + ", ws_ypixel=" + u16(b, 6)
                + "}";
    }

    private static int u16(byte[] b, int at) {
        return (b[at] & 0xff) | ((b[at + 1] & 0xff) << 8);
    }

    /** {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}. */
    private static final int CAP_V1 = 0x19980330, CAP_V2 = 0x20071026, CAP_V3 = 0x20080522;

    /** capget/capset's header: {version=_LINUX_CAPABILITY_VERSION_3, pid=0}. */
    static String capHeader(GuestMemory mem, long address) {
        int version = mem.readInt(address);
        String name = switch (version) {
            case CAP_V1 -> "_LINUX_CAPABILITY_VERSION_1";
            case CAP_V2 -> "_LINUX_CAPABILITY_VERSION_2";
            case CAP_V3 -> "_LINUX_CAPABILITY_VERSION_3";
            default -> "0x" + Integer.toHexString(version) + " /* _LINUX_CAPABILITY_VERSION_??? */";
        };
        return "{version=" + name + ", pid=" + mem.readInt(address + 4) + "}";
    }

    /**
     * capget/capset's data for the version in {@code header}: one set of three 32-bit words per
     * word of the version ({effective=..., permitted=..., inheritable=...}); the address alone for
     * an unknown version.
     */
    static String capData(GuestMemory mem, long header, long address) {
        int version = mem.readInt(header);
        int words = version == CAP_V1 ? 1 : version == CAP_V2 || version == CAP_V3 ? 2 : 0;
        if (words == 0) {
            return Strace.pointer(address);
        }
        String[] sets = {"effective", "permitted", "inheritable"};
        StringBuilder sb = new StringBuilder("{");
        for (int s = 0; s < 3; s++) {
            sb.append(s == 0 ? "" : ", ").append(sets[s]).append('=');
            int lo = mem.readInt(address + 4L * s);
            int hi = words == 2 ? mem.readInt(address + 12 + 4L * s) : 0;
            // strace prints the low word unless only the high word has bits, then the high word.
            if (lo != 0 || hi == 0) {
                sb.append(Names.capabilityWord(0, lo));
            }
            if (hi != 0) {
                sb.append(lo != 0 ? "|" : "").append(Names.capabilityWord(1, hi));
            }
        }
        return sb.append('}').toString();
    }

    /** A list of {@code count} 32-bit ids (setgroups, getgroups): [4, 27]. */
    static String ids(GuestMemory mem, long address, long count) {
        StringBuilder sb = new StringBuilder("[");
        for (long i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ", ").append(mem.readInt(address + 4 * i));
        }
        return sb.append(']').toString();
    }

    static String rlimit(GuestMemory mem, long address) {
        return "{rlim_cur=" + limit(mem.readLong(address)) + ", rlim_max=" + limit(mem.readLong(address + 8)) + "}";
    }

    private static String limit(long v) {
        if (v == RLIM_INFINITY) {
            return "RLIM64_INFINITY";
        }
        return v > 1024 && v % 1024 == 0 ? (v / 1024) + "*1024" : Long.toString(v);
    }

    /** Names in a set drop the SIG prefix; real-time signals are RTMIN, RT_1, RT_2, ... */
    private static String setName(int sig) {
        return sig < 32 ? Signals.name(sig).substring(3) : sig == 32 ? "RTMIN" : "RT_" + (sig - 32);
    }

    /** [INT TERM], or ~[...] listing the signals not in the set when most are. */
    static String sigset(long mask) {
        boolean inverted = Long.bitCount(mask) > 32;
        long shown = inverted ? ~mask : mask;
        StringBuilder sb = new StringBuilder(inverted ? "~[" : "[");
        for (int sig = 1; sig <= 64; sig++) {
            if ((shown & (1L << (sig - 1))) != 0) {
                sb.append(sb.charAt(sb.length() - 1) == '[' ? "" : " ").append(setName(sig));
            }
        }
        return sb.append(']').toString();
    }

    /** {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x...}. */
    static String sigaction(GuestMemory mem, ArchAbi abi, long address) {
        boolean restorerWord = abi.hasSaRestorer();
        long handler = mem.readLong(address);
        long flags = mem.readLong(address + 8);
        long mask = mem.readLong(address + (restorerWord ? 24 : 16));
        String h = handler == 0 ? "SIG_DFL" : handler == 1 ? "SIG_IGN" : "0x" + Long.toHexString(handler);
        StringBuilder sb = new StringBuilder("{sa_handler=").append(h).append(", sa_mask=").append(sigset(mask))
                .append(", sa_flags=").append(Names.SA.format(flags));
        if (restorerWord && (flags & 0x04000000L) != 0) {
            sb.append(", sa_restorer=0x").append(Long.toHexString(mem.readLong(address + 16)));
        }
        return sb.append('}').toString();
    }

    /** {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")} and AF_UNIX, AF_INET6. */
    static String sockaddr(GuestMemory mem, long address, long length) {
        if (length < 2) {
            return Strace.pointer(address);
        }
        byte[] b = mem.read(address, (int) Math.min(length, 128));
        int family = (b[0] & 0xff) | ((b[1] & 0xff) << 8);
        if (family == AF_UNIX) {
            return unix(b);
        }
        if (family == AF_INET && b.length >= 8) {
            return "{sa_family=AF_INET, sin_port=htons(" + port(b) + "), sin_addr=inet_addr(\""
                    + (b[4] & 0xff) + "." + (b[5] & 0xff) + "." + (b[6] & 0xff) + "." + (b[7] & 0xff) + "\")}";
        }
        if (family == AF_INET6 && b.length >= 28) {
            return "{sa_family=AF_INET6, sin6_port=htons(" + port(b) + "), sin6_flowinfo=htonl(" + be32(b, 4)
                    + "), inet_pton(AF_INET6, \"" + ipv6(b) + "\", &sin6_addr), sin6_scope_id="
                    + Integer.toUnsignedString(le32(b, 24)) + "}";
        }
        return "{sa_family=" + family + ", sa_data=...}";
    }

    private static String unix(byte[] b) {
        if (b.length <= 2) {
            return "{sa_family=AF_UNIX}";
        }
        boolean abstractName = b[2] == 0;
        StringBuilder path = new StringBuilder();
        for (int i = abstractName ? 3 : 2; i < b.length && (abstractName || b[i] != 0); i++) {
            Strings.escape(path, b[i], i + 1 < b.length ? b[i + 1] : 0);
        }
        return "{sa_family=AF_UNIX, sun_path=" + (abstractName ? "@" : "") + "\"" + path + "\"}";
    }

    private static int port(byte[] b) {
        return ((b[2] & 0xff) << 8) | (b[3] & 0xff);
    }

    private static long be32(byte[] b, int at) {
        return ((b[at] & 0xffL) << 24) | ((b[at + 1] & 0xffL) << 16) | ((b[at + 2] & 0xffL) << 8) | (b[at + 3] & 0xffL);
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xff) | ((b[at + 1] & 0xff) << 8) | ((b[at + 2] & 0xff) << 16) | ((b[at + 3] & 0xff) << 24);
    }

    /** inet_ntop(3)'s form: hex groups, the longest run of two or more zero groups as "::". */
    private static String ipv6(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = ((b[8 + 2 * i] & 0xff) << 8) | (b[9 + 2 * i] & 0xff);
        }
        int bestAt = -1, bestLen = 1;
        for (int i = 0; i < 8; i++) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestAt = i;
                bestLen = j - i;
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestAt) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (!sb.isEmpty() && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        return sb.toString();
    }
}
