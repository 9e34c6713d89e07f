package dev.phoenix.abi.procfs;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.OpenFile;

/** An open /proc file: its bytes, generated at open, read from the file offset. Size 0, as Linux says. */
final class ProcFile implements OpenFile {
    private final byte[] content;
    private long position;

    ProcFile(byte[] content) {
        this.content = content;
    }

    @Override
    public int read(byte[] buf, int offset, int length) {
        int n = pread(buf, offset, length, position);
        position += n;
        return n;
    }

    @Override
    public int pread(byte[] buf, int offset, int length, long pos) {
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
        throw Errno.of(Errno.EBADF);
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
    public int terminalFd() {
        return -1;
    }

    @Override
    public int statusFlags() {
        return 0;
    }

    @Override
    public FileStatus status() {
        return new FileStatus(22, 1, FileStatus.S_IFREG | 0444, 1, 0, 0, 0, 0, 1024, 0, 0, 0, 0);
    }
}
