package dev.phoenix.libos.ipc;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.Credentials;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The objects of one System V IPC kind in one namespace (Linux's {@code struct ipc_ids}): keys
 * to objects, and ids built as Linux's ipc_idr_alloc builds them, {@code index + seq * 32768},
 * the index taken cyclically and the sequence number raised each time the indexes wrap, so a
 * removed object's id is not soon reused.
 */
public final class IpcIds<T extends IpcObject> {
    /** IPC_PRIVATE: a key that always makes a new object. */
    public static final int IPC_PRIVATE = 0;
    /** The get flags (ipc.h). */
    public static final int IPC_CREAT = 01000, IPC_EXCL = 02000;
    /** IPCMNI (without ipcmni_extend): ids carry the index in their low 15 bits. */
    public static final int IPCMNI = 32768;
    private static final int SEQ_SHIFT = 15, SEQ_MAX = Integer.MAX_VALUE / IPCMNI;

    /** @GuardedBy("this") index to object. */
    private final TreeMap<Integer, T> byIndex = new TreeMap<>();
    /** @GuardedBy("this") key to object, for keys other than IPC_PRIVATE. */
    private final Map<Integer, T> byKey = new HashMap<>();
    /** @GuardedBy("this") */
    private int lastIndex = -1, seq;

    /** What a get call asks of an existing object besides permissions (a set's or segment's size): 0, else an errno. */
    public interface Associate<T> {
        int check(T existing);
    }

    /**
     * Linux's ipcget: {@code key} IPC_PRIVATE, or absent with IPC_CREAT, makes a new object with
     * {@code make} (at most {@code mni} of them: ENOSPC); absent otherwise is ENOENT; present
     * with IPC_CREAT|IPC_EXCL is EEXIST, without the access {@code flags}' low bits ask for
     * EACCES, else what {@code associate} says. Returns the id.
     */
    public synchronized int get(int key, int flags, Credentials cr, int mni, Supplier<T> make, Associate<T> associate) {
        if (key != IPC_PRIVATE) {
            T existing = byKey.get(key);
            if (existing != null) {
                if ((flags & (IPC_CREAT | IPC_EXCL)) == (IPC_CREAT | IPC_EXCL)) {
                    throw Errno.of(Errno.EEXIST);
                }
                if (!existing.perm.permits(cr, flags)) {
                    throw Errno.of(Errno.EACCES);
                }
                int err = associate.check(existing);
                if (err != 0) {
                    throw Errno.of(err);
                }
                return existing.perm.id;
            }
            if ((flags & IPC_CREAT) == 0) {
                throw Errno.of(Errno.ENOENT);
            }
        }
        if (byIndex.size() >= Math.min(mni, IPCMNI)) {
            throw Errno.of(Errno.ENOSPC);
        }
        T obj = make.get();
        int index = freeIndexAfter(lastIndex);
        if (index <= lastIndex) {
            seq = seq + 1 >= SEQ_MAX ? 0 : seq + 1;
        }
        lastIndex = index;
        obj.perm.seq = seq;
        obj.perm.id = index + (seq << SEQ_SHIFT);
        byIndex.put(index, obj);
        if (key != IPC_PRIVATE) {
            byKey.put(key, obj);
        }
        return obj.perm.id;
    }

    /** The first free index after {@code last}, going round (idr_alloc_cyclic). */
    private int freeIndexAfter(int last) {
        for (int i = 1; i <= IPCMNI; i++) {
            int index = (last + i) % IPCMNI;
            if (!byIndex.containsKey(index)) {
                return index;
            }
        }
        throw Errno.of(Errno.ENOSPC);
    }

    /** The object with id {@code id} (ipc_obtain_object_check), or null when none has it (EINVAL to the caller). */
    public synchronized T find(int id) {
        if (id < 0) {
            return null;
        }
        T obj = byIndex.get(id % IPCMNI);
        return obj != null && obj.perm.id == id ? obj : null;
    }

    /** The object at index {@code index} (the *_STAT commands), or null. */
    public synchronized T atIndex(int index) {
        return index < 0 ? null : byIndex.get(index);
    }

    /** Takes {@code obj} out (IPC_RMID; for a segment still attached, the key only: {@link #forgetKey}). */
    public synchronized void remove(T obj) {
        byIndex.remove(obj.perm.id % IPCMNI, obj);
        forgetKey(obj);
    }

    /** Makes {@code obj} private (shm's IPC_RMID while attached: Linux sets its key to IPC_PRIVATE). */
    public synchronized void forgetKey(T obj) {
        if (obj.perm.key != IPC_PRIVATE) {
            byKey.remove(obj.perm.key, obj);
        }
    }

    /** True when {@code obj}'s key no longer finds it. */
    public synchronized boolean keyForgotten(T obj) {
        return obj.perm.key == IPC_PRIVATE || byKey.get(obj.perm.key) != obj;
    }

    /** How many objects there are (in_use). */
    public synchronized int inUse() {
        return byIndex.size();
    }

    /** The highest index in use, or -1 (ipc_get_maxidx); the *_INFO commands return it. */
    public synchronized int maxIndex() {
        return byIndex.isEmpty() ? -1 : byIndex.lastKey();
    }

    /** Every object, by index (/proc/sysvipc). */
    public synchronized List<T> all() {
        return new ArrayList<>(byIndex.values());
    }
}
