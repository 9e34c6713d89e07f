package dev.phoenix.sched;

import dev.phoenix.libos.sched.SchedEntity;
import java.util.function.BooleanSupplier;

/**
 * The guest's CPUs ({@code --cpus N}): at most N runners (the host threads that run the tasks of
 * one address space each) run guest code at a time. A runner takes a CPU before each turn and
 * gives it back after, so a runner whose tasks all sleep holds none. When every allowed CPU is
 * busy a runner waits: real-time tasks' runners first, by priority, and a real-time task takes
 * the CPU of the worst-priority runner among those it may use at once: that runner is told to
 * preempt its task (Linux's cpupri: an RT task goes to the lowest-priority CPU). Fair tasks'
 * runners are served by weight ({@link CpuShares}): each turn's CPU time advances the virtual
 * time of its task's top-level cgroup (or of the task itself in the root group) by the time over
 * that entity's weight, and the least virtual time goes first, then first come, first served; so
 * two CPU-bound processes in sibling groups of cpu.weight 100 and 300 get a quarter and three
 * quarters of one CPU, and processes of nice 0 and 5 share as 1024:335, as on one run queue. A
 * runner that holds a CPU while others wait for one ends its turn at the end of its slice, as it
 * would for a task of its own queue, unless its entity's virtual time is still the least
 * ({@link #mayHoldOn}). CPU ids are what getcpu(2) reports and what affinity masks select.
 * Within a top-level group, nested groups are not told apart across processes (each runner's
 * own queue still shares its tasks by their nested weights).
 */
public final class VirtualCpus {
    /** What a CPU holder must do when a better task needs its CPU. */
    public interface Holder {
        void preemptNow();

        /** Another runner waits for a CPU: end the turn at the end of its slice. */
        void cpuWanted();
    }

    private final int count;
    /** The holder of each CPU, or null; and the priority of the task it runs. */
    private final Holder[] holders;
    private final int[] prios;
    /** The books each holder is charged to, and when it took its CPU (System.nanoTime). */
    private final CpuShares.Entity[] ents;
    private final long[] since;
    /** The fair books: a virtual time per top-level entity (@GuardedBy("this")). */
    private final CpuShares shares = new CpuShares();
    /** The entities of holders that gave their CPU back and are coming back for another turn (@GuardedBy("this")). */
    private final java.util.Map<Holder, CpuShares.Entity> coming = new java.util.IdentityHashMap<>();
    /** Waiting runners in line: a ticket each, served by priority then ticket. */
    private long nextTicket;
    private int waiting;
    /** The best priority waiting (kernel numbering), for the holders' slices. */
    private volatile boolean contended;

    public VirtualCpus(int count) {
        if (count < 1 || count > 64) {
            throw new IllegalArgumentException("CPUs: 1 to 64, not " + count);
        }
        this.count = count;
        this.holders = new Holder[count];
        this.prios = new int[count];
        this.ents = new CpuShares.Entity[count];
        this.since = new long[count];
    }

    public int count() {
        return count;
    }

    /** True while some runner waits for a CPU: holders end their turns at the end of their slices. */
    public boolean contended() {
        return contended;
    }

    /** A waiter's place in line: its priority, its ticket, the CPUs it may take and the books it is charged to. */
    private record Waiter(int prio, long ticket, long allowed, CpuShares.Entity ent) {
        boolean realTime() {
            return prio < SchedEntity.MAX_RT_PRIO;
        }
    }

    /**
     * The order of service: real-time waiters first, by priority; fair waiters by their entity's
     * virtual time (so by weight over time, not by nice alone); then by ticket. Virtual times
     * move while runners wait, so the line is a list scanned under the lock, not a heap.
     */
    private static int order(Waiter a, Waiter b) {
        if (a.realTime() || b.realTime()) {
            if (a.prio != b.prio) {
                return Integer.compare(a.prio, b.prio);
            }
        } else if (a.ent.vtime != b.ent.vtime) {
            return Long.compare(a.ent.vtime, b.ent.vtime);
        }
        return Long.compare(a.ticket, b.ticket);
    }

    private final java.util.List<Waiter> line = new java.util.ArrayList<>();

