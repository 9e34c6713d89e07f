package dev.phoenix.sched;

import dev.phoenix.libos.sched.SchedEntity;
import dev.phoenix.libos.sched.Scheduler;

/**
 * Phoenix's scheduler: the real-time classes ({@link RealTime}: SCHED_FIFO and SCHED_RR, strict
 * priorities 1-99) always ahead of the fair class ({@link BeattyFair}: SCHED_OTHER, SCHED_BATCH,
 * SCHED_IDLE), as Linux's class order rt, fair. A task boosted by priority inheritance to a
 * real-time priority runs in the real-time class at that priority, as FIFO (Linux's
 * rt_mutex_setprio). A better real-time task that becomes runnable preempts the running task at
 * once; fair tasks wait for the running one's turn to end (issue 13's note measured what wakeup
 * preemption among fair tasks cost Go programs). Slices: none for FIFO (it runs until it blocks,
 * yields or a better task comes), {@link #RR_TIMESLICE_NANOS} for RR, the remaining request for
 * fair tasks.
 */
public final class ClassScheduler implements Scheduler {
    /** SCHED_RR's slice: Linux's RR_TIMESLICE, 100 ms (sched_rr_timeslice_ms). */
    public static final long RR_TIMESLICE_NANOS = 100_000_000L;

    private final RealTime rt = new RealTime();
    private final BeattyFair fair;
    private long entities;

    /** Per-entity state of both classes, kept in {@link SchedEntity#classData}. */
    static final class Node {
        /** The real-time queue it sits in, or -1. */
        int rtQueue = -1;
        final BeattyFair.Node fair;

        Node(BeattyFair.Node fair) {
            this.fair = fair;
        }
    }

    /** @param fairQuantumNanos the fair class's quantum: the request each fair turn makes */
    public ClassScheduler(long fairQuantumNanos) {
        this(fairQuantumNanos, true);
    }

    /** With {@code eligibility} false the fair class picks the earliest due turn alone (the harness's other rule). */
    ClassScheduler(long fairQuantumNanos, boolean eligibility) {
        this.fair = new BeattyFair(fairQuantumNanos, eligibility);
    }

    private Node node(SchedEntity e) {
        Object d = e.classData;
        if (d instanceof Node n) {
            return n;
        }
        Node n = new Node(fair.node(e, entities++));
        e.classData = n;
        return n;
    }

    @Override
    public void enqueue(SchedEntity e) {
        put(e, false);
    }

    private void put(SchedEntity e, boolean head) {
        if (e.isQueued()) {
            return;
        }
        Node n = node(e);
        e.setQueued(true);
        if (e.isRealTime()) {
            fair.stopped(n.fair); // out of the fair books while it runs as real-time
            rt.enqueue(e, n, head);
        } else {
            fair.enqueue(n.fair);
        }
    }

    @Override
    public void dequeue(SchedEntity e) {
        if (!e.isQueued()) {
            return;
        }
        Node n = node(e);
        e.setQueued(false);
        if (n.rtQueue >= 0) {
            rt.dequeue(e, n);
        } else {
            fair.dequeue(n.fair);
        }
    }

    @Override
    public SchedEntity pickNext() {
        SchedEntity e = rt.pick();
        if (e == null) {
            BeattyFair.Node f = fair.pick(true);
            e = f == null ? null : f.entity;
        }
        if (e != null) {
            e.setQueued(false);
        }
        return e;
    }

    @Override
    public SchedEntity peekNext() {
        SchedEntity e = rt.peek();
        if (e == null) {
            BeattyFair.Node f = fair.pick(false);
            e = f == null ? null : f.entity;
        }
        return e;
    }

    @Override
    public boolean hasRunnable() {
        return !rt.isEmpty() || fair.hasRunnable();
    }

    @Override
    public long sliceNanos(SchedEntity running) {
        if (running.isRealTime()) {
            return running.policy == SchedEntity.SCHED_RR && running.inheritedPrio >= running.normalPrio()
                    ? RR_TIMESLICE_NANOS : Long.MAX_VALUE;
        }
        return fair.slice(node(running).fair);
    }

    /** The slice sched_rr_get_interval(2) reports for {@code e}: RR's, 0 for FIFO, the fair request otherwise. */
    @Override
    public long rrIntervalNanos(SchedEntity e) {
        return switch (e.policy) {
            case SchedEntity.SCHED_RR -> RR_TIMESLICE_NANOS;
            case SchedEntity.SCHED_FIFO -> 0;
            default -> fair.quantum();
        };
    }

    @Override
    public void yield(SchedEntity running) {
        if (running.isQueued()) {
            return;
        }
        Node n = node(running);
        if (running.isRealTime()) {
            running.setQueued(true);
            fair.stopped(n.fair);
            rt.enqueue(running, n, false);
        } else {
            running.setQueued(true);
            fair.yield(n.fair);
        }
    }

    @Override
    public void preempted(SchedEntity running) {
        put(running, running.isRealTime());
    }

    @Override
    public void stopped(SchedEntity e) {
        fair.stopped(node(e).fair);
    }

    /**
     * A policy, priority, nice or inherited priority changed. A queued task moves to its new
     * queue: a real-time task whose priority got worse goes to the head of its new priority, one
     * that got better to the tail (Linux's __sched_setscheduler); a fair task keeps its lag at
     * its new weight.
     */
    @Override
    public void changed(SchedEntity e) {
        Node n = node(e);
        if (!e.isQueued()) {
            if (e.isRealTime()) {
                fair.stopped(n.fair);
            } else {
                fair.reweight(n.fair);
            }
            return;
        }
        int old = n.rtQueue >= 0 ? n.rtQueue : SchedEntity.MAX_RT_PRIO;
        if (n.rtQueue >= 0 && e.isRealTime() && e.prio() == old) {
            return;
        }
        if (n.rtQueue < 0 && !e.isRealTime()) {
            fair.reweight(n.fair);
            return;
        }
        dequeue(e);
        put(e, e.prio() > old);
    }

    @Override
    public boolean preempts(SchedEntity woken, SchedEntity running) {
        return woken.isRealTime() && woken.prio() < running.prio();
    }

    @Override
    public boolean othersWaiting(SchedEntity running) {
        if (!running.isRealTime()) {
            return hasRunnable();
        }
        int best = rt.bestPrio();
        int mine = running.prio();
        return best < mine || best == mine && sliceNanos(running) != Long.MAX_VALUE;
    }

    /** Fair tasks held back by their groups' bandwidth wait until the earliest throttle ends. */
    @Override
    public long throttledUntil() {
        return fair.throttledUntil();
    }

    /** The fair class's lag of {@code e} in nanoseconds (the fairness harness and /proc read it). */
    public double lagNanos(SchedEntity e) {
        return fair.lagNanos(node(e).fair);
    }
}
