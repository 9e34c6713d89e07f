package dev.phoenix.abi.linux;

import static dev.phoenix.abi.linux.SysvIpc.IPC_INFO;
import static dev.phoenix.abi.linux.SysvIpc.IPC_RMID;
import static dev.phoenix.abi.linux.SysvIpc.IPC_SET;
import static dev.phoenix.abi.linux.SysvIpc.IPC_STAT;
import static dev.phoenix.abi.linux.SysvIpc.READ;
import static dev.phoenix.abi.linux.SysvIpc.WRITE;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.ipc.IpcIds;
import dev.phoenix.libos.ipc.IpcPerm;
import dev.phoenix.libos.ipc.IpcSpace;
import dev.phoenix.libos.ipc.SemSet;
import dev.phoenix.libos.ipc.SemUndoList;
import dev.phoenix.libos.mm.GuestMemory;
import dev.phoenix.libos.proc.Credentials;
import dev.phoenix.libos.proc.Park;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.Task;

/**
 * System V semaphores (semget(2), semop(2), semtimedop(2), semctl(2)), following Linux's
 * ipc/sem.c: all of a call's operations apply at once or none do; a call that must wait parks
 * on the set's wait queue and tries them all again when the set changes. A signal ends the wait
 * with EINTR (never restarted, signal(7)), the timeout with EAGAIN, IPC_RMID with EIDRM.
 */
final class SysvSemSyscalls {
    private SysvSemSyscalls() {}

    private static final int GETPID = 11, GETVAL = 12, GETALL = 13, GETNCNT = 14, GETZCNT = 15, SETVAL = 16,
            SETALL = 17, SEM_STAT = 18, SEM_INFO = 19, SEM_STAT_ANY = 20;
    private static final int EIDRM = 43;
    /** seminfo's SEMUSZ (include/uapi/linux/sem.h); SEMMAP and SEMMNU are SEMMNS, SEMUME is SEMOPM. */
    private static final int SEMUSZ = 20;

    /** Implements Linux semget(2): at most SEMMSL semaphores; a new set needs at least one. */
    static long semget(SyscallContext c, long key, long nsems, long flags, long a3, long a4, long a5) {
        int n = (int) nsems;
        if (n < 0 || n > IpcSpace.SEMMSL) {
            return -Errno.EINVAL;
        }
        Credentials cr = c.process().credentials();
        long now = SysvIpc.now(c);
        return SysvIpc.space(c).sem.get((int) key, (int) flags, cr, IpcSpace.SEMMNI, () -> {
            if (n == 0) {
                throw Errno.of(Errno.EINVAL);
            }
            return new SemSet(new IpcPerm((int) key, (int) flags, cr), now, n);
        }, s -> n > s.nsems ? Errno.EINVAL : 0);
    }

    /** Implements Linux semop(2): semtimedop without a timeout. */
    static long semop(SyscallContext c, long semid, long sops, long nsops, long a3, long a4, long a5) {
        return semtimedop(c, semid, sops, nsops, 0, 0, 0);
    }

