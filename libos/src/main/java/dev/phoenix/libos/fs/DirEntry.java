package dev.phoenix.libos.fs;

/**
 * One directory entry as getdents64(2) reports it: inode, the offset of the next entry, type
 * (DT_* from dirent.h) and name.
 */
public record DirEntry(long ino, long nextOffset, int type, String name) {
    public static final int DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8, DT_LNK = 10,
            DT_SOCK = 12;

    /** The DT_* type for a mode's S_IFMT bits. */
    public static int typeOf(int mode) {
        return (mode & FileStatus.S_IFMT) >>> 12;
    }
}
