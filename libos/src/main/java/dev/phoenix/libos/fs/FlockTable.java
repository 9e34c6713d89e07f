package dev.phoenix.libos.fs;

import dev.phoenix.libos.proc.PiChains;
import dev.phoenix.libos.proc.PiLock;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.libos.proc.WaitQueue;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * flock(2) locks: held by open file descriptions on an inode, so two opens of one file conflict
 * even in one process; released by LOCK_UN or when the description's last fd closes.
 *
 * <p>Tasks blocked in flock(2) lend their priority to the tasks that took the locks in their
 * way (issue 17: the LibOS locks guest tasks wait on inherit priority as futexes do): each
 * inode's locks are a {@link PiLock} whose owners are the tasks that took its current locks and
 * whose waiters are the tasks blocked on it. Linux has no such inheritance for file locks; it
 * keeps a real-time task from waiting behind a preempted holder all the same. A lock outlives
 * the task that took it when the description is shared (fork, dup): it then lends to nobody.
 * Locking: {@link PiChains#LOCK}, then this table's.
 */
public final class FlockTable {
    private static final int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;

    /** An inode's locks: their holders (exclusive or not, and the task that took each) and the tasks waiting. */
    private static final class Inode {
        final Map<OpenFile, Boolean> holders = new IdentityHashMap<>();
        final Map<OpenFile, Task> takers = new IdentityHashMap<>();
        final PiLock pi = new PiLock(false);
    }

    /** Each inode's locks, keyed by (dev, ino). @GuardedBy("this") */
    private final Map<List<Long>, Inode> locks = new HashMap<>();
    /** Where the tasks blocked in flock(2) wait: woken whenever a lock is given up. */
    private final WaitQueue released = new WaitQueue();

    /** True when {@code operation} (LOCK_SH, LOCK_EX or LOCK_UN, maybe with LOCK_NB) is valid. */
    public static boolean valid(int operation) {
        int op = operation & ~LOCK_NB;
        return op == LOCK_SH || op == LOCK_EX || op == LOCK_UN;
    }

    /** True when {@code operation} asks not to wait (LOCK_NB). */
    public static boolean nonBlocking(int operation) {
        return (operation & LOCK_NB) != 0;
    }

    private static List<Long> key(OpenFile file) {
        FileStatus st = file.status();
        return List.of(st.dev(), st.ino());
    }

    /**
     * Applies {@code operation} (a {@link #valid} one) for {@code file} on behalf of task
     * {@code by} (null: none to inherit); returns false, changing nothing, when another
     * description's lock conflicts.
     */
    public boolean tryLock(OpenFile file, int operation, Task by) {
        int op = operation & ~LOCK_NB;
        List<Long> key = key(file);
        boolean gaveUp;
        synchronized (PiChains.LOCK) {
            synchronized (this) {
                Inode inode = locks.computeIfAbsent(key, k -> new Inode());
                Map<OpenFile, Boolean> holders = inode.holders;
                if (op != LOCK_UN) {
                    boolean exclusive = op == LOCK_EX;
                    for (Map.Entry<OpenFile, Boolean> h : holders.entrySet()) {
                        if (h.getKey() != file && (exclusive || h.getValue())) {
                            return false;
                        }
                    }
                    Boolean was = holders.put(file, exclusive);
                    if (by != null) {
                        inode.takers.put(file, by);
                    }
                    // nothing was given up, unless a downgrade from LOCK_EX (its waiters are woken below)
                    gaveUp = was != null && was && !exclusive;
                } else {
                    gaveUp = holders.remove(file) != null;
                    inode.takers.remove(file);
                }
                syncOwners(key, inode);
            }
        }
        if (gaveUp || op == LOCK_UN) {
            wakeWaiters();
        }
        return true;
    }

    /**
     * Task {@code t} begins to wait for a lock on {@code file}'s inode: until {@link #endWait}
     * it lends its priority to the tasks holding that inode's locks. Nothing when it already
     * waits on a priority-inheritance lock.
     */
    public void beginWait(OpenFile file, Task t) {
        List<Long> key = key(file);
        synchronized (PiChains.LOCK) {
            if (t.pi.blockedOn() != null) {
                return;
            }
            PiLock pi;
            synchronized (this) {
                pi = locks.computeIfAbsent(key, k -> new Inode()).pi;
            }
            PiChains.enqueue(t, pi);
        }
    }

    /** Task {@code t}'s wait for a lock on {@code file}'s inode is over (it got it, or a signal came). */
    public void endWait(OpenFile file, Task t) {
        List<Long> key = key(file);
        synchronized (PiChains.LOCK) {
            synchronized (this) {
                Inode inode = locks.get(key);
                if (inode == null || t.pi.blockedOn() != inode.pi) {
                    return;
                }
                PiChains.dequeue(t);
                forgetIfUnused(key, inode);
            }
        }
    }

    /** The queue woken whenever a lock is given up: where a blocked flock(2) waits. */
    public WaitQueue released() {
        return released;
    }

    /** Drops every lock {@code file} holds (its last fd was closed). */
    public void release(OpenFile file) {
        synchronized (PiChains.LOCK) {
            synchronized (this) {
                for (Map.Entry<List<Long>, Inode> e : new ArrayList<>(locks.entrySet())) {
                    Inode inode = e.getValue();
                    if (inode.holders.remove(file) != null) {
                        inode.takers.remove(file);
                        syncOwners(e.getKey(), inode);
                    }
                }
            }
        }
        wakeWaiters();
    }

    /**
     * Makes the owners of {@code inode}'s priority-inheritance lock the live tasks that took its
     * locks now. Under {@link PiChains#LOCK} and this table's lock.
     */
    private void syncOwners(List<Long> key, Inode inode) {
        Set<Task> now = new LinkedHashSet<>();
        for (Task t : inode.takers.values()) {
            if (!t.exited) {
                now.add(t);
            }
        }
        for (Task o : inode.pi.owners()) {
            if (!now.contains(o)) {
                PiChains.removeOwner(inode.pi, o);
            }
        }
        for (Task t : now) {
            PiChains.addOwner(inode.pi, t);
        }
        forgetIfUnused(key, inode);
    }

    private void forgetIfUnused(List<Long> key, Inode inode) {
        if (inode.holders.isEmpty() && !inode.pi.hasWaiters()) {
            for (Task o : inode.pi.owners()) {
                PiChains.removeOwner(inode.pi, o);
            }
            locks.remove(key, inode);
        }
    }

    private void wakeWaiters() {
        released.wakeAll();
    }
}
