package dev.phoenix.libos.fs;

import dev.phoenix.libos.Errno;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * flock(2) locks: held by open file descriptions on an inode, so two opens of one file conflict
 * even in one process; released by LOCK_UN or when the description's last fd closes.
 */
public final class FlockTable {
    private static final int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;

    /** Holders of each inode's lock, keyed by (dev, ino); values: exclusive or not. */
    private final Map<List<Long>, Map<OpenFile, Boolean>> locks = new HashMap<>();
    /** Where the tasks blocked in flock(2) wait: woken whenever a lock is given up. */
    private final dev.phoenix.libos.proc.WaitQueue released = new dev.phoenix.libos.proc.WaitQueue();

    /** True when {@code operation} (LOCK_SH, LOCK_EX or LOCK_UN, maybe with LOCK_NB) is valid. */
    public static boolean valid(int operation) {
        int op = operation & ~LOCK_NB;
        return op == LOCK_SH || op == LOCK_EX || op == LOCK_UN;
    }

    /** True when {@code operation} asks not to wait (LOCK_NB). */
    public static boolean nonBlocking(int operation) {
        return (operation & LOCK_NB) != 0;
    }

    /**
     * Applies {@code operation} (a {@link #valid} one) for {@code file}; returns false, changing
     * nothing, when another description's lock conflicts.
     */
    public boolean tryLock(OpenFile file, int operation) {
        int op = operation & ~LOCK_NB;
        FileStatus st = file.status();
        List<Long> key = List.of(st.dev(), st.ino());
        synchronized (this) {
            Map<OpenFile, Boolean> holders = locks.computeIfAbsent(key, k -> new IdentityHashMap<>());
            if (op != LOCK_UN) {
                boolean exclusive = op == LOCK_EX;
                for (Map.Entry<OpenFile, Boolean> h : holders.entrySet()) {
                    if (h.getKey() != file && (exclusive || h.getValue())) {
                        return false;
                    }
                }
                Boolean was = holders.put(file, exclusive);
                if (was == null || !was || exclusive) {
                    return true; // nothing was given up (a downgrade from LOCK_EX wakes waiters below)
                }
            } else {
                holders.remove(file);
            }
        }
        wakeWaiters();
        return true;
    }

    /** The queue woken whenever a lock is given up: where a blocked flock(2) waits. */
    public dev.phoenix.libos.proc.WaitQueue released() {
        return released;
    }

    /** Drops every lock {@code file} holds (its last fd was closed). */
    public void release(OpenFile file) {
        synchronized (this) {
            for (Map<OpenFile, Boolean> holders : new ArrayList<>(locks.values())) {
                holders.remove(file);
            }
        }
        wakeWaiters();
    }

    private void wakeWaiters() {
        released.wakeAll();
    }
}