    /**
     * Implements Linux semtimedop(2): struct sembuf (sem_num, sem_op, sem_flg: 6 bytes on every
     * arch); IPC_NOWAIT on the operation that would wait gives EAGAIN, SEM_UNDO records the
     * opposite adjustment for the process's exit; the timeout is relative (EAGAIN when it passes).
     */
    static long semtimedop(SyscallContext c, long semid, long sops, long nsops, long timeout, long a4, long a5) {
        if (nsops == 0 || (int) semid < 0) { // nsops is a size_t
            return -Errno.EINVAL;
        }
        if (Long.compareUnsigned(nsops, IpcSpace.SEMOPM) > 0) {
            return -Errno.E2BIG;
        }
        GuestMemory m = c.memory();
        byte[] raw = m.read(sops, (int) nsops * 6);
        SemSet.Op[] ops = new SemSet.Op[(int) nsops];
        int max = 0;
        boolean undos = false, alter = false;
        for (int i = 0; i < ops.length; i++) {
            int num = (raw[6 * i] & 0xff) | (raw[6 * i + 1] & 0xff) << 8;
            short op = (short) ((raw[6 * i + 2] & 0xff) | (raw[6 * i + 3] & 0xff) << 8);
            short flg = (short) ((raw[6 * i + 4] & 0xff) | (raw[6 * i + 5] & 0xff) << 8);
            ops[i] = new SemSet.Op(num, op, flg);
            max = Math.max(max, num);
            undos |= (flg & SemSet.SEM_UNDO) != 0;
            alter |= op != 0;
        }
        long deadline = Long.MAX_VALUE;
        if (timeout != 0) {
            long sec = m.readLong(timeout), nsec = m.readLong(timeout + 8);
            if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) {
                return -Errno.EINVAL;
            }
            long ns = sec > Long.MAX_VALUE / 4_000_000_000L ? Long.MAX_VALUE / 4 : sec * 1_000_000_000L + nsec;
            deadline = c.kernel().clock().monotonicNanos() + ns;
        }
        Task t = c.task();
        boolean waited = t.resuming();
        while (true) {
            SemSet s = SysvIpc.space(c).sem.find((int) semid);
            if (s == null) {
                return -(waited ? EIDRM : Errno.EINVAL);
            }
            boolean parked = false;
            try {
                if (max >= s.nsems) {
                    return -Errno.EFBIG;
                }
                if (!s.perm.permits(c.process().credentials(), alter ? WRITE : READ)) {
                    return -Errno.EACCES;
                }
                if (s.perm.deleted) {
                    return -EIDRM;
                }
                int[] adj = undos ? undoList(c.process()).forSet(s) : null;
                int blocking = s.tryOps(ops, adj, SysvIpc.pid(c), SysvIpc.now(c));
                if (blocking < 0) {
                    return 0;
                }
                if ((ops[blocking].flags() & SemSet.IPC_NOWAIT) != 0) {
                    return -Errno.EAGAIN;
                }
                s.waiting(t, ops[blocking]);
                Task.Wait w;
                try {
                    w = t.block(deadline, () -> s.perm.deleted || s.wouldApply(ops), s.changed);
                } catch (Park p) {
                    parked = true; // still waiting: GETNCNT and GETZCNT count it until the call ends
                    throw p;
                }
                if (w == Task.Wait.SIGNALED) {
                    return -Errno.EINTR;
                }
                if (w == Task.Wait.TIMED_OUT) {
                    return -Errno.EAGAIN;
                }
                waited = true;
            } finally {
                if (!parked) {
                    s.done(t);
                }
            }
        }
    }

    /** The process's undo list, made on first use. */
    private static SemUndoList undoList(Process p) {
        SemUndoList u = p.semUndo;
        if (u == null) {
            synchronized (p) {
                u = p.semUndo;
                if (u == null) {
                    u = new SemUndoList();
                    p.semUndo = u;
                }
            }
        }
        return u;
    }

    /**
     * Implements Linux semctl(2): GETVAL, GETALL, GETPID, GETNCNT, GETZCNT, SETVAL, SETALL,
     * IPC_STAT, SEM_STAT, SEM_STAT_ANY, IPC_SET, IPC_RMID, IPC_INFO, SEM_INFO. {@code arg} is
     * union semun passed by value: the int for SETVAL, else a pointer.
     */
    static long semctl(SyscallContext c, long semid, long semnum, long cmd, long arg, long a4, long a5) {
        int command = SysvIpc.command(cmd);
        if ((int) semid < 0) {
            return -Errno.EINVAL;
        }
        IpcIds<SemSet> ids = SysvIpc.space(c).sem;
        Credentials cr = c.process().credentials();
        int num = (int) semnum;
        switch (command) {
            case IPC_INFO, SEM_INFO -> {
                writeInfo(c, arg, command == SEM_INFO);
                return Math.max(ids.maxIndex(), 0);
            }
            case IPC_STAT, SEM_STAT, SEM_STAT_ANY -> {
                SemSet s = command == IPC_STAT ? ids.find((int) semid) : ids.atIndex((int) semid);
                if (s == null) {
                    return -Errno.EINVAL;
                }
                if (command != SEM_STAT_ANY && !s.perm.permits(cr, READ)) {
                    return -Errno.EACCES;
                }
                writeStat(c, arg, s);
                return command == IPC_STAT ? 0 : s.perm.id();
            }
            case IPC_SET -> {
                int[] set = SysvIpc.readPermForSet(c, arg);
                SemSet s = owned(c, ids, (int) semid);
                synchronized (s) {
                    SysvIpc.applySet(s.perm, set);
                    s.ctime = SysvIpc.now(c);
                }
                return 0;
            }
            case IPC_RMID -> {
                SysvIpc.space(c).remove(owned(c, ids, (int) semid));
                return 0;
            }
            case SETVAL -> {
                int v = (int) arg;
                if (v < 0 || v > SemSet.SEMVMX) {
                    return -Errno.ERANGE;
                }
                SemSet s = lookup(ids, (int) semid);
                if (num < 0 || num >= s.nsems) {
                    return -Errno.EINVAL;
                }
                if (!s.perm.permits(cr, WRITE)) {
                    return -Errno.EACCES;
                }
                s.setValue(num, v, SysvIpc.pid(c), SysvIpc.now(c));
                return 0;
            }
            case GETALL, SETALL, GETVAL, GETPID, GETNCNT, GETZCNT -> {
                SemSet s = lookup(ids, (int) semid);
                if (!s.perm.permits(cr, command == SETALL ? WRITE : READ)) {
                    return -Errno.EACCES;
                }
                if (command == GETALL) {
                    int[] v = s.values();
                    byte[] b = new byte[2 * v.length];
                    for (int i = 0; i < v.length; i++) {
                        b[2 * i] = (byte) v[i];
                        b[2 * i + 1] = (byte) (v[i] >>> 8);
                    }
                    c.memory().write(arg, b);
                    return 0;
                }
                if (command == SETALL) {
                    byte[] b = c.memory().read(arg, 2 * s.nsems);
                    int[] v = new int[s.nsems];
                    for (int i = 0; i < v.length; i++) {
                        v[i] = (b[2 * i] & 0xff) | (b[2 * i + 1] & 0xff) << 8;
                        if (v[i] > SemSet.SEMVMX) {
                            return -Errno.ERANGE;
                        }
                    }
                    s.setAll(v, SysvIpc.pid(c), SysvIpc.now(c));
                    return 0;
                }
                if (num < 0 || num >= s.nsems) {
                    return -Errno.EINVAL;
                }
                return switch (command) {
                    case GETVAL -> s.value(num);
                    case GETPID -> SysvIpc.pidSeen(c, s.pid(num));
                    case GETNCNT -> s.count(num, false);
                    default -> s.count(num, true);
                };
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    private static SemSet lookup(IpcIds<SemSet> ids, int id) {
        SemSet s = ids.find(id);
        if (s == null) {
            throw Errno.of(Errno.EINVAL);
        }
        return s;
    }

    private static SemSet owned(SyscallContext c, IpcIds<SemSet> ids, int id) {
        SemSet s = lookup(ids, id);
        if (!s.perm.ownedBy(c.process().credentials())) {
            throw Errno.of(Errno.EPERM);
        }
        return s;
    }

    /** Writes struct semid64_ds in the arch's layout ({@link ArchAbi#semidLayout}). */
    private static void writeStat(SyscallContext c, long a, SemSet s) {
        ArchAbi.SemidLayout l = c.abi().semidLayout();
        byte[] b = new byte[l.size()];
        synchronized (s) {
            SysvIpc.writePerm(c, a, s.perm);
            SysvIpc.putLong(b, 48, s.otime);
            SysvIpc.putLong(b, l.ctime(), s.ctime);
            SysvIpc.putLong(b, l.nsems(), s.nsems);
        }
        c.memory().write(a + SysvIpc.PERM_SIZE, b, SysvIpc.PERM_SIZE, b.length - SysvIpc.PERM_SIZE);
    }

    /** Writes struct seminfo: the limits; for SEM_INFO semusz and semaem are the sets and semaphores in use. */
    private static void writeInfo(SyscallContext c, long a, boolean inUse) {
        IpcIds<SemSet> ids = SysvIpc.space(c).sem;
        int sets = 0, sems = 0;
        if (inUse) {
            for (SemSet s : ids.all()) {
                sets++;
                sems += s.nsems;
            }
        }
        int[] v = {IpcSpace.SEMMNS, IpcSpace.SEMMNI, IpcSpace.SEMMNS, IpcSpace.SEMMNS, IpcSpace.SEMMSL,
            IpcSpace.SEMOPM, IpcSpace.SEMOPM, inUse ? sets : SEMUSZ, SemSet.SEMVMX, inUse ? sems : SemSet.SEMAEM};
        byte[] b = new byte[40];
        for (int i = 0; i < v.length; i++) {
            SysvIpc.putInt(b, 4 * i, v[i]);
        }
        c.memory().write(a, b);
    }
}
