package dev.phoenix.libos.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/** Status of host files, read with one stat(2) through the JDK's "unix" attribute view. */
public final class HostFiles {
    private HostFiles() {}

    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};
    private static final LinkOption[] FOLLOW = {};

    /** stat(2) of {@code path} ({@code follow} false: lstat); throws the matching Errno. */
    public static FileStatus status(Path path, boolean follow) {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:*", follow ? FOLLOW : NOFOLLOW);
            long size = (Long) a.get("size");
            return new FileStatus((Long) a.get("dev"), (Long) a.get("ino"), (Integer) a.get("mode"),
                    (Integer) a.get("nlink"), (Integer) a.get("uid"), (Integer) a.get("gid"), (Long) a.get("rdev"), size,
                    4096, (size + 511) / 512, nanos(a.get("lastAccessTime")), nanos(a.get("lastModifiedTime")),
                    nanos(a.get("ctime")));
        } catch (IOException e) {
            throw HostErrors.toErrno(e);
        }
    }

    private static long nanos(Object fileTime) {
        java.time.Instant i = ((FileTime) fileTime).toInstant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }
}
