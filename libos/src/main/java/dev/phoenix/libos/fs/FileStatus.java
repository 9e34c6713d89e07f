package dev.phoenix.libos.fs;

/**
 * The arch-neutral contents of a {@code struct stat}; linux-abi lays it out per arch.
 * {@code mode} holds the file type bits (S_IFCHR, S_IFIFO, S_IFREG) and permissions.
 */
public record FileStatus(long dev, long ino, int mode, long nlink, int uid, int gid, long rdev, long size,
        int blksize, long blocks, long atimeNs, long mtimeNs, long ctimeNs) {
    public static final int S_IFIFO = 0010000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFMT = 0170000;
}
