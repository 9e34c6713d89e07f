package dev.phoenix.sched;

import dev.phoenix.libos.sched.SchedEntity;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * The fair class (SCHED_OTHER, SCHED_BATCH, SCHED_IDLE): CPU time in proportion to weight
 * ({@link Weights}), each task's turns spread by golden-ratio (Beatty) phases, with a lag of at
 * most about one quantum.
 *
 * <p><b>Turns as Beatty sequences.</b> In virtual time (nanoseconds of CPU divided by weight, times
 * 1024) task i's n-th turn is due at {@code (n + θ_i)·q/w_i}; in a fixed set of tasks with total
 * weight W that is real slot {@code ⌊(n + θ_i)·W/w_i⌋}, an inhomogeneous Beatty sequence of rate
 * {@code W/w_i}. The phase θ_i is {@code frac(k·φ)} for the k-th placement: the golden-ratio
 * sequence, whose points stay the most evenly spread of any sequence as it grows (the three-distance
 * theorem), so tasks of equal weight that join together take turns evenly instead of by a
 * tie-break. Sequences of three or more rates cannot partition the slots (Fraenkel's conjecture,
 * proved for small cases), so slots collide; the rule for a collision decides the lag.
 * {@code FairnessHarness} (tests) measured two rules: earliest due turn alone (the task that has run
 * least for its weight can run ahead on several turns in a row, and tasks that join later lose
 * several quanta to it), and earliest due turn among the <em>eligible</em> tasks, those whose
 * virtual time has not passed the zero-lag point V (the weighted mean of all virtual times). The
 * second keeps every task's lag within about one quantum, as EEVDF (Stoica and Abdel-Wahab, 1995;
 * Linux's fair class since 6.6) does; it is this class's rule. Joining, leaving and weight changes
 * keep each task's lag: a task that blocks takes its lag (clamped to one quantum either way) and
 * gets it back when it wakes, placed so that V does not move; a nice change rescales the lag to the
 * new weight.
 *
 * <p>Eligible tasks wait in a heap by due turn, the others in a heap by virtual time, so picking is
 * O(log n). The running task stays in the books (V counts it) until it blocks or leaves.
 */
final class BeattyFair {
    /** φ - 1: {@code frac(k·φ) = frac(k·PHI_FRACTION)}. */
    private static final double PHI_FRACTION = 0.6180339887498949;
    /** The shortest turn granted, so a tiny remaining request does not cost a switch per tick. */
    static final long MIN_SLICE_NANOS = 1_000_000;

    private final long quantum;
    /** Σ w and Σ w·(v - base) over the tasks in the books (queued and running). */
    private long sumWeight;
    private double sumWeightedVirtual;
    /** Subtracted from virtual times in the weighted sum, so it stays small and exact. */
    private double base;
    /** Placements so far: the k of the next golden-ratio phase. */
    private long placements;
    private final PriorityQueue<Node> eligible = new PriorityQueue<>(
            Comparator.<Node>comparingDouble(n -> n.deadline).thenComparingLong(n -> n.seq));
    private final PriorityQueue<Node> waiting = new PriorityQueue<>(
            Comparator.<Node>comparingDouble(n -> n.virtual).thenComparingLong(n -> n.seq));

    /** What this class keeps of one task. */
    static final class Node {
        final SchedEntity entity;
        final long seq;
        /** Virtual time: nanoseconds run, times 1024 over the weight, from where it was placed. */
        double virtual;
        /** When its current turn is due (virtual time): the end of its current request. */
        double deadline;
        int weight;
        /** The entity's runtimeNanos when last charged. */
        long charged;
        /** Lag in virtual time (V - virtual) kept while it is out of the books. */
        double savedLag;
        boolean inBooks;
        /** 0: in no heap; 1: eligible; 2: waiting. */
        int heap;

        Node(SchedEntity e, long seq) {
            this.entity = e;
            this.seq = seq;
            this.charged = e.runtimeNanos;
        }
    }

    /** False only in the fairness harness: the earliest due turn wins whether eligible or not. */
    private final boolean eligibility;

    BeattyFair(long quantumNanos, boolean eligibility) {
        this.quantum = quantumNanos;
        this.eligibility = eligibility;
    }

    long quantum() {
        return quantum;
    }

    /** The zero-lag point V: the weighted mean virtual time of the tasks in the books. */
    double zeroLag() {
        return sumWeight == 0 ? base : base + sumWeightedVirtual / sumWeight;
    }

    /** A request of {@code nanos} of CPU in {@code n}'s virtual time. */
    private static double virtualOf(double nanos, int weight) {
        return nanos * Weights.NICE_0 / weight;
    }

    /** Adds the CPU time {@code n} used since it was last charged to its virtual time. */
    private void charge(Node n) {
        long now = n.entity.runtimeNanos;
        long used = now - n.charged;
        n.charged = now;
        if (used <= 0) {
            return;
        }
        double dv = virtualOf(used, n.weight);
        n.virtual += dv;
        if (n.inBooks) {
            sumWeightedVirtual += n.weight * dv;
        }
        if (n.virtual >= n.deadline) { // its request is done: the next turn is one quantum on
            n.deadline = n.virtual + virtualOf(quantum, n.weight);
        }
    }

    /** Enters {@code n} in the books with the lag it left with, and the next golden-ratio phase for its first turn. */
    private void place(Node n) {
        n.weight = Weights.of(n.entity);
        double v = zeroLag();
        double lag = n.savedLag;
        if (sumWeight > 0) { // placed at V - lag, the mean moves; scale so its lag after joining is the one it had
            lag = lag * (sumWeight + n.weight) / sumWeight;
        }
        n.virtual = v - lag;
        double phase = (++placements * PHI_FRACTION) % 1.0;
        n.deadline = n.virtual + virtualOf(quantum * (1 + phase) / 2, n.weight);
        n.inBooks = true;
        book(n, 1);
        rebase();
    }

