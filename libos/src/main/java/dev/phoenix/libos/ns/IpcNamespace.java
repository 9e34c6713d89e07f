package dev.phoenix.libos.ns;

/** An IPC namespace (ipc_namespaces(7)): its System V message queues, semaphore sets and shared memory segments and its POSIX message queues. */
public final class IpcNamespace extends Namespace {
    /** A namespace owned by {@code owner}; {@code initial} for the one the first process starts in. */
    public IpcNamespace(UserNamespace owner, boolean initial) {
        super(NsKind.IPC, owner, initial);
    }

    /** A new namespace owned by {@code owner}, made by clone(2) or unshare(2) from this one. */
    public IpcNamespace copy(UserNamespace owner) {
        return new IpcNamespace(owner, false);
    }
}
