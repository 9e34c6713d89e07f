package dev.phoenix.libos.ns;

import java.util.HashMap;
import java.util.Map;

/**
 * A PID namespace (pid_namespaces(7)). Every task has one kernel-wide id, the id it has in the
 * initial namespace (Phoenix's process table is keyed by it); a task made in a namespace below
 * the initial one also gets a number in that namespace and in each of its ancestors, counted from
 * 1 in each (Linux's {@code struct upid} per level). {@link #nr} and {@link #global} translate
 * between the two; in the initial namespace both are the identity, so a run without PID
 * namespaces pays one comparison.
 *
 * <p>The task numbered 1 is the namespace's init: it reaps the orphans of the namespace, it gets
 * only the signals it has handlers for from inside, and when it dies every other process of the
 * namespace is killed and no new one may be made in it (fork fails with ENOMEM).
 */
public final class PidNamespace extends Namespace {
    /** Linux's MAX_PID_NS_LEVEL. */
    public static final int MAX_LEVEL = 32;

    private final PidNamespace parent;
    private final int level;
    /** @GuardedBy("this") */
    private final Map<Integer, Integer> localOfGlobal = new HashMap<>(), globalOfLocal = new HashMap<>();
    /** @GuardedBy("this") */
    private int next;
    /** The kernel-wide id of this namespace's init, or 0 before it exists. @GuardedBy("this") */
    private int initGlobal;
    /** Set when init has died: the namespace takes no new tasks. @GuardedBy("this") */
    private boolean dead;

    private PidNamespace(UserNamespace owner, PidNamespace parent) {
        super(NsKind.PID, owner, parent == null);
        this.parent = parent;
        this.level = parent == null ? 0 : parent.level + 1;
    }

    /** The initial PID namespace. */
    public static PidNamespace initial(UserNamespace owner) {
        return new PidNamespace(owner, null);
    }

    /** A child namespace owned by {@code owner}, or null past {@link #MAX_LEVEL} (clone's ENOSPC). */
    public PidNamespace child(UserNamespace owner) {
        return level + 1 > MAX_LEVEL ? null : new PidNamespace(owner, this);
    }

    public PidNamespace parent() {
        return parent;
    }

    public int level() {
        return level;
    }

    public boolean isInitial() {
        return parent == null;
    }

    /** Whether this namespace is {@code ancestor} or a descendant of it. */
    public boolean isWithin(PidNamespace ancestor) {
        for (PidNamespace n = this; n != null; n = n.parent) {
            if (n == ancestor) {
                return true;
            }
        }
        return false;
    }

    /**
     * Numbers the new task {@code global} in this namespace and every ancestor below the initial
     * one. False, numbering nothing, when one of them has lost its init (fork's ENOMEM).
     */
    public boolean attach(int global) {
        for (PidNamespace n = this; n.parent != null; n = n.parent) {
            synchronized (n) {
                if (n.dead) {
                    detachBelow(n, global);
                    return false;
                }
                int local = ++n.next;
                n.localOfGlobal.put(global, local);
                n.globalOfLocal.put(local, global);
                if (local == 1) {
                    n.initGlobal = global;
                }
            }
        }
        return true;
    }

    private void detachBelow(PidNamespace stop, int global) {
        for (PidNamespace n = this; n != stop; n = n.parent) {
            n.forget(global);
        }
    }

    /** Forgets a reaped task's numbers in this namespace and its ancestors. */
    public void detach(int global) {
        for (PidNamespace n = this; n.parent != null; n = n.parent) {
            n.forget(global);
        }
    }

    private synchronized void forget(int global) {
        Integer local = localOfGlobal.remove(global);
        if (local != null) {
            globalOfLocal.remove(local);
        }
    }

    /** The number the task with kernel-wide id {@code global} has here, or 0 when it is not visible here. */
    public int nr(int global) {
        if (parent == null || global <= 0) {
            return global;
        }
        synchronized (this) {
            Integer local = localOfGlobal.get(global);
            return local == null ? 0 : local;
        }
    }

    /** The kernel-wide id of the task numbered {@code local} here, or 0 when there is none. */
    public int global(int local) {
        if (parent == null || local <= 0) {
            return local;
        }
        synchronized (this) {
            Integer g = globalOfLocal.get(local);
            return g == null ? 0 : g;
        }
    }

    /** The kernel-wide id of this namespace's init (the initial namespace's: 0, Phoenix itself). */
    public synchronized int initGlobal() {
        return initGlobal;
    }

    /** Marks the namespace dead (its init exited): no task may join it any more. */
    public synchronized void kill() {
        dead = true;
    }

    public synchronized boolean isDead() {
        return dead;
    }

    /** The number of tasks numbered here, for tests and /proc. */
    public synchronized int size() {
        return parent == null ? -1 : localOfGlobal.size();
    }
}