    /**
     * Takes a CPU for {@code holder} to run task entity {@code e} on, within {@code affinity}:
     * as {@link #acquire(Holder, int, long, BooleanSupplier)} at {@code e}'s priority, a fair task
     * served by the virtual time of its top-level cgroup (or of itself in the root group), which
     * its turns on the CPU advance by their length over that entity's weight.
     */
    public int acquire(Holder holder, SchedEntity e, long affinity, BooleanSupplier cancelled) throws InterruptedException {
        Object key = CpuShares.keyOf(e);
        return acquire(holder, e.prio(), affinity, key, CpuShares.weightOf(key, e), cancelled);
    }

    /**
     * Takes a CPU allowed by {@code affinity} (bit n: CPU n) for {@code holder}, whose task runs at
     * {@code prio}; waits while none is free, preempting the worst holder when {@code prio} is a
     * real-time priority better than its. A free CPU goes to the best waiter that may use it, so
     * a runner that has just given a CPU back cannot take it again before the runner it was
     * given back for (a woken real-time runner lost its CPU to the spinning runner it had
     * preempted), and a waiter whose affinity excludes the free CPU does not hold up the others.
     * The holder is booked as an entity of its own at nice 0.
     * Returns the CPU's id, or -1 when {@code cancelled} came true while it waited.
     */
    public int acquire(Holder holder, int prio, long affinity, BooleanSupplier cancelled) throws InterruptedException {
        return acquire(holder, prio, affinity, holder, Weights.NICE_0, cancelled);
    }

    private synchronized int acquire(Holder holder, int prio, long affinity, Object key, long weight,
            BooleanSupplier cancelled) throws InterruptedException {
        long allowed = affinity & mask();
        if (allowed == 0) {
            allowed = mask(); // an affinity naming only CPUs that do not exist: any (sched_setaffinity refuses it first)
        }
        advanceMin();
        CpuShares.Entity kept = coming.remove(holder);
        Waiter me = new Waiter(prio, nextTicket++, allowed, shares.join(key, weight));
        if (kept != null) {
            shares.leave(kept); // its place was kept since its last turn: no new placement
        }
        boolean inLine = false, took = false;
        try {
            while (true) {
                int free = freeCpuFor(me);
                if (free >= 0) {
                    holders[free] = holder;
                    prios[free] = prio;
                    ents[free] = me.ent;
                    since[free] = System.nanoTime();
                    took = true;
                    return free;
                }
                if (!inLine) {
                    line.add(me);
                    inLine = true;
                    waiting++;
                    contended = true;
                    for (int i = 0; i < count; i++) {
                        if ((allowed & 1L << i) != 0 && holders[i] != null) {
                            holders[i].cpuWanted();
                        }
                    }
                }
                if (cancelled.getAsBoolean()) {
                    return -1; // a better task of the waiter's own queue came: it picks again
                }
                if (prio < SchedEntity.MAX_RT_PRIO) {
                    int worst = worstHolder(allowed);
                    if (worst >= 0 && prios[worst] > prio) {
                        prios[worst] = prio; // asked once: it gives the CPU back at its next stop
                        holders[worst].preemptNow();
                    }
                }
                wait(WAIT_MS); // woken by a release; the timeout is a safety net, not the mechanism
            }
        } finally {
            if (!took) {
                shares.leave(me.ent);
            }
            if (inLine) {
                line.remove(me);
                waiting--;
                contended = waiting > 0;
                notifyAll();
            }
        }
    }

    /**
     * How much longer the holder of {@code cpu}, a fair task's runner that has held it
     * {@code heldNanos} and reached the end of its slice while others wait, may keep it: 0 when
     * it must give way (a real-time waiter, or a fair waiter that may use this CPU and whose
     * entity's virtual time is not above the holder's, counting this turn), otherwise the time
     * until its entity's virtual time would pass the best such waiter's, at most
     * {@code sliceNanos}. So a heavier group keeps the CPU for its share instead of handing it
     * over at every slice's end (CFS's check_preempt_tick: the current entity runs on while its
     * vruntime is the least). A lead of less than {@link #MIN_GRANT_NS} is not worth a turn.
     */
    public synchronized long mayHoldOn(int cpu, long heldNanos, long sliceNanos) {
        CpuShares.Entity mine = ents[cpu];
        if (mine == null || holders[cpu] == null) {
            return 0;
        }
        long projected = mine.vtime + CpuShares.scaled(Math.max(0, heldNanos), mine.weight);
        long best = Long.MAX_VALUE;
        for (Waiter w : line) {
            if ((w.allowed & 1L << cpu) == 0) {
                continue;
            }
            if (w.realTime()) {
                return 0;
            }
            best = Math.min(best, w.ent.vtime);
        }
        if (best == Long.MAX_VALUE) {
            return sliceNanos; // nobody here may use this CPU
        }
        if (best <= projected) {
            return 0;
        }
        long lead = CpuShares.unscaled(best - projected, mine.weight);

        return lead < MIN_GRANT_NS ? 0 : Math.min(lead, sliceNanos);
    }

