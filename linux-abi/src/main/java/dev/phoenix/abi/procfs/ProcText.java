package dev.phoenix.abi.procfs;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.proc.Credentials;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The text of /proc files, in the formats proc(5) documents. */
final class ProcText {
    private ProcText() {}

    /** USER_HZ ticks per second, as /proc/PID/stat counts. */
    private static final long HZ = 100;

    /** The names and units of /proc/PID/limits, by RLIMIT_* number (fs/proc/base.c's lnames). */
    private static final String[][] LIMITS = {{"Max cpu time", "seconds"}, {"Max file size", "bytes"},
        {"Max data size", "bytes"}, {"Max stack size", "bytes"}, {"Max core file size", "bytes"},
        {"Max resident set", "bytes"}, {"Max processes", "processes"}, {"Max open files", "files"},
        {"Max locked memory", "bytes"}, {"Max address space", "bytes"}, {"Max file locks", "locks"},
        {"Max pending signals", "signals"}, {"Max msgqueue size", "bytes"}, {"Max nice priority", null},
        {"Max realtime priority", null}, {"Max realtime timeout", "us"}};

    /** /proc/PID/limits: the process's resource limits, as getrlimit(2) reports them, in Linux's layout. */
    static String limits(Process p) {
        StringBuilder sb = new StringBuilder(String.format("%-25s %-20s %-20s %-10s%n", "Limit", "Soft Limit",
                "Hard Limit", "Units"));
        for (int i = 0; i < LIMITS.length; i++) {
            sb.append(String.format("%-25s %-20s %-20s ", LIMITS[i][0], limit(p.rlimitCur[i]), limit(p.rlimitMax[i])));
            sb.append(LIMITS[i][1] == null ? "\n" : String.format("%-10s%n", LIMITS[i][1]));
        }
        return sb.toString();
    }

    private static String limit(long value) {
        return value == -1 ? "unlimited" : Long.toUnsignedString(value);
    }

    /**
     * The threads /proc lists (/proc/PID/task, "Threads:", num_threads): the live ones, the
     * leader first, and a leader that exited before the others, which stays a zombie until the
     * group ends, as Linux keeps it in the thread list until the last thread is released.
     */
    static List<Task> threads(Process p) {
        List<Task> out = new ArrayList<>();
        for (Task t : p.tasks()) {
            if (t == p.mainTask() || !t.exited) {
                out.add(t);
            }
        }
        return out;
    }

    /**
     * A thread's state as proc(5) names it: R for the running or runnable one, S for one blocked
     * in a syscall (a wait it leaves on a wake, a signal or a timeout: Linux's interruptible
     * sleep), Z for a leader that exited while other threads run.
     */
    static String state(Task t) {
        if (t.exited) {
            return "Z (zombie)";
        }
        return switch (t.state()) {
            case BLOCKED -> "S (sleeping)";
            case DEAD -> "Z (zombie)";
            case NEW, RUNNABLE, RUNNING -> "R (running)";
        };
    }

    /** /proc/PID/status of the leader, /proc/PID/task/TID/status of a thread: its name, state and tid, its process's rest. */
    static String status(Task t) {
        Process p = t.process();
        long vmKb = p.addressSpace().mappedBytes() / 1024;
        Credentials k = p.credentials();
        StringBuilder groups = new StringBuilder();
        for (int g : k.groups()) {
            groups.append(groups.isEmpty() ? "" : " ").append(Integer.toUnsignedString(g));
        }
        return "Name:\t" + t.comm + "\n"
                + "Umask:\t" + String.format("%04o", t.fs().umask) + "\n"
                + "State:\t" + state(t) + "\n"
                + "Tgid:\t" + p.pid() + "\nNgid:\t0\nPid:\t" + t.tid() + "\nPPid:\t" + p.ppid() + "\nTracerPid:\t0\n"
                + "Uid:\t" + ids(k.uid, k.euid, k.suid, k.fsuid) + "Gid:\t" + ids(k.gid, k.egid, k.sgid, k.fsgid)
                + "FDSize:\t" + Math.max(64, Integer.highestOneBit(Math.max(1, t.fds().limit())) * 2) + "\n"
                // Linux ends the list with a space, even an empty one.
                + "Groups:\t" + groups + " \n"
                + "VmPeak:\t" + String.format("%8d", vmKb) + " kB\nVmSize:\t" + String.format("%8d", vmKb) + " kB\n"
                + "VmData:\t" + String.format("%8d", p.addressSpace().dataBytes() / 1024) + " kB\n"
                + "Threads:\t" + threads(p).size() + "\n"
                // SigQ: the queued siginfo and RLIMIT_SIGPENDING (unsigned: RLIM_INFINITY is 2^64-1)
                + "SigQ:\t" + p.queuedSignals().get() + "/" + Long.toUnsignedString(p.rlimitCur[Process.RLIMIT_SIGPENDING])
                + String.format("%nSigPnd:\t%016x%nShdPnd:\t%016x%n", t.privatePending(), p.sharedPending().bits())
                + String.format("CapInh:\t%016x%nCapPrm:\t%016x%nCapEff:\t%016x%nCapBnd:\t%016x%nCapAmb:\t%016x%n",
                        k.inheritable, k.permitted, k.effective, k.bounding, k.ambient)
                + "NoNewPrivs:\t" + (p.noNewPrivs ? 1 : 0) + "\nSeccomp:\t0\nSeccomp_filters:\t0\n";
    }

