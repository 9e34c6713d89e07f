package dev.phoenix.libos.ns;

/** A network namespace (network_namespaces(7)): its interfaces, addresses and sockets. */
public final class NetNamespace extends Namespace {
    /** A namespace owned by {@code owner}; {@code initial} for the one the first process starts in. */
    public NetNamespace(UserNamespace owner, boolean initial) {
        super(NsKind.NET, owner, initial);
    }

    /** A new namespace owned by {@code owner}, made by clone(2) or unshare(2) from this one. */
    public NetNamespace copy(UserNamespace owner) {
        return new NetNamespace(owner, false);
    }
}
