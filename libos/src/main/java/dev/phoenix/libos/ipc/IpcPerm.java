package dev.phoenix.libos.ipc;

import dev.phoenix.libos.proc.Credentials;

/**
 * The ownership and permissions of a System V IPC object (Linux's {@code kern_ipc_perm}, seen by
 * the guest as {@code struct ipc64_perm}): its key, owner and creator ids, mode and the id it was
 * given. Guarded by the object's monitor once the object is published.
 */
public final class IpcPerm {
    /** CAP_IPC_OWNER and CAP_SYS_ADMIN (capabilities(7)). */
    private static final int CAP_IPC_OWNER = 15, CAP_SYS_ADMIN = 21;
    /** The permission bits IPC_SET may change (S_IRWXUGO). */
    public static final int S_IRWXUGO = 0777;

    /** The key; IPC_PRIVATE once a segment is removed while attached (shm's do_shm_rmid). */
    public int key;
    public int uid, gid;
    public final int cuid, cgid;
    /** The permission bits, plus SHM_DEST and SHM_LOCKED for a segment. */
    public int mode;
    /** The id the object was given ({@code index + seq * 32768}). */
    int id;
    /** The sequence number its id carries. */
    int seq;
    /** True once IPC_RMID took it out of its namespace: waiters see EIDRM. */
    public volatile boolean deleted;

    /** The perm of an object {@code creator} makes with {@code key} and the low 9 bits of {@code flags}. */
    public IpcPerm(int key, int flags, Credentials creator) {
        this.key = key;
        this.uid = this.cuid = creator.euid;
        this.gid = this.cgid = creator.egid;
        this.mode = flags & S_IRWXUGO;
    }

    /** The object's id. */
    public int id() {
        return id;
    }

    /** The sequence number of the id ({@code ipc64_perm.seq}). */
    public int seq() {
        return seq;
    }

    /**
     * Linux's ipcperms: true when {@code cr} may access the object as {@code flag} asks (its
     * S_IRUGO/S_IWUGO bits, or the 0777 bits of a get call): the owner's or creator's bits for
     * the effective uid, else the group's for a group the caller is in, else the others'; or
     * CAP_IPC_OWNER.
     */
    public boolean permits(Credentials cr, int flag) {
        int requested = (flag >> 6) | (flag >> 3) | flag;
        int granted = mode;
        if (cr.euid == cuid || cr.euid == uid) {
            granted >>= 6;
        } else if (inGroup(cr, cgid) || inGroup(cr, gid)) {
            granted >>= 3;
        }
        return (requested & ~granted & 7) == 0 || cr.capable(CAP_IPC_OWNER);
    }

    /** Linux's ipcctl_obtain_check: may {@code cr} change or remove the object (IPC_SET, IPC_RMID)? */
    public boolean ownedBy(Credentials cr) {
        return cr.euid == cuid || cr.euid == uid || cr.capable(CAP_SYS_ADMIN);
    }

    /** IPC_SET: the new owner and permission bits ({@code ipc_update_perm}). */
    public void update(int newUid, int newGid, int newMode) {
        uid = newUid;
        gid = newGid;
        mode = (mode & ~S_IRWXUGO) | (newMode & S_IRWXUGO);
    }

    /** Linux's in_group_p: the filesystem gid or a supplementary group. */
    static boolean inGroup(Credentials cr, int g) {
        if (cr.fsgid == g) {
            return true;
        }
        for (int x : cr.groups()) {
            if (x == g) {
                return true;
            }
        }
        return false;
    }
}
