package dev.phoenix.libos.fs;

import dev.phoenix.libos.Errno;
import java.util.ArrayList;
import java.util.List;

/**
 * An open directory whose entries are listed once, on the first read, and served from the
 * directory offset (an index), which lseek(2) with SEEK_SET may move back.
 */
abstract class ListedDirectory implements OpenFile {
    private final String guestPath;
    private List<DirEntry> entries;
    private int position;

    ListedDirectory(String guestPath) {
        this.guestPath = guestPath;
    }

    /** All entries, "." and ".." first, each with its next offset. */
    abstract List<DirEntry> list();

    @Override
    public final List<DirEntry> readDirectory(int max) {
        if (entries == null) {
            entries = list();
        }
        List<DirEntry> out = new ArrayList<>();
        while (position < entries.size() && out.size() < max) {
            out.add(entries.get(position++));
        }
        return out;
    }

    @Override
    public final long seek(long offset, int whence) {
        if (whence != 0 || offset < 0) {
            throw Errno.of(Errno.EINVAL);
        }
        position = (int) Math.min(offset, Integer.MAX_VALUE);
        return position;
    }

    @Override
    public final int read(byte[] buf, int offset, int length) {
        throw Errno.of(Errno.EISDIR);
    }

    @Override
    public final int write(byte[] buf, int offset, int length) {
        throw Errno.of(Errno.EBADF);
    }

    @Override
    public final int terminalFd() {
        return -1;
    }

    @Override
    public final int statusFlags() {
        return 0200000; // O_RDONLY | O_DIRECTORY (generic value; aarch64 differs, see ArchAbi.OpenFlags)
    }

    @Override
    public final String guestPath() {
        return guestPath;
    }
}
