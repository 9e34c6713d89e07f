package dev.phoenix.abi.strace;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.abi.Signals;
import dev.phoenix.emu.Arch;
import dev.phoenix.libos.mm.GuestMemory;

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

    /** {rlim_cur=8192*1024, rlim_max=RLIM64_INFINITY}. */
    static String rlimit(GuestMemory mem, long address) {
        return "{rlim_cur=" + limit(mem.readLong(address)) + ", rlim_max=" + limit(mem.readLong(address + 8)) + "}";
    }

    private static String limit(long v) {
        if (v == RLIM_INFINITY) {
            return "RLIM64_INFINITY";
        }
        return v != 0 && v % 1024 == 0 ? (v / 1024) + "*1024" : Long.toString(v);
    }

    /** [INT TERM], or ~[...] listing the signals not in the set when most are. */
    static String sigset(long mask) {
        boolean inverted = Long.bitCount(mask) > 32;
        long shown = inverted ? ~mask : mask;
        StringBuilder sb = new StringBuilder(inverted ? "~[" : "[");
        for (int sig = 1; sig <= 64; sig++) {
            if ((shown & (1L << (sig - 1))) != 0) {
                sb.append(sb.charAt(sb.length() - 1) == '[' ? "" : " ").append(Signals.name(sig).substring(3));
            }
        }
        return sb.append(']').toString();
    }

    /** {sa_handler=SIG_IGN, sa_mask=[], sa_flags=SA_RESTORER|SA_RESTART, sa_restorer=0x...}. */
    static String sigaction(GuestMemory mem, ArchAbi abi, long address) {
        boolean restorerWord = abi.arch() != Arch.RISCV64; // asm-generic without SA_RESTORER on riscv64
        long handler = mem.readLong(address);
        long flags = mem.readLong(address + 8);
        long mask = mem.readLong(address + (restorerWord ? 24 : 16));
        String h = handler == 0 ? "SIG_DFL" : handler == 1 ? "SIG_IGN" : "0x" + Long.toHexString(handler);
        StringBuilder sb = new StringBuilder("{sa_handler=").append(h).append(", sa_mask=").append(sigset(mask))
                .append(", sa_flags=").append(Names.SA.format(flags & 0xffffffffL));
        if (restorerWord && (flags & 0x04000000L) != 0) {
            sb.append(", sa_restorer=0x").append(Long.toHexString(mem.readLong(address + 16)));
        }
        return sb.append('}').toString();
    }

    /** {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("127.0.0.1")} and AF_UNIX, AF_INET6. */
    static String sockaddr(GuestMemory mem, long address, long length) {
        if (length < 2) {
            return "0x" + Long.toHexString(address);
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
            Strace.escape(path, b[i]);
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
