package dev.phoenix.libos.fs;

import dev.phoenix.libos.Errno;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A host directory opened by the guest. Its entries ("." and ".." first) are listed on the
 * first read and served from the directory offset, which lseek(2) may move back.
 */
public final class HostDirectory implements OpenFile {
    private final Path hostPath;
    private final String guestPath;
    private final Path parentHostPath;
    private List<DirEntry> entries;
    private int position;

    /** {@code parentHostPath} is the host path of the guest's ".." (the directory itself at the root). */
    public HostDirectory(Path hostPath, String guestPath, Path parentHostPath) {
        this.hostPath = hostPath;
        this.guestPath = guestPath;
        this.parentHostPath = parentHostPath;
    }

    @Override
    public int read(byte[] buf, int offset, int length) {
        throw Errno.of(Errno.EISDIR);
    }

    @Override
    public int write(byte[] buf, int offset, int length) {
        throw Errno.of(Errno.EBADF);
    }

    @Override
    public List<DirEntry> readDirectory(int max) {
        if (entries == null) {
            entries = list();
        }
        List<DirEntry> out = new ArrayList<>();
        while (position < entries.size() && out.size() < max) {
            out.add(entries.get(position++));
        }
        return out;
    }

    /** Puts back the last {@code n} entries returned, when they did not fit the guest's buffer. */
    public void unread(int n) {
        position -= n;
    }

    private List<DirEntry> list() {
        List<DirEntry> out = new ArrayList<>();
        out.add(entry(hostPath, ".", 1));
        out.add(entry(parentHostPath, "..", 2));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(hostPath)) {
            for (Path p : ds) {
                out.add(entry(p, p.getFileName().toString(), out.size() + 1));
            }
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        }
        return out;
    }

    private static DirEntry entry(Path p, String name, long next) {
        try {
            FileStatus st = HostFiles.status(p, false);
            return new DirEntry(st.ino(), next, DirEntry.typeOf(st.mode()), name);
        } catch (Errno e) {
            return new DirEntry(0, next, DirEntry.DT_UNKNOWN, name); // removed while listing
        }
    }

    @Override
    public long seek(long offset, int whence) {
        if (whence != 0 || offset < 0) {
            throw Errno.of(Errno.EINVAL);
        }
        position = (int) Math.min(offset, Integer.MAX_VALUE);
        return position;
    }

    @Override
    public int terminalFd() {
        return -1;
    }

    @Override
    public FileStatus status() {
        return HostFiles.status(hostPath, true);
    }

    @Override
    public int statusFlags() {
        return 0200000; // O_RDONLY | O_DIRECTORY (generic value; aarch64 differs, see ArchAbi.OpenFlags)
    }

    @Override
    public String guestPath() {
        return guestPath;
    }
}