    private static String ids(int real, int effective, int saved, int fs) {
        return Integer.toUnsignedString(real) + "\t" + Integer.toUnsignedString(effective) + "\t"
                + Integer.toUnsignedString(saved) + "\t" + Integer.toUnsignedString(fs) + "\n";
    }

    /**
     * /proc/PID/stat (the leader's) or /proc/PID/task/TID/stat: 52 fields (proc(5)), the thread's
     * tid, name and state, the process's counts (num_threads is field 20), and its CPU time and
     * start, which Phoenix does not count per thread; what Phoenix does not track is 0.
     */
    static String stat(Task t, Clock clock) {
        Process p = t.process();
        long start = p.startNanos / (1_000_000_000L / HZ);
        long vsize = p.addressSpace().mappedBytes();
        StringBuilder sb = new StringBuilder();
        sb.append(t.tid()).append(" (").append(t.comm).append(") ").append(state(t).charAt(0)).append(' ')
                .append(p.ppid()).append(' ').append(p.pgid).append(' ').append(p.sid).append(" 0 -1 4194304 0 0 0 0 ")
                .append(clock.cpuTimeNanos() / (1_000_000_000L / HZ)).append(" 0 0 0 ").append(20 + p.nice).append(' ')
                .append(p.nice).append(' ').append(threads(p).size()).append(" 0 ").append(start)
                .append(' ').append(vsize).append(' ').append(vsize / 4096);
        for (int i = 25; i <= 52; i++) {
            sb.append(" 0");
        }
        return sb.append('\n').toString();
    }

    /** /proc/mounts: the root (see {@link #rootMount}) and Phoenix's own /dev, /proc and /sys. */
    static String mounts(String root) {
        return root + "devtmpfs /dev devtmpfs rw,nosuid 0 0\n"
                + "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"
                + "sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0\n";
    }

    /**
     * The /proc/mounts line of the root: the host's source, type and options of the file system
     * holding {@code rootfs} (the deepest host mount point above it), so df(1) names the device
     * the host does; "/dev/root" when the host does not say.
     */
    static String rootMount(Path rootfs) {
        String best = "/dev/root / ext4 rw,relatime 0 0\n";
        int bestDepth = -1;
        try {
            Path real = rootfs.toRealPath();
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length < 4) {
                    continue;
                }
                Path mountPoint = Path.of(f[1].replace("\\040", " "));
                if (real.startsWith(mountPoint) && mountPoint.getNameCount() >= bestDepth) {
                    best = f[0] + " / " + f[2] + " " + f[3] + " 0 0\n";
                    bestDepth = mountPoint.getNameCount();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not a Linux host: the default line
        }
        return best;
    }

    static String cpuinfo(ArchAbi abi, int cpus) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cpus; i++) {
            switch (abi.arch()) {
                case X86_64 -> sb.append("processor\t: ").append(i).append("\nvendor_id\t: AuthenticAMD\n")
                        .append("cpu family\t: 15\nmodel\t\t: 107\nmodel name\t: QEMU Virtual CPU (Phoenix, Unicorn)\n")
                        .append("flags\t\t: fpu de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush ")
                        .append("mmx fxsr sse sse2 syscall nx lm pni\nbogomips\t: 2000.00\n\n");
                case AARCH64 -> sb.append("processor\t: ").append(i).append("\nBogoMIPS\t: 100.00\n")
                        .append("Features\t: fp asimd aes pmull sha1 sha2 crc32 atomics\nCPU implementer\t: 0x00\n")
                        .append("CPU architecture: 8\nCPU variant\t: 0x0\nCPU part\t: 0x051\nCPU revision\t: 0\n\n");
                case RISCV64 -> sb.append("processor\t: ").append(i).append("\nhart\t\t: ").append(i)
                        .append("\nisa\t\t: rv64imafdc\nmmu\t\t: sv39\n\n");
            }
        }
        return sb.toString();
    }

    /** /proc/loadavg: the load averages; one runnable of one thread; the last pid is the guest's. */
    static String loadavg(double[] load, int pid) {
        return String.format("%.2f %.2f %.2f 1/1 %d%n", load[0], load[1], load[2], pid);
    }
}
