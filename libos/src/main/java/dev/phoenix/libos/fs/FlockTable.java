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

    /** Applies {@code operation} for {@code file}; EWOULDBLOCK (EAGAIN) on conflict. */
    public synchronized void flock(OpenFile file, int operation) {
        int op = operation & ~LOCK_NB;
        if (op != LOCK_SH && op != LOCK_EX && op != LOCK_UN) {
            throw Errno.of(Errno.EINVAL);
        }
        FileStatus st = file.status();
        List<Long> key = List.of(st.dev(), st.ino());
        Map<OpenFile, Boolean> holders = locks.computeIfAbsent(key, k -> new IdentityHashMap<>());
        if (op == LOCK_UN) {
            holders.remove(file);
            return;
        }
        boolean exclusive = op == LOCK_EX;
        for (Map.Entry<OpenFile, Boolean> h : holders.entrySet()) {
            if (h.getKey() != file && (exclusive || h.getValue())) {
                // Another holder conflicts. With no other guest threads yet, waiting could
                // never end, so even a blocking request reports the conflict rather than hang.
                throw Errno.of(Errno.EAGAIN);
            }
        }
        holders.put(file, exclusive);
    }

    /** Drops every lock {@code file} holds (its last fd was closed). */
    public synchronized void release(OpenFile file) {
        for (Map<OpenFile, Boolean> holders : new ArrayList<>(locks.values())) {
            holders.remove(file);
        }
    }
}
