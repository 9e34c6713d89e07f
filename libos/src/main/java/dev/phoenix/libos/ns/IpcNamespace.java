package dev.phoenix.libos.ns;

import dev.phoenix.libos.ipc.IpcSpace;

/**
 * An IPC namespace (ipc_namespaces(7)): its System V message queues, semaphore sets and shared
 * memory segments and its POSIX message queues, all in its {@link IpcSpace}. A new one starts
 * empty.
 */
public final class IpcNamespace extends Namespace {
    /** This namespace's objects. */
    public final IpcSpace objects = new IpcSpace();

    /** A namespace owned by {@code owner}; {@code initial} for the one the first process starts in. */
    public IpcNamespace(UserNamespace owner, boolean initial) {
        super(NsKind.IPC, owner, initial);
    }

    /** A new namespace owned by {@code owner}, made by clone(2) or unshare(2) from this one: empty. */
    public IpcNamespace copy(UserNamespace owner) {
        return new IpcNamespace(owner, false);
    }
}
