package dev.phoenix.libos.fs;

import dev.phoenix.emu.host.HostOs;
import dev.phoenix.libos.Errno;
import java.nio.file.Path;

/** Status of host files, read with the host's own stat(2): every field, st_blocks included. */
public final class HostFiles {
    private HostFiles() {}

    /** The host's /proc/self/fd link of host fd {@code fd} ("/dev/null", "pipe:[123]"), or null. */
    public static String fdLink(int fd) {
        try {
            return java.nio.file.Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return null;
        }
    }

    /** stat(2) of {@code path} ({@code follow} false: lstat); throws the matching Errno. */
    public static FileStatus status(Path path, boolean follow) {
        try {
            return of(HostOs.stat(path.toString(), follow));
        } catch (HostOs.HostError e) {
            throw Errno.of(e.errno());
        }
    }

    /** fstat(2) of host descriptor {@code fd}; throws the matching Errno. */
    public static FileStatus status(int fd) {
        try {
            return of(HostOs.fstat(fd));
        } catch (HostOs.HostError e) {
            throw Errno.of(e.errno());
        }
    }

    private static FileStatus of(HostOs.Stat s) {
        return new FileStatus(s.dev(), s.ino(), s.mode(), s.nlink(), s.uid(), s.gid(), s.rdev(), s.size(),
                (int) s.blksize(), s.blocks(), s.atimeNs(), s.mtimeNs(), s.ctimeNs());
    }
}
