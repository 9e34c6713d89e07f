package dev.phoenix.abi.procfs;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.OpenFile;
import java.util.function.Consumer;

/**
 * An open /proc file: its bytes, generated at open, read from the file offset. Size 0, as Linux
 * says. A writable one (comm) hands each write(2) to its writer, whatever the offset.
 */
final class ProcFile implements OpenFile {
    private static final int O_RDONLY = 0, O_WRONLY = 1;
    private final byte[] content;
    private final int accessMode;
    private final Consumer<byte[]> writer;
    private long position;

    /** A file opened for reading. */
    ProcFile(byte[] content) {
        this(content, O_RDONLY, null);
    }

    /** A file opened with open(2)'s {@code accessMode}; {@code writer} takes what is written, or null for a read-only file. */
    ProcFile(byte[] content, int accessMode, Consumer<byte[]> writer) {
        this.content = content;
        this.accessMode = accessMode;
        this.writer = writer;
    }

    @Override
    public int read(byte[] buf, int offset, int length) {
        int n = pread(buf, offset, length, position);
        position += n;
        return n;
    }

    @Override
    public int pread(byte[] buf, int offset, int length, long pos) {
        if (accessMode == O_WRONLY) {
            throw Errno.of(Errno.EBADF);
        }
        if (pos < 0) {
            throw Errno.of(Errno.EINVAL);
        }
        if (pos >= content.length) {
            return 0;
        }
        int n = (int) Math.min(length, content.length - pos);
        System.arraycopy(content, (int) pos, buf, offset, n);
        return n;
    }

    @Override
    public int write(byte[] buf, int offset, int length) {
        if (accessMode == O_RDONLY) {
            throw Errno.of(Errno.EBADF);
        }
        if (writer == null) {
            throw Errno.of(Errno.EINVAL); // vfs_write: a file without a write operation
        }
        writer.accept(java.util.Arrays.copyOfRange(buf, offset, offset + length));
        return length;
    }

    /** pwrite(2) is ESPIPE, as on Linux's seq_file-backed proc files (seq_open drops FMODE_PWRITE). */
    @Override
    public int pwrite(byte[] buf, int offset, int length, long pos) {
        throw Errno.of(Errno.ESPIPE);
    }

    @Override
    public long seek(long offset, int whence) {
        long base = switch (whence) {
            case 0 -> 0;
            case 1 -> position;
            default -> throw Errno.of(Errno.EINVAL); // SEEK_END is EINVAL on most proc files
        };
        if (base + offset < 0) {
            throw Errno.of(Errno.EINVAL);
        }
        position = base + offset;
        return position;
    }


    @Override
    public int statusFlags() {
        return accessMode;
    }

    @Override
    public FileStatus status() {
        return new FileStatus(22, 1, FileStatus.S_IFREG | 0444, 1, 0, 0, 0, 0, 1024, 0, 0, 0, 0);
    }
}
