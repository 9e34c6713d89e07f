package dev.phoenix.abi.procfs;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.libos.mm.AddressSpace;
import dev.phoenix.libos.proc.Credentials;
import dev.phoenix.libos.proc.CpuTimes;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.SigAction;
import dev.phoenix.libos.ns.PidNamespace;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.libos.sched.SchedEntity;
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
     * A thread's state as proc(5) names it: Z for a zombie (a leader that exited while other
     * threads run, or a process not yet reaped), T for a process stopped by a stop signal, R
     * for the running or runnable one, D for a vfork parent waiting for its child (Linux's
     * wait_for_vfork_done sleeps killable, which is uninterruptible), S for one blocked in any
     * other syscall (a wait it leaves on a wake, a signal or a timeout: an interruptible sleep).
     */
    static String state(Task t) {
        Process p = t.process();
        if (t.exited || p.zombie) {
            return "Z (zombie)";
        }
        if (p.stoppedBy != 0) {
            return "T (stopped)";
        }
        return switch (t.state()) {
            case BLOCKED -> t.vforkChild != null ? "D (disk sleep)" : "S (sleeping)";
            case DEAD -> "Z (zombie)";
            case NEW, RUNNABLE, RUNNING -> "R (running)";
        };
    }

    /** The controlling terminal as /proc/PID/stat gives it: tty_nr (0 for none) and its foreground group tpgid (-1). */
    record Terminal(int ttyNr, int tpgid) {
        static final Terminal NONE = new Terminal(0, -1);
    }

    /**
     * /proc/PID/status of the leader, /proc/PID/task/TID/status of a thread: its name, state,
     * tid and signal mask, its process's rest; a zombie has no umask, descriptors (FDSize 0) or
     * memory lines, as Linux prints them only while the task has its fs, files and mm.
     */
    static String status(Task t, PidNamespace view, Process reader) {
        Process p = t.process();
        boolean dead = p.isGone();
        Credentials k = p.credentials();
        StringBuilder groups = new StringBuilder();
        for (int g : k.groups()) {
            groups.append(groups.isEmpty() ? "" : " ")
                    .append(Integer.toUnsignedString(dev.phoenix.abi.linux.UserIds.gid(reader, g)));
        }
        StringBuilder sb = new StringBuilder("Name:\t").append(t.comm).append('\n');
        if (!dead) {
            sb.append("Umask:\t").append(String.format("%04o", t.fs().umask)).append('\n');
        }
        sb.append("State:\t").append(state(t)).append('\n')
                .append("Tgid:\t").append(view.nr(p.pid())).append("\nNgid:\t0\nPid:\t").append(view.nr(t.tid()))
                .append("\nPPid:\t").append(view.nr(p.ppid())).append("\nTracerPid:\t0\n")
                .append("Uid:\t").append(uids(reader, k.uid, k.euid, k.suid, k.fsuid))
                .append("Gid:\t").append(gids(reader, k.gid, k.egid, k.sgid, k.fsgid))
                .append("FDSize:\t").append(dead ? 0 : Math.max(64, Integer.highestOneBit(Math.max(1, t.fds().limit())) * 2))
                // Linux ends the list with a space, even an empty one.
                .append("\nGroups:\t").append(groups).append(" \n")
                .append("NStgid:\t").append(nsNumbers(p, p.pid(), view)).append("\nNSpid:\t")
                .append(nsNumbers(p, t.tid(), view)).append("\nNSpgid:\t").append(nsNumbers(p, p.pgid, view))
                .append("\nNSsid:\t").append(nsNumbers(p, p.sid, view)).append('\n');
        if (!dead) {
            long vmKb = p.readAddressSpace(AddressSpace::mappedBytes, 0L) / 1024;
            long dataKb = p.readAddressSpace(AddressSpace::dataBytes, 0L) / 1024;
            sb.append("VmPeak:\t").append(String.format("%8d", vmKb)).append(" kB\nVmSize:\t")
                    .append(String.format("%8d", vmKb)).append(" kB\nVmData:\t").append(String.format("%8d", dataKb))
                    .append(" kB\n");
        }
        long ignored = 0, caught = 0;
        for (int sig = 1; sig < p.sigactions.length; sig++) {
            long handler = p.sigactions[sig].handler();
            ignored |= handler == SigAction.SIG_IGN ? Task.bit(sig) : 0;
            caught |= handler != SigAction.SIG_IGN && handler != SigAction.SIG_DFL ? Task.bit(sig) : 0;
        }
        return sb.append("Threads:\t").append(threads(p).size()).append('\n')
                // SigQ: the queued siginfo and RLIMIT_SIGPENDING (unsigned: RLIM_INFINITY is 2^64-1)
                .append("SigQ:\t").append(p.queuedSignals().get()).append('/')
                .append(Long.toUnsignedString(p.rlimitCur[Process.RLIMIT_SIGPENDING]))
                .append(String.format("%nSigPnd:\t%016x%nShdPnd:\t%016x%nSigBlk:\t%016x%nSigIgn:\t%016x%nSigCgt:\t%016x%n",
                        t.privatePending(), p.sharedPending().bits(), t.blocked, ignored, caught))
                .append(String.format("CapInh:\t%016x%nCapPrm:\t%016x%nCapEff:\t%016x%nCapBnd:\t%016x%nCapAmb:\t%016x%n",
                        k.inheritable, k.permitted, k.effective, k.bounding, k.ambient))
                .append("NoNewPrivs:\t").append(p.noNewPrivs ? 1 : 0).append("\nSeccomp:\t0\nSeccomp_filters:\t0\n")
                .toString();
    }

    /** The four uids as {@code reader}'s user namespace names them (proc_pid_status: from_kuid_munged). */
    private static String uids(Process reader, int real, int effective, int saved, int fs) {
        return ids(dev.phoenix.abi.linux.UserIds.uid(reader, real), dev.phoenix.abi.linux.UserIds.uid(reader, effective),
                dev.phoenix.abi.linux.UserIds.uid(reader, saved), dev.phoenix.abi.linux.UserIds.uid(reader, fs));
    }

    /** The four gids as {@code reader} names them. */
    private static String gids(Process reader, int real, int effective, int saved, int fs) {
        return ids(dev.phoenix.abi.linux.UserIds.gid(reader, real), dev.phoenix.abi.linux.UserIds.gid(reader, effective),
                dev.phoenix.abi.linux.UserIds.gid(reader, saved), dev.phoenix.abi.linux.UserIds.gid(reader, fs));
    }

    private static String ids(int real, int effective, int saved, int fs) {
        return Integer.toUnsignedString(real) + "\t" + Integer.toUnsignedString(effective) + "\t"
                + Integer.toUnsignedString(saved) + "\t" + Integer.toUnsignedString(fs) + "\n";
    }

    /**
     * /proc/PID/stat (the leader's) or /proc/PID/task/TID/stat: 52 fields (proc(5)), the thread's
     * tid, name and state, its process's parent, group, session and terminal, {@code times} of
     * user and system time (the process's or the thread's) and its reaped children's, the
     * thread's priority (Linux's task_prio: its kernel priority less 100, a boost it inherits
     * included) and nice value, its start, thread count and memory (none for a zombie), the signal
     * its parent gets at its end (-1 for a thread but the leader), and its real-time priority and
     * policy; what Phoenix does not track is 0.
     */
    /**
     * The numbers of {@code global} in every PID namespace from {@code view} down to that of
     * {@code p}, tab-separated, as the NS* lines of status give them (a number a namespace does
     * not know is left out).
     */
    private static String nsNumbers(Process p, int global, PidNamespace view) {
        java.util.ArrayDeque<String> nrs = new java.util.ArrayDeque<>();
        for (PidNamespace ns = p.namespaces.pid(); ns != null; ns = ns.parent()) {
            int nr = ns.nr(global);
            if (nr > 0) {
                nrs.addFirst(Integer.toString(nr));
            }
            if (ns == view) {
                break;
            }
        }
        return String.join("\t", nrs);
    }

    static String stat(Task t, CpuTimes.Sample times, Terminal tty, PidNamespace view) {
        Process p = t.process();
        long tick = 1_000_000_000L / HZ;
        long vsize = p.isGone() ? 0 : p.readAddressSpace(AddressSpace::mappedBytes, 0L);
        StringBuilder sb = new StringBuilder();
        sb.append(view.nr(t.tid())).append(" (").append(t.comm).append(") ").append(state(t).charAt(0)).append(' ')
                .append(view.nr(p.ppid())).append(' ').append(view.nr(p.pgid)).append(' ').append(view.nr(p.sid))
                .append(' ').append(tty.ttyNr())
                .append(' ').append(tty.tpgid()).append(" 4194304 0 0 0 0 ")
                .append(times.user() / tick).append(' ').append(times.system() / tick).append(' ')
                .append(p.childrenUserNanos / tick).append(' ').append(p.childrenSystemNanos / tick).append(' ')
                .append(t.sched.prio() - SchedEntity.MAX_RT_PRIO).append(' ').append(t.sched.nice).append(' ')
                .append(threads(p).size()).append(" 0 ")
                .append(p.startNanos / tick).append(' ').append(vsize).append(' ').append(vsize / 4096).append(' ')
                .append(Long.toUnsignedString(p.rlimitCur[5])); // rsslim: RLIMIT_RSS
        for (int i = 26; i <= 37; i++) {
            sb.append(" 0");
        }
        sb.append(' ').append(t == p.mainTask() ? p.exitSignal : -1).append(" 0 ") // processor: 39
                .append(t.sched.rtPriority).append(' ').append(t.sched.policy); // 40 and 41
        for (int i = 42; i <= 52; i++) {
            sb.append(" 0");
        }
        return sb.append('\n').toString();
    }

    /**
     * /proc/PID/schedstat or /proc/PID/task/TID/schedstat (Linux's proc_pid_schedstat, of the
     * thread; the leader's for a PID directory): the time it has run, the time it waited
     * runnable for its turns, both in ns, and how many turns it had.
     */
    static String schedstat(Task t, dev.phoenix.libos.Clock clock) {
        return t.times.sample(clock).total() + " " + t.times.runDelay() + " " + t.times.turns() + "\n";
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

    /**
     * /proc/loadavg: the load averages, then the runnable threads and all threads of the
     * kernel's processes {@code all}, and the last pid handed out (here the highest in use).
     */
    static String loadavg(double[] load, List<Process> all) {
        int runnable = 0, threads = 0, last = 0;
        for (Process p : all) {
            for (Task t : threads(p)) {
                threads++;
                runnable += state(t).charAt(0) == 'R' ? 1 : 0;
                last = Math.max(last, t.tid());
            }
        }
        return String.format("%.2f %.2f %.2f %d/%d %d%n", load[0], load[1], load[2], runnable, threads, last);
    }
}
