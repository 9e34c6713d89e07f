package dev.phoenix.libos.ns;

import java.util.concurrent.atomic.AtomicLong;

/**
 * One namespace (Linux's {@code struct ns_common}): its kind, its inode number on nsfs (what
 * /proc/PID/ns/KIND links to and what stat(2) of that file reports, so two processes share a
 * namespace exactly when the numbers are equal) and the user namespace that owns it, against
 * which capabilities over it are checked.
 */
public abstract class Namespace {
    /** Linux's proc_inum allocator starts at PROC_DYNAMIC_FIRST. */
    private static final AtomicLong NEXT_INODE = new AtomicLong(0xF0000000L);

    private final NsKind kind;
    private final long inode;
    private final UserNamespace owner;

    /**
     * A namespace of {@code kind} owned by {@code owner}; {@code initial} gives it the fixed inode
     * number of its kind's initial namespace where Linux has one.
     */
    protected Namespace(NsKind kind, UserNamespace owner, boolean initial) {
        this.kind = kind;
        this.owner = owner;
        this.inode = initial && kind.initialInode != 0 ? kind.initialInode : NEXT_INODE.getAndIncrement();
    }

    public final NsKind kind() {
        return kind;
    }

    /** The nsfs inode number. */
    public final long inode() {
        return inode;
    }

    /** The owning user namespace (for a user namespace, its parent; null for the initial one). */
    public UserNamespace owner() {
        return owner;
    }

    /** The /proc/PID/ns link's target: "KIND:[INODE]". */
    @Override
    public final String toString() {
        return kind.procName + ":[" + inode + "]";
    }
}
