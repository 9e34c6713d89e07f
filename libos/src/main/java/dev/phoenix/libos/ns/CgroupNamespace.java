package dev.phoenix.libos.ns;

import dev.phoenix.libos.cgroup.Cgroup;

/**
 * A cgroup namespace (cgroup_namespaces(7)): the cgroup that is its root, as /proc/PID/cgroup and
 * /sys/fs/cgroup show it to the processes inside: paths are relative to it, and the groups above
 * it are not seen.
 */
public final class CgroupNamespace extends Namespace {
    /** The group this namespace sees as "/"; null: the hierarchy's root (the initial namespace). */
    private final Cgroup root;

    /** A namespace owned by {@code owner}; {@code initial} for the one the first process starts in. */
    public CgroupNamespace(UserNamespace owner, boolean initial) {
        this(owner, initial, null);
    }

    /** A namespace owned by {@code owner} whose root is {@code root} (null: the hierarchy's). */
    public CgroupNamespace(UserNamespace owner, boolean initial, Cgroup root) {
        super(NsKind.CGROUP, owner, initial);
        this.root = root;
    }

    /** The group this namespace sees as "/", or null for the hierarchy's root. */
    public Cgroup root() {
        return root;
    }

    /** A new namespace owned by {@code owner}, with the same root as this one. */
    public CgroupNamespace copy(UserNamespace owner) {
        return new CgroupNamespace(owner, false, root);
    }

    /**
     * A new namespace owned by {@code owner}, made by clone(2) or unshare(2) from this one: its
     * root is {@code current}, the cgroup of the process that made it (copy_cgroup_ns takes the
     * caller's css_set).
     */
    public CgroupNamespace copy(UserNamespace owner, Cgroup current) {
        return new CgroupNamespace(owner, false, current != null ? current : root);
    }
}