    /** Takes {@code n} out of the books, keeping its lag for when it comes back. */
    private void leave(Node n) {
        if (!n.inBooks) {
            return;
        }
        double limit = virtualOf(quantum, n.weight);
        n.savedLag = Math.max(-limit, Math.min(limit, zeroLag() - n.virtual));
        n.inBooks = false;
        book(n, -1);
    }

    /** Adds {@code n}'s weight and weighted virtual time to the sums V is the mean of ({@code sign} 1), or takes them out (-1). */
    private void book(Node n, int sign) {
        sumWeight += sign * n.weight;
        sumWeightedVirtual += sign * n.weight * (n.virtual - base);
        if (sumWeight == 0) {
            sumWeightedVirtual = 0; // no rounding left over when the books are empty
        }
    }

    /** Keeps the weighted sum's terms small: moves base to V once V has run far from it. */
    private void rebase() {
        if (sumWeight == 0) {
            return;
        }
        double shift = sumWeightedVirtual / sumWeight;
        if (Math.abs(shift) > 1e9) {
            base += shift;
            sumWeightedVirtual -= shift * sumWeight;
        }
    }

    Node node(SchedEntity e, long seq) {
        return new Node(e, seq);
    }

    /** {@code n} is runnable: charged for what it ran, placed if it was out of the books, queued. */
    void enqueue(Node n) {
        charge(n);
        if (!n.inBooks) {
            place(n);
        }
        insert(n);
    }

    private void insert(Node n) {
        if (!eligibility || n.virtual <= zeroLag()) {
            n.heap = 1;
            eligible.add(n);
        } else {
            n.heap = 2;
            waiting.add(n);
        }
    }

    private void remove(Node n) {
        if (n.heap == 1) {
            eligible.remove(n);
        } else if (n.heap == 2) {
            waiting.remove(n);
        }
        n.heap = 0;
    }

    /** Queued {@code n} leaves (it exits, or moves to another class). */
    void dequeue(Node n) {
        remove(n);
        charge(n);
        leave(n);
    }

    /** Running {@code n} blocked or exited, or moved to another class while it ran. */
    void stopped(Node n) {
        charge(n);
        leave(n);
    }

    /**
     * sched_yield: its current request counts as done, so the others' due turns come first. The
     * next turn is due one quantum after its virtual time, not one quantum after the deadline it
     * had: pushing the deadline a quantum on at every yield (as Linux 6.6's yield_task_fair does)
     * let two threads that spun on sched_yield while they waited build up unequal debts, and the
     * one that had yielded more then starved for seconds once both computed (measured with two
     * spinning threads: one ran 0 times in 1.5 s).
     */
    void yield(Node n) {
        charge(n);
        n.deadline = Math.max(n.deadline, n.virtual + virtualOf(quantum, n.weight));
        if (!n.inBooks) {
            place(n);
        }
        insert(n);
    }

    /** The task's weight changed (nice, policy): its lag is kept, rescaled to the new weight. */
    void reweight(Node n) {
        int w = Weights.of(n.entity);
        if (w == n.weight) {
            return;
        }
        if (!n.inBooks) {
            n.weight = w;
            return;
        }
        int queued = n.heap;
        remove(n);
        charge(n);
        double lagNanos = (zeroLag() - n.virtual) * n.weight;
        double remaining = (n.deadline - n.virtual) * n.weight;
        book(n, -1);
        n.weight = w;
        double lag = lagNanos / w;
        if (sumWeight > 0) { // as in place: V moves when it comes back, so its lag is scaled to stay the same
            lag = lag * (sumWeight + w) / sumWeight;
        }
        n.virtual = zeroLag() - lag;
        n.deadline = n.virtual + remaining / w;
        book(n, 1);
        if (queued != 0) {
            insert(n);
        }
    }

    /** The task to run next (removed from its heap when {@code take}), or null. */
    Node pick(boolean take) {
        double v = zeroLag();
        while (!waiting.isEmpty() && waiting.peek().virtual <= v) {
            Node n = waiting.poll();
            n.heap = 1;
            eligible.add(n);
        }
        if (eligibility) { // V can fall (a task left owing time): one no longer eligible waits again
            while (!eligible.isEmpty() && eligible.peek().virtual > v) {
                Node late = eligible.poll();
                late.heap = 2;
                waiting.add(late);
            }
        }
        PriorityQueue<Node> from = !eligible.isEmpty() ? eligible : waiting;
        Node n = take ? from.poll() : from.peek();
        if (take && n != null) {
            n.heap = 0;
        }
        return n;
    }

    boolean hasRunnable() {
        return !eligible.isEmpty() || !waiting.isEmpty();
    }

    /** How long {@code n} may run now: what is left of its request, at least {@link #MIN_SLICE_NANOS}. */
    long slice(Node n) {
        charge(n);
        double left = (n.deadline - n.virtual) * n.weight / Weights.NICE_0;
        return Math.max(MIN_SLICE_NANOS, (long) Math.ceil(left));
    }

    /** The lag of {@code n} in nanoseconds of CPU: what it is owed (positive) or has had too much (negative). */
    double lagNanos(Node n) {
        return n.inBooks ? (zeroLag() - n.virtual) * n.weight / Weights.NICE_0 : n.savedLag * n.weight / Weights.NICE_0;
    }
}
