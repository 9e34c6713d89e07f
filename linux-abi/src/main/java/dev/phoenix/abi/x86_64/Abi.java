package dev.phoenix.abi.x86_64;

import dev.phoenix.abi.AbiBase;
import dev.phoenix.abi.GenericStat;
import dev.phoenix.emu.Arch;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.mm.GuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Linux ABI of x86_64: numbering from arch/x86/entry/syscalls/syscall_64.tbl and the
 * x86_64 {@code struct stat} (arch/x86/include/uapi/asm/stat.h: st_mode at offset 24).
 */
public final class Abi extends AbiBase {
    public static final Abi INSTANCE = new Abi();
    private static final int STAT_SIZE = 144;
    // CPUID.1:EDX of the baseline x86-64 CPU Unicorn emulates (fpu ... sse2).
    private static final long HWCAP = 0x178bfbffL;

    private Abi() {
        super(Arch.X86_64, numbers(), new Layout(0x7ffffffff000L, 0x555555554000L, 0x10000000L, 0x7ffff7ff0000L),
                HWCAP, "x86_64");
    }

    private static Map<String, Integer> numbers() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("read", 0);
        m.put("write", 1);
        m.put("close", 3);
        m.put("fstat", 5);
        m.put("mmap", 9);
        m.put("mprotect", 10);
        m.put("munmap", 11);
        m.put("brk", 12);
        m.put("ioctl", 16);
        m.put("readv", 19);
        m.put("writev", 20);
        m.put("getpid", 39);
        m.put("exit", 60);
        m.put("poll", 7);
        m.put("ppoll", 271);
        m.put("rt_sigaction", 13);
        m.put("rt_sigprocmask", 14);
        m.put("rt_sigreturn", 15);
        m.put("pause", 34);
        m.put("getitimer", 36);
        m.put("alarm", 37);
        m.put("setitimer", 38);
        m.put("kill", 62);
        m.put("rt_sigpending", 127);
        m.put("rt_sigsuspend", 130);
        m.put("sigaltstack", 131);
        m.put("tkill", 200);
        m.put("tgkill", 234);
        m.put("uname", 63);
        m.put("readlink", 89);
        m.put("gettimeofday", 96);
        m.put("getuid", 102);
        m.put("getgid", 104);
        m.put("geteuid", 107);
        m.put("getegid", 108);
        m.put("getppid", 110);
        m.put("prctl", 157);
        m.put("arch_prctl", 158);
        m.put("gettid", 186);
        m.put("time", 201);
        m.put("set_tid_address", 218);
        m.put("clock_gettime", 228);
        m.put("clock_getres", 229);
        m.put("exit_group", 231);
        m.put("newfstatat", 262);
        m.put("readlinkat", 267);
        m.put("set_robust_list", 273);
        m.put("prlimit64", 302);
        m.put("getrandom", 318);
        m.put("rseq", 334);
        m.put("open", 2);
        m.put("lseek", 8);
        m.put("pread64", 17);
        m.put("pwrite64", 18);
        m.put("access", 21);
        m.put("getcwd", 79);
        m.put("chdir", 80);
        m.put("fchdir", 81);
        m.put("getdents64", 217);
        m.put("openat", 257);
        m.put("faccessat", 269);
        m.put("faccessat2", 439);
        m.put("stat", 4);
        m.put("lstat", 6);
        m.put("fcntl", 72);
        m.put("pipe", 22);
        m.put("dup", 32);
        m.put("dup2", 33);
        m.put("fsync", 74);
        m.put("fdatasync", 75);
        m.put("truncate", 76);
        m.put("ftruncate", 77);
        m.put("rename", 82);
        m.put("mkdir", 83);
        m.put("rmdir", 84);
        m.put("link", 86);
        m.put("unlink", 87);
        m.put("symlink", 88);
        m.put("chmod", 90);
        m.put("fchmod", 91);
        m.put("chown", 92);
        m.put("fchown", 93);
        m.put("lchown", 94);
        m.put("umask", 95);
        m.put("mkdirat", 258);
        m.put("fchownat", 260);
        m.put("unlinkat", 263);
        m.put("renameat", 264);
        m.put("linkat", 265);
        m.put("symlinkat", 266);
        m.put("fchmodat", 268);
        m.put("dup3", 292);
        m.put("pipe2", 293);
        m.put("renameat2", 316);
        m.put("close_range", 436);
        m.put("sendfile", 40);
        m.put("wait4", 61);
        m.put("sysinfo", 99);
        m.put("getgroups", 115);
        m.put("statfs", 137);
        m.put("fstatfs", 138);
        m.put("utimensat", 280);
        m.put("sched_yield", 24);
        m.put("nanosleep", 35);
        m.put("getrlimit", 97);
        m.put("getrusage", 98);
        m.put("times", 100);
        m.put("setrlimit", 160);
        m.put("sched_getaffinity", 204);
        m.put("clock_nanosleep", 230);
        m.put("getcpu", 309);
        m.put("fallocate", 285);
        m.put("preadv", 295);
        m.put("pwritev", 296);
        m.put("copy_file_range", 326);
        m.put("preadv2", 327);
        m.put("pwritev2", 328);
        m.put("statx", 332);
        m.put("mremap", 25);
        m.put("msync", 26);
        m.put("mincore", 27);
        m.put("madvise", 28);
        m.put("flock", 73);
        m.put("openat2", 437);
        return m;
    }

    @Override
    public int statSize() {
        return STAT_SIZE;
    }

    @Override
    public void writeStat(GuestMemory memory, long address, FileStatus st) {
        ByteBuffer b = ByteBuffer.allocate(STAT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, st.dev()).putLong(8, st.ino()).putLong(16, st.nlink()).putInt(24, st.mode())
                .putInt(28, st.uid()).putInt(32, st.gid()).putLong(40, st.rdev()).putLong(48, st.size())
                .putLong(56, st.blksize()).putLong(64, st.blocks());
        GenericStat.putTime(b, 72, st.atimeNs());
        GenericStat.putTime(b, 88, st.mtimeNs());
        GenericStat.putTime(b, 104, st.ctimeNs());
        memory.write(address, b.array());
    }
}
