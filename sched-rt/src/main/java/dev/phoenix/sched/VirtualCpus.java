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

    /** A waiter's place in line. */
    private static final class Waiter {
        final int prio;
        final long ticket;

        Waiter(int prio, long ticket) {
            this.prio = prio;
            this.ticket = ticket;
        }
    }

    private final java.util.PriorityQueue<Waiter> line = new java.util.PriorityQueue<>(
            (a, b) -> a.prio != b.prio ? Integer.compare(a.prio, b.prio) : Long.compare(a.ticket, b.ticket));

    /**
     * Takes a CPU allowed by {@code affinity} (bit n: CPU n) for {@code holder}, whose task runs at
     * {@code prio}; waits while none is free, preempting the worst holder when {@code prio} is a
     * real-time priority better than its. Returns the CPU's id.
     */
    public synchronized int acquire(Holder holder, int prio, long affinity) throws InterruptedException {
        long allowed = affinity & mask();
        if (allowed == 0) {
            allowed = mask(); // an affinity naming only CPUs that do not exist: any (sched_setaffinity refuses it first)
        }
        Waiter me = null;
        try {
            while (true) {
                if (me == null || line.peek() == me) {
                    int free = freeCpu(allowed);
                    if (free >= 0) {
                        holders[free] = holder;
                        prios[free] = prio;
                        return free;
                    }
                }
                if (me == null) {
                    me = new Waiter(prio, nextTicket++);
                    line.add(me);
                    waiting++;
                    contended = true;
                    for (int i = 0; i < count; i++) {
                        if ((allowed & 1L << i) != 0 && holders[i] != null) {
                            holders[i].cpuWanted();
                        }
                    }
                }
                if (prio < SchedEntity.MAX_RT_PRIO) {
                    int worst = worstHolder(allowed);
                    if (worst >= 0 && prios[worst] > prio) {
                        prios[worst] = prio; // asked once: it gives the CPU back at its next stop
                        holders[worst].preemptNow();
                    }
                }
                wait();
            }
        } finally {
            if (me != null) {
                line.remove(me);
                waiting--;
                contended = waiting > 0;
                notifyAll();
            }
        }
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

    private int freeCpu(long allowed) {
        for (int i = 0; i < count; i++) {
            if ((allowed & 1L << i) != 0 && holders[i] == null) {
                return i;
            }
        }
        return -1;
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
