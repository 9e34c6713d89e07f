package dev.phoenix.libos.proc;

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
 * one runner thread (DESIGN.md, "Tasks"). Lock order: the table's lock, then a queue's.
 */
public final class FutexTable {
    private record Key(Object space, long address) {}

    /** @GuardedBy("this") */
    private final Map<Key, WaitQueue> queues = new HashMap<>();

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

    /** FUTEX_WAKE: wakes up to {@code n} waiters whose bitset meets {@code bitset}; returns how many. */
    public int wake(Object space, long address, int n, int bitset) {
        WaitQueue q = existing(space, address);
        if (q == null || n <= 0) {
            return 0;
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
        WaitQueue q = existing(space, from);
        if (q == null) {
            return 0;
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
