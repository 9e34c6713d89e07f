package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.abi.LinuxKernel;
import dev.phoenix.abi.Machine;
import dev.phoenix.abi.Program;
import dev.phoenix.abi.strace.Strace;
import dev.phoenix.abi.syscall.Arg;
import dev.phoenix.abi.syscall.SyscallDef;
import dev.phoenix.abi.syscall.SyscallTable;
import dev.phoenix.emu.Cpus;
import dev.phoenix.emu.Prot;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.StdioFile;
import dev.phoenix.libos.mm.AddressSpace;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.tests.Guests.Target;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hostile arguments never make a Java exception escape a syscall: every entry of every arch's
 * table is called through the dispatcher (with --strace's formatter on, which reads the same
 * guest memory) with boundary values and seeded random argument vectors: negative, huge,
 * unaligned, null and unmapped pointers, pointers into mapped memory holding a path, valid and
 * invalid descriptors. Each call must return a result or -errno. Each syscall gets a fresh
 * process (deterministic, so a failure reproduces), inside a scratch rootfs so that path calls
 * touch nothing of the host's; SIGKILL stays pending so that no wait can block.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
class SyscallFuzzTest {
    /** The seed; -Dphoenix.fuzz.seed=N explores others (a failure names the call and its arguments). */
    private static final long SEED = Long.getLong("phoenix.fuzz.seed", 0x5eed_2026_1204L);
    /** Random argument vectors per syscall, besides the boundary ones. */
    private static final int RANDOM_VECTORS = 100;
    /** Where the scratch memory is mapped in each process: below every arch's image and mmap area. */
    private static final long SCRATCH = 0x20000;
    private static final long SCRATCH_SIZE = 64 * 1024;
    private static final long UNMAPPED = 0x1000;

    enum Arch {
        X86_64(Target.X86_64_MUSL), AARCH64(Target.AARCH64), RISCV64(Target.RISCV64);

        final Target target;

        Arch(Target target) {
            this.target = target;
        }
    }

    @ParameterizedTest
    @EnumSource(Arch.class)
    void noArgumentsMakeAHandlerThrow(Arch arch) throws Exception {
        SyscallTable table = SyscallTable.of(arch.target.arch);
        List<String> failures = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(SEED + arch.ordinal());
        int calls = 0;
        for (int nr = 0; nr < table.size(); nr++) {
            SyscallDef def = table.get(nr);
            if (def == null) {
                continue;
            }
            // A fresh root for each syscall: the last one may have renamed or removed its files.
            Path root = Files.createTempDirectory("phoenix-fuzz");
            try {
                Files.copy(Guests.binary(arch.target, "hello"), root.resolve("prog")); // a copy: calls may change it
                Files.createDirectories(root.resolve("dir/sub"));
                Files.writeString(root.resolve("dir/file"), "some bytes\n");
                Files.createSymbolicLink(root.resolve("dir/link"), Path.of("file"));
                calls += fuzz(root, table, nr, def, random.split(), failures);
            } finally {
                Guests.deleteTree(root);
            }
        }
        assertEquals(List.of(), failures, calls + " calls");
    }