    /** The least a holder is granted past its slice (1 ms, a tick): a smaller lead gives way at once. */
    static final long MIN_GRANT_NS = 1_000_000;

    /** Moves the books' minimum to the least virtual time of the entities holding or waiting. */
    private void advanceMin() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < count; i++) {
            if (ents[i] != null) {
                least = Math.min(least, ents[i].vtime);
            }
        }
        for (Waiter w : line) {
            least = Math.min(least, w.ent.vtime);
        }
        for (CpuShares.Entity e : coming.values()) {
            least = Math.min(least, e.vtime);
        }
        if (least != Long.MAX_VALUE) {
            shares.advanceMin(least);
        }
    }

    /** The longest a waiter sleeps before it looks again even without a release. */
    private static final long WAIT_MS = 10;

    /** A free CPU {@code me} may take: allowed to it and wanted by no waiter ahead of it; -1 if none. */
    private int freeCpuFor(Waiter me) {
        for (int i = 0; i < count; i++) {
            if ((me.allowed & 1L << i) == 0 || holders[i] != null) {
                continue;
            }
            boolean takenAhead = false;
            for (Waiter w : line) {
                if (w != me && order(w, me) < 0 && (w.allowed & 1L << i) != 0) {
                    takenAhead = true;
                    break;
                }
            }
            if (!takenAhead) {
                return i;
            }
        }
        return -1;
    }

    /** Wakes the waiting runners to look again (one of them has a better task to run now). */
    public synchronized void wakeWaiters() {
        notifyAll();
    }

    /** Gives CPU {@code cpu} back, its holder's entity charged the wall time it held it. */
    public synchronized void release(int cpu) {
        release(cpu, System.nanoTime() - since[cpu], false);
    }

    /** Gives CPU {@code cpu} back, its holder's entity charged {@code heldNanos}, not coming back at once. */
    public void release(int cpu, long heldNanos) {
        release(cpu, heldNanos, false);
    }

    /**
     * Gives CPU {@code cpu} back, its holder's entity charged {@code heldNanos} (the CPU time the
     * turn was charged, which on a busy host can be less than the wall time it held the CPU).
     * {@code comingBack}: the holder still has runnable tasks and asks again at once, so its
     * entity stays in use meanwhile, as a preempted entity stays on its CFS run queue; otherwise
     * a host thread slow to come back (a busy host) would find the minimum moved past it and be
     * placed again, losing its lead. {@link #forget} ends that when the holder stops.
     */
    public synchronized void release(int cpu, long heldNanos, boolean comingBack) {
        CpuShares.Entity ent = ents[cpu];
        if (ent != null) {
            CpuShares.charge(ent, heldNanos);
            advanceMin(); // with the holder still counted: min_vruntime follows the last one running
            CpuShares.Entity before = comingBack ? coming.put(holders[cpu], ent) : null;
            if (!comingBack || before != null) {
                shares.leave(comingBack ? before : ent);
            }
            ents[cpu] = null;
        }
        holders[cpu] = null;
        notifyAll();
    }

    /** {@code holder} will not ask again (its runner ended): the entity its place was kept in lets it go. */
    public synchronized void forget(Holder holder) {
        CpuShares.Entity kept = coming.remove(holder);
        if (kept != null) {
            shares.leave(kept);
        }
    }

    /** How many runners wait for a CPU (for tests). */
    synchronized int waiters() {
        return waiting;
    }

    /** The virtual time of the entity {@code e} is booked under (for tests and /proc figures), 0 if none yet. */
    synchronized long vtimeOf(SchedEntity e) {
        return shares.vtimeOf(CpuShares.keyOf(e));
    }

    /** The priority the holder of {@code cpu} now runs at changed (a new task, an inherited priority). */
    public synchronized void running(int cpu, int prio) {
        prios[cpu] = prio;
    }

    private long mask() {
        return count == 64 ? -1L : (1L << count) - 1;
    }

    private int worstHolder(long allowed) {
        int worst = -1;
        for (int i = 0; i < count; i++) {
            if ((allowed & 1L << i) != 0 && holders[i] != null && (worst < 0 || prios[i] > prios[worst])) {
                worst = i;
            }
        }
        return worst;
    }
}
