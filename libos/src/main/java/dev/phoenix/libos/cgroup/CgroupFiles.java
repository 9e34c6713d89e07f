package dev.phoenix.libos.cgroup;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.CpuTimes;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.libos.sched.PrioWeights;
import dev.phoenix.libos.sched.SchedGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The interface files of a group, as Documentation/admin-guide/cgroup-v2.rst describes them:
 * which exist (the core files in every group, a controller's only where the parent enabled it,
 * none of the limits at the root), their text, and what a write to each does. Pids are shown
 * and read in the PID namespace of the process that reads or writes.
 */
public final class CgroupFiles {
    /** Core files of every group; cgroup.events and cgroup.type are not on the root. */
    private static final List<String> CORE = List.of("cgroup.controllers", "cgroup.events", "cgroup.kill",
            "cgroup.max.depth", "cgroup.max.descendants", "cgroup.procs", "cgroup.stat", "cgroup.subtree_control",
            "cgroup.threads", "cgroup.type", "cpu.stat");
    private static final List<String> NOT_ON_ROOT = List.of("cgroup.events", "cgroup.kill", "cgroup.type");
    private static final List<String> CPU = List.of("cpu.max", "cpu.weight", "cpu.weight.nice");
    private static final List<String> MEMORY = List.of("memory.current", "memory.events", "memory.max", "memory.peak",
            "memory.stat");
    private static final List<String> PIDS = List.of("pids.current", "pids.events", "pids.max", "pids.peak");
    /** Files that take writes (mode 0644); the others are 0444. */
    private static final List<String> WRITABLE = List.of("cgroup.kill", "cgroup.max.depth", "cgroup.max.descendants",
            "cgroup.procs", "cgroup.subtree_control", "cgroup.threads", "cgroup.type", "cpu.max", "cpu.weight",
            "cpu.weight.nice",
            "memory.max", "pids.max");
    /** pids.max's bound: PID_MAX_LIMIT + 1 (kernel/cgroup/pids.c PIDS_MAX). */
    private static final long PIDS_MAX = 4 * 1024 * 1024 + 1;

    private final CgroupHierarchy h;
    /** The process a pid names in the writer's PID namespace, or null. */
    private final Function<Process, IntFunction<Process>> processes;
    /** A process's {anon, file} bytes, measured from another thread; null once it has gone. */
    private final Function<Process, long[]> measure;
    /** Sends SIGKILL to a process (cgroup.kill). */
    private final java.util.function.Consumer<Process> kill;

    /**
     * The files of hierarchy {@code h}: {@code processes} gives, for a writer, its lookup of pids
     * (tids too) in its PID namespace, {@code measure} a process's memory, {@code kill} the
     * kernel's SIGKILL.
     */
    public CgroupFiles(CgroupHierarchy h, Function<Process, IntFunction<Process>> processes,
            Function<Process, long[]> measure, java.util.function.Consumer<Process> kill) {
        this.h = h;
        this.processes = processes;
        this.measure = measure;
        this.kill = kill;
    }

    /** The names of {@code g}'s files, sorted, as a listing shows them. */
    public List<String> names(Cgroup g) {
        List<String> out = new ArrayList<>();
        synchronized (h.lock) {
            for (String f : CORE) {
                if (!g.isRoot() || !NOT_ON_ROOT.contains(f)) {
                    out.add(f);
                }
            }
            if (g.has(Controller.CPU)) {
                out.addAll(CPU);
            }
            if (g.has(Controller.MEMORY)) {
                out.addAll(MEMORY);
            }
            if (g.has(Controller.PIDS)) {
                out.addAll(PIDS);
            }
        }
        out.sort(null);
        return out;
    }

    /** True when {@code g} has file {@code name}. */
    public boolean exists(Cgroup g, String name) {
        return names(g).contains(name);
    }

    /** The permission bits of file {@code name}. */
    public static int mode(String name) {
        return WRITABLE.contains(name) ? 0644 : 0444;
    }

    /** The text of file {@code name} of {@code g} as {@code reader} sees it now; ENOENT when it has none. */
    public String read(Cgroup g, String name, Process reader) {
        if (!exists(g, name)) {
            throw Errno.of(Errno.ENOENT);
        }
        return switch (name) {
            case "cgroup.procs" -> pids(g, reader, false);
            case "cgroup.threads" -> pids(g, reader, true);
            case "cgroup.events" -> "populated " + (h.populated(g) ? 1 : 0) + "\nfrozen 0\n";
            case "cpu.stat" -> cpuStat(g);
            case "memory.current" -> {
                long[] use = h.memoryUsage(g, measure);
                yield (use[0] + use[1]) + "\n";
            }
            case "memory.stat" -> memoryStat(h.memoryUsage(g, measure));
            case "memory.peak" -> {
                h.memoryUsage(g, measure);
                yield locked(() -> g.memoryPeak + "\n");
            }
            case "cgroup.kill" -> throw Errno.of(Errno.EINVAL); // write-only: no show operation
            default -> locked(() -> simple(g, name));
        };
    }