    /** Calls syscall {@code nr} with every vector in a fresh process; returns how many calls it made. */
    private static int fuzz(Path root, SyscallTable table, int nr, SyscallDef def, SplittableRandom random,
            List<String> failures) throws Exception {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
        // --net none: fuzzed sockets, addresses and sends stay inside Phoenix, off the host's network
        LinuxKernel kernel = new LinuxKernel(new LinuxKernel.Options("fuzz", root, Machine.deterministic(0), sink,
                new Strace(sink, false), null, Cpus.Engine.UNICORN, 0, true));
        OpenFile[] stdio = {new StdioFile(new ByteArrayInputStream(new byte[0]), null, -1),
            new StdioFile(null, OutputStream.nullOutputStream(), -1), new StdioFile(null, OutputStream.nullOutputStream(), -1)};
        Program program = Program.find(root, "/prog");
        int calls = 0;
        try (LinuxKernel.Session s = kernel.load(program, List.of("/prog"), List.of("HOME=/"), stdio)) {
            Task task = s.process().mainTask();
            Task.setCurrent(task);
            AddressSpace as = s.process().addressSpace();
            as.mapAnonymous(SCRATCH, SCRATCH_SIZE, Prot.READ | Prot.WRITE, "[fuzz]");
            byte[] path = "/dir/file\0".getBytes(StandardCharsets.US_ASCII);
            as.memory().write(SCRATCH, path);
            for (int i = 0; i < PATHS.length; i++) {
                as.memory().write(SCRATCH + 64L * (i + 1), (PATHS[i] + "\0").getBytes(StandardCharsets.US_ASCII));
            }
            // Descriptors of every kind for the fd arguments: a file, a directory, both ends of a pipe.
            int[] opens = {open(s, table, SCRATCH, 2), open(s, table, SCRATCH + 64, 0)};
            long pipe = table.arch() == dev.phoenix.emu.Arch.X86_64 ? 293 : 59; // pipe2
            s.dispatcher().syscall(s.cpu(), pipe, SCRATCH + 512, 0, 0, 0, 0, 0);
            assertEquals(List.of(3, 4), List.of(opens[0], opens[1]));
            long[] pool = boundaryValues(s.cpu().get(dev.phoenix.emu.Reg.SP));
            List<long[]> vectors = new ArrayList<>();
            for (int i = 0; i < pool.length; i++) {
                long[] v = new long[6];
                for (int a = 0; a < 6; a++) {
                    v[a] = pool[(i + 7 * a) % pool.length]; // each value in every position
                }
                vectors.add(v);
            }
            for (int i = 0; i < RANDOM_VECTORS; i++) {
                long[] v = new long[6];
                for (int a = 0; a < 6; a++) {
                    // Mostly values of the kind the argument has, so calls get past their first
                    // check; sometimes anything at all.
                    Arg kind = a < def.args().length ? def.args()[a] : Arg.DEC;
                    v[a] = random.nextInt(4) == 0 ? randomArgument(random, pool) : plausible(random, kind, pool);
                }
                vectors.add(v);
            }
            byte[] garbage = new byte[(int) SCRATCH_SIZE - 1024];
            java.nio.ByteBuffer words = java.nio.ByteBuffer.wrap(garbage).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            int n = 0;
            for (long[] v : vectors) {
                // Refill what the last call may have changed: the path, and past it, for structs
                // the arguments point at (iovecs, timespecs, sigactions, ...), words of every kind
                // (random vectors only; the boundary ones see zeros). Keep a signal pending that
                // ends every wait at once (pause, sleeps, futex, pipes, flock, poll).
                as.memory().write(SCRATCH, path);
                if (n++ >= pool.length) {
                    for (int w = 0; w < garbage.length / 8; w++) {
                        words.putLong(8 * w, randomArgument(random, pool));
                    }
                } else {
                    java.util.Arrays.fill(garbage, (byte) 0);
                }
                as.memory().write(SCRATCH + 1024, garbage);
                task.post(9, 0);
                calls++;
                try {
                    long r = s.dispatcher().syscall(s.cpu(), nr, v[0], v[1], v[2], v[3], v[4], v[5]);
                    if (r < 0 && r >= -4095 && Errno.name((int) -r).equals("E" + -r)) {
                        failures.add(def.name() + describe(v) + " returned unknown errno " + r);
                    }
                } catch (Throwable t) {
                    failures.add(def.name() + describe(v) + " threw " + t);
                    if (failures.size() > 200) {
                        return calls;
                    }
                }
                if (!as.isFullyMapped(SCRATCH, SCRATCH + SCRATCH_SIZE)) {
                    as.mapAnonymous(SCRATCH, SCRATCH_SIZE, Prot.READ | Prot.WRITE, "[fuzz]");
                }
                as.protect(SCRATCH, SCRATCH_SIZE, Prot.READ | Prot.WRITE);
            }
        } finally {
            Task.setCurrent(null);
        }
        return calls;
    }

    /** Paths written at SCRATCH + 64 * (i + 1), for string arguments (the first is also at SCRATCH). */
    private static final String[] PATHS = {"/dir", "/dir/link", "/dir/sub", "/nonexistent", "", "/dir/new", "..",
        "/proc/self/maps", "/proc/self/fd/3", "/dev/null", "/dev/zero", "/dev/tty", "/sys/devices/system/cpu/online",
        "/prog", "dir/file", "/dir/file/x", "/proc/self/status", "/dev/stdout"};

    /** A value of argument kind {@code kind} as a caller would pass it, now and then at its edges. */
    private static long plausible(SplittableRandom r, Arg kind, long[] pool) {
        return switch (kind) {
            case FD -> r.nextInt(10) == 0 ? -100 : r.nextInt(-1, 8); // AT_FDCWD, the open fds, a closed one
            case STR -> r.nextInt(8) == 0 ? SCRATCH : SCRATCH + 64L * r.nextInt(1, PATHS.length + 1);
            case ID -> new long[] {0, 1, 1000, 65534, -1, 0xffffffffL}[r.nextInt(6)];
            case SIGNAL -> r.nextInt(0, 66);
            case CLOCK -> r.nextInt(-3, 13);
            case WHENCE -> r.nextInt(0, 6);
            case OCT -> new long[] {0, 0644, 0755, 0777, 07777, 010000, r.nextLong(0, 1 << 16)}[r.nextInt(7)];
            case UDEC, DEC -> new long[] {0, 1, 2, 8, 16, 64, 128, 1024, 4096, 65536, 1L << 20, r.nextLong(0, 512),
                -1, 1L << 40}[r.nextInt(14)];
            case OPEN_FLAGS, HEX, MMAP_FLAGS, MMAP_PROT, AT_FLAGS, PIPE_FLAGS, MREMAP_FLAGS, MSYNC_FLAGS, MADVISE,
                    WAIT_OPTIONS, GRND_FLAGS, TIMER_FLAGS, FLOCK_OP, ACCESS_MODE, UNLINKAT_FLAGS, FACCESSAT_FLAGS,
                    STATX_AT, STATX_MASK, FALLOCATE_MODE, RENAME_FLAGS, SYNC_FILE_RANGE_FLAGS, SIG_HOW, ITIMER_WHICH,
                    ARCH_PRCTL_CODE, RLIMIT, FCNTL_CMD, IOCTL_REQ, PRCTL_OPTION, FUTEX_OP -> flags(r, kind);
            case SKIP, NORETURN, SIGRETURN_MASK -> 0;
            default -> { // pointers: into the scratch page, at its edges, or nowhere
                int k = r.nextInt(10);
                yield k < 7 ? SCRATCH + 1024 + (r.nextLong(0, SCRATCH_SIZE - 2048) & (k < 5 ? -8 : -1))
                        : k == 7 ? 0 : k == 8 ? UNMAPPED : SCRATCH + SCRATCH_SIZE - r.nextInt(1, 16);
            }
        };
    }

