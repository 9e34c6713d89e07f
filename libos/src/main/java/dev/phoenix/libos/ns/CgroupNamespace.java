package dev.phoenix.libos.ns;

/** A cgroup namespace (cgroup_namespaces(7)): the cgroup that is its root, as /proc/PID/cgroup and a cgroup2 mount inside it show. */
public final class CgroupNamespace extends Namespace {
    /** A namespace owned by {@code owner}; {@code initial} for the one the first process starts in. */
    public CgroupNamespace(UserNamespace owner, boolean initial) {
        super(NsKind.CGROUP, owner, initial);
    }

    /** A new namespace owned by {@code owner}, made by clone(2) or unshare(2) from this one. */
    public CgroupNamespace copy(UserNamespace owner) {
        return new CgroupNamespace(owner, false);
    }
}
