package dev.phoenix.libos.fs;

import dev.phoenix.libos.proc.Process;
import java.util.List;

/**
 * A file system whose files the LibOS makes up (devfs today; procfs and sysfs next), mounted
 * in the {@link Vfs} at a guest path. Paths here are relative to the mount point, "" being
 * its root; answers may depend on the calling process (/dev/fd, /dev/stdin).
 */
public interface SyntheticFs {
    /** Status of {@code rel}, or null when it does not exist. */
    FileStatus stat(String rel, Process process);

    /** Opens {@code rel} (not a directory); ENOENT when it does not exist. */
    OpenFile open(String rel, Process process);

    /**
     * Opens {@code rel} with open(2)'s access mode (O_RDONLY 0, O_WRONLY 1, O_RDWR 2), for a file
     * system with writable files (/proc/PID/comm); by default the access mode is not the file's
     * concern.
     */
    default OpenFile open(String rel, Process process, int accessMode) {
        return open(rel, process);
    }

    /**
     * Opens {@code rel} with open(2)'s access mode and its other {@code flags} (O_NONBLOCK for
     * a device); by default the flags are not the file's concern.
     */
    default OpenFile open(String rel, Process process, int accessMode, int flags) {
        return open(rel, process, accessMode);
    }

    /**
     * Opens directory {@code rel} (at {@code guestPath}) for getdents(2); EACCES where the file
     * system's modes refuse {@code process} a listing (/proc/PID/fd of another user's process).
     */
    default OpenFile openDirectory(String rel, String guestPath, Process process) {
        return new SyntheticDirectory(this, rel, guestPath, process);
    }

    /** Names in directory {@code rel}, without "." and "..". */
    List<String> list(String rel, Process process);

    /**
     * mkdir(2) of {@code rel} (mode {@code mode}) in a file system where directories may be made
     * (cgroup2: a new group); by default EEXIST, what mkdir answered before file systems had
     * a say.
     */
    default void mkdir(String rel, Process process, int mode) {
        throw dev.phoenix.libos.Errno.of(dev.phoenix.libos.Errno.EEXIST);
    }

    /** rmdir(2) of directory {@code rel}, where the file system allows it (cgroup2); by default EROFS. */
    default void rmdir(String rel, Process process) {
        throw dev.phoenix.libos.Errno.of(dev.phoenix.libos.Errno.EROFS);
    }

    /** unlink(2) of file {@code rel}, where the file system allows it (mqueue: a queue); by default EROFS. */
    default void unlink(String rel, Process process) {
        throw dev.phoenix.libos.Errno.of(dev.phoenix.libos.Errno.EROFS);
    }

    /** statfs(2)'s f_type for this file system (PROC_SUPER_MAGIC, SYSFS_MAGIC, TMPFS_MAGIC). */
    long magic();

    /** The target of symlink {@code rel}, or null when {@code rel} is not a symlink. */
    default String readlink(String rel, Process process) {
        return null;
    }

    /**
     * The open file that symlink {@code rel} stands for when it is one of proc(5)'s "magic"
     * links (/proc/PID/fd/N), or null. Following such a link reaches the file itself, not the
     * path its text names: a pipe or a terminal has no path to walk ("pipe:[1234]").
     */
    default OpenFile magicLink(String rel, Process process) {
        return null;
    }
}
