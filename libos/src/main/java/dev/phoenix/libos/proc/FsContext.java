package dev.phoenix.libos.proc;

/**
 * The file-system context clone(2) shares with CLONE_FS: the working directory and the umask
 * (the root is the kernel's rootfs until the containers issue brings chroot).
 */
public final class FsContext {
    /** Current working directory, an absolute guest path. */
    public volatile String cwd = "/";
    /** umask(2), applied to modes of files and directories the process creates. */
    public volatile int umask = 022;

    /** A copy, for a clone without CLONE_FS. */
    public FsContext copy() {
        FsContext c = new FsContext();
        c.cwd = cwd;
        c.umask = umask;
        return c;
    }
}
