package dev.phoenix.sched;

import dev.phoenix.libos.sched.SchedEntity;
import dev.phoenix.libos.sched.SchedGroup;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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
 *
 * <p><b>Groups</b> (the cgroup cpu controller, Linux's group scheduling). A task in a
 * {@link SchedGroup} is booked with an effective weight: its own weight times, for each group
 * from its own up, the group's shares over the weights in the books of that group (its tasks'
 * own weights and its booked child groups' shares). At the top the groups' shares compete with
 * the root's tasks' weights. In one flat set of books this gives each group the share of its
 * parent's CPU its shares ask for, whatever the number of tasks in it, as Linux's hierarchy of
 * cfs_rqs does, with the same lag bound as tasks alone. A task joining or leaving a group's
 * books changes the other tasks' effective weights in that group (and in the parent's, when the
 * group itself joins or leaves): they are reweighted, keeping their lags, O(tasks of the group).
 * A task's group is the one its entity names when it joins the books; a group's new shares are
 * seen when one of its tasks is enqueued next.
 *
 * <p><b>Bandwidth.</b> A task whose group (or a group above) is throttled by cpu.max leaves the
 * books when it would be picked (keeping its lag, as for a sleep) and waits aside until its
 * group's throttle ends, as Linux dequeues a throttled cfs_rq.
 */
final class BeattyFair {
    /** φ - 1: {@code frac(k·φ) = frac(k·PHI_FRACTION)}. */
    private static final double PHI_FRACTION = 0.6180339887498949;
    /** The shortest turn granted, so a tiny remaining request does not cost a switch per tick. */
    static final long MIN_SLICE_NANOS = 1_000_000;

    private final long quantum;
    /** Σ w and Σ w·(v - base) over the tasks in the books (queued and running); how many they are. */
    private double sumWeight;
    private int booked;
    private double sumWeightedVirtual;
    /** Subtracted from virtual times in the weighted sum, so it stays small and exact. */
    private double base;
    /** Placements so far: the k of the next golden-ratio phase. */
    private long placements;
    private final PriorityQueue<Node> eligible = new PriorityQueue<>(
            Comparator.<Node>comparingDouble(n -> n.deadline).thenComparingLong(n -> n.seq));
    private final PriorityQueue<Node> waiting = new PriorityQueue<>(
            Comparator.<Node>comparingDouble(n -> n.virtual).thenComparingLong(n -> n.seq));
    /** Queued tasks held back by their group's bandwidth, out of the books. */
    private final List<Node> throttled = new ArrayList<>();
    /** The books of each group this class has had tasks of. */
    private final Map<SchedGroup, Books> groups = new IdentityHashMap<>();

    /** What the books hold of one group: the weights of its booked tasks and child groups. */
    private static final class Books {
        final SchedGroup group;
        final Books parent;
        /** The group's shares as booked in its parent's sum. */
        long shares;
        /** Σ own weights of its booked tasks plus the shares of its booked child groups. */
        double sum;
        /** Booked tasks and child groups. */
        int count;
        final LinkedHashSet<Node> tasks = new LinkedHashSet<>();
        final LinkedHashSet<Books> children = new LinkedHashSet<>();

        Books(SchedGroup group, Books parent) {
            this.group = group;
            this.parent = parent;
            this.shares = group.shares();
        }
    }

    /** What this class keeps of one task. */
    static final class Node {
        final SchedEntity entity;
        final long seq;
        /** Virtual time: nanoseconds run, times 1024 over the weight, from where it was placed. */
        double virtual;
        /** When its current turn is due (virtual time): the end of its current request. */
        double deadline;
        /** Its effective weight in the books, and its own (nice) weight within its group. */
        double weight;
        int ownWeight;
        /** The books of the group it is booked in; null at the top. */
        Books books;
        /** The entity's runtimeNanos when last charged. */
        long charged;
        /**
         * Lag kept while it is out of the books, as (V - virtual)·weight: CPU time times 1024, so
         * it means the same when the task comes back at another effective weight (its group's
         * books changed meanwhile).
         */
        double savedLag;
        boolean inBooks;
        /** 0: in no heap; 1: eligible; 2: waiting; 3: throttled. */
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
        return booked == 0 ? base : base + sumWeightedVirtual / sumWeight;
    }

