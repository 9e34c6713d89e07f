package dev.phoenix.libos.fs;

import dev.phoenix.emu.host.HostOs;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.mm.MappedFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** A regular host file opened by the guest, read and written through a FileChannel. */
public final class HostFile implements OpenFile {
    private static final int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2;

    private final FileChannel channel;
    private final Path hostPath;
    private final String guestPath;
    private final boolean readable;
    private final boolean writable;
    private boolean append;
    private FlockTable flocks;
    /** Shared mappings still using the channel, and whether the last fd was closed. */
    private int mappings;
    private boolean released;
    /**
     * An O_PATH descriptor of the same file, for fstat(2): the FileChannel does not show its own
     * descriptor, and the path may have been unlinked or renamed since (tmpfile(3)); -1 when the
     * host refused one, and the path is stat'ed instead.
     */
    private final int statFd;
    /** Run once when the last descriptor is closed (the writer count a writable open took). */
    private Runnable releaseHook;

    /** The tmpfs whose size limit this file's growth is charged to, or null. */
    private Tmpfs space;

    /** Charges this file's growth to {@code fs}'s size limit (a file of a tmpfs mount). */
    public void chargeTo(Tmpfs fs) {
        this.space = fs;
    }

    /** The memory cgroups a tmpfs file's pages are charged in, or null; and the file's key there. */
    private dev.phoenix.libos.cgroup.CgroupHierarchy memcg;
    private Object memcgKey;

    /**
     * Charges the pages this file grows by to the memory cgroup of the process that first grows
     * it, in {@code cgroups} (a file of a tmpfs mount: shmem pages), {@code key} being the host
     * file's identity ({@link Vfs#fileKey}).
     */
    public void chargeMemoryTo(dev.phoenix.libos.cgroup.CgroupHierarchy cgroups, Object key) {
        this.memcg = key == null ? null : cgroups;
        this.memcgKey = key;
    }

    /**
     * How much of a write of {@code length} at {@code position} fits in the tmpfs (ENOSPC for
     * none) and in the memory.max of the writer's memory cgroup (ENOMEM for none, after the OOM
     * killer ran).
     */
    private int fits(long position, int length) throws IOException {
        int n = space == null ? length : space.charge(channel.size(), position, length);
        if (memcg != null) {
            dev.phoenix.libos.proc.Task t = dev.phoenix.libos.proc.Task.current();
            n = memcg.chargeShmem(t == null ? null : t.process(), memcgKey, channel.size(), position, n);
        }
        return n;
    }

    /** Runs {@code hook} when the description is released. */
    public void onRelease(Runnable hook) {
        this.releaseHook = hook;
    }

    public HostFile(FileChannel channel, Path hostPath, String guestPath, boolean readable, boolean writable,
            boolean append) {
        this.channel = channel;
        this.hostPath = hostPath;
        this.guestPath = guestPath;
        this.readable = readable;
        this.writable = writable;
        this.append = append;
        this.statFd = HostOs.openPath(hostPath.toString());
    }

    /** The host path the file was opened at (it may since have been renamed or unlinked). */
    public Path hostPath() {
        return hostPath;
    }

    /**
     * A host descriptor that reads this file (its own, which the caller closes), for a transfer
     * the host kernel makes (sendfile into a host socket); -1 when the file is not open for
     * reading or the host will not reopen it.
     */
    public int reopenForReading() {
        if (!readable || statFd < 0) {
            return -1;
        }
        int fd = HostOs.reopenReadOnly(statFd);
        return fd >= 0 ? fd : -1;
    }

    @Override
    public int read(byte[] buf, int offset, int length) {
        if (!readable) {
            throw Errno.of(Errno.EBADF);
        }
        try {
            return Math.max(channel.read(ByteBuffer.wrap(buf, offset, length)), 0);
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        }
    }

    @Override
    public int write(byte[] buf, int offset, int length) {
        if (!writable) {
            throw Errno.of(Errno.EBADF);
        }
        try {
            if (append) {
                channel.position(channel.size());
            }
            length = fits(channel.position(), length);
            return channel.write(ByteBuffer.wrap(buf, offset, length));
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        }
    }

    /**
     * True when {@link #transferTo} can fill this file: open for writing, without O_APPEND
     * (into which sendfile(2) is EINVAL anyway).
     */
    public boolean takesTransfers() {
        return writable && !append;
    }

