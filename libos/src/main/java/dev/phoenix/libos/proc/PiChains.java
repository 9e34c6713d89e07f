package dev.phoenix.libos.proc;

import dev.phoenix.libos.sched.SchedEntity;
import java.util.ArrayDeque;

/**
 * Priority inheritance across chains of {@link PiLock}s, as Linux's rt_mutex_adjust_prio_chain
 * does it (kernel/locking/rtmutex.c; Documentation/locking/rt-mutex-design.rst): a task blocked
 * on a lock lends its priority to the lock's owners ({@link SchedEntity#inheritedPrio} is the
 * best priority of the waiters of the locks a task holds), and when an owner is itself blocked
 * on another lock the change travels on to that lock's owners, at most {@link #MAX_LOCK_DEPTH}
 * steps (Linux's max_lock_depth). Whatever changes a waiter set, an owner or a blocked task's
 * priority comes through here, and every task whose inherited priority changes is moved by its
 * run queue ({@link RunQueue#priorityChanged}), which preempts the running task when it must.
 *
 * <p>One lock, {@link #LOCK}, guards every {@link PiLock}, every {@link TaskPiState} and the PI
 * futex states: a chain may cross processes (a PI futex in shared memory, a file lock), whose
 * runners are different host threads, and Linux's own per-lock locking with its chain-walk
 * retries is not worth its cost here. It comes first in the lock order of package
 * {@code proc}: before the kernel's process table (a PI futex's owner is looked up by TID), a
 * flock table's, the futex table's, a wait queue's and a run queue's; no code may call in here
 * while holding one of those.
 */
public final class PiChains {
    private PiChains() {}

    /** Guards all priority-inheritance state. */
    public static final Object LOCK = new Object();
    /** Linux's max_lock_depth: a longer chain is not followed further (and a wait that makes one is a deadlock). */
    public static final int MAX_LOCK_DEPTH = 1024;

    /**
     * {@code waiter} blocks on {@code lock}: it joins the waiters and lends its priority along
     * the chain of owners. Returns false, changing nothing, when the lock detects deadlocks and
     * the chain of owners leads back to {@code waiter} or is longer than {@link #MAX_LOCK_DEPTH}
     * (Linux's EDEADLK). Under {@link #LOCK}.
     */
    public static boolean enqueue(Task waiter, PiLock lock) {
        if (waiter.pi.blockedOn != null) {
            throw new IllegalStateException("task " + waiter.tid() + " already waits on a PI lock");
        }
        if (lock.detectsDeadlock && leadsTo(lock, waiter)) {
            return false;
        }
        lock.waiters.add(waiter);
        waiter.pi.blockedOn = lock;
        adjustOwners(lock, waiter);
        return true;
    }

    /**
     * True when following the owners of {@code lock} and the locks they are blocked on comes
     * back to {@code waiter}, or goes deeper than {@link #MAX_LOCK_DEPTH} (Linux reports both
     * as EDEADLK).
     */
    static boolean leadsTo(PiLock lock, Task waiter) {
        ArrayDeque<PiLock> work = new ArrayDeque<>();
        work.add(lock);
        for (int steps = 0; !work.isEmpty(); steps++) {
            if (steps >= MAX_LOCK_DEPTH) {
                return true;
            }
            PiLock l = work.poll();
            for (Task o : l.owners) {
                if (o == waiter) {
                    return true;
                }
                if (o.pi.blockedOn != null) {
                    work.add(o.pi.blockedOn);
                }
            }
        }
        return false;
    }

    /**
     * {@code waiter} stops waiting (the lock was handed to it, or its wait timed out, was
     * interrupted, or it died): the owners it lent to take their priority back. Under
     * {@link #LOCK}; nothing when it waits on nothing.
     */
    public static void dequeue(Task waiter) {
        PiLock lock = waiter.pi.blockedOn;
        if (lock == null) {
            return;
        }
        lock.waiters.remove(waiter);
        waiter.pi.blockedOn = null;
        adjustOwners(lock, waiter);
    }

    /** {@code owner} now holds {@code lock} and inherits from its waiters. Under {@link #LOCK}. */
    public static void addOwner(PiLock lock, Task owner) {
        if (!lock.owners.contains(owner)) {
            lock.owners.add(owner);
            owner.pi.held.add(lock);
        }
        adjust(owner);
    }

    /** {@code owner} let go of {@code lock}: it no longer inherits from its waiters. Under {@link #LOCK}. */
    public static void removeOwner(PiLock lock, Task owner) {
        if (lock.owners.remove(owner)) {
            owner.pi.held.remove(lock);
            adjust(owner);
        }
    }

    /**
     * Hands {@code lock} from {@code from} (null: no owner) to its waiter {@code to}, which
     * stops waiting and owns it, inheriting from the waiters left, as Linux's unlock hands a PI
     * futex to its top waiter (wake_futex_pi). Under {@link #LOCK}.
     */
    public static void handOver(PiLock lock, Task from, Task to) {
        if (from != null) {
            removeOwner(lock, from);
        }
        dequeue(to);
        addOwner(lock, to);
    }

    /**
     * {@code t}'s own priority changed (sched_setscheduler(2), sched_setattr(2), nice(2),
     * setpriority(2)): when it is blocked on a PI lock, the owners it lends to inherit its new
     * priority, along the whole chain. The caller tells {@code t}'s own run queue
     * ({@link RunQueue#priorityChanged}) as for any priority change; this does the rest. Takes
     * {@link #LOCK}: call it holding no run queue's or wait queue's lock.
     */
    public static void priorityChanged(Task t) {
        synchronized (LOCK) {
            PiLock lock = t.pi.blockedOn;
            if (lock != null) {
                adjustOwners(lock, t);
            }
        }
    }

    /**
     * {@code t} has exited: it waits on nothing any more and holds nothing (the PI futexes it
     * held must have been handed over first, which needs their words). Under {@link #LOCK}.
     */
    public static void exited(Task t) {
        dequeue(t);
        for (PiLock l : t.pi.held.toArray(new PiLock[0])) {
            removeOwner(l, t);
        }
    }

    private static void adjustOwners(PiLock lock, Task except) {
        for (Task o : lock.owners.toArray(new Task[0])) {
            if (o != except) {
                adjust(o);
            }
        }
    }

    /**
     * Recomputes {@code start}'s inherited priority from the waiters of the locks it holds and,
     * where it changed, tells its run queue and goes on to the owners of the lock it is blocked
     * on (Linux's rt_mutex_adjust_prio_chain), at most {@link #MAX_LOCK_DEPTH} tasks in all: a
     * chain that closes on itself (two flock holders waiting for each other) ends there.
     */
    static void adjust(Task start) {
        ArrayDeque<Task> work = new ArrayDeque<>();
        work.add(start);
        for (int steps = 0; !work.isEmpty() && steps < MAX_LOCK_DEPTH; steps++) {
            Task t = work.poll();
            int best = SchedEntity.NO_PRIO;
            for (PiLock l : t.pi.held) {
                best = Math.min(best, l.lentTo(t));
            }
            if (best == t.sched.inheritedPrio) {
                continue; // nothing changes from here on
            }
            t.sched.inheritedPrio = best;
            RunQueue q = t.runQueue();
            if (q != null && t.state() != RunQueue.State.DEAD) {
                q.priorityChanged(t);
            }
            PiLock next = t.pi.blockedOn;
            if (next != null) {
                for (Task o : next.owners) {
                    if (o != t) {
                        work.add(o);
                    }
                }
            }
        }
    }
}
