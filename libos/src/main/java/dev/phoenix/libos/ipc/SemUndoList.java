package dev.phoenix.libos.ipc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A process's SEM_UNDO adjustments (Linux's {@code sem_undo_list}), one array per semaphore set
 * it has operated on with SEM_UNDO; fork gives the child none, and the threads of a process
 * share it (glibc and musl make threads with CLONE_SYSVSEM). Applied when the process exits.
 */
public final class SemUndoList {
    /** @GuardedBy("this") */
    private final Map<SemSet, int[]> adjustments = new LinkedHashMap<>();

    /** The adjustment array for {@code set}, made (and registered with the set) on first use. */
    public int[] forSet(SemSet set) {
        synchronized (this) {
            int[] a = adjustments.get(set);
            if (a != null) {
                return a;
            }
            a = new int[set.nsems];
            adjustments.put(set, a);
            synchronized (set) {
                set.undos.add(a);
            }
            return a;
        }
    }

    /** Exit: applies every adjustment to its set (those removed meanwhile are skipped). */
    public void exit(int pid) {
        synchronized (this) {
            for (Map.Entry<SemSet, int[]> e : adjustments.entrySet()) {
                e.getKey().undo(e.getValue(), pid);
            }
            adjustments.clear();
        }
    }
}