    private String locked(java.util.function.Supplier<String> text) {
        synchronized (h.lock) {
            return text.get();
        }
    }

    /** The files that are one field or a few of {@code g}'s own; the caller holds the lock. */
    private String simple(Cgroup g, String name) {
        return switch (name) {
            case "cgroup.controllers" -> line(Controller.names(g.controllers()));
            case "cgroup.subtree_control" -> line(Controller.names(g.subtreeControl));
            case "cgroup.type" -> "domain\n";
            case "cgroup.max.depth" -> max(g.maxDepth);
            case "cgroup.max.descendants" -> max(g.maxDescendants);
            case "cgroup.stat" -> "nr_descendants " + h.descendants(g) + "\nnr_dying_descendants 0\n";
            case "cpu.max" -> (g.cpuQuotaUs == Cgroup.MAX ? "max" : Long.toString(g.cpuQuotaUs)) + " " + g.cpuPeriodUs + "\n";
            case "cpu.weight" -> SchedGroup.weightOfShares(g.cpu.shares()) + "\n";
            case "cpu.weight.nice" -> PrioWeights.niceOf(g.cpu.shares()) + "\n";
            case "memory.max" -> max(g.memoryMax);
            case "memory.events" -> "low 0\nhigh 0\nmax " + g.memoryEventsMax + "\noom " + g.memoryEventsOom
                    + "\noom_kill " + g.memoryEventsOomKill + "\noom_group_kill 0\n";
            case "pids.current" -> g.pids + "\n";
            case "pids.peak" -> g.pidsPeak + "\n";
            case "pids.max" -> max(g.pidsMax);
            case "pids.events" -> "max " + g.pidsEventsMax + "\n";
            default -> throw Errno.of(Errno.ENOENT);
        };
    }

    private static String line(String s) {
        return s + "\n";
    }

    private static String max(long v) {
        return (v == Cgroup.MAX ? "max" : Long.toString(v)) + "\n";
    }