    /** A request of {@code nanos} of CPU in {@code n}'s virtual time. */
    private static double virtualOf(double nanos, double weight) {
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
        n.ownWeight = Weights.of(n.entity);
        SchedGroup g = n.entity.group;
        Books b = g == null ? null : books(g);
        n.weight = n.ownWeight;
        if (b != null) {
            Books top = join(b, n.ownWeight);
            reweightUnder(top); // the others' shares of the groups it joined
            n.weight = n.ownWeight * factor(b);
            b.tasks.add(n);
        }
        n.books = b;
        double v = zeroLag();
        double lag = n.savedLag / n.weight;
        if (booked > 0) { // placed at V - lag, the mean moves; scale so its lag after joining is the one it had
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
        n.savedLag = Math.max(-limit, Math.min(limit, zeroLag() - n.virtual)) * n.weight;
        n.inBooks = false;
        book(n, -1);
        Books b = n.books;
        if (b != null) {
            n.books = null;
            b.tasks.remove(n);
            reweightUnder(part(b, n.ownWeight));
        }
    }

    /** The books of group {@code g}, made on first use. */
    private Books books(SchedGroup g) {
        Books b = groups.get(g);
        if (b == null) {
            b = new Books(g, g.parent() == null ? null : books(g.parent()));
            groups.put(g, b);
        }
        return b;
    }

    /**
     * Adds own weight {@code w} to {@code b}'s books, and {@code b} to its parent's when it was
     * empty, and so on up. Returns the highest books whose sum changed: every task below it has
     * a new effective weight.
     */
    private static Books join(Books b, double w) {
        b.sum += w;
        if (b.count++ == 0 && b.parent != null) {
            b.shares = b.group.shares();
            b.parent.children.add(b);
            return join(b.parent, b.shares);
        }
        return b;
    }

    /** Takes own weight {@code w} out of {@code b}'s books, and {@code b} out of its parent's once empty. As {@link #join}. */
    private static Books part(Books b, double w) {
        if (--b.count == 0) {
            b.sum = 0; // no rounding left over
            if (b.parent != null) {
                b.parent.children.remove(b);
                return part(b.parent, b.shares);
            }
            return b;
        }
        b.sum -= w;
        return b;
    }

    /** What a task's own weight is multiplied by in {@code b}: each group's shares over its books' sum, up to the top. */
    private static double factor(Books b) {
        double f = 1;
        for (; b != null; b = b.parent) {
            f *= b.sum > 0 ? b.shares / b.sum : 1;
        }
        return f;
    }

    /** Gives every booked task of {@code top} and the groups below it its effective weight now. */
    private void reweightUnder(Books top) {
        double f = factor(top);
        for (Node t : top.tasks) {
            setWeight(t, t.ownWeight * f);
        }
        for (Books c : top.children) {
            reweightUnder(c);
        }
    }

    /**
     * A group's shares (cpu.weight) changed since it was booked: its parent's sum takes the new
     * shares and every task below the parent is reweighted.
     */
    private void sharesChanged(Books b) {
        for (; b != null; b = b.parent) {
            long now = b.group.shares();
            if (now != b.shares && b.count > 0) {
                long old = b.shares;
                b.shares = now;
                if (b.parent != null) {
                    b.parent.sum += now - old;
                    reweightUnder(b.parent);
                } else {
                    reweightUnder(b);
                }
            } else {
                b.shares = now;
            }
        }
    }

    /** Adds {@code n}'s weight and weighted virtual time to the sums V is the mean of ({@code sign} 1), or takes them out (-1). */
    private void book(Node n, int sign) {
        booked += sign;
        sumWeight += sign * n.weight;
        sumWeightedVirtual += sign * n.weight * (n.virtual - base);
        if (booked == 0) {
            sumWeight = 0;
            sumWeightedVirtual = 0; // no rounding left over when the books are empty
        }
    }

    /** Keeps the weighted sum's terms small: moves base to V once V has run far from it. */
    private void rebase() {
        if (booked == 0) {
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
        regroup(n);
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
        } else if (n.heap == 3) {
            throttled.remove(n);
        }
        n.heap = 0;
    }

    /**
     * Before {@code n} is queued: when its entity names another group than the one it is booked
     * in (its process moved) it leaves the books, to be placed in its new group's; a booked
     * group's new shares are taken in.
     */
    private void regroup(Node n) {
        if (!n.inBooks) {
            return;
        }
        SchedGroup g = n.entity.group;
        Books b = n.books;
        if ((b == null ? null : b.group) != g) {
            leave(n);
        } else if (b != null) {
            sharesChanged(b);
        }
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
        regroup(n);
        n.deadline = Math.max(n.deadline, n.virtual + virtualOf(quantum, n.weight));
        if (!n.inBooks) {
            place(n);
        }
        insert(n);
    }

    /** The task's weight changed (nice, policy): its lag is kept, rescaled to the new weight. */
    void reweight(Node n) {
        int w = Weights.of(n.entity);
        if (w == n.ownWeight) {
            return;
        }
        if (!n.inBooks) {
            n.ownWeight = w;
            n.weight = w;
            return;
        }
        Books b = n.books;
        if (b == null) {
            n.ownWeight = w;
            setWeight(n, w);
            return;
        }
        b.sum += w - n.ownWeight; // the others of its group get a new share too
        n.ownWeight = w;
        reweightUnder(b);
    }

    /** Booked {@code n} gets effective weight {@code w}, its lag and what is left of its request kept in nanoseconds. */
    private void setWeight(Node n, double w) {
        if (Math.abs(w - n.weight) <= 1e-9 * w) {
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
        if (booked > 0) { // as in place: V moves when it comes back, so its lag is scaled to stay the same
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
        if (!throttled.isEmpty()) {
            release();
        }
        while (true) {
            Node n = pickBooked(take);
            if (n == null) {
                return null;
            }
            SchedGroup g = n.entity.group;
            if (g == null || g.throttledUntil() == 0) {
                return n;
            }
            if (n.heap != 0) { // held back by cpu.max: aside, out of the books, until the period ends
                remove(n);
            }
            leave(n);
            n.heap = 3;
            throttled.add(n);
        }
    }

    /** Tasks set aside whose groups' throttles have ended go back into the books. */
    private void release() {
        for (Node n : throttled.toArray(new Node[0])) {
            if (n.entity.group == null || n.entity.group.throttledUntil() == 0) {
                throttled.remove(n);
                n.heap = 0;
                place(n);
                insert(n);
            }
        }
    }

    /** When the earliest task set aside by its group's bandwidth may run again (0: now); Long.MAX_VALUE for none. */
    long throttledUntil() {
        long earliest = Long.MAX_VALUE;
        for (Node n : throttled) {
            SchedGroup g = n.entity.group;
            earliest = Math.min(earliest, g == null ? 0 : g.throttledUntil());
        }
        return earliest;
    }

    /** The earliest due turn among the booked tasks (removed from its heap when {@code take}), or null. */
    private Node pickBooked(boolean take) {
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
        return pick(false) != null;
    }

    /** How long {@code n} may run now: what is left of its request, at least {@link #MIN_SLICE_NANOS}. */
    long slice(Node n) {
        charge(n);
        double left = (n.deadline - n.virtual) * n.weight / Weights.NICE_0;
        return Math.max(MIN_SLICE_NANOS, (long) Math.ceil(left));
    }

    /** The lag of {@code n} in nanoseconds of CPU: what it is owed (positive) or has had too much (negative). */
    double lagNanos(Node n) {
        return n.inBooks ? (zeroLag() - n.virtual) * n.weight / Weights.NICE_0 : n.savedLag / Weights.NICE_0;
    }
}
