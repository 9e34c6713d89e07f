package dev.phoenix.libos.ns;

/** A mount namespace (mount_namespaces(7)): its mounts. */
public final class MountNamespace extends Namespace {
    /** A namespace owned by {@code owner}; {@code initial} for the one the first process starts in. */
    public MountNamespace(UserNamespace owner, boolean initial) {
        super(NsKind.MNT, owner, initial);
    }

    /** A new namespace owned by {@code owner}, made by clone(2) or unshare(2) from this one. */
    public MountNamespace copy(UserNamespace owner) {
        return new MountNamespace(owner, false);
    }
}
