package dev.phoenix.libos.cgroup;

import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.CpuTimes;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.sched.SchedGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A kernel's cgroup v2 hierarchy (Linux's cgroup_root of the default hierarchy): the tree, the
 * processes' membership, and what the controllers decide: the pids controller's charge at fork
 * and clone (kernel/cgroup/pids.c), the memory controller's OOM kill (mm/memcontrol.c,
 * mm/oom_kill.c) and cpu.stat's usage. One lock guards it all: groups are few and their changes
 * rare, and a fork takes it once.
 */
public final class CgroupHierarchy {
    /** Guards every group's fields and every process's membership. */
    final Object lock = new Object();
    private final Cgroup root = new Cgroup(this, "", null);
    /** The kernel's clock: CPU times, and the cpu controller's periods. */
    final Clock clock;
    private final Consumer<Process> oomKill;
    /** True once some group has a memory.max: until then the engines' checks return at once. */
    private volatile boolean memoryLimited;

    /**
     * A hierarchy whose CPU times are read on {@code clock}; {@code oomKill} sends SIGKILL to the
     * process the OOM killer chose (the kernel's signal path, which libos does not have).
     */
    public CgroupHierarchy(Clock clock, Consumer<Process> oomKill) {
        this.clock = clock;
        this.oomKill = oomKill;
    }

    /** The root group, where the first process starts. */
    public Cgroup root() {
        return root;
    }

    /** The group at {@code rel} ("a/b", "" for {@code base} itself) below {@code base}, or null. */
    public Cgroup lookup(Cgroup base, String rel) {
        synchronized (lock) {
            Cgroup g = base;
            for (String name : rel.split("/")) {
                if (name.isEmpty()) {
                    continue;
                }
                g = g.children.get(name);
                if (g == null) {
                    return null;
                }
            }
            return g;
        }
    }

    /** The names of {@code g}'s child groups, in order. */
    public List<String> childNames(Cgroup g) {
        synchronized (lock) {
            return List.copyOf(g.children.keySet());
        }
    }

    /**
     * Makes group {@code name} below {@code parent} (mkdir(2) in cgroupfs, Linux's cgroup_mkdir):
     * EEXIST when it is there, EAGAIN past an ancestor's cgroup.max.depth or
     * cgroup.max.descendants (cgroup_check_hierarchy_limits), ENODEV in a removed group.
     */
    public Cgroup mkdir(Cgroup parent, String name) {
        synchronized (lock) {
            if (parent.removed) {
                throw Errno.of(Errno.ENODEV);
            }
            if (parent.children.containsKey(name) || name.contains("/")) {
                throw Errno.of(Errno.EEXIST);
            }
            int depth = 1;
            for (Cgroup g = parent; g != null; g = g.parent, depth++) {
                if (depth > g.maxDepth || descendants(g) >= g.maxDescendants) {
                    throw Errno.of(Errno.EAGAIN);
                }
            }
            Cgroup child = new Cgroup(this, name, parent);
            parent.children.put(name, child);
            return child;
        }
    }

    /**
     * Removes group {@code g} (rmdir(2), Linux's cgroup_rmdir and cgroup_destroy_locked): EBUSY
     * for the root, for a group with processes or with child groups; its CPU time stays counted
     * in its parent.
     */
    public void rmdir(Cgroup g) {
        synchronized (lock) {
            if (g.parent == null || !g.members.isEmpty() || !g.children.isEmpty()) {
                throw Errno.of(Errno.EBUSY);
            }
            g.removed = true;
            g.parent.children.remove(g.name);
            // Its tmpfs pages stay charged, to the parent (which already counts them), as an
            // offlined memcg's charges are reparented.
            for (ShmemCharge ch : shmem.values()) {
                if (ch.group == g) {
                    ch.group = g.parent;
                }
            }
        }
    }

