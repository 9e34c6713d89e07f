package dev.phoenix.libos.ipc;

/**
 * One IPC namespace's objects (Linux's {@code struct ipc_namespace}): its message queues,
 * semaphore sets and shared memory segments, its POSIX message queues, and the limits its
 * sysctls hold (the defaults of Linux 6.x: msgmax 8192, msgmnb 16384, msgmni 32000; sem
 * "32000 1024000000 500 32000"; shmmax and shmall ULONG_MAX - 2^24, shmmni 4096).
 */
public final class IpcSpace {
    /** msg limits (ipc/msgutil.c, include/uapi/linux/msg.h). */
    public static final int MSGMAX = 8192, MSGMNB = 16384, MSGMNI = 32000;
    /** sem limits (include/uapi/linux/sem.h): per set, total, ops per call, sets. */
    public static final int SEMMSL = 32000, SEMMNS = 1024000000, SEMOPM = 500, SEMMNI = 32000;
    /** shm limits (include/uapi/linux/shm.h); shmmax and shmall are ULONG_MAX - (1L << 24). */
    public static final long SHMMAX = -1L - (1L << 24), SHMALL = SHMMAX;
    public static final int SHMMNI = 4096, SHMMIN = 1;

    public final IpcIds<MsgQueue> msg = new IpcIds<>();
    public final IpcIds<SemSet> sem = new IpcIds<>();
    public final IpcIds<ShmSegment> shm = new IpcIds<>();
    /** The POSIX message queues (mq_overview(7)) and their limits. */
    public final PosixMqs mqueues = new PosixMqs();

    /** IPC_RMID of a message queue: it leaves the namespace and its waiters get EIDRM. */
    public void remove(MsgQueue q) {
        msg.remove(q);
        synchronized (q) {
            q.clear();
            q.removed();
        }
    }

    /**
     * IPC_RMID of a shared memory segment: its key becomes private and it is marked SHM_DEST;
     * it goes now if nothing has it attached, else when the last attachment does ({@link #reapShm}).
     */
    public void remove(ShmSegment s) {
        synchronized (shm) {
            shm.forgetKey(s);
            synchronized (s) {
                s.perm.key = IpcIds.IPC_PRIVATE;
                s.perm.mode |= ShmSegment.SHM_DEST;
            }
            reapShm();
        }
    }

    /**
     * Destroys the segments marked SHM_DEST that nothing has attached any more. Linux does it in
     * the last detach (shm_close); Phoenix's attachments are frames held by mappings, which an
     * exit or execve drops without telling the segment, so every shm call and /proc/sysvipc/shm
     * looks first.
     */
    public void reapShm() {
        synchronized (shm) {
            for (ShmSegment s : shm.all()) {
                if ((s.perm.mode & ShmSegment.SHM_DEST) != 0 && !s.destroyed && s.frames.holders() <= 1) {
                    shm.remove(s);
                    s.destroyed = true;
                    s.perm.deleted = true;
                    s.frames.release();
                }
            }
        }
    }

    /** IPC_RMID of a semaphore set: it leaves the namespace and its waiters get EIDRM. */
    public void remove(SemSet s) {
        sem.remove(s);
        synchronized (s) {
            s.removed();
        }
    }
}
