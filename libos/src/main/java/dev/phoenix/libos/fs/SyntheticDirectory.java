package dev.phoenix.libos.fs;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.Process;
import java.util.ArrayList;
import java.util.List;

/** A directory of a {@link SyntheticFs} opened by the guest, listed when first read. */
public final class SyntheticDirectory implements OpenFile {
    private final SyntheticFs fs;
    private final String rel;
    private final String guestPath;
    private final Process process;
    private List<DirEntry> entries;
    private int position;

    public SyntheticDirectory(SyntheticFs fs, String rel, String guestPath, Process process) {
        this.fs = fs;
        this.rel = rel;
        this.guestPath = guestPath;
        this.process = process;
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
            entries = new ArrayList<>();
            FileStatus self = fs.stat(rel, process);
            entries.add(new DirEntry(self.ino(), 1, DirEntry.DT_DIR, "."));
            entries.add(new DirEntry(1, 2, DirEntry.DT_DIR, ".."));
            for (String name : fs.list(rel, process)) {
                String child = rel.isEmpty() ? name : rel + "/" + name;
                FileStatus st = fs.stat(child, process);
                entries.add(new DirEntry(st == null ? 0 : st.ino(), entries.size() + 1L,
                        st == null ? DirEntry.DT_UNKNOWN : DirEntry.typeOf(st.mode()), name));
            }
        }
        List<DirEntry> out = new ArrayList<>();
        while (position < entries.size() && out.size() < max) {
            out.add(entries.get(position++));
        }
        return out;
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
        return fs.stat(rel, process);
    }

    @Override
    public int statusFlags() {
        return 0200000;
    }

    @Override
    public String guestPath() {
        return guestPath;
    }
}
