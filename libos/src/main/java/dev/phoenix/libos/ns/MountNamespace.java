package dev.phoenix.libos.ns;

import dev.phoenix.libos.fs.MountTable;
import java.util.function.UnaryOperator;

/**
 * A mount namespace (mount_namespaces(7)): its mounts, an immutable {@link MountTable} replaced
 * whole on every change so that path walks read it without a lock. The initial namespace's
 * table is installed by the kernel's {@code Vfs} when it is made; until then (a process made
 * outside a kernel) it is empty and walks use the Vfs's own.
 */
public final class MountNamespace extends Namespace {
    private volatile MountTable table;

    /** A namespace owned by {@code owner}; {@code initial} for the one the first process starts in. */
    public MountNamespace(UserNamespace owner, boolean initial) {
        super(NsKind.MNT, owner, initial);
    }

    private MountNamespace(UserNamespace owner, MountTable table) {
        super(NsKind.MNT, owner, false);
        this.table = table;
    }

    /**
     * A new namespace owned by {@code owner}, made by clone(2) or unshare(2) from this one: a
     * copy of its mounts under new ids, with private propagation (copy_mnt_ns).
     */
    public MountNamespace copy(UserNamespace owner) {
        MountTable t = table;
        return new MountNamespace(owner, t == null ? null : t.copy());
    }

    /** The mounts now; null for a namespace no Vfs has given any. */
    public MountTable table() {
        return table;
    }

    /**
     * Replaces the table by {@code change}'s answer for it ({@code start} when there is none
     * yet), one change at a time; returns the new table.
     */
    public synchronized MountTable update(MountTable start, UnaryOperator<MountTable> change) {
        MountTable t = change.apply(table != null ? table : start);
        table = t;
        return t;
    }
}
