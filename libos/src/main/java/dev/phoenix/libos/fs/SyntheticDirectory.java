package dev.phoenix.libos.fs;

import dev.phoenix.libos.proc.Process;
import java.util.ArrayList;
import java.util.List;

/** A directory of a {@link SyntheticFs} opened by the guest. */
public final class SyntheticDirectory extends ListedDirectory {
    private final SyntheticFs fs;
    private final String rel;
    private final Process process;

    /** Its status when opened: what fstat(2) answers once the directory has gone (a /proc/PID whose process was reaped). */
    private final FileStatus opened;

    public SyntheticDirectory(SyntheticFs fs, String rel, String guestPath, Process process) {
        super(guestPath);
        this.fs = fs;
        this.rel = rel;
        this.process = process;
        this.opened = fs.stat(rel, process);
    }

    @Override
    List<DirEntry> list() {
        List<DirEntry> out = new ArrayList<>();
        FileStatus self = fs.stat(rel, process);
        if (self == null) {
            throw dev.phoenix.libos.Errno.of(dev.phoenix.libos.Errno.ENOENT); // gone since it was opened
        }
        out.add(new DirEntry(self.ino(), 1, DirEntry.DT_DIR, "."));
        out.add(new DirEntry(1, 2, DirEntry.DT_DIR, ".."));
        for (String name : fs.list(rel, process)) {
            FileStatus st = fs.stat(rel.isEmpty() ? name : rel + "/" + name, process);
            out.add(new DirEntry(st == null ? 0 : st.ino(), out.size() + 1L,
                    st == null ? DirEntry.DT_UNKNOWN : DirEntry.typeOf(st.mode()), name));
        }
        return out;
    }

    @Override
    public FileStatus status() {
        FileStatus now = fs.stat(rel, process);
        return now != null ? now : opened;
    }
}
