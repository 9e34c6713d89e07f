package dev.phoenix.libos.proc;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;

/**
 * Tasks waiting for one thing (data in a pipe, a futex word, a descriptor's readiness), in the
 * order they began to wait. A task may wait on several queues at once (poll, futex_waitv): a wake
 * from one takes it off that one and makes it run again, and it leaves the others itself when its
 * wait ends (until then a wake of another still counts it, as Linux's futex_waitv waiter stays
 * queued on its other futexes until futex_unqueue_multiple). Any thread may wake a queue. Lock
 * order: a queue's lock, then a run queue's; a queue never takes another queue's lock while
 * holding its own.
 */
public final class WaitQueue {
    /** @GuardedBy("this") */
    private final LinkedHashSet<Task> waiters = new LinkedHashSet<>();
    /** Wakes so far: an edge-triggered epoll reports a ready file again only after a new one. */
    private volatile long generation;
    /** Told, outside this queue's lock, when its last waiter stops waiting of its own accord; or null. */
    private final Consumer<WaitQueue> emptied;
    /** What the queue waits for, as its owner names it (a futex's address), or 0. */
    private final long address;

    public WaitQueue() {
        this(null, 0);
    }

    /** The address a futex queue stands for (0 for other queues): futex_waitv answers which word woke it. */
    public long address() {
        return address;
    }

    /**
     * A queue whose owner hears when the last waiter leaves by itself (its wait ended by a
     * signal, a deadline, or after a wake once the task ran again): a futex table then forgets it.
     */
    WaitQueue(Consumer<WaitQueue> emptied, long address) {
        this.emptied = emptied;
        this.address = address;
    }

    /** How many times the queue has been woken (whether anyone waited or not). */
    public long generation() {
        return generation;
    }

    /** Adds {@code t} (it waits here until woken or it stops waiting). */
    void add(Task t) {
        synchronized (this) {
            waiters.add(t);
        }
    }

    /** Takes {@code t} off the queue, if it is on it. */
    void remove(Task t) {
        boolean last;
        synchronized (this) {
            last = waiters.remove(t) && waiters.isEmpty();
        }
        if (last && emptied != null) {
            emptied.accept(this);
        }
    }

    /** True when nobody waits. */
    public synchronized boolean isEmpty() {
        return waiters.isEmpty();
    }

    /** The number of tasks waiting. */
    public synchronized int size() {
        return waiters.size();
    }

    /** Wakes every waiter; returns how many. */
    public int wakeAll() {
        return wake(Integer.MAX_VALUE, -1);
    }

    /**
     * Wakes up to {@code n} waiters, oldest first, whose wait bitset ({@link Task#waitBitset})
     * shares a bit with {@code bitset} (-1: any); returns how many it woke.
     */
    public int wake(int n, int bitset) {
        generation++; // the runner thread or one waker at a time: a lost count only costs an event
        List<Task> woken = take(n, bitset);
        for (Task t : woken) {
            t.wokenFromQueue(this);
        }
        return woken.size();
    }

    /**
     * Removes and returns up to {@code n} waiters matching {@code bitset}, oldest first; on a
     * futex queue real-time waiters go first, by priority, as Linux's futex hash bucket is a plist
     * keyed by min(normal_prio, MAX_RT_PRIO), so every fair waiter ranks alike.
     */
    private List<Task> take(int n, int bitset) {
        List<Task> out = new ArrayList<>();
        synchronized (this) {
            if (emptied != null && anyRealTime()) {
                while (out.size() < n) {
                    Task best = null;
                    int bestPrio = Integer.MAX_VALUE;
                    for (Task t : waiters) {
                        int p = Math.min(t.sched.normalPrio(), dev.phoenix.libos.sched.SchedEntity.MAX_RT_PRIO);
                        if ((t.waitBitset & bitset) != 0 && p < bestPrio) {
                            best = t;
                            bestPrio = p;
                        }
                    }
                    if (best == null) {
                        break;
                    }
                    waiters.remove(best);
                    out.add(best);
                }
                return out;
            }
            for (Iterator<Task> it = waiters.iterator(); it.hasNext() && out.size() < n;) {
                Task t = it.next();
                if ((t.waitBitset & bitset) != 0) {
                    it.remove();
                    out.add(t);
                }
            }
        }
        return out;
    }

    /** @GuardedBy("this") True when a waiter is real-time by its own policy. */
    private boolean anyRealTime() {
        for (Task t : waiters) {
            if (t.sched.normalPrio() < dev.phoenix.libos.sched.SchedEntity.MAX_RT_PRIO) {
                return true;
            }
        }
        return false;
    }

    /** The tasks waiting, oldest first (a copy). */
    public synchronized List<Task> waiting() {
        return new ArrayList<>(waiters);
    }

    /**
     * Moves waiting {@code t} alone to {@code to} without waking it (FUTEX_CMP_REQUEUE_PI moves a
     * waiter to the PI futex); false when {@code t} does not wait here. Leaving this queue empty
     * tells its owner, as a waiter leaving by itself does.
     */
    boolean move(Task t, WaitQueue to) {
        boolean last;
        synchronized (this) {
            if (!waiters.remove(t)) {
                return false;
            }
            last = waiters.isEmpty();
        }
        t.movedQueue(this, to);
        if (last && emptied != null) {
            emptied.accept(this);
        }
        return true;
    }

    /**
     * Moves up to {@code n} waiters (oldest first) to {@code to} without waking them
     * (FUTEX_REQUEUE); returns how many moved.
     */
    public int requeue(WaitQueue to, int n) {
        List<Task> moved = take(n, -1);
        for (Task t : moved) {
            t.movedQueue(this, to);
        }
        return moved.size();
    }
}
