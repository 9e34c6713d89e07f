package dev.phoenix.abi.linux;

import static dev.phoenix.abi.linux.SysvIpc.IPC_INFO;
import static dev.phoenix.abi.linux.SysvIpc.IPC_RMID;
import static dev.phoenix.abi.linux.SysvIpc.IPC_SET;
import static dev.phoenix.abi.linux.SysvIpc.IPC_STAT;
import static dev.phoenix.abi.linux.SysvIpc.READ;
import static dev.phoenix.abi.linux.SysvIpc.WRITE;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.ipc.IpcIds;
import dev.phoenix.libos.ipc.IpcPerm;
import dev.phoenix.libos.ipc.IpcSpace;
import dev.phoenix.libos.ipc.MsgQueue;
import dev.phoenix.libos.mm.GuestMemory;
import dev.phoenix.libos.proc.Credentials;
import dev.phoenix.libos.proc.Task;

/**
 * System V message queues (msgget(2), msgsnd(2), msgrcv(2), msgctl(2)), following Linux's
 * ipc/msg.c. A blocked sender or receiver parks on the queue's wait queue and looks again when
 * it runs; a signal ends the wait with ERESTARTNOHAND (EINTR once a handler runs: signal(7)
 * lists these calls among those never restarted after one), IPC_RMID with EIDRM.
 */
final class SysvMsgSyscalls {
    private SysvMsgSyscalls() {}

    private static final int IPC_NOWAIT = 04000;
    private static final int MSG_STAT = 11, MSG_INFO = 12, MSG_STAT_ANY = 13;
    private static final int ENOMSG = 42, EIDRM = 43;
    /** MSGPOOL, MSGSSZ and MSGSEG (include/uapi/linux/msg.h) for IPC_INFO. */
    private static final int MSGPOOL = IpcSpace.MSGMNI * IpcSpace.MSGMNB / 1024, MSGSSZ = 16, MSGSEG = 0xffff;

    /** Implements Linux msgget(2). */
    static long msgget(SyscallContext c, long key, long flags, long a2, long a3, long a4, long a5) {
        Credentials cr = c.process().credentials();
        long now = SysvIpc.now(c);
        return SysvIpc.space(c).msg.get((int) key, (int) flags, cr, IpcSpace.MSGMNI,
                () -> new MsgQueue(new IpcPerm((int) key, (int) flags, cr), now, IpcSpace.MSGMNB), q -> 0);
    }

    /** Implements Linux msgsnd(2): waits for room unless IPC_NOWAIT (EAGAIN). */
    static long msgsnd(SyscallContext c, long msqid, long msgp, long msgsz, long msgflg, long a4, long a5) {
        GuestMemory m = c.memory();
        long type = m.readLong(msgp);
        if (msgsz > IpcSpace.MSGMAX || msgsz < 0 || (int) msqid < 0) {
            return -Errno.EINVAL;
        }
        if (type < 1) {
            return -Errno.EINVAL;
        }
        byte[] text = m.read(msgp + 8, (int) msgsz);
        Task t = c.task();
        boolean waited = t.resuming();
        while (true) {
            MsgQueue q = lookup(c, (int) msqid, WRITE, waited);
            if (q.trySend(type, text, SysvIpc.pid(c), SysvIpc.now(c))) {
                return 0;
            }
            if ((msgflg & IPC_NOWAIT) != 0) {
                return -Errno.EAGAIN;
            }
            if (t.block(Long.MAX_VALUE, () -> q.perm.deleted || q.fits(text.length), q.changed) == Task.Wait.SIGNALED) {
                return -Errno.ERESTARTNOHAND;
            }
            waited = true;
        }
    }

    /**
     * Implements Linux msgrcv(2): msgtyp 0, above 0 (MSG_EXCEPT), below 0; MSG_NOERROR truncates;
     * MSG_COPY (with IPC_NOWAIT, without MSG_EXCEPT) copies the message at position msgtyp.
     */
    static long msgrcv(SyscallContext c, long msqid, long msgp, long msgsz, long msgtyp, long msgflg, long a5) {
        int flags = (int) msgflg;
        if ((int) msqid < 0 || msgsz < 0) {
            return -Errno.EINVAL;
        }
        if ((flags & MsgQueue.MSG_COPY) != 0 && ((flags & MsgQueue.MSG_EXCEPT) != 0 || (flags & IPC_NOWAIT) == 0)) {
            return -Errno.EINVAL;
        }
        Task t = c.task();
        boolean waited = t.resuming();
        while (true) {
            MsgQueue q = lookup(c, (int) msqid, READ, waited);
            long max = Math.min(msgsz, IpcSpace.MSGMAX);
            MsgQueue.Message msg = q.tryReceive(msgtyp, flags, (flags & MsgQueue.MSG_COPY) != 0 ? max : msgsz,
                    SysvIpc.pid(c), SysvIpc.now(c));
            if (msg != null) {
                int n = (int) Math.min(msg.text().length, msgsz);
                c.memory().writeLong(msgp, msg.type());
                c.memory().write(msgp + 8, msg.text(), 0, n);
                return n;
            }
            if ((flags & IPC_NOWAIT) != 0) {
                return -ENOMSG;
            }
            if (t.block(Long.MAX_VALUE, () -> q.perm.deleted || q.hasMatch(msgtyp, flags), q.changed)
                    == Task.Wait.SIGNALED) {
                return -Errno.ERESTARTNOHAND;
            }
            waited = true;
        }
    }

