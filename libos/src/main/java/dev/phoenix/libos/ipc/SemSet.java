package dev.phoenix.libos.ipc;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.Task;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A System V semaphore set (semget(2), Linux's ipc/sem.c {@code sem_array}): its values, the
 * pid of the last operation on each, the tasks waiting in semop (for GETNCNT and GETZCNT) and
 * the SEM_UNDO adjustments processes hold on it.
 */
public final class SemSet extends IpcObject {
    /** The largest semaphore value, and the largest undo adjustment (SEMVMX, SEMAEM). */
    public static final int SEMVMX = 32767, SEMAEM = SEMVMX;
    /** sembuf's sem_flg bits. */
    public static final int IPC_NOWAIT = 04000, SEM_UNDO = 010000;

    /** One semop operation (struct sembuf). */
    public record Op(int num, int op, int flags) {}

    /** A task waiting in semop: on which semaphore its operations stopped, and whether for zero. */
    private record Waiter(int num, boolean zero) {}

    public final int nsems;
    /** @GuardedBy("this") */
    private final int[] values, pids;
    /** @GuardedBy("this") last semop time, seconds. */
    public long otime;
    /** @GuardedBy("this") */
    private final Map<Task, Waiter> waiters = new LinkedHashMap<>();
    /** @GuardedBy("this") every process's undo adjustments on this set (cleared by SETVAL, SETALL). */
    final List<int[]> undos = new ArrayList<>();

    public SemSet(IpcPerm perm, long now, int nsems) {
        super(perm, now);
        this.nsems = nsems;
        this.values = new int[nsems];
        this.pids = new int[nsems];
        this.otime = 0;
    }

    /**
     * Linux's perform_atomic_semop: applies all of {@code ops} or none. Returns -1 when they were
     * applied, else the index of the operation that must wait (a decrement below 0, or a wait
     * for zero on a semaphore that is not). ERANGE (thrown) for a value past SEMVMX or an undo
     * adjustment past SEMAEM. {@code adj} is the caller's undo array for this set, or null.
     */
    public synchronized int tryOps(Op[] ops, int[] adj, int pid, long now) {
        int[] saved = values.clone();
        int[] savedAdj = adj != null ? adj.clone() : null;
        for (int i = 0; i < ops.length; i++) {
            Op o = ops[i];
            int cur = values[o.num];
            int result = cur + o.op;
            if (o.op == 0 && cur != 0 || result < 0) {
                restore(saved, adj, savedAdj);
                return i;
            }
            if (result > SEMVMX) {
                restore(saved, adj, savedAdj);
                throw Errno.of(Errno.ERANGE);
            }
            if ((o.flags & SEM_UNDO) != 0 && adj != null) {
                int undo = adj[o.num] - o.op;
                if (undo < -SEMAEM - 1 || undo > SEMAEM) {
                    restore(saved, adj, savedAdj);
                    throw Errno.of(Errno.ERANGE);
                }
                adj[o.num] = undo;
            }
            values[o.num] = result;
        }
        for (Op o : ops) {
            pids[o.num] = pid;
        }
        otime = now;
        changed.wakeAll();
        return -1;
    }

    /** True when {@code ops} could all apply now (a waiter's wake condition); ERANGE counts as "try now". */
    public synchronized boolean wouldApply(Op[] ops) {
        int[] v = values.clone();
        for (Op o : ops) {
            int cur = v[o.num];
            if (o.op == 0 && cur != 0 || cur + o.op < 0) {
                return false;
            }
            v[o.num] = cur + o.op;
        }
        return true;
    }

    private void restore(int[] saved, int[] adj, int[] savedAdj) {
        System.arraycopy(saved, 0, values, 0, nsems);
        if (adj != null) {
            System.arraycopy(savedAdj, 0, adj, 0, nsems);
        }
    }

    /** Records that {@code t} waits, stopped at {@code op} (GETNCNT/GETZCNT count it). */
    public synchronized void waiting(Task t, Op op) {
        waiters.put(t, new Waiter(op.num, op.op == 0));
    }

    /** {@code t} no longer waits here. */
    public synchronized void done(Task t) {
        waiters.remove(t);
    }

    /** GETNCNT ({@code zero} false) or GETZCNT: tasks waiting on semaphore {@code num}. */
    public synchronized int count(int num, boolean zero) {
        int n = 0;
        for (Map.Entry<Task, Waiter> e : waiters.entrySet()) {
            if (!e.getKey().exited && e.getValue().num == num && e.getValue().zero == zero) {
                n++;
            }
        }
        return n;
    }

    public synchronized int value(int num) {
        return values[num];
    }

    public synchronized int pid(int num) {
        return pids[num];
    }

    /** SETVAL: the value, and every process's adjustment of it cleared. */
    public synchronized void setValue(int num, int v, int pid, long now) {
        values[num] = v;
        pids[num] = pid;
        for (int[] a : undos) {
            a[num] = 0;
        }
        ctime = now;
        changed.wakeAll();
    }

    /** GETALL. */
    public synchronized int[] values() {
        return values.clone();
    }

    /** SETALL: every value, every adjustment cleared. */
    public synchronized void setAll(int[] v, int pid, long now) {
        System.arraycopy(v, 0, values, 0, nsems);
        for (int i = 0; i < nsems; i++) {
            pids[i] = pid;
        }
        for (int[] a : undos) {
            java.util.Arrays.fill(a, 0);
        }
        ctime = now;
        changed.wakeAll();
    }

    /**
     * A process's exit applies its adjustments (Linux's exit_sem): each value plus its
     * adjustment, kept within 0 and SEMVMX, and the waiters woken.
     */
    synchronized void undo(int[] adj, int pid) {
        undos.remove(adj);
        if (perm.deleted) {
            return;
        }
        for (int i = 0; i < nsems; i++) {
            if (adj[i] != 0) {
                values[i] = Math.max(0, Math.min(SEMVMX, values[i] + adj[i]));
                pids[i] = pid;
            }
        }
        changed.wakeAll();
    }
}