    /**
     * Group {@code name} below the root with every controller enabled for it and these limits
     * ({@link Cgroup#MAX}: none): where the first process of a run with run-level limits starts.
     */
    public Cgroup limitedGroup(String name, long memoryMax, long cpuQuotaUs, long cpuPeriodUs, long pidsMax) {
        Cgroup g = mkdir(root, name);
        synchronized (lock) {
            root.subtreeControl = Controller.ALL;
            g.memoryMax = memoryMax == Cgroup.MAX ? Cgroup.MAX : memoryMax & ~4095L;
            g.cpuQuotaUs = cpuQuotaUs;
            g.cpuPeriodUs = cpuPeriodUs;
            g.cpu.setBandwidth(cpuQuotaUs == Cgroup.MAX ? SchedGroup.NO_QUOTA : cpuQuotaUs * 1000, cpuPeriodUs * 1000);
            g.pidsMax = pidsMax;
        }
        if (memoryMax != Cgroup.MAX) {
            limitSet();
        }
        return g;
    }

    /** The live groups below {@code g} (cgroup.stat's nr_descendants). */
    int descendants(Cgroup g) {
        int n = 0;
        for (Cgroup c : g.children.values()) {
            n += 1 + descendants(c);
        }
        return n;
    }

    // ---- membership ----

    /** Makes {@code p} (a new process with one task, not forked: the first) a member of {@code g}. */
    public void attachFirst(Process p, Cgroup g) {
        synchronized (lock) {
            charge(g, 1);
            g.members.put(p, new Cgroup.Member(CpuTimes.ZERO, 1));
            p.cgroup = g;
        }
    }

    /**
     * Charges the task a fork or clone of {@code parent} is about to make to its group (Linux's
     * pids_can_fork, in cgroup_can_fork): EAGAIN when that passes the pids.max of the group or
     * of one above it, whose pids.events max counts the refusal. Returns the group charged;
     * for a new process give it to {@link #forked}, for a new thread the charge is the caller's.
     */
    public Cgroup chargeFork(Process parent, boolean thread) {
        return chargeFork(parent, thread, parent.cgroup);
    }

    /**
     * As {@link #chargeFork(Process, boolean)} for a new process made in group {@code into}
     * (clone3's CLONE_INTO_CGROUP), vetted as a move there is (cgroup_css_set_fork): ENODEV for
     * a removed group, EBUSY for one other than the root with controllers enabled for its children.
     */
    public Cgroup chargeFork(Process parent, Cgroup into) {
        synchronized (lock) {
            if (into.removed) {
                throw Errno.of(Errno.ENODEV);
            }
            if (into.parent != null && into.subtreeControl != 0) {
                throw Errno.of(Errno.EBUSY);
            }
        }
        return chargeFork(parent, false, into);
    }

    private Cgroup chargeFork(Process parent, boolean thread, Cgroup g) {
        if (g == null) {
            return null; // a process made outside a kernel
        }
        synchronized (lock) {
            for (Cgroup c = g; c != null; c = c.parent) {
                if (c.has(Controller.PIDS) && c.pids + 1 > c.pidsMax) {
                    c.pidsEventsMax++;
                    throw Errno.of(Errno.EAGAIN);
                }
            }
            charge(g, 1);
            if (thread) {
                Cgroup.Member m = g.members.get(parent);
                if (m != null) {
                    m.tasks++;
                }
            }
            return g;
        }
    }

    /** New process {@code child} joins group {@code g}, which {@link #chargeFork} charged for its task. */
    public void forked(Process child, Cgroup g) {
        if (g == null) {
            return;
        }
        synchronized (lock) {
            g.members.put(child, new Cgroup.Member(CpuTimes.ZERO, 1));
            child.cgroup = g;
        }
    }

    /** A fork that {@link #chargeFork} charged for failed: the charge goes back. */
    public void forkFailed(Cgroup g) {
        if (g != null) {
            synchronized (lock) {
                charge(g, -1);
            }
        }
    }

    /** One task of {@code p} is gone (reaped): its pids charge goes back (pids_release). */
    public void taskGone(Process p) {
        synchronized (lock) {
            Cgroup g = p.cgroup;
            Cgroup.Member m = g == null ? null : g.members.get(p);
            if (m != null && m.tasks > 0) {
                m.tasks--;
                charge(g, -1);
            }
        }
    }