    /** The queue {@code id} for access {@code mode}: EINVAL when none (EIDRM when it went while we waited), EACCES, EIDRM. */
    private static MsgQueue lookup(SyscallContext c, int id, int mode, boolean waited) {
        MsgQueue q = SysvIpc.space(c).msg.find(id);
        if (q == null) {
            throw Errno.of(waited ? EIDRM : Errno.EINVAL);
        }
        if (!q.perm.permits(c.process().credentials(), mode)) {
            throw Errno.of(Errno.EACCES);
        }
        if (q.perm.deleted) {
            throw Errno.of(EIDRM);
        }
        return q;
    }

    /** Implements Linux msgctl(2): IPC_STAT, MSG_STAT, MSG_STAT_ANY, IPC_SET, IPC_RMID, IPC_INFO, MSG_INFO. */
    static long msgctl(SyscallContext c, long msqid, long cmd, long buf, long a3, long a4, long a5) {
        int command = SysvIpc.command(cmd);
        if ((int) msqid < 0) {
            return -Errno.EINVAL;
        }
        IpcIds<MsgQueue> ids = SysvIpc.space(c).msg;
        Credentials cr = c.process().credentials();
        switch (command) {
            case IPC_INFO, MSG_INFO -> {
                writeInfo(c, buf, command == MSG_INFO);
                return Math.max(ids.maxIndex(), 0);
            }
            case IPC_STAT, MSG_STAT, MSG_STAT_ANY -> {
                MsgQueue q = command == IPC_STAT ? ids.find((int) msqid) : ids.atIndex((int) msqid);
                if (q == null) {
                    return -Errno.EINVAL;
                }
                if (command != MSG_STAT_ANY && !q.perm.permits(cr, READ)) {
                    return -Errno.EACCES;
                }
                writeStat(c, buf, q);
                return command == IPC_STAT ? 0 : q.perm.id();
            }
            case IPC_SET -> {
                int[] set = SysvIpc.readPermForSet(c, buf);
                long qbytes = c.memory().readLong(buf + 88);
                MsgQueue q = owned(c, ids, (int) msqid);
                if (qbytes > IpcSpace.MSGMNB && !cr.capable(Credentials.CAP_SYS_RESOURCE)) {
                    return -Errno.EPERM;
                }
                synchronized (q) {
                    SysvIpc.applySet(q.perm, set);
                    q.qbytes = qbytes;
                    q.ctime = SysvIpc.now(c);
                }
                q.changed.wakeAll(); // senders may fit now
                return 0;
            }
            case IPC_RMID -> {
                SysvIpc.space(c).remove(owned(c, ids, (int) msqid));
                return 0;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    /** The queue {@code id} for IPC_SET or IPC_RMID: EINVAL when none, EPERM when the caller neither owns nor made it. */
    private static MsgQueue owned(SyscallContext c, IpcIds<MsgQueue> ids, int id) {
        MsgQueue q = ids.find(id);
        if (q == null) {
            throw Errno.of(Errno.EINVAL);
        }
        if (!q.perm.ownedBy(c.process().credentials())) {
            throw Errno.of(Errno.EPERM);
        }
        return q;
    }

    /** Writes struct msqid64_ds (one layout on all three arches: asm-generic/msgbuf.h, x86's msgbuf.h). */
    private static void writeStat(SyscallContext c, long a, MsgQueue q) {
        GuestMemory m = c.memory();
        byte[] b = new byte[120];
        synchronized (q) {
            SysvIpc.writePerm(c, a, q.perm);
            SysvIpc.putLong(b, 48, q.stime);
            SysvIpc.putLong(b, 56, q.rtime);
            SysvIpc.putLong(b, 64, q.ctime);
            SysvIpc.putLong(b, 72, q.cbytes);
            SysvIpc.putLong(b, 80, q.qnum());
            SysvIpc.putLong(b, 88, q.qbytes);
            SysvIpc.putInt(b, 96, SysvIpc.pidSeen(c, q.lspid));
            SysvIpc.putInt(b, 100, SysvIpc.pidSeen(c, q.lrpid));
        }
        m.write(a + SysvIpc.PERM_SIZE, b, SysvIpc.PERM_SIZE, b.length - SysvIpc.PERM_SIZE);
    }

    /**
     * Writes struct msginfo: the limits for IPC_INFO; for MSG_INFO msgpool, msgmap and msgtql
     * are the queues, messages and bytes in use (msg.c's msg_info).
     */
    private static void writeInfo(SyscallContext c, long a, boolean inUse) {
        IpcSpace s = SysvIpc.space(c);
        byte[] b = new byte[32];
        int queues = 0, messages = 0;
        long bytes = 0;
        if (inUse) {
            for (MsgQueue q : s.msg.all()) {
                queues++;
                messages += q.qnum();
                bytes += q.bytes();
            }
        }
        SysvIpc.putInt(b, 0, inUse ? queues : MSGPOOL);
        SysvIpc.putInt(b, 4, inUse ? messages : IpcSpace.MSGMNB);
        SysvIpc.putInt(b, 8, IpcSpace.MSGMAX);
        SysvIpc.putInt(b, 12, IpcSpace.MSGMNB);
        SysvIpc.putInt(b, 16, IpcSpace.MSGMNI);
        SysvIpc.putInt(b, 20, MSGSSZ);
        SysvIpc.putInt(b, 24, inUse ? (int) bytes : IpcSpace.MSGMNB);
        b[28] = (byte) MSGSEG;
        b[29] = (byte) (MSGSEG >>> 8);
        c.memory().write(a, b);
    }
}
