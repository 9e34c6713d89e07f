package dev.phoenix.libos.cgroup;

import dev.phoenix.libos.proc.CpuTimes;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.sched.SchedGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One control group (Linux's {@code struct cgroup}): its place in the tree, the processes that
 * are its members, which controllers its children get (cgroup.subtree_control), and the limits
 * and counters of its controllers. Every field that changes is guarded by the hierarchy's lock;
 * {@link CgroupHierarchy} makes all the changes.
 */
public final class Cgroup {
    /** "max": no limit, in the files that take a number or "max". */
    public static final long MAX = Long.MAX_VALUE;
    /** cpu.max's default period, in microseconds. */
    public static final long DEFAULT_PERIOD_US = 100_000;

    final CgroupHierarchy hierarchy;
    final String name;
    final Cgroup parent;
    final int level;
    /** @GuardedBy("hierarchy.lock") The child groups, by name (a directory lists them in order). */
    final TreeMap<String, Cgroup> children = new TreeMap<>();
    /** @GuardedBy("hierarchy.lock") The processes whose group this is, each with what it is charged. */
    final Map<Process, Member> members = new LinkedHashMap<>();
    /**
     * @GuardedBy("hierarchy.lock") for writes: the controllers this group's children get
     * (cgroup.subtree_control). Volatile: the run queues read it, without the lock, to find a
     * task's cpu group ({@link #cpuGroup}).
     */
    volatile int subtreeControl;
    /** @GuardedBy("hierarchy.lock") True once rmdir took it out of the tree (writes then are ENODEV). */
    boolean removed;
    /** @GuardedBy("hierarchy.lock") cgroup.max.depth and cgroup.max.descendants. */
    long maxDepth = MAX, maxDescendants = MAX;

    /** @GuardedBy("hierarchy.lock") Tasks charged to this group and its descendants (pids.current). */
    long pids;
    /** @GuardedBy("hierarchy.lock") pids.max, pids.peak and pids.events' max (forks refused here). */
    long pidsMax = MAX, pidsPeak, pidsEventsMax;

    /** @GuardedBy("hierarchy.lock") memory.max, in bytes; memory.peak. */
    long memoryMax = MAX, memoryPeak;
    /**
     * @GuardedBy("hierarchy.lock") tmpfs file pages charged to this group and the groups below it
     * (memory.stat's shmem), in pages: see {@link CgroupHierarchy#chargeShmem}.
     */
    long shmemPages;
    /** @GuardedBy("hierarchy.lock") memory.events: max (over the limit), oom (no room found), oom_kill. */
    long memoryEventsMax, memoryEventsOom, memoryEventsOomKill;

    /** @GuardedBy("hierarchy.lock") cpu.max's quota (MAX: none) and period, in µs, as written. */
    long cpuQuotaUs = MAX, cpuPeriodUs = DEFAULT_PERIOD_US;
    /**
     * The cpu controller's side in the scheduler: the weight (cpu.weight, kept as shares) and the
     * bandwidth in force, and cpu.stat's throttling counts; null for the root.
     */
    final SchedGroup cpu;
    /**
     * @GuardedBy("hierarchy.lock") CPU time of the processes that left this group or one below
     * it (exit, or moved away), which cpu.stat adds to its live members' time.
     */
    CpuTimes.Sample pastTimes = CpuTimes.ZERO;

    Cgroup(CgroupHierarchy hierarchy, String name, Cgroup parent) {
        this.hierarchy = hierarchy;
        this.name = name;
        this.parent = parent;
        this.level = parent == null ? 0 : parent.level + 1;
        this.cpu = parent == null ? null : new SchedGroup(parent.cpu, hierarchy.clock::kernelNanos);
    }

    /**
     * The scheduler's group for this group's tasks: the nearest group from this one up with the
     * cpu controller enabled (a group without it is scheduled as part of its parent, as Linux
     * gives it the parent's css), or null for the root.
     */
    public SchedGroup cpuGroup() {
        for (Cgroup g = this; g.parent != null; g = g.parent) {
            if ((g.parent.subtreeControl & Controller.CPU.bit) != 0) {
                return g.cpu;
            }
        }
        return null;
    }

    /** What a process in a group is charged there. */
    static final class Member {
        /** Its CPU time when it joined: cpu.stat counts what it used since. */
        final CpuTimes.Sample joinedAt;
        /** Tasks it has charged (pids). */
        long tasks;
        /** Its memory as last measured: anonymous and file bytes. */
        long anon, file;
        /** True once the OOM killer chose it: it is not chosen again while it dies. */
        boolean oomVictim;

        Member(CpuTimes.Sample joinedAt, long tasks) {
            this.joinedAt = joinedAt;
            this.tasks = tasks;
        }
    }

    /** The group's name (its directory's); "" for the root. */
    public String name() {
        return name;
    }

    /** The group above, or null for the root. */
    public Cgroup parent() {
        return parent;
    }

    /** The hierarchy this group is part of. */
    public CgroupHierarchy hierarchy() {
        return hierarchy;
    }

    /** True for the hierarchy's root, which has no limit files (CFTYPE_NOT_ON_ROOT). */
    public boolean isRoot() {
        return parent == null;
    }

    /** Its path from the root: "/" for the root, "/a/b" below. */
    public String path() {
        if (parent == null) {
            return "/";
        }
        List<String> names = new ArrayList<>();
        for (Cgroup g = this; g.parent != null; g = g.parent) {
            names.add(0, g.name);
        }
        return "/" + String.join("/", names);
    }

    /**
     * Its path as seen from {@code root} (a cgroup namespace's root), as cgroup_path_ns writes it:
     * "/" and the names below {@code root}, or as many ".." as lead from {@code root} up to the
     * common ancestor and down again when this group is outside it.
     */
    public String pathFrom(Cgroup root) {
        List<Cgroup> mine = chain(this), theirs = chain(root);
        int common = 0;
        while (common < mine.size() && common < theirs.size() && mine.get(common) == theirs.get(common)) {
            common++;
        }
        List<String> parts = new ArrayList<>();
        for (int i = common; i < theirs.size(); i++) {
            parts.add("..");
        }
        for (int i = common; i < mine.size(); i++) {
            parts.add(mine.get(i).name);
        }
        return "/" + String.join("/", parts);
    }

    /** {@code g} and its ancestors, the root first. */
    private static List<Cgroup> chain(Cgroup g) {
        List<Cgroup> out = new ArrayList<>();
        for (; g != null; g = g.parent) {
            out.add(0, g);
        }
        return out;
    }

    /** True when {@code ancestor} is this group or one above it. */
    public boolean isWithin(Cgroup ancestor) {
        for (Cgroup g = this; g != null; g = g.parent) {
            if (g == ancestor) {
                return true;
            }
        }
        return false;
    }

    /** The controllers this group has (cgroup.controllers): all at the root, else those its parent gives. */
    int controllers() {
        return parent == null ? Controller.ALL : parent.subtreeControl;
    }

    /** True when {@code c} is enabled here: its files exist and its limits apply. */
    boolean has(Controller c) {
        return parent != null && (parent.subtreeControl & c.bit) != 0;
    }

    /** Sets the limits of {@code c} back to their defaults, as a controller's new css starts. */
    void resetLimits(Controller c) {
        switch (c) {
            case PIDS -> pidsMax = MAX;
            case MEMORY -> memoryMax = MAX;
            case CPU -> {
                cpu.setShares(SchedGroup.sharesOfWeight(100));
                cpuQuotaUs = MAX;
                cpuPeriodUs = DEFAULT_PERIOD_US;
                cpu.setBandwidth(SchedGroup.NO_QUOTA, DEFAULT_PERIOD_US * 1000);
            }
        }
    }

    @Override
    public String toString() {
        return "cgroup " + path();
    }
}
