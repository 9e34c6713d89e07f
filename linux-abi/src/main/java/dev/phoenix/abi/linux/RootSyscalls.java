package dev.phoenix.abi.linux;

import static dev.phoenix.abi.linux.FileSyscalls.AT_FDCWD;
import static dev.phoenix.abi.linux.FileSyscalls.path;
import static dev.phoenix.abi.linux.FileSyscalls.resolve;
import static dev.phoenix.abi.linux.MountSyscalls.moved;
import static dev.phoenix.abi.linux.MountSyscalls.under;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.Mount;
import dev.phoenix.libos.fs.MountTable;
import dev.phoenix.libos.fs.Vfs;
import dev.phoenix.libos.ns.MountNamespace;
import dev.phoenix.libos.proc.FsContext;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * A process's root directory: chroot(2), which moves it, and pivot_root(2), which swaps the
 * root mount of the namespace (fs/open.c ksys_chroot, fs/namespace.c pivot_root). Roots and
 * working directories are guest paths of the mount namespace, so pivot_root rewrites the mount
 * points and the paths of every process of the namespace together.
 */
final class RootSyscalls {
    private RootSyscalls() {}

    private static final int CAP_SYS_CHROOT = 18;

    /** Implements Linux chroot(2): EPERM without CAP_SYS_CHROOT, ENOTDIR for a non-directory. */
    static long chroot(SyscallContext c, long pathAddr, long a1, long a2, long a3, long a4, long a5) {
        Vfs.Resolved r = resolve(c, AT_FDCWD, path(c, pathAddr), true);
        if ((FileSyscalls.status(c, r).mode() & FileStatus.S_IFMT) != FileStatus.S_IFDIR) {
            return -Errno.ENOTDIR;
        }
        if (!c.process().credentials().capable(CAP_SYS_CHROOT)) {
            return -Errno.EPERM;
        }
        c.task().fs().root = r.guestPath();
        return 0;
    }

    /**
     * Implements Linux pivot_root(2): the mount at {@code new_root} becomes the namespace's root
     * where the caller's root was, and the old root mount goes to {@code put_old} under it;
     * processes whose root or working directory was the old root move to the new one. EINVAL
     * when new_root or the caller's root is not a mount point, put_old is not at or under
     * new_root or new_root not under the root; EBUSY when new_root or put_old is on the root mount.
     */
    static long pivotRoot(SyscallContext c, long newAddr, long oldAddr, long a2, long a3, long a4, long a5) {
        if (!MountSyscalls.mayMount(c)) {
            return -Errno.EPERM;
        }
        Vfs.Resolved nr = resolve(c, AT_FDCWD, path(c, newAddr), true);
        Vfs.Resolved po = resolve(c, AT_FDCWD, path(c, oldAddr), true);
        for (Vfs.Resolved r : new Vfs.Resolved[] {nr, po}) {
            if ((FileSyscalls.status(c, r).mode() & FileStatus.S_IFMT) != FileStatus.S_IFDIR) {
                return -Errno.ENOTDIR;
            }
        }
        String root = c.task().fs().root;
        MountTable tb = MountSyscalls.table(c);
        Mount rootMnt = tb.lookup(root);
        Mount newMnt = nr.mount();
        Mount oldMnt = po.mount();
        Mount exParent = tb.byId(newMnt.parentId());
        Mount rootParent = tb.byId(rootMnt.parentId());
        if (oldMnt.peerGroup() != 0 || (exParent != null && exParent.peerGroup() != 0)
                || (rootParent != null && rootParent != rootMnt && rootParent.peerGroup() != 0)) {
            return -Errno.EINVAL; // shared mounts would propagate the change
        }
        if (newMnt == rootMnt || oldMnt == rootMnt) {
            return -Errno.EBUSY;
        }
        String n = nr.guestPath();
        String p = po.guestPath();
        if (!rootMnt.point().equals(root) || !newMnt.point().equals(n) || !under(p, n) || !under(n, root)) {
            return -Errno.EINVAL;
        }
        String putOld = moved(p, n, "/"); // where put_old lies inside the new root
        String oldRootAt = root.equals("/") ? putOld : moved(putOld, "/", root);
        java.util.function.UnaryOperator<String> remap = path -> {
            if (under(path, n)) {
                return moved(path, n, root);
            }
            if (under(path, root)) {
                return moved(path, root, oldRootAt);
            }
            return path;
        };
        MountNamespace ns = c.process().namespaces.mnt();
        ns.update(c.kernel().vfs().table(), t -> {
            Mount r0 = t.byId(rootMnt.id());
            Mount n0 = t.byId(newMnt.id());
            List<Mount> out = new ArrayList<>();
            boolean rootWasTable = t.root().id() == r0.id();
            Mount newRoot = n0.attached(n0.id(), rootWasTable ? n0.id() : r0.parentId(), root);
            if (rootWasTable) {
                out.add(newRoot);
            }
            for (Mount m : t.mounts()) {
                if (m.id() == n0.id()) {
                    if (!rootWasTable) {
                        out.add(newRoot);
                    }
                } else if (m.id() == r0.id()) {
                    out.add(m.attached(m.id(), oldMnt.id(), oldRootAt));
                } else {
                    out.add(m.attached(m.id(), m.parentId(), remap.apply(m.point())));
                }
            }
            return new MountTable(out);
        });
        // chroot_fs_refs: a root or cwd at the old root goes to the new one; other paths keep
        // their directory, which now has another name.
        java.util.Set<FsContext> done = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (Process q : c.kernel().processes()) {
            if (q.namespaces == null || q.namespaces.mnt() != ns) {
                continue;
            }
            for (Task task : q.tasks()) {
                FsContext fs = task.fs();
                if (!done.add(fs)) {
                    continue; // shared with CLONE_FS: moved once
                }
                synchronized (fs) {
                    fs.root = fs.root.equals(root) ? root : remap.apply(fs.root);
                    fs.cwd = fs.cwd.equals(root) ? root : remap.apply(fs.cwd);
                }
            }
        }
        return 0;
    }
}
