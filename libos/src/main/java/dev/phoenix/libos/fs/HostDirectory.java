package dev.phoenix.libos.fs;

import dev.phoenix.libos.Errno;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A host directory opened by the guest. */
public final class HostDirectory extends ListedDirectory {
    private final Path hostPath;
    private final Path parentHostPath;

    /** {@code parentHostPath} is the host path of the guest's ".." (the directory itself at the root). */
    public HostDirectory(Path hostPath, String guestPath, Path parentHostPath) {
        super(guestPath);
        this.hostPath = hostPath;
        this.parentHostPath = parentHostPath;
    }

    @Override
    List<DirEntry> list() {
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
    public FileStatus status() {
        return HostFiles.status(hostPath, true);
    }
}