    /**
     * {@code p}'s last task is gone: it leaves its group (Linux's cgroup_exit; the group no longer
     * lists it), its CPU time stays counted there, its memory and any task still charged go back.
     */
    public void exited(Process p) {
        CpuTimes.Sample times = p.cpuTimes(clock);
        synchronized (lock) {
            Cgroup g = p.cgroup;
            Cgroup.Member m = g == null ? null : g.members.remove(p);
            if (m != null) {
                charge(g, -m.tasks);
                addPastTimes(g, times, m.joinedAt);
            }
        }
    }

    /**
     * Moves process {@code p} to {@code dst} (a write to cgroup.procs: Linux's
     * cgroup_attach_task with the checks of cgroup_migrate_vet_dst): ENODEV for a removed group,
     * EBUSY for a group other than the root with controllers enabled for its children (no
     * internal processes), ESRCH for a process that has gone. Its tasks' charge moves with it
     * whatever the limits (pids_can_attach does not refuse); its CPU time so far stays behind.
     */
    public void move(Process p, Cgroup dst) {
        CpuTimes.Sample now = p.cpuTimes(clock);
        synchronized (lock) {
            if (dst.removed) {
                throw Errno.of(Errno.ENODEV);
            }
            if (dst.parent != null && dst.subtreeControl != 0) {
                throw Errno.of(Errno.EBUSY);
            }
            Cgroup src = p.cgroup;
            Cgroup.Member m = src == null ? null : src.members.get(p);
            if (m == null) {
                throw Errno.of(Errno.ESRCH); // exited: no longer in any group's list
            }
            if (src == dst) {
                return;
            }
            src.members.remove(p);
            charge(src, -m.tasks);
            addPastTimes(src, now, m.joinedAt);
            charge(dst, m.tasks);
            Cgroup.Member moved = new Cgroup.Member(now, m.tasks);
            moved.anon = m.anon;
            moved.file = m.file;
            dst.members.put(p, moved);
            p.cgroup = dst;
        }
        cpuChanged(p);
    }

    /** Tells the run queues of {@code p}'s tasks that their cpu group or its limits changed. */
    private static void cpuChanged(Process p) {
        for (dev.phoenix.libos.proc.Task t : p.tasks()) {
            dev.phoenix.libos.proc.RunQueue q = t.runQueue();
            if (q != null) {
                q.cgroupChanged(t);
            }
        }
    }

    /**
     * The cpu controller's limits of {@code g} or which groups have it changed: the running tasks
     * of {@code g} and below take the change at once rather than at their next turn.
     */
    public void cpuChanged(Cgroup g) {
        List<Process> procs = new ArrayList<>();
        synchronized (lock) {
            subtreeMembers(g, procs, new ArrayList<>());
        }
        for (Process p : procs) {
            cpuChanged(p);
        }
    }

    /** The processes of {@code g} itself (cgroup.procs), in the order they joined. */
    public List<Process> processes(Cgroup g) {
        synchronized (lock) {
            return List.copyOf(g.members.keySet());
        }
    }

    /** True when {@code g} or a group below it has a process (cgroup.events' populated). */
    public boolean populated(Cgroup g) {
        synchronized (lock) {
            return populatedLocked(g);
        }
    }

    private static boolean populatedLocked(Cgroup g) {
        if (!g.members.isEmpty()) {
            return true;
        }
        for (Cgroup c : g.children.values()) {
            if (populatedLocked(c)) {
                return true;
            }
        }
        return false;
    }

    /** Adds {@code n} tasks to the pids count of {@code g} and its ancestors, and their peaks. */
    private static void charge(Cgroup g, long n) {
        for (Cgroup c = g; c != null; c = c.parent) {
            c.pids = Math.max(0, c.pids + n);
            c.pidsPeak = Math.max(c.pidsPeak, c.pids);
        }
    }

