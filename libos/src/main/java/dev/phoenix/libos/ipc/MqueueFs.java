package dev.phoenix.libos.ipc;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.SyntheticFs;
import dev.phoenix.libos.proc.Credentials;
import dev.phoenix.libos.proc.Process;
import java.util.ArrayList;
import java.util.List;

/**
 * The mqueue file system of one IPC namespace (mount -t mqueue none /dev/mqueue; Linux's
 * mqueue_fs_type, whose superblock is the namespace of the process that mounts it): a root
 * directory (mode 1777) with a regular file per queue, of the queue's owner and mode, that reads
 * as its status line; unlink(2) removes a queue as mq_unlink does, and open(2) of one gives a
 * descriptor the mq_* calls take. Queues are made with mq_open only (no open O_CREAT here).
 */
public final class MqueueFs implements SyntheticFs {
    /** The directory's size per entry (DIRENT_SIZE). */
    private static final int DIRENT_SIZE = 20;
    private static final int CAP_FOWNER = 3;

    private final PosixMqs queues;

    /** The file system of the namespace whose queues are {@code queues}. */
    public MqueueFs(PosixMqs queues) {
        this.queues = queues;
    }

    @Override
    public FileStatus stat(String rel, Process process) {
        if (rel.isEmpty()) {
            long size = (long) DIRENT_SIZE * (2 + queues.all().size());
            return new FileStatus(queues.devNumber(), 1, FileStatus.S_IFDIR | 01777, 2, 0, 0, 0, size, 4096, 0, 0, 0,
                    0);
        }
        PosixMq q = queues.lookup(rel);
        if (q == null) {
            return null;
        }
        synchronized (q) {
            return new FileStatus(queues.devNumber(), q.ino, FileStatus.S_IFREG | q.mode, 1, q.uid, q.gid, 0,
                    PosixMq.FILENT_SIZE, 4096, 0, q.atime, q.mtime, q.ctime);
        }
    }

    @Override
    public OpenFile open(String rel, Process process) {
        return open(rel, process, 0, 0);
    }

    /** open(2) of a queue's file: its permission bits decide (EACCES), as inode_permission does. */
    @Override
    public OpenFile open(String rel, Process process, int accessMode, int flags) {
        PosixMq q = queues.lookup(rel);
        if (q == null) {
            throw Errno.of(Errno.ENOENT);
        }
        int may = switch (accessMode & 3) {
            case 0 -> 4;
            case 1 -> 2;
            default -> 6;
        };
        if (!q.permits(process.credentials(), may)) {
            throw Errno.of(Errno.EACCES);
        }
        return new MqueueFile(queues, q, accessMode | (flags & 04000), null);
    }

    @Override
    public List<String> list(String rel, Process process) {
        List<String> names = new ArrayList<>();
        if (rel.isEmpty()) {
            for (PosixMq q : queues.all()) {
                names.add(q.name);
            }
        }
        return names;
    }

    /** unlink(2) of a queue: in the sticky root only its owner or CAP_FOWNER may (EPERM, check_sticky). */
    @Override
    public void unlink(String rel, Process process) {
        PosixMq q = queues.lookup(rel);
        if (q == null) {
            throw Errno.of(Errno.ENOENT);
        }
        mayDelete(q, process.credentials());
        queues.unlink(rel);
    }

    /** may_delete in the sticky 1777 root owned by root: the queue's owner, root, or CAP_FOWNER. */
    public static void mayDelete(PosixMq q, Credentials cr) {
        int owner;
        synchronized (q) {
            owner = q.uid;
        }
        if (cr.fsuid != owner && cr.fsuid != 0 && !cr.capable(CAP_FOWNER)) {
            throw Errno.of(Errno.EPERM);
        }
    }

    @Override
    public long magic() {
        return 0x19800202L; // MQUEUE_MAGIC
    }
}
