package dev.phoenix.libos.ns;

/**
 * The kinds of namespace (namespaces(7)): each with its clone flag, its name under /proc/PID/ns
 * and the inode number Linux gives the initial namespace of the kind (include/linux/proc_ns.h;
 * the initial mount and network namespaces get theirs from the allocator, as new ones do).
 */
public enum NsKind {
    CGROUP("cgroup", 0x02000000L, 0xEFFFFFFBL),
    IPC("ipc", 0x08000000L, 0xEFFFFFFFL),
    MNT("mnt", 0x00020000L, 0),
    NET("net", 0x40000000L, 0),
    PID("pid", 0x20000000L, 0xEFFFFFFCL),
    USER("user", 0x10000000L, 0xEFFFFFFDL),
    UTS("uts", 0x04000000L, 0xEFFFFFFEL);

    /** The name under /proc/PID/ns (and in the link's target, "uts:[4026531838]"). */
    public final String procName;
    /** The CLONE_NEW* flag of clone(2), unshare(2) and setns(2). */
    public final long cloneFlag;
    /** The initial namespace's inode number, or 0 when it comes from the allocator. */
    final long initialInode;

    NsKind(String procName, long cloneFlag, long initialInode) {
        this.procName = procName;
        this.cloneFlag = cloneFlag;
        this.initialInode = initialInode;
    }

    /** Every CLONE_NEW* flag Phoenix knows (CLONE_NEWTIME is not among them). */
    public static final long ALL_FLAGS = allFlags();

    private static long allFlags() {
        long f = 0;
        for (NsKind k : values()) {
            f |= k.cloneFlag;
        }
        return f;
    }

    /** The kind whose CLONE_NEW* flag is {@code flag}, or null. */
    public static NsKind ofFlag(long flag) {
        for (NsKind k : values()) {
            if (k.cloneFlag == flag) {
                return k;
            }
        }
        return null;
    }
}
