package dev.phoenix.libos.fs;

import dev.phoenix.libos.proc.WaitQueue;

/**
 * An anon_inode file with a wait queue of its own (an eventfd, a timerfd): opened O_RDWR, as
 * anon_inode_getfile opens it, with O_NONBLOCK its only status flag that fcntl may change, and
 * fstat's answer for an anonymous inode (mode 0600, no type bits).
 */
abstract class QueuedAnonymousFile implements AnonymousFile {
    private static final int O_RDWR = 2, O_NONBLOCK = 04000;

    /** Woken when the file may have become readable or writable. */
    final WaitQueue changed = new WaitQueue();
    volatile boolean nonBlocking;

    QueuedAnonymousFile(boolean nonBlocking) {
        this.nonBlocking = nonBlocking;
    }

    @Override
    public final WaitQueue readiness() {
        return changed;
    }

    @Override
    public final int statusFlags() {
        return O_RDWR | (nonBlocking ? O_NONBLOCK : 0);
    }

    @Override
    public final void setStatusFlags(int flags) {
        nonBlocking = (flags & O_NONBLOCK) != 0;
    }

    @Override
    public final FileStatus status() {
        return new FileStatus(0xe, 1, 0600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0);
    }
}
