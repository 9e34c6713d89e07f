package dev.phoenix.libos.proc;

import java.util.ArrayList;
import java.util.List;

/**
 * A lock whose blocked tasks lend their priority to the tasks that hold it: what Linux's
 * rt_mutex is to a PI futex's pi_state (kernel/locking/rtmutex.c), and what Phoenix makes of the
 * LibOS locks guest tasks wait on (flock(2)). A futex's has one owner; a file lock held shared has
 * several. The waiters are kept in the order they came; the top waiter is the one of the best
 * priority ({@link dev.phoenix.libos.sched.SchedEntity#prio()}, lower is better), the earliest among
 * equals, as rt_mutex_waiter_less orders Linux's waiter tree. Everything here is guarded by
 * {@link PiChains#LOCK}; {@link PiChains} changes it and walks the chains.
 */
public class PiLock {
    /** Tasks blocked on the lock, in the order they came. @GuardedBy("PiChains.LOCK") */
    final ArrayList<Task> waiters = new ArrayList<>(2);
    /** The tasks that hold it and inherit from its waiters. @GuardedBy("PiChains.LOCK") */
    final ArrayList<Task> owners = new ArrayList<>(1);
    /**
     * Whether a wait that would close a cycle of owners and waiters is refused (EDEADLK), as
     * Linux's futex chain walk does (RT_MUTEX_FULL_CHAINWALK); flock(2) has no such check.
     */
    final boolean detectsDeadlock;

    public PiLock(boolean detectsDeadlock) {
        this.detectsDeadlock = detectsDeadlock;
    }

    /** The waiter of the best priority, the earliest among equals; null when none waits. Under {@link PiChains#LOCK}. */
    public Task topWaiter() {
        Task top = null;
        int best = Integer.MAX_VALUE;
        for (Task w : waiters) {
            int p = w.sched.prio();
            if (top == null || p < best) {
                top = w;
                best = p;
            }
        }
        return top;
    }

    /** True while some task waits. Under {@link PiChains#LOCK}. */
    public boolean hasWaiters() {
        return !waiters.isEmpty();
    }

    /** A copy of the waiters in the order they came. Under {@link PiChains#LOCK}. */
    public List<Task> waiters() {
        return List.copyOf(waiters);
    }

    /** A copy of the owners. Under {@link PiChains#LOCK}. */
    public List<Task> owners() {
        return List.copyOf(owners);
    }

    /** The best priority a waiter other than {@code owner} lends, or NO_PRIO. */
    int lentTo(Task owner) {
        int best = dev.phoenix.libos.sched.SchedEntity.NO_PRIO;
        for (Task w : waiters) {
            if (w != owner) {
                best = Math.min(best, w.sched.prio());
            }
        }
        return best;
    }
}
