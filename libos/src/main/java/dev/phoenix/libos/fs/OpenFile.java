package dev.phoenix.libos.fs;

/**
 * An open file description (what several fds may share after dup). Methods return byte counts
 * or throw {@link dev.phoenix.libos.Errno}.
 */
public interface OpenFile {
    /** Reads up to {@code length} bytes into {@code buf[offset..]}; 0 at end of file. */
    int read(byte[] buf, int offset, int length);

    /** Writes {@code buf[offset..offset+length)}; returns the count written. */
    int write(byte[] buf, int offset, int length);

    /** The host terminal fd behind this file, or -1 when it is not a terminal (most files). */
    default int terminalFd() {
        return -1;
    }

    /**
     * The terminal this file is, for job control and terminal ioctls, or null: a host terminal
     * that is the guest's controlling terminal, or a pseudo-terminal's slave (for its master
     * too, whose settings ioctls reach the slave's, as Linux's real_tty).
     */
    default dev.phoenix.libos.tty.Terminal terminal() {
        return null;
    }

    /** True for a pseudo-terminal's master, which job control never stops and which is no one's controlling terminal. */
    default boolean ptyMaster() {
        return false;
    }

    /** File status for fstat(2). */
    FileStatus status();

    /** True for /dev/zero, whose mmap(2), private or shared, is fresh anonymous memory. */
    default boolean mapsAsAnonymous() {
        return false;
    }

    /**
     * The frames mmap(2) of this device file at {@code offset} maps for {@code length} bytes
     * (MAP_SHARED: the guest sees the device's own memory, as a DRM buffer's mmap does), or null
     * for a file that is not such a device; throws EINVAL for an offset or length it has no
     * frames for. The frames come held once more for the caller, who releases that hold when
     * done (a mapping takes a hold of its own), so a buffer destroyed meanwhile on another thread
     * cannot take them away between the lookup and the mapping.
     */
    default dev.phoenix.libos.cap.Frames deviceFrames(long offset, long length) {
        return null;
    }

    /**
     * The poll(2) events that hold now (what a file_operations poll answers): POLLIN, POLLOUT,
     * and POLLHUP or POLLERR when the other end is gone. By default, those of a file that never
     * blocks ({@link PollEvents#DEFAULT}).
     */
    default int pollEvents() {
        return PollEvents.DEFAULT;
    }

    /**
     * The queue woken whenever {@link #pollEvents} may have changed (poll, select and every
     * blocking wait on this file wait there), or null for a file whose readiness never changes.
     */
    default dev.phoenix.libos.proc.WaitQueue readiness() {
        return null;
    }

    /**
     * Every queue whose wake may change {@link #pollEvents}: {@link #readiness} alone, but for a
     * file whose readiness is that of other files (an epoll descriptor: its entries'). Empty
     * when the readiness never changes.
     */
    default dev.phoenix.libos.proc.WaitQueue[] readinessQueues() {
        dev.phoenix.libos.proc.WaitQueue q = readiness();
        return q == null ? new dev.phoenix.libos.proc.WaitQueue[0] : new dev.phoenix.libos.proc.WaitQueue[] {q};
    }

    /** A count that grows at every wake of {@link #readinessQueues} (what edge-triggered epoll compares). */
    default long readinessGeneration() {
        long g = 0;
        for (dev.phoenix.libos.proc.WaitQueue q : readinessQueues()) {
            g += q.generation();
        }
        return g;
    }

    /** Called when the last fd referring to this description is closed. */
    default void release() {}

    /**
     * Called at every close of an fd of this description, by the closing task (Linux's
     * file_operations flush, which filp_close calls for each close): a POSIX message queue drops
     * the closing process's notification there.
     */
    default void flush() {}

    /** lseek(2): moves the file offset; ESPIPE for streams. Returns the new offset. */
    default long seek(long offset, int whence) {
        throw dev.phoenix.libos.Errno.of(dev.phoenix.libos.Errno.ESPIPE);
    }

    /** pread(2) at {@code position} without moving the offset; ESPIPE for streams. */
    default int pread(byte[] buf, int offset, int length, long position) {
        throw dev.phoenix.libos.Errno.of(dev.phoenix.libos.Errno.ESPIPE);
    }

    /** pwrite(2) at {@code position} without moving the offset; ESPIPE for streams. */
    default int pwrite(byte[] buf, int offset, int length, long position) {
        throw dev.phoenix.libos.Errno.of(dev.phoenix.libos.Errno.ESPIPE);
    }

    /** The open file status flags F_GETFL reports: access mode (O_RDONLY 0, O_WRONLY 1, O_RDWR 2) and O_APPEND. */
    default int statusFlags() {
        return 2;
    }

    /**
     * True when open(2) made this file, so that F_GETFL shows the O_LARGEFILE a 64-bit kernel
     * adds to every open; false for pipes and the inherited standard streams.
     */
    default boolean openedByPath() {
        return true;
    }

    /** F_SETFL: changes O_APPEND and O_NONBLOCK where the file has them; other bits are ignored, as in Linux. */
    default void setStatusFlags(int flags) {}

    /** The guest path this file was opened by, or null (streams); the base for *at() calls on a directory. */
    default String guestPath() {
        return null;
    }

    /**
     * What /proc/PID/fd/N reads as for a file without a guest path, when it knows better than
     * "pipe:[inode]" (a host stream: the host's own link, /dev/null or pipe:[...]); null otherwise.
     */
    default String procLink() {
        return null;
    }

    /** The next directory entries from the directory offset (getdents64); ENOTDIR for non-directories. */
    default java.util.List<DirEntry> readDirectory(int max) {
        throw dev.phoenix.libos.Errno.of(dev.phoenix.libos.Errno.ENOTDIR);
    }
}
