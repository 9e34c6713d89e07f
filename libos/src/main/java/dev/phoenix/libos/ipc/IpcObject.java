package dev.phoenix.libos.ipc;

import dev.phoenix.libos.proc.WaitQueue;

/** A System V IPC object: its {@link IpcPerm} and the queue its waiters wait on (woken by every change and by IPC_RMID). */
public abstract class IpcObject {
    public final IpcPerm perm;
    /** Woken whenever the object changes in a way a waiter may care about, and when it is removed. */
    public final WaitQueue changed = new WaitQueue();
    /** Time of the last change (IPC_SET, creation), in seconds since the epoch. */
    public long ctime;

    protected IpcObject(IpcPerm perm, long now) {
        this.perm = perm;
        this.ctime = now;
    }

    /** Marks it removed (IPC_RMID) and wakes its waiters, who answer EIDRM. */
    void removed() {
        perm.deleted = true;
        changed.wakeAll();
    }
}
