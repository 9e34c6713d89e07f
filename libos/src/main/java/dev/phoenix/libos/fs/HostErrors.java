package dev.phoenix.libos.fs;

import dev.phoenix.libos.Errno;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NotLinkException;

/** The one place where host I/O exceptions become Linux errno values. */
public final class HostErrors {
    private HostErrors() {}

    /** The Linux errno that best describes {@code e}. */
    public static Errno toErrno(IOException e) {
        int errno;
        if (e instanceof NoSuchFileException) {
            errno = Errno.ENOENT;
        } else if (e instanceof AccessDeniedException) {
            errno = Errno.EACCES;
        } else if (e instanceof NotDirectoryException) {
            errno = Errno.ENOTDIR;
        } else if (e instanceof FileSystemLoopException) {
            errno = Errno.ELOOP;
        } else if (e instanceof NotLinkException) {
            errno = Errno.EINVAL;
        } else if (e instanceof DirectoryNotEmptyException) {
            errno = Errno.ENOTEMPTY;
        } else if (e instanceof FileAlreadyExistsException) {
            errno = Errno.EEXIST;
        } else if (e instanceof java.nio.file.AtomicMoveNotSupportedException) {
            errno = Errno.EXDEV;
        } else if (e.getMessage() != null && e.getMessage().contains("Not a directory")) {
            errno = Errno.ENOTDIR;
        } else if (e.getMessage() != null && e.getMessage().contains("Too many levels of symbolic links")) {
            errno = Errno.ELOOP;
        } else if (e.getMessage() != null && e.getMessage().contains("Is a directory")) {
            errno = Errno.EISDIR;
        } else if (e.getMessage() != null && e.getMessage().contains("Invalid argument")) {
            errno = Errno.EINVAL;
        } else if (e.getMessage() != null && e.getMessage().contains("Operation not permitted")) {
            errno = Errno.EPERM;
        } else if (e.getMessage() != null && e.getMessage().contains("Invalid cross-device link")) {
            errno = Errno.EXDEV;
        } else if (e.getMessage() != null && e.getMessage().contains("No space left")) {
            errno = Errno.ENOSPC;
        } else {
            errno = Errno.EIO;
        }
        return Errno.of(errno);
    }
}
