package dev.phoenix.abi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The asm-generic syscall numbering (include/uapi/asm-generic/unistd.h) shared by aarch64 and
 * riscv64, for the syscalls Phoenix declares. Per-arch deltas are added by each arch's Abi.
 */
public final class GenericNumbers {
    private GenericNumbers() {}

    /** A fresh, modifiable copy of the shared numbering. */
    public static Map<String, Integer> base() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("ioctl", 29);
        m.put("close", 57);
        m.put("read", 63);
        m.put("write", 64);
        m.put("readv", 65);
        m.put("writev", 66);
        m.put("readlinkat", 78);
        m.put("newfstatat", 79);
        m.put("fstat", 80);
        m.put("exit", 93);
        m.put("ppoll", 73);
        m.put("getitimer", 102);
        m.put("setitimer", 103);
        m.put("kill", 129);
        m.put("tkill", 130);
        m.put("tgkill", 131);
        m.put("sigaltstack", 132);
        m.put("rt_sigsuspend", 133);
        m.put("rt_sigaction", 134);
        m.put("rt_sigprocmask", 135);
        m.put("rt_sigpending", 136);
        m.put("rt_sigreturn", 139);
        m.put("exit_group", 94);
        m.put("set_tid_address", 96);
        m.put("set_robust_list", 99);
        m.put("clock_gettime", 113);
        m.put("clock_getres", 114);
        m.put("uname", 160);
        m.put("prctl", 167);
        m.put("gettimeofday", 169);
        m.put("getpid", 172);
        m.put("getppid", 173);
        m.put("getuid", 174);
        m.put("geteuid", 175);
        m.put("getgid", 176);
        m.put("getegid", 177);
        m.put("gettid", 178);
        m.put("brk", 214);
        m.put("munmap", 215);
        m.put("mmap", 222);
        m.put("mprotect", 226);
        m.put("prlimit64", 261);
        m.put("getrandom", 278);
        m.put("rseq", 293);
        m.put("getcwd", 17);
        m.put("faccessat", 48);
        m.put("chdir", 49);
        m.put("fchdir", 50);
        m.put("openat", 56);
        m.put("getdents64", 61);
        m.put("lseek", 62);
        m.put("pread64", 67);
        m.put("pwrite64", 68);
        m.put("faccessat2", 439);
        m.put("fcntl", 25);
        m.put("dup", 23);
        m.put("dup3", 24);
        m.put("mkdirat", 34);
        m.put("unlinkat", 35);
        m.put("symlinkat", 36);
        m.put("linkat", 37);
        m.put("truncate", 45);
        m.put("ftruncate", 46);
        m.put("fchmod", 52);
        m.put("fchmodat", 53);
        m.put("fchownat", 54);
        m.put("fchown", 55);
        m.put("pipe2", 59);
        m.put("fsync", 82);
        m.put("fdatasync", 83);
        m.put("umask", 166);
        m.put("renameat2", 276);
        m.put("close_range", 436);
        m.put("statfs", 43);
        m.put("fstatfs", 44);
        m.put("sendfile", 71);
        m.put("utimensat", 88);
        m.put("getgroups", 158);
        m.put("sysinfo", 179);
        m.put("wait4", 260);
        m.put("nanosleep", 101);
        m.put("clock_nanosleep", 115);
        m.put("sched_getaffinity", 123);
        m.put("sched_yield", 124);
        m.put("times", 153);
        m.put("getrlimit", 163);
        m.put("setrlimit", 164);
        m.put("getrusage", 165);
        m.put("getcpu", 168);
        m.put("fallocate", 47);
        m.put("preadv", 69);
        m.put("pwritev", 70);
        m.put("copy_file_range", 285);
        m.put("preadv2", 286);
        m.put("pwritev2", 287);
        m.put("statx", 291);
        m.put("mremap", 216);
        m.put("msync", 227);
        m.put("mincore", 232);
        m.put("madvise", 233);
        m.put("flock", 32);
        m.put("openat2", 437);
        return m;
    }
}
