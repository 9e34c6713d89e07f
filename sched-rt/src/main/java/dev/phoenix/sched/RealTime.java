package dev.phoenix.sched;

import dev.phoenix.libos.sched.SchedEntity;
import java.util.ArrayDeque;

/**
 * The real-time classes, SCHED_FIFO and SCHED_RR (sched(7)): one first-in-first-out queue per
 * priority and a bitmap of the non-empty ones, as Linux's rt_prio_array, so picking the best is
 * a count of trailing zeros. Queues are indexed by kernel priority (0 is real-time priority 99);
 * an entity boosted by priority inheritance sits at its inherited priority. The two policies
 * differ only in their slices, which {@link ClassScheduler} decides.
 */
final class RealTime {
    private final ArrayDeque<SchedEntity>[] queues;
    /** Bit p set when queue p is not empty (p in 0..99, over two words). */
    private long low, high;
    private int size;

    @SuppressWarnings("unchecked")
    RealTime() {
        queues = new ArrayDeque[SchedEntity.MAX_RT_PRIO];
    }

    /** Queues {@code e} at the priority it runs at now: at the head when {@code head} (a preempted task). */
    void enqueue(SchedEntity e, ClassScheduler.Node n, boolean head) {
        int p = e.prio();
        ArrayDeque<SchedEntity> q = queues[p];
        if (q == null) {
            q = queues[p] = new ArrayDeque<>();
        }
        if (head) {
            q.addFirst(e);
        } else {
            q.addLast(e);
        }
        n.rtQueue = p;
        mark(p, true);
        size++;
    }

    /** Takes queued {@code e} out of the queue it was put in. */
    void dequeue(SchedEntity e, ClassScheduler.Node n) {
        int p = n.rtQueue;
        ArrayDeque<SchedEntity> q = queues[p];
        q.remove(e);
        n.rtQueue = -1;
        size--;
        if (q.isEmpty()) {
            mark(p, false);
        }
    }

    /** The best queued priority, or {@link SchedEntity#MAX_RT_PRIO} when none is queued. */
    int bestPrio() {
        if (low != 0) {
            return Long.numberOfTrailingZeros(low);
        }
        return high != 0 ? 64 + Long.numberOfTrailingZeros(high) : SchedEntity.MAX_RT_PRIO;
    }

    SchedEntity peek() {
        int p = bestPrio();
        return p == SchedEntity.MAX_RT_PRIO ? null : queues[p].peekFirst();
    }

    /** Removes and returns the first entity of the best priority, or null. */
    SchedEntity pick() {
        int p = bestPrio();
        if (p == SchedEntity.MAX_RT_PRIO) {
            return null;
        }
        ArrayDeque<SchedEntity> q = queues[p];
        SchedEntity e = q.pollFirst();
        ((ClassScheduler.Node) e.classData).rtQueue = -1;
        size--;
        if (q.isEmpty()) {
            mark(p, false);
        }
        return e;
    }

    boolean isEmpty() {
        return size == 0;
    }

    private void mark(int p, boolean set) {
        if (p < 64) {
            low = set ? low | 1L << p : low & ~(1L << p);
        } else {
            high = set ? high | 1L << (p - 64) : high & ~(1L << (p - 64));
        }
    }
}