    /** The time a member used since it joined, {@code now} minus {@code joinedAt}, stays with {@code g} and above. */
    private static void addPastTimes(Cgroup g, CpuTimes.Sample now, CpuTimes.Sample joinedAt) {
        CpuTimes.Sample used = new CpuTimes.Sample(Math.max(0, now.user() - joinedAt.user()),
                Math.max(0, now.system() - joinedAt.system()));
        for (Cgroup c = g; c != null; c = c.parent) {
            c.pastTimes = c.pastTimes.plus(used);
        }
    }

    /** Every member of {@code g} and the groups below it, with its entry. */
    private static void subtreeMembers(Cgroup g, List<Process> procs, List<Cgroup.Member> entries) {
        for (var e : g.members.entrySet()) {
            procs.add(e.getKey());
            entries.add(e.getValue());
        }
        for (Cgroup c : g.children.values()) {
            subtreeMembers(c, procs, entries);
        }
    }

    // ---- cpu ----

    /** cpu.stat's usage: {user, system} in nanoseconds, of {@code g} and below, since each process joined. */
    public CpuTimes.Sample cpuUsage(Cgroup g) {
        List<Process> procs = new ArrayList<>();
        List<Cgroup.Member> entries = new ArrayList<>();
        CpuTimes.Sample past;
        synchronized (lock) {
            subtreeMembers(g, procs, entries);
            past = g.pastTimes;
        }
        CpuTimes.Sample sum = past;
        for (int i = 0; i < procs.size(); i++) {
            CpuTimes.Sample now = procs.get(i).cpuTimes(clock);
            CpuTimes.Sample at = entries.get(i).joinedAt;
            sum = sum.plus(new CpuTimes.Sample(Math.max(0, now.user() - at.user()), Math.max(0, now.system() - at.system())));
        }
        return sum;
    }

    // ---- memory ----

    /**
     * The tmpfs file pages charged to a group (Linux charges each shmem page to the memcg of the
     * task whose write or fault allocated it; Phoenix keeps one group per file, that of the
     * process that first grew it, and counts a file's pages from its size, as a tmpfs size=
     * limit is counted). @GuardedBy("lock"), by the host file's key.
     */
    private final java.util.Map<Object, ShmemCharge> shmem = new java.util.HashMap<>();

    /** The charge of one tmpfs file: its group, and how many pages it is charged there. */
    private static final class ShmemCharge {
        Cgroup group;
        long pages;

        ShmemCharge(Cgroup group) {
            this.group = group;
        }
    }

    private static final long PAGE = 4096;

    private static long pages(long bytes) {
        return (bytes + PAGE - 1) / PAGE;
    }

    /** Adds {@code n} pages (negative: takes them away) to the shmem count of {@code g} and its ancestors. */
    private static void chargeShmemPages(Cgroup g, long n) {
        for (Cgroup c = g; c != null; c = c.parent) {
            c.shmemPages = Math.max(0, c.shmemPages + n);
        }
    }