    /**
     * sendfile(2) from this file at {@code position} into {@code out} at its file offset (which
     * moves), made by the host (FileChannel.transferTo: copy_file_range or sendfile), not through
     * the JVM; the count moved.
     */
    public long transferTo(long position, long count, HostFile out) {
        if (!readable || !out.takesTransfers()) {
            throw Errno.of(Errno.EBADF);
        }
        try {
            return channel.transferTo(position, count, out.channel);
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        }
    }

    /** Where the next write(2) lands: the end of the file with O_APPEND, else the file offset. */
    public long writePosition() {
        try {
            return append ? channel.size() : channel.position();
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        }
    }

    @Override
    public int pread(byte[] buf, int offset, int length, long position) {
        if (!readable) {
            throw Errno.of(Errno.EBADF);
        }
        if (position < 0) {
            throw Errno.of(Errno.EINVAL);
        }
        try {
            return Math.max(channel.read(ByteBuffer.wrap(buf, offset, length), position), 0);
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        }
    }

    @Override
    public int pwrite(byte[] buf, int offset, int length, long position) {
        if (!writable) {
            throw Errno.of(Errno.EBADF);
        }
        if (position < 0) {
            throw Errno.of(Errno.EINVAL);
        }
        try {
            length = fits(position, length);
            return channel.write(ByteBuffer.wrap(buf, offset, length), position);
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        }
    }

    @Override
    public long seek(long offset, int whence) {
        try {
            long base = switch (whence) {
                case SEEK_SET -> 0;
                case SEEK_CUR -> channel.position();
                case SEEK_END -> channel.size();
                default -> throw Errno.of(Errno.EINVAL);
            };
            long target = base + offset;
            if (target < 0) {
                throw Errno.of(Errno.EINVAL);
            }
            channel.position(target);
            return target;
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        }
    }

    /** ftruncate(2): shrinks or extends (with zeros) to {@code length}. */
    public void truncate(long length) {
        if (!writable) {
            throw Errno.of(Errno.EINVAL);
        }
        try {
            truncate(channel, length);
            if (memcg != null) {
                memcg.shmemTruncated(memcgKey, length);
            }
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        }
    }

    /** Sets the size of {@code ch} to {@code length}; FileChannel.truncate only shrinks. */
    public static void truncate(FileChannel ch, long length) throws IOException {
        long size = ch.size();
        if (length < size) {
            long pos = ch.position();
            ch.truncate(length);
            ch.position(pos);
        } else if (length > size) {
            ch.write(ByteBuffer.allocate(1), length - 1);
        }
    }

    /** fsync(2) ({@code metadata} true) or fdatasync(2). */
    public void sync(boolean metadata) {
        try {
            channel.force(metadata);
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        }
    }


    @Override
    public FileStatus status() {
        return statFd >= 0 ? HostFiles.status(statFd) : HostFiles.status(hostPath, true);
    }

    @Override
    public void setStatusFlags(int flags) {
        append = (flags & 02000) != 0;
    }

    /** Remembers the table to release this file's flock(2) locks in when it is closed. */
    public void lockedIn(FlockTable table) {
        this.flocks = table;
    }

    @Override
    public int statusFlags() {
        int acc = readable && writable ? 2 : writable ? 1 : readable ? 0 : 3;
        return acc | (append ? 02000 : 0);
    }

    @Override
    public String guestPath() {
        return guestPath;
    }

    /**
     * The file for a MAP_SHARED mmap(2) of it, writable when this description is O_RDWR; it keeps
     * the channel open after the guest closes its fd, until the mapping is gone, as in Linux.
     */
    public MappedFile mapShared() {
        FileStatus st = status();
        mappings++;
        return new MappedFile(channel, readable && writable, guestPath, st.dev(), st.ino(), () -> {
            mappings--;
            closeWhenUnused();
        });
    }

    @Override
    public void release() {
        Runnable hook = releaseHook;
        releaseHook = null;
        if (hook != null) {
            hook.run();
        }
        if (flocks != null) {
            flocks.release(this);
        }
        released = true;
        closeWhenUnused();
    }

    private void closeWhenUnused() {
        if (!released || mappings > 0) {
            return;
        }
        if (statFd >= 0) {
            HostOs.close(statFd);
        }
        try {
            channel.close();
        } catch (IOException e) {
            // close(2) has already succeeded for the guest; nothing is lost on a read-only or synced file.
        }
    }
}