    /** cgroup.procs or cgroup.threads: the members' pids (or every thread's tid) in the reader's PID namespace. */
    private String pids(Cgroup g, Process reader, boolean threads) {
        StringBuilder sb = new StringBuilder();
        for (Process p : h.processes(g)) {
            if (!threads) {
                append(sb, reader, p.pid());
                continue;
            }
            for (Task t : p.tasks()) {
                if (!t.exited) {
                    append(sb, reader, t.tid());
                }
            }
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, Process reader, int global) {
        int nr = pidIn(reader, global);
        if (nr > 0) {
            sb.append(nr).append('\n');
        }
    }

    /** Task id {@code global} as {@code reader}'s PID namespace numbers it; 0 when it cannot see it. */
    static int pidIn(Process reader, int global) {
        return reader.namespaces.pid().nr(global);
    }

    /** cpu.stat: the core's usage, and the cpu controller's bandwidth figures where it is enabled. */
    private String cpuStat(Cgroup g) {
        CpuTimes.Sample s = h.cpuUsage(g);
        StringBuilder sb = new StringBuilder();
        sb.append("usage_usec ").append(s.total() / 1000).append('\n');
        sb.append("user_usec ").append(s.user() / 1000).append('\n');
        sb.append("system_usec ").append(s.system() / 1000).append('\n');
        sb.append("nice_usec 0\n");
        boolean cpu;
        synchronized (h.lock) {
            cpu = g.has(Controller.CPU);
        }
        if (cpu) {
            long[] b = g.cpu.stat();
            sb.append("nr_periods ").append(b[0]).append("\nnr_throttled ").append(b[1])
                    .append("\nthrottled_usec ").append(b[2] / 1000).append("\nnr_bursts 0\nburst_usec 0\n");
        }
        return sb.toString();
    }

    /** memory.stat: what Phoenix knows of {anon, file, shmem} (file counts shmem); the kernel's own memory is none of the guest's. */
    private static String memoryStat(long[] use) {
        long anon = use[0], file = use[1], shmem = use[2];
        return "anon " + anon + "\nfile " + file + "\nkernel 0\nkernel_stack 0\npagetables 0\nsock 0\nshmem " + shmem
                + "\nfile_mapped " + (file - shmem) + "\nfile_dirty 0\nfile_writeback 0\nanon_thp 0\ninactive_anon 0\n"
                + "active_anon " + anon + "\ninactive_file 0\nactive_file " + file + "\nunevictable 0\n";
    }

    /**
     * A write of {@code text} to file {@code name} of {@code g} by {@code writer} (each write(2)
     * is one request, as kernfs hands it over): EINVAL for what the file does not parse, the
     * errors of each file's rules otherwise.
     */
    public void write(Cgroup g, String name, Process writer, String text) {
        if (!exists(g, name) || !WRITABLE.contains(name)) {
            throw Errno.of(exists(g, name) ? Errno.EACCES : Errno.ENOENT);
        }
        String v = text.strip();
        switch (name) {
            case "cgroup.procs" -> h.move(target(writer, v).process(), g);
            case "cgroup.threads" -> {
                // Phoenix has domain groups only: a thread may not leave its process's group
                // (cgroup_attach_permissions: EOPNOTSUPP between domains).
                Process p = target(writer, v).process();
                if (p.cgroup != g) {
                    throw Errno.of(Errno.EOPNOTSUPP);
                }
            }
            case "cgroup.subtree_control" -> subtreeControl(g, v);
            case "cgroup.type" -> throw Errno.of(v.equals("threaded") ? Errno.EOPNOTSUPP : Errno.EINVAL);
            case "cgroup.kill" -> {
                if (!v.equals("1")) {
                    throw Errno.of(Errno.ERANGE); // cgroup_kill_write: only 1
                }
                killAll(g);
            }
            default -> limit(g, name, v);
        }
    }

    /** The task a pid written names: 0 for the writer's own thread, else looked up in its PID namespace (ESRCH). */
    private Task target(Process writer, String v) {
        long pid = parse(v, 0, Integer.MAX_VALUE);
        if (pid == 0) {
            Task t = Task.current();
            return t != null && t.process() == writer ? t : writer.mainTask();
        }
        Process p = processes.apply(writer).apply((int) pid);
        if (p == null || p.isGone()) {
            throw Errno.of(Errno.ESRCH);
        }
        Task t = p.task((int) pid);
        return t != null ? t : p.mainTask();
    }

    /** cgroup.kill: SIGKILL to every process of {@code g} and below. */
    private void killAll(Cgroup g) {
        List<Process> all = new ArrayList<>();
        collect(g, all);
        for (Process p : all) {
            kill.accept(p);
        }
    }

    private void collect(Cgroup g, List<Process> out) {
        out.addAll(h.processes(g));
        for (String c : h.childNames(g)) {
            Cgroup child = h.lookup(g, c);
            if (child != null) {
                collect(child, out);
            }
        }
    }

    /**
     * cgroup.subtree_control: "+name" enables, "-name" disables (Linux's
     * cgroup_subtree_control_write): EINVAL for a token that is neither, ENOENT for a controller
     * the group does not have, EBUSY when enabling in a group other than the root with processes
     * of its own or disabling one a child group passes on further down.
     */
    private void subtreeControl(Cgroup g, String v) {
        int enable = 0, disable = 0;
        for (String tok : v.split("\\s+")) {
            if (tok.isEmpty()) {
                continue;
            }
            Controller c = tok.length() > 1 ? Controller.named(tok.substring(1)) : null;
            if (c == null || (tok.charAt(0) != '+' && tok.charAt(0) != '-')) {
                throw Errno.of(Errno.EINVAL);
            }
            if (tok.charAt(0) == '+') {
                enable |= c.bit;
                disable &= ~c.bit;
            } else {
                disable |= c.bit;
                enable &= ~c.bit;
            }
        }
        synchronized (h.lock) {
            if (g.removed) {
                throw Errno.of(Errno.ENODEV);
            }
            if (((enable | disable) & ~g.controllers()) != 0) {
                throw Errno.of(Errno.ENOENT);
            }
            enable &= ~g.subtreeControl;
            disable &= g.subtreeControl;
            if (enable != 0 && !g.isRoot() && !g.members.isEmpty()) {
                throw Errno.of(Errno.EBUSY);
            }
            for (Cgroup child : g.children.values()) {
                if ((child.subtreeControl & disable) != 0) {
                    throw Errno.of(Errno.EBUSY);
                }
            }
            g.subtreeControl = (g.subtreeControl | enable) & ~disable;
            for (Cgroup child : g.children.values()) {
                for (Controller c : Controller.values()) {
                    if (((enable | disable) & c.bit) != 0) {
                        child.resetLimits(c);
                    }
                }
            }
        }
        if (((enable | disable) & Controller.CPU.bit) != 0) {
            h.cpuChanged(g); // its children's tasks now run in their own cpu groups, or in g's
        }
    }

    /** The files that set a number: cgroup.max.*, cpu.max, cpu.weight, memory.max and pids.max. */
    private void limit(Cgroup g, String name, String v) {
        switch (name) {
            case "cgroup.max.depth", "cgroup.max.descendants" -> {
                long n = v.equals("max") ? Cgroup.MAX : parse(v, 0, Integer.MAX_VALUE);
                synchronized (h.lock) {
                    if (name.endsWith("depth")) {
                        g.maxDepth = n;
                    } else {
                        g.maxDescendants = n;
                    }
                }
            }
            case "pids.max" -> {
                long n = v.equals("max") ? Cgroup.MAX : parse(v, 0, PIDS_MAX - 1);
                synchronized (h.lock) {
                    g.pidsMax = n;
                }
            }
            case "memory.max" -> {
                long n = v.equals("max") ? Cgroup.MAX : memparse(v) & ~4095L;
                synchronized (h.lock) {
                    g.memoryMax = n;
                }
                if (n != Cgroup.MAX) {
                    h.limitSet();
                }
            }
            case "cpu.weight" -> {
                long n = parse(v, 0, Long.MAX_VALUE);
                if (n < 1 || n > 10000) {
                    throw Errno.of(Errno.ERANGE); // cpu_weight_write_u64
                }
                g.cpu.setShares(SchedGroup.sharesOfWeight(n));
            }
            case "cpu.weight.nice" -> {
                long nice = parse(v, Long.MIN_VALUE, Long.MAX_VALUE);
                if (nice < -20 || nice > 19) {
                    throw Errno.of(Errno.ERANGE); // cpu_weight_nice_write_s64
                }
                g.cpu.setShares(PrioWeights.ofNice((int) nice));
            }
            case "cpu.max" -> cpuMax(g, v);
            default -> throw Errno.of(Errno.EINVAL);
        }
    }

    /**
     * cpu.max: "QUOTA [PERIOD]" or "max [PERIOD]", in µs (cpu_period_quota_parse); the period
     * from 1 ms to 1 s and a quota of at least 1 ms, as tg_set_cfs_bandwidth wants (EINVAL).
     */
    private void cpuMax(Cgroup g, String v) {
        String[] f = v.split("\\s+");
        if (f.length > 2 || f[0].isEmpty()) {
            throw Errno.of(Errno.EINVAL);
        }
        long quota = f[0].equals("max") ? Cgroup.MAX : parse(f[0], 0, Long.MAX_VALUE);
        long period;
        synchronized (h.lock) {
            period = f.length == 2 ? parse(f[1], 0, Long.MAX_VALUE) : g.cpuPeriodUs;
        }
        if (period < 1000 || period > 1_000_000 || (quota != Cgroup.MAX && quota < 1000)) {
            throw Errno.of(Errno.EINVAL);
        }
        synchronized (h.lock) {
            g.cpuQuotaUs = quota;
            g.cpuPeriodUs = period;
            g.cpu.setBandwidth(quota == Cgroup.MAX ? SchedGroup.NO_QUOTA : quota * 1000, period * 1000);
        }
        h.cpuChanged(g);
    }

    /** A decimal number in [{@code min}, {@code max}] (kstrtoll); EINVAL otherwise. */
    private static long parse(String v, long min, long max) {
        try {
            long n = Long.parseLong(v);
            if (n < min || n > max) {
                throw Errno.of(Errno.EINVAL);
            }
            return n;
        } catch (NumberFormatException e) {
            throw Errno.of(Errno.EINVAL);
        }
    }

    /** A size as Linux's memparse reads it: a number with an optional K, M, G, T, P or E suffix. */
    static long memparse(String v) {
        if (v.isEmpty()) {
            throw Errno.of(Errno.EINVAL);
        }
        int shift = switch (Character.toUpperCase(v.charAt(v.length() - 1))) {
            case 'K' -> 10;
            case 'M' -> 20;
            case 'G' -> 30;
            case 'T' -> 40;
            case 'P' -> 50;
            case 'E' -> 60;
            default -> 0;
        };
        long n = parse(shift == 0 ? v : v.substring(0, v.length() - 1), 0, Long.MAX_VALUE >> shift);
        return n << shift;
    }
}