    /**
     * How many of {@code length} bytes {@code writer} may write at {@code position} into the tmpfs
     * file {@code key} of {@code size} bytes, charging the pages the file grows by to the file's
     * group (shmem_get_folio's mem_cgroup_charge). Where that would pass the memory.max of the
     * group or one above, that group is out of memory (try_charge_memcg: shmem pages cannot be
     * reclaimed without swap): the OOM killer kills the member holding the most anonymous memory,
     * as {@link #charged} does, and the write takes only the pages that fit; ENOMEM when none
     * does, as the write_begin's charge fails for a task the OOM killer chose (task_is_dying).
     */
    public int chargeShmem(Process writer, Object key, long size, long position, int length) {
        long want = pages(Math.max(size, position + length)) - pages(size);
        if (key == null || want <= 0 || length <= 0) {
            return length;
        }
        Process victim = null;
        long fit = want;
        synchronized (lock) {
            ShmemCharge ch = shmem.get(key);
            if (ch == null) {
                Cgroup g = writer == null ? null : writer.cgroup;
                if (g == null) {
                    return length; // a process outside a kernel
                }
                ch = new ShmemCharge(g);
                shmem.put(key, ch);
            }
            for (Cgroup c = ch.group; c != null; c = c.parent) {
                if (!c.has(Controller.MEMORY) || c.memoryMax == Cgroup.MAX) {
                    continue;
                }
                List<Process> procs = new ArrayList<>();
                List<Cgroup.Member> entries = new ArrayList<>();
                subtreeMembers(c, procs, entries);
                long anon = 0;
                for (Cgroup.Member m : entries) {
                    anon += m.anon;
                }
                long room = Math.max(0, (c.memoryMax - anon) / PAGE - c.shmemPages);
                if (room >= want) {
                    continue;
                }
                fit = Math.min(fit, room);
                if (victim != null) {
                    continue;
                }
                for (Cgroup up = c; up != null; up = up.parent) {
                    up.memoryEventsMax++;
                }
                victim = oomVictim(c, procs, entries);
            }
            ch.pages += fit;
            chargeShmemPages(ch.group, fit);
            long[] use = visible(ch.group, 0, ch.group.shmemPages * PAGE);
            ch.group.memoryPeak = Math.max(ch.group.memoryPeak, use[0] + use[1]);
        }
        if (victim != null) {
            oomKill.accept(victim);
        }
        if (fit == want) {
            return length;
        }
        long end = (pages(size) + fit) * PAGE - position;
        if (end <= 0) {
            throw Errno.of(Errno.ENOMEM);
        }
        return (int) Math.min(end, length);
    }

    /**
     * The OOM killer's choice in {@code c} (whose members and entries these are; the caller holds
     * the lock): the member holding the most anonymous memory, marked a victim, with oom and
     * oom_kill counted in {@code c} and above; null while a victim is still dying
     * (oom_evaluate_task's abort) or when there is nobody to kill.
     */
    private static Process oomVictim(Cgroup c, List<Process> procs, List<Cgroup.Member> entries) {
        int largest = -1;
        for (int i = 0; i < entries.size(); i++) {
            Cgroup.Member m = entries.get(i);
            if (m.oomVictim) {
                return null;
            }
            if (largest < 0 || m.anon > entries.get(largest).anon) {
                largest = i;
            }
        }
        for (Cgroup up = c; up != null; up = up.parent) {
            up.memoryEventsOom++;
            if (largest >= 0) {
                up.memoryEventsOomKill++;
            }
        }
        if (largest < 0) {
            return null;
        }
        entries.get(largest).oomVictim = true;
        return procs.get(largest);
    }

    /**
     * The tmpfs file {@code key} is now {@code newSize} bytes (truncate(2), O_TRUNC): the pages
     * past it go back to its group, as shmem_undo_range uncharges them.
     */
    public void shmemTruncated(Object key, long newSize) {
        if (key == null) {
            return;
        }
        synchronized (lock) {
            ShmemCharge ch = shmem.get(key);
            if (ch != null && ch.pages > pages(newSize)) {
                chargeShmemPages(ch.group, pages(newSize) - ch.pages);
                ch.pages = pages(newSize);
            }
        }
    }

    /**
     * The tmpfs file {@code key} is gone (unlink of its last link, or its file system unmounted):
     * its pages go back to its group. Phoenix does this at once where Linux waits for the last
     * descriptor to close (shmem_evict_inode); a later write through a descriptor still open
     * charges the file anew.
     */
    public void shmemGone(Object key) {
        if (key == null) {
            return;
        }
        synchronized (lock) {
            ShmemCharge ch = shmem.remove(key);
            if (ch != null) {
                chargeShmemPages(ch.group, -ch.pages);
            }
        }
    }

    /** True when some group has a memory.max (the engines' write-fill checks are not needed before). */
    public boolean memoryLimited() {
        return memoryLimited;
    }

    void limitSet() {
        memoryLimited = true;
    }

