package dev.phoenix.libos.proc;

import dev.phoenix.libos.Errno;
import java.util.HashMap;
import java.util.Map;

/**
 * The futex wait queues of a kernel, keyed as Linux keys them: a futex in private memory by its
 * address space and address, one in memory shared between address spaces by the memory itself
 * (the caller gives the key's two parts). Queues live while someone waits on them: a wake or a
 * requeue that empties one forgets it, and so does the last waiter leaving it by itself (a
 * timeout, a signal, or a woken waiter whose futex(2) ran again and looked its queue up anew).
 * A queue forgotten between a task's lookup and its joining it would lose that task's wakes; that
 * cannot happen while the lookups, joins and wakes of one address space's futexes all run on its
 * one runner thread (DESIGN.md, "Tasks"). The table also holds the {@link FutexPiState}s of
 * contended PI futexes, under {@link PiChains#LOCK}. Lock order: {@link PiChains#LOCK}, the
 * table's lock, then a queue's.
 */
public final class FutexTable {
    private record Key(Object space, long address) {}

    /** @GuardedBy("this") */
    private final Map<Key, WaitQueue> queues = new HashMap<>();
    /**
     * The states of contended PI futexes: changed under {@link PiChains#LOCK}, read without it
     * by the wakes that must refuse a PI futex (a rare mistake, not worth a lock on every wake).
     */
    private final Map<Key, FutexPiState> piStates = new java.util.concurrent.ConcurrentHashMap<>();

    /** The queue of futex ({@code space}, {@code address}), made if nobody waits there yet. */
    public synchronized WaitQueue queue(Object space, long address) {
        return queues.computeIfAbsent(new Key(space, address), k -> new WaitQueue(q -> forgetIfEmpty(k, q), address));
    }

    private synchronized WaitQueue existing(Object space, long address) {
        return queues.get(new Key(space, address));
    }

    private synchronized void forgetIfEmpty(Key key, WaitQueue q) {
        if (q.isEmpty()) {
            queues.remove(key, q);
        }
    }

    /** The queue of futex ({@code space}, {@code address}) if someone waits there, else null. */
    public WaitQueue existingQueue(Object space, long address) {
        return existing(space, address);
    }

    /** The PI state of futex ({@code space}, {@code address}) while tasks wait for it, else null. */
    public FutexPiState piState(Object space, long address) {
        return piStates.get(new Key(space, address));
    }

    /** Records {@code s} as its futex's PI state. Under {@link PiChains#LOCK}. */
    public void addPiState(FutexPiState s) {
        piStates.put(new Key(s.space(), s.address()), s);
    }

    /**
     * Forgets {@code s} once nobody waits on it: the owner it had inherits nothing from it any
     * more. Under {@link PiChains#LOCK}.
     */
    public void dropPiStateIfUnused(FutexPiState s) {
        if (!s.hasWaiters()) {
            piStates.remove(new Key(s.space(), s.address()), s);
            Task owner = s.owner();
            if (owner != null) {
                PiChains.removeOwner(s, owner);
            }
        }
    }

    /**
     * True when a waiter of {@code q} waits in FUTEX_WAIT_REQUEUE_PI: Linux's futex_wake and
     * futex_requeue refuse such a futex (EINVAL), only FUTEX_CMP_REQUEUE_PI may move them.
     */
    private static boolean hasRequeuePiWaiter(WaitQueue q) {
        for (Task t : q.waiting()) {
            if (t.pi.requeueState == TaskPiState.REQUEUE_ON_FUTEX) {
                return true;
            }
        }
        return false;
    }

    /**
     * FUTEX_WAKE: wakes up to {@code n} waiters whose bitset meets {@code bitset}; returns how
     * many. EINVAL (thrown) when the futex is a PI futex tasks wait on, or one whose waiters
     * wait in FUTEX_WAIT_REQUEUE_PI, as Linux's futex_wake refuses futex_qs with a pi_state or an
     * rt_waiter.
     */
    public int wake(Object space, long address, int n, int bitset) {
        FutexPiState pi = piStates.isEmpty() ? null : piState(space, address);
        if (pi != null && pi.hasWaiters()) {
            throw Errno.of(Errno.EINVAL);
        }
        WaitQueue q = existing(space, address);
        if (q == null || n <= 0) {
            return 0;
        }
        if (hasRequeuePiWaiter(q)) {
            throw Errno.of(Errno.EINVAL);
        }
        int woken = q.wake(n, bitset);
        forgetIfEmpty(new Key(space, address), q);
        return woken;
    }

    /**
     * FUTEX_REQUEUE: wakes up to {@code nWake} waiters of the first futex and moves up to
     * {@code nMove} of the rest to the second; returns how many it woke plus how many it moved.
     */
    public int requeue(Object space, long from, Object space2, long to, int nWake, int nMove) {
        FutexPiState pi = piStates.isEmpty() ? null : piState(space, from);
        if (pi != null && pi.hasWaiters()) {
            throw Errno.of(Errno.EINVAL);
        }
        WaitQueue q = existing(space, from);
        if (q == null) {
            return 0;
        }
        if (hasRequeuePiWaiter(q)) {
            throw Errno.of(Errno.EINVAL);
        }
        int woken = nWake > 0 ? q.wake(nWake, -1) : 0;
        int moved = 0;
        if (nMove > 0 && !q.isEmpty()) {
            moved = q.requeue(queue(space2, to), nMove);
        }
        forgetIfEmpty(new Key(space, from), q);
        return woken + moved;
    }

    /** Futexes someone waits on (for tests and /proc figures). */
    public synchronized int size() {
        return queues.size();
    }
}
