package dev.phoenix.sched;

import dev.phoenix.libos.sched.SchedEntity;

/**
 * The guest's CPUs ({@code --cpus N}): at most N runners (the host threads that run the tasks of
 * one address space each) run guest code at a time. A runner takes a CPU before each turn and
 * gives it back after, so a runner whose tasks all sleep holds none. When every allowed CPU is
 * busy a runner waits, the best priority first (then first come, first served), and a real-time
 * task takes the CPU of the worst-priority runner among those it may use at once: that runner is
 * told to preempt its task (Linux's cpupri: an RT task goes to the lowest-priority CPU). A runner
 * that holds a CPU while others wait for one ends its turn at the end of its slice, as it would
 * for a task of its own queue, so processes share the CPUs in turns. CPU ids are what getcpu(2)
 * reports and what affinity masks select.
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
    }

    public int count() {
        return count;
    }

    /** True while some runner waits for a CPU: holders end their turns at the end of their slices. */
    public boolean contended() {
        return contended;
    }

    /** A waiter's place in line: its priority, its ticket and the CPUs it may take. */
    private record Waiter(int prio, long ticket, long allowed) {
    }

    private static final java.util.Comparator<Waiter> ORDER =
            (a, b) -> a.prio != b.prio ? Integer.compare(a.prio, b.prio) : Long.compare(a.ticket, b.ticket);

    private final java.util.PriorityQueue<Waiter> line = new java.util.PriorityQueue<>(ORDER);

    /**
     * Takes a CPU allowed by {@code affinity} (bit n: CPU n) for {@code holder}, whose task runs at
     * {@code prio}; waits while none is free, preempting the worst holder when {@code prio} is a
     * real-time priority better than its. A free CPU goes to the best waiter that may use it, so
     * a runner that has just given a CPU back cannot take it again before the runner it was
     * given back for (a woken real-time runner lost its CPU to the spinning runner it had
     * preempted), and a waiter whose affinity excludes the free CPU does not hold up the others.
     * Returns the CPU's id, or -1 when {@code cancelled} came true while it waited.
     */
    public synchronized int acquire(Holder holder, int prio, long affinity, java.util.function.BooleanSupplier cancelled)
            throws InterruptedException {
        long allowed = affinity & mask();
        if (allowed == 0) {
            allowed = mask(); // an affinity naming only CPUs that do not exist: any (sched_setaffinity refuses it first)
        }
        Waiter me = new Waiter(prio, nextTicket++, allowed);
        boolean inLine = false;
        try {
            while (true) {
                int free = freeCpuFor(me);
                if (free >= 0) {
                    holders[free] = holder;
                    prios[free] = prio;
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
            if (inLine) {
                line.remove(me);
                waiting--;
                contended = waiting > 0;
                notifyAll();
            }
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
                if (w != me && ORDER.compare(w, me) < 0 && (w.allowed & 1L << i) != 0) {
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

    /** Gives CPU {@code cpu} back. */
    public synchronized void release(int cpu) {
        holders[cpu] = null;
        notifyAll();
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