    /**
     * What {@code g} and below hold now: {anon, file, shmem} bytes (file counting shmem, the
     * tmpfs pages charged here), each member measured again by
     * {@code measure} (from another thread: the process's own may be changing its mappings).
     */
    public long[] memoryUsage(Cgroup g, java.util.function.Function<Process, long[]> measure) {
        List<Process> procs = new ArrayList<>();
        List<Cgroup.Member> entries = new ArrayList<>();
        synchronized (lock) {
            subtreeMembers(g, procs, entries);
        }
        long[][] measured = new long[procs.size()][];
        for (int i = 0; i < procs.size(); i++) {
            measured[i] = measure.apply(procs.get(i));
        }
        synchronized (lock) {
            long anon = 0, file = 0;
            for (int i = 0; i < procs.size(); i++) {
                Cgroup.Member m = entries.get(i);
                if (measured[i] != null) {
                    m.anon = measured[i][0];
                    m.file = measured[i][1];
                }
                anon += m.anon;
                file += m.file;
            }
            long[] use = visible(g, anon, file + g.shmemPages * PAGE);
            g.memoryPeak = Math.max(g.memoryPeak, use[0] + use[1]);
            return new long[] {use[0], use[1], Math.min(use[1], g.shmemPages * PAGE)};
        }
    }

    /**
     * {anon, file} as memory.current shows them, never past memory.max: file pages beyond it are
     * the page cache Linux would have reclaimed before charging more.
     */
    private static long[] visible(Cgroup g, long anon, long file) {
        if (g.has(Controller.MEMORY) && g.memoryMax != Cgroup.MAX) {
            // Linux's charge never passes memory.max; Phoenix measures after the stores, so
            // what it saw beyond (at most the pages between two checks) is not shown either.
            anon = Math.min(anon, g.memoryMax);
            file = Math.max(0, Math.min(file, g.memoryMax - anon));
        }
        return new long[] {anon & ~4095L, file & ~4095L};
    }

    /**
     * {@code p} (running on the calling thread) holds {@code anon} and {@code file} bytes now:
     * every group from its own up whose memory.max its anonymous memory, that of the group's
     * other members and the group's tmpfs pages pass is out of memory (Linux's try_charge failing after reclaim, then
     * mem_cgroup_out_of_memory): the member holding most is killed with SIGKILL, and memory.events
     * counts max, oom and oom_kill there and above (the events are hierarchical). While a victim
     * of the group is still dying no other is chosen (oom_evaluate_task's abort on a victim).
     * Page cache pages never cause a kill (Linux reclaims them first); tmpfs pages charged here
     * ({@link #chargeShmem}) do, as shmem cannot be reclaimed without swap.
     */
    public void charged(Process p, long anon, long file) {
        Process victim = null;
        synchronized (lock) {
            Cgroup g = p.cgroup;
            Cgroup.Member self = g == null ? null : g.members.get(p);
            if (self == null) {
                return;
            }
            self.anon = anon;
            self.file = file;
            for (Cgroup c = g; c != null && victim == null; c = c.parent) {
                if (!c.has(Controller.MEMORY)) {
                    continue;
                }
                List<Process> procs = new ArrayList<>();
                List<Cgroup.Member> entries = new ArrayList<>();
                subtreeMembers(c, procs, entries);
                long total = 0, totalFile = 0;
                int largest = -1;
                boolean dying = false;
                for (int i = 0; i < entries.size(); i++) {
                    Cgroup.Member m = entries.get(i);
                    total += m.anon;
                    totalFile += m.file;
                    dying |= m.oomVictim;
                    if (!m.oomVictim && (largest < 0 || m.anon > entries.get(largest).anon)) {
                        largest = i;
                    }
                }
                long shmemBytes = c.shmemPages * PAGE;
                long[] use = visible(c, total, totalFile + shmemBytes);
                c.memoryPeak = Math.max(c.memoryPeak, use[0] + use[1]);
                if (c.memoryMax == Cgroup.MAX || total + shmemBytes <= c.memoryMax || dying || largest < 0) {
                    continue;
                }
                entries.get(largest).oomVictim = true;
                victim = procs.get(largest);
                for (Cgroup up = c; up != null; up = up.parent) {
                    up.memoryEventsMax++;
                    up.memoryEventsOom++;
                    up.memoryEventsOomKill++;
                }
            }
        }
        if (victim != null) {
            oomKill.accept(victim);
        }
    }
}
