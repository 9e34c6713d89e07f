package dev.phoenix.libos.fs;

import dev.phoenix.libos.Errno;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A file descriptor table: fd numbers to shared {@link OpenFile} descriptions. Tables copied from
 * one another (a clone without CLONE_FILES) count references to a description together, so it
 * is released when the last fd in any of them closes.
 */
public final class FdTable {
    private final List<OpenFile> fds = new ArrayList<>();
    private final java.util.BitSet cloexec = new java.util.BitSet();
    /** Fds naming each description, in this table and its copies. @GuardedBy("refs") */
    private final Map<OpenFile, Integer> refs;

    public FdTable() {
        this(new IdentityHashMap<>());
    }

    private FdTable(Map<OpenFile, Integer> refs) {
        this.refs = refs;
    }

    /** A copy with the same descriptions at the same fds and the same FD_CLOEXEC flags (clone without CLONE_FILES). */
    public synchronized FdTable copy() {
        FdTable t = new FdTable(refs);
        t.fds.addAll(fds);
        t.cloexec.or(cloexec);
        for (OpenFile f : fds) {
            if (f != null) {
                t.ref(f);
            }
        }
        return t;
    }

    private void ref(OpenFile f) {
        synchronized (refs) {
            refs.merge(f, 1, Integer::sum);
        }
    }

    /** Drops one reference; true when it was the last. */
    private boolean unref(OpenFile f) {
        synchronized (refs) {
            if (refs.merge(f, -1, Integer::sum) == 0) {
                refs.remove(f);
                return true;
            }
            return false;
        }
    }

    /**
     * Holds a reference to {@code file} outside every table (a descriptor in flight in a
     * socket's queue, SCM_RIGHTS), so that closing its fds does not release it.
     */
    public void pin(OpenFile file) {
        ref(file);
    }

    /** Drops a reference {@link #pin} took, releasing the file when it was the last. */
    public void unpin(OpenFile file) {
        if (unref(file)) {
            file.release();
        }
    }

    /** The description behind {@code fd}; EBADF if none. */
    public synchronized OpenFile get(long fd) {
        if (fd < 0 || fd >= fds.size() || fds.get((int) fd) == null) {
            throw Errno.of(Errno.EBADF);
        }
        return fds.get((int) fd);
    }

    /**
     * Installs {@code file} at the lowest free fd at or above {@code min} and below {@code limit}
     * (RLIMIT_NOFILE), with the fd's FD_CLOEXEC flag; EMFILE when there is none (alloc_fd).
     */
    public synchronized int install(OpenFile file, int min, boolean closeOnExec, int limit) {
        for (int fd = min; fd < limit; fd++) {
            if (fd >= fds.size() || fds.get(fd) == null) {
                while (fds.size() <= fd) {
                    fds.add(null);
                }
                fds.set(fd, file);
                cloexec.set(fd, closeOnExec);
                ref(file);
                return fd;
            }
        }
        throw Errno.of(Errno.EMFILE);
    }

    /** True when some fd below {@code limit} is free. */
    public synchronized boolean hasFree(int limit) {
        for (int fd = 0; fd < limit; fd++) {
            if (fd >= fds.size() || fds.get(fd) == null) {
                return true;
            }
        }
        return false;
    }

    /** Closes {@code fd}; EBADF if it is not open. */
    public synchronized void close(long fd) {
        OpenFile f = get(fd);
        fds.set((int) fd, null);
        cloexec.clear((int) fd);
        f.flush();
        if (unref(f)) {
            f.release();
        }
    }

    /**
     * Installs {@code file} exactly at {@code fd}, closing what was there first (dup2(2)).
     * EBADF when {@code fd} is negative or not below {@code limit} (RLIMIT_NOFILE).
     */
    public synchronized int installAt(OpenFile file, int fd, boolean closeOnExec, int limit) {
        if (fd < 0 || fd >= limit) {
            throw Errno.of(Errno.EBADF);
        }
        ref(file); // before closing: file may be the one at fd
        if (fd < fds.size() && fds.get(fd) != null) {
            close(fd);
        }
        while (fds.size() <= fd) {
            fds.add(null);
        }
        fds.set(fd, file);
        cloexec.set(fd, closeOnExec);
        return fd;
    }

    /** The highest fd number that may be open, plus one. */
    public synchronized int limit() {
        return fds.size();
    }

    /** The open fd numbers in increasing order, as decimal strings (/dev/fd, /proc/PID/fd). */
    public synchronized java.util.List<String> openFdNames() {
        java.util.List<String> out = new ArrayList<>();
        for (int fd = 0; fd < fds.size(); fd++) {
            if (fds.get(fd) != null) {
                out.add(Integer.toString(fd));
            }
        }
        return out;
    }

    /** The guest paths of the open files that have one (umount2's check for a busy mount). */
    public synchronized java.util.List<String> guestPaths() {
        java.util.List<String> out = new ArrayList<>();
        for (int fd = 0; fd < fds.size(); fd++) {
            OpenFile f = fds.get(fd);
            if (f != null && f.guestPath() != null) {
                out.add(f.guestPath());
            }
        }
        return out;
    }

    /** True when {@code fd} is open. */
    public synchronized boolean isOpen(long fd) {
        return fd >= 0 && fd < fds.size() && fds.get((int) fd) != null;
    }

    /** The fd's FD_CLOEXEC flag. */
    public synchronized boolean isCloseOnExec(long fd) {
        get(fd);
        return cloexec.get((int) fd);
    }

    /** Sets the fd's FD_CLOEXEC flag. */
    public synchronized void setCloseOnExec(long fd, boolean on) {
        get(fd);
        cloexec.set((int) fd, on);
    }

    /** Tasks using this table (threads made with CLONE_FILES share one); the last to leave closes every fd. */
    private int users = 1;

    /** One more task uses this table (clone with CLONE_FILES). */
    public synchronized void hold() {
        users++;
    }

    /** A task using this table has exited or replaced it (execve's unshare): the last one closes every fd. */
    public void release() {
        synchronized (this) {
            if (--users > 0) {
                return;
            }
        }
        closeAll();
    }

    /** True when more than one task uses this table. */
    public synchronized boolean shared() {
        return users > 1;
    }

    /** Closes every fd marked FD_CLOEXEC (execve). */
    public synchronized void closeOnExec() {
        for (int fd = cloexec.nextSetBit(0); fd >= 0 && fd < fds.size(); fd = cloexec.nextSetBit(fd + 1)) {
            if (fds.get(fd) != null) {
                close(fd);
            }
        }
    }

    /** Closes every fd (process exit). */
    public synchronized void closeAll() {
        for (int fd = 0; fd < fds.size(); fd++) {
            if (fds.get(fd) != null) {
                close(fd);
            }
        }
    }
}
