package dev.phoenix.abi.procfs;

import dev.phoenix.libos.ipc.IpcPerm;
import dev.phoenix.libos.ipc.IpcSpace;
import dev.phoenix.libos.ipc.MsgQueue;
import dev.phoenix.libos.ipc.SemSet;
import dev.phoenix.libos.ipc.ShmSegment;
import dev.phoenix.libos.proc.Process;
import java.util.List;

/**
 * /proc/sysvipc/{msg,sem,shm}: the reader's IPC namespace's objects, one line each in the
 * formats of Linux's sysvipc_msg_proc_show, sysvipc_sem_proc_show and sysvipc_shm_proc_show,
 * and the /proc/sys/kernel and /proc/sys/fs/mqueue limits of that namespace (read-only here).
 */
final class SysvIpcFiles {
    private SysvIpcFiles() {}

    /** The files, relative to /proc. */
    static final List<String> NAMES = List.of("sysvipc/msg", "sysvipc/sem", "sysvipc/shm", "sys/kernel/msgmax",
            "sys/kernel/msgmnb", "sys/kernel/msgmni", "sys/kernel/sem", "sys/kernel/shmmax", "sys/kernel/shmall",
            "sys/kernel/shmmni", "sys/fs/mqueue/queues_max", "sys/fs/mqueue/msg_max", "sys/fs/mqueue/msgsize_max",
            "sys/fs/mqueue/msg_default", "sys/fs/mqueue/msgsize_default");

    /** The text of {@code rel} as {@code p} reads it, or null when it is not one of these. */
    static String text(String rel, Process p) {
        IpcSpace s = p.namespaces.ipc().objects;
        return switch (rel) {
            case "sysvipc/msg" -> msg(s);
            case "sysvipc/sem" -> sem(s);
            case "sysvipc/shm" -> shm(s);
            case "sys/kernel/msgmax" -> IpcSpace.MSGMAX + "\n";
            case "sys/kernel/msgmnb" -> IpcSpace.MSGMNB + "\n";
            case "sys/kernel/msgmni" -> IpcSpace.MSGMNI + "\n";
            case "sys/kernel/sem" -> IpcSpace.SEMMSL + "\t" + IpcSpace.SEMMNS + "\t" + IpcSpace.SEMOPM + "\t"
                    + IpcSpace.SEMMNI + "\n";
            case "sys/kernel/shmmax" -> Long.toUnsignedString(IpcSpace.SHMMAX) + "\n";
            case "sys/kernel/shmall" -> Long.toUnsignedString(IpcSpace.SHMALL) + "\n";
            case "sys/kernel/shmmni" -> IpcSpace.SHMMNI + "\n";
            case "sys/fs/mqueue/queues_max" -> s.mqueues.queuesMax + "\n";
            case "sys/fs/mqueue/msg_max" -> s.mqueues.msgMax + "\n";
            case "sys/fs/mqueue/msgsize_max" -> s.mqueues.msgsizeMax + "\n";
            case "sys/fs/mqueue/msg_default" -> s.mqueues.msgDefault + "\n";
            case "sys/fs/mqueue/msgsize_default" -> s.mqueues.msgsizeDefault + "\n";
            default -> null;
        };
    }

    private static String msg(IpcSpace s) {
        StringBuilder b = new StringBuilder("       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid"
                + "  cuid  cgid      stime      rtime      ctime\n");
        for (MsgQueue q : s.msg.all()) {
            synchronized (q) {
                IpcPerm p = q.perm;
                b.append(String.format("%10d %10d  %4o  %10d %10d %5d %5d %5d %5d %5d %5d %10d %10d %10d\n", p.key,
                        p.id(), p.mode, q.cbytes, q.qnum(), q.lspid, q.lrpid, p.uid, p.gid, p.cuid, p.cgid, q.stime,
                        q.rtime, q.ctime));
            }
        }
        return b.toString();
    }

    private static String sem(IpcSpace s) {
        StringBuilder b = new StringBuilder("       key      semid perms      nsems   uid   gid  cuid  cgid      otime"
                + "      ctime\n");
        for (SemSet x : s.sem.all()) {
            synchronized (x) {
                IpcPerm p = x.perm;
                b.append(String.format("%10d %10d  %4o %10d %5d %5d %5d %5d %10d %10d\n", p.key, p.id(), p.mode,
                        x.nsems, p.uid, p.gid, p.cuid, p.cgid, x.otime, x.ctime));
            }
        }
        return b.toString();
    }

    private static String shm(IpcSpace s) {
        s.reapShm();
        StringBuilder b = new StringBuilder("       key      shmid perms                  size  cpid  lpid nattch   uid"
                + "   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n");
        for (ShmSegment x : s.shm.all()) {
            synchronized (x) {
                IpcPerm p = x.perm;
                b.append(String.format("%10d %10d  %4o %21d %5d %5d  %5d %5d %5d %5d %5d %10d %10d %10d %21d %21d\n",
                        p.key, p.id(), p.mode, x.size, x.cpid, x.lpid, x.nattch(), p.uid, p.gid, p.cuid, p.cgid,
                        x.atime, x.dtime, x.ctime, 0L, 0L));
            }
        }
        return b.toString();
    }
}
