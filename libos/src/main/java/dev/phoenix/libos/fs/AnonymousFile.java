package dev.phoenix.libos.fs;

import dev.phoenix.libos.Errno;

/**
 * A file of Linux's anon_inode kind (an epoll instance, a pidfd): opened by a syscall, never by
 * a path, with no terminal behind it; read and write are EINVAL unless the kind says otherwise.
 */
public interface AnonymousFile extends OpenFile {
    @Override
    default int read(byte[] buf, int offset, int length) {
        throw Errno.of(Errno.EINVAL);
    }

    @Override
    default int write(byte[] buf, int offset, int length) {
        throw Errno.of(Errno.EINVAL);
    }

    @Override
    default int terminalFd() {
        return -1;
    }

    @Override
    default boolean openedByPath() {
        return false;
    }
}
