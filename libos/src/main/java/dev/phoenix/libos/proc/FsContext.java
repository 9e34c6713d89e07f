package dev.phoenix.libos.proc;

/**
 * The file-system context clone(2) shares with CLONE_FS: the working directory and the umask
 * and the root directory chroot(2) sets.
 */
public final class FsContext {
    /** Current working directory, an absolute guest path. */
    public volatile String cwd = "/";
    /**
     * Root directory, an absolute guest path of the process's mount namespace: where absolute
     * paths start and ".." stops ("/" unless chroot(2) or pivot_root(2) moved it).
     */
    public volatile String root = "/";
    /** umask(2), applied to modes of files and directories the process creates. */
    public volatile int umask = 022;

    /** A copy, for a clone without CLONE_FS. */
    public FsContext copy() {
        FsContext c = new FsContext();
        c.cwd = cwd;
        c.root = root;
        c.umask = umask;
        return c;
    }
}
