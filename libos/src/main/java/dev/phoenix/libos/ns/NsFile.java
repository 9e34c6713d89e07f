package dev.phoenix.libos.ns;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.OpenFile;

/**
 * An open nsfs file: what opening /proc/PID/ns/KIND gives, a handle on the namespace that
 * setns(2) enters and that keeps the namespace alive. Its status carries the namespace's inode
 * number on the nsfs device, so stat(2) tells namespaces apart as on Linux; it cannot be read or
 * written.
 */
public final class NsFile implements OpenFile {
    /** The nsfs device Linux reports (anonymous device 0:4 on current kernels). */
    public static final long NSFS_DEV = 4;
    /** NSFS_MAGIC, statfs(2)'s f_type of an nsfs file. */
    public static final long NSFS_MAGIC = 0x6e736673L;

    private final Namespace namespace;
    private final int flags;

    public NsFile(Namespace namespace, int flags) {
        this.namespace = namespace;
        this.flags = flags;
    }

    public Namespace namespace() {
        return namespace;
    }

    @Override
    public int read(byte[] buf, int offset, int length) {
        throw Errno.of(Errno.EINVAL);
    }

    @Override
    public int write(byte[] buf, int offset, int length) {
        throw Errno.of(Errno.EINVAL);
    }

    @Override
    public FileStatus status() {
        return new FileStatus(NSFS_DEV, namespace.inode(), FileStatus.S_IFREG | 0444, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0);
    }

    @Override
    public int statusFlags() {
        return flags;
    }

    @Override
    public String procLink() {
        return namespace.toString();
    }
}
