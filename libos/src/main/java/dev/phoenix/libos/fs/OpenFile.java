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

    /** The host terminal fd behind this file, or -1 when it is not a terminal. */
    int terminalFd();

    /** File status for fstat(2). */
    FileStatus status();

    /** Called when the last fd referring to this description is closed. */
    default void release() {}
}