    /** Flag words: a few low bits together, or the known commands and requests of the kind. */
    private static long flags(SplittableRandom r, Arg kind) {
        switch (kind) {
            case FCNTL_CMD:
                return r.nextInt(0, 50) + (r.nextInt(4) == 0 ? 1024 : 0); // F_* and F_LINUX_SPECIFIC_BASE ones
            case PRCTL_OPTION:
                return r.nextInt(0, 70);
            case FUTEX_OP:
                return r.nextInt(0, 14) | (r.nextBoolean() ? 128 : 0) | (r.nextInt(4) == 0 ? 256 : 0);
            case IOCTL_REQ:
                return new long[] {0x5401, 0x5402, 0x5403, 0x5404, 0x540F, 0x5410, 0x5413, 0x5414, 0x541B, 0x5421,
                    0x5451, 0x5450, 0x80045430L, r.nextLong()}[r.nextInt(14)];
            case ARCH_PRCTL_CODE:
                return 0x1000 + r.nextInt(0, 0x30);
            case RLIMIT:
            case SIG_HOW:
            case ITIMER_WHICH:
                return r.nextInt(-1, 18);
            default:
                long v = 0;
                for (int i = r.nextInt(0, 4); i > 0; i--) {
                    v |= 1L << r.nextInt(0, r.nextBoolean() ? 8 : 32);
                }
                return v;
        }
    }

    /** openat(AT_FDCWD, path, flags) through the dispatcher. */
    private static int open(LinuxKernel.Session s, SyscallTable table, long path, int flags) {
        long openat = table.arch() == dev.phoenix.emu.Arch.X86_64 ? 257 : 56;
        return (int) s.dispatcher().syscall(s.cpu(), openat, -100, path, flags, 0, 0, 0);
    }

    /** Values at the edges of what arguments mean: sizes, signs, fds, flags, and pointers of every kind. */
    private static long[] boundaryValues(long stack) {
        return new long[] {0, 1, 2, 3, 4, 7, 8, 9, 15, 16, 31, 32, 33, 63, 64, 65, 100, 255, 256, 4095, 4096, 4097,
            0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffffL, 0x80000000L, 0xffffffffL, 0x100000000L, -1, -2, -100, -4095,
            -4096, Long.MAX_VALUE, Long.MIN_VALUE, 0x8000000000000000L + 1, 0x00007fffffffffffL,
            0xffff800000000000L, 0x0000800000000000L, UNMAPPED, UNMAPPED + 8, SCRATCH, SCRATCH + 1, SCRATCH + 7,
            SCRATCH + SCRATCH_SIZE - 64, SCRATCH + SCRATCH_SIZE - 1, SCRATCH + SCRATCH_SIZE, SCRATCH + SCRATCH_SIZE - 8,
            stack, stack - 4096, stack + 1, 0x400000, 0x600000, 1L << 30, 1L << 31, 1L << 40, 1L << 47, 1L << 48,
            1L << 62, 0x1000000, 0x7fffffffffffffffL - 4095};
    }

    private static long randomArgument(SplittableRandom r, long[] pool) {
        return switch (r.nextInt(6)) {
            case 0 -> pool[r.nextInt(pool.length)];
            case 1 -> r.nextLong(-8, 1024); // small counts, fds, flags, signals
            case 2 -> SCRATCH + r.nextLong(-64, SCRATCH_SIZE + 64); // in and around mapped memory
            case 3 -> 1L << r.nextInt(64); // one flag bit
            case 4 -> r.nextLong() & 0xffffffffL; // a 32-bit value
            default -> r.nextLong();
        };
    }

    private static String describe(long[] v) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            sb.append(i == 0 ? "" : ", ").append("0x").append(Long.toHexString(v[i]));
        }
        return sb.append(')').toString();
    }
}
