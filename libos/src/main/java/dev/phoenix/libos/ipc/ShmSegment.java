package dev.phoenix.libos.ipc;

import dev.phoenix.libos.cap.Frames;

/**
 * A System V shared memory segment (shmget(2), Linux's ipc/shm.c {@code shmid_kernel}): frames
 * that every attachment maps (fork shares them like MAP_SHARED anonymous memory). The segment
 * holds the frames once itself, each attached mapping once more, so the attachments are the
 * frames' holders but one (as Linux counts shm_nattch by VMA, a split attachment counts twice).
 * IPC_RMID marks it SHM_DEST and makes its key private; it goes when the last attachment does.
 */
public final class ShmSegment extends IpcObject {
    /** Mode bits (shm.h): removed while attached, and locked (SHM_LOCK). */
    public static final int SHM_DEST = 01000, SHM_LOCKED = 02000;

    public final long size;
    public final Frames frames;
    public final int cpid;
    /** @GuardedBy("this") attach and detach times (seconds) and the pid of the last shmat/shmdt. */
    public long atime, dtime;
    public int lpid;
    /** @GuardedBy the namespace's shm ids: the segment's own hold on the frames was given back. */
    boolean destroyed;

    public ShmSegment(IpcPerm perm, long now, long size, Frames frames, int cpid) {
        super(perm, now);
        this.size = size;
        this.frames = frames;
        this.cpid = cpid;
    }

    /** Attachments now (shm_nattch). */
    public long nattch() {
        return destroyed ? 0 : Math.max(0, frames.holders() - 1);
    }

    /**
     * Process {@code pid} is letting go of address space {@code as} (exit, execve): each segment
     * attached there records the detach, as Linux's shm_close does for every VMA.
     */
    public static void detachingAll(dev.phoenix.libos.mm.AddressSpace as, int pid, long now) {
        if (as == null) {
            return;
        }
        for (Object o : as.sysvAttached()) {
            if (o instanceof ShmSegment s) {
                synchronized (s) {
                    s.dtime = now;
                    s.lpid = pid;
                }
            }
        }
    }

    /** The name its attachments have in /proc/PID/maps (the shmem file's: "/SYSV" and the key in hex). */
    public String mapsName() {
        return String.format("/SYSV%08x (deleted)", perm.key);
    }
}
