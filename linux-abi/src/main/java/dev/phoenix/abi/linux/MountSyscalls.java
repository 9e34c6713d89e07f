package dev.phoenix.abi.linux;

import static dev.phoenix.abi.linux.FileSyscalls.AT_FDCWD;
import static dev.phoenix.abi.linux.FileSyscalls.path;
import static dev.phoenix.abi.linux.FileSyscalls.resolve;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.Mount;
import dev.phoenix.libos.fs.MountTable;
import dev.phoenix.libos.fs.Vfs;
import dev.phoenix.libos.ns.MountNamespace;
import dev.phoenix.libos.proc.Credentials;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * mount(2) and umount2(2) on the caller's mount namespace (fs/namespace.c: path_mount,
 * path_umount): new mounts ({@link NewMounts}), bind mounts (recursive too), remounts of the
 * per-mount flags, propagation changes and moves. Each change installs a new {@link MountTable}.
 */
final class MountSyscalls {
    private MountSyscalls() {}

    private static final long MS_MGC_MSK = 0xffff0000L, MS_MGC_VAL = 0xC0ED0000L;
    private static final long MS_NOUSER = 1L << 31;
    private static final int PROPAGATION = Mount.MS_SHARED | Mount.MS_PRIVATE | Mount.MS_SLAVE | Mount.MS_UNBINDABLE;
    private static final int MNT_FORCE = 1, MNT_DETACH = 2, MNT_EXPIRE = 4, UMOUNT_NOFOLLOW = 8;
    /** Mounts marked by a first umount2(MNT_EXPIRE) and untouched since (Linux's mnt_expiry_mark). */
    private static final Set<Integer> EXPIRING = ConcurrentHashMap.newKeySet();

    /** may_mount: CAP_SYS_ADMIN in the user namespace that owns the caller's mount namespace. */
    static boolean mayMount(SyscallContext c) {
        Process p = c.process();
        if (!p.credentials().capable(Credentials.CAP_SYS_ADMIN)) {
            return false;
        }
        MountNamespace ns = p.namespaces.mnt();
        return ns.owner() == null || ns.owner().isWithin(p.namespaces.user());
    }

    /** The caller's mount table. */
    static MountTable table(SyscallContext c) {
        return c.kernel().vfs().tableFor(c.process());
    }

    /** Installs {@code change}'s answer for the caller's table. */
    static void update(SyscallContext c, java.util.function.UnaryOperator<MountTable> change) {
        c.process().namespaces.mnt().update(c.kernel().vfs().table(), change);
    }

    /** Whether guest path {@code path} is {@code dir} or lies below it. */
    static boolean under(String path, String dir) {
        return path.equals(dir) || dir.equals("/") || path.startsWith(dir + "/");
    }

    /** {@code path} (at or below {@code from}) moved to {@code to}. */
    static String moved(String path, String from, String to) {
        String rest = path.substring(from.equals("/") ? 0 : from.length());
        if (rest.isEmpty() || rest.equals("/")) {
            return to;
        }
        return to.equals("/") ? rest : to + rest;
    }

    private static String string(SyscallContext c, long address) {
        return address == 0 ? null : c.memory().readCString(address, 4096);
    }

    private static boolean isDirectory(SyscallContext c, Vfs.Resolved r) {
        return (FileSyscalls.status(c, r).mode() & FileStatus.S_IFMT) == FileStatus.S_IFDIR;
    }

    /** The mount whose root {@code r} is, else EINVAL (path_mounted). */
    private static Mount mountRoot(Vfs.Resolved r) {
        if (r.mount() == null || !r.mount().point().equals(r.guestPath())) {
            throw Errno.of(Errno.EINVAL);
        }
        return r.mount();
    }

    /** Implements Linux mount(2). */
    static long mount(SyscallContext c, long sourceAddr, long targetAddr, long typeAddr, long flagsArg, long dataAddr,
            long a5) {
        long flags = flagsArg;
        if ((flags & MS_MGC_MSK) == MS_MGC_VAL) {
            flags &= ~MS_MGC_MSK;
        }
        String type = string(c, typeAddr);
        String source = string(c, sourceAddr);
        String data = string(c, dataAddr);
        String target = path(c, targetAddr);
        if ((flags & MS_NOUSER) != 0) {
            return -Errno.EINVAL;
        }
        if (!mayMount(c)) {
            return -Errno.EPERM;
        }
        Vfs.Resolved t = resolve(c, AT_FDCWD, target, true);
        FileSyscalls.status(c, t); // ENOENT for a target that is not there
        int f = (int) flags;
        int mntFlags = f & Mount.PER_MOUNT;
        if ((f & (Mount.MS_NOATIME | Mount.MS_STRICTATIME)) == 0) {
            mntFlags |= Mount.MS_RELATIME; // the default atime mode
        }
        if ((f & (Mount.MS_REMOUNT | Mount.MS_BIND)) == (Mount.MS_REMOUNT | Mount.MS_BIND)) {
            return remount(c, t, mntFlags);
        }
        if ((f & Mount.MS_REMOUNT) != 0) {
            return remount(c, t, mntFlags);
        }
        if ((f & PROPAGATION) != 0) {
            return changeType(c, t, f);
        }
        if ((f & Mount.MS_BIND) != 0) {
            return bind(c, source, t, (f & Mount.MS_REC) != 0);
        }
        if ((f & Mount.MS_MOVE) != 0) {
            return move(c, source, t);
        }
        if (type == null || type.isEmpty()) {
            return -Errno.EINVAL;
        }
        if (!isDirectory(c, t)) {
            return -Errno.ENOTDIR;
        }
        Mount parent = t.mount();
        Mount m = NewMounts.make(type, source, data, Mount.newId(), parent, t.guestPath(), mntFlags, c.kernel().vfs(),
                c.process().namespaces.ipc());
        update(c, tb -> tb.with(m));
        return 0;
    }

    /** MS_REMOUNT (with MS_BIND or not): the mount's own flags become {@code mntFlags} (reconfigure_mnt). */
    private static long remount(SyscallContext c, Vfs.Resolved t, int mntFlags) {
        Mount m = mountRoot(t);
        update(c, tb -> tb.map(x -> x.id() == m.id() ? x.withFlags(mntFlags) : x));
        return 0;
    }

    /** MS_SHARED, MS_PRIVATE, MS_SLAVE or MS_UNBINDABLE, with MS_REC for the whole subtree (do_change_type). */
    private static long changeType(SyscallContext c, Vfs.Resolved t, int flags) {
        Mount m = mountRoot(t);
        int type = flags & ~(Mount.MS_REC | Mount.MS_SILENT);
        if (Integer.bitCount(type) != 1) {
            return -Errno.EINVAL;
        }
        boolean rec = (flags & Mount.MS_REC) != 0;
        update(c, tb -> {
            List<Mount> affected = rec ? tb.subtree(tb.byId(m.id())) : List.of(tb.byId(m.id()));
            Map<Integer, Mount> changed = new HashMap<>();
            for (Mount x : affected) {
                changed.put(x.id(), switch (type) {
                    case Mount.MS_SHARED -> x.peerGroup() != 0 ? x : x.withPropagation(Mount.newGroup(), x.masterGroup(), false);
                    case Mount.MS_SLAVE -> x.peerGroup() != 0 ? x.withPropagation(0, x.peerGroup(), false) : x;
                    case Mount.MS_UNBINDABLE -> x.withPropagation(0, 0, true);
                    default -> x.withPropagation(0, 0, false);
                });
            }
            return tb.map(x -> changed.getOrDefault(x.id(), x));
        });
        return 0;
    }

    /** MS_BIND: the source's directory seen at the target too, its submounts with MS_REC (do_loopback). */
    private static long bind(SyscallContext c, String source, Vfs.Resolved t, boolean rec) {
        if (source == null) {
            return -Errno.EFAULT;
        }
        Vfs.Resolved s = resolve(c, AT_FDCWD, source, true);
        FileSyscalls.status(c, s);
        Mount sm = s.mount();
        if (sm.unbindable()) {
            return -Errno.EINVAL;
        }
        if (isDirectory(c, s) != isDirectory(c, t)) {
            return -Errno.ENOTDIR;
        }
        Mount parent = t.mount();
        String from = s.guestPath();
        String to = t.guestPath();
        update(c, tb -> {
            List<Mount> copies = new ArrayList<>();
            Map<Integer, Integer> ids = new HashMap<>();
            int id = Mount.newId();
            ids.put(sm.id(), id);
            copies.add(boundAt(sm, s, id, parent, to));
            if (rec) {
                for (Mount n : tb.subtree(sm)) {
                    if (n == sm || !under(n.point(), from) || n.point().equals(from) || tb.lookup(n.point()) != n
                            || n.unbindable()) {
                        continue;
                    }
                    Integer p = ids.get(n.parentId());
                    if (p == null) {
                        continue;
                    }
                    int nid = Mount.newId();
                    ids.put(n.id(), nid);
                    if (n.tmpfs() != null) {
                        n.tmpfs().retain();
                    }
                    copies.add(n.attached(nid, p, moved(n.point(), from, to)).withPropagation(0, 0, false));
                }
            }
            MountTable out = tb;
            for (Mount m : copies) {
                out = out.with(m);
            }
            return out;
        });
        return 0;
    }

    /** A mount showing {@code s} (inside {@code sm}) attached as {@code id} at {@code to} to {@code parent}. */
    private static Mount boundAt(Mount sm, Vfs.Resolved s, int id, Mount parent, String to) {
        String inside = moved(s.guestPath(), sm.point(), "/");
        String fsRoot = sm.fsRoot().equals("/") ? inside : inside.equals("/") ? sm.fsRoot() : sm.fsRoot() + inside;
        if (sm.tmpfs() != null) {
            sm.tmpfs().retain();
        }
        int peer = parent.peerGroup() != 0 ? Mount.newGroup() : 0;
        return new Mount(id, parent.id(), to, sm.synthetic() == null ? s.hostPath() : null, sm.synthetic(),
                sm.synthetic() == null ? "" : s.relative(), fsRoot, sm.flags(), sm.fstype(), sm.source(),
                sm.superOptions(), peer, 0, false, sm.tmpfs(), sm.magic(), sm.dev());
    }

    /** MS_MOVE: the mount at {@code source} and its submounts attached at the target instead (do_move_mount). */
    private static long move(SyscallContext c, String source, Vfs.Resolved t) {
        if (source == null) {
            return -Errno.EFAULT;
        }
        Vfs.Resolved s = resolve(c, AT_FDCWD, source, true);
        FileSyscalls.status(c, s);
        Mount m = mountRoot(s);
        if (m.parentId() == m.id()) {
            return -Errno.EINVAL; // the namespace's root
        }
        String from = m.point();
        String to = t.guestPath();
        if (under(to, from)) {
            return -Errno.ELOOP; // into itself
        }
        if (isDirectory(c, s) != isDirectory(c, t)) {
            return -Errno.ENOTDIR;
        }
        int newParent = t.mount().id();
        update(c, tb -> {
            Set<Integer> moving = new java.util.HashSet<>();
            for (Mount x : tb.subtree(tb.byId(m.id()))) {
                moving.add(x.id());
            }
            return tb.map(x -> !moving.contains(x.id()) ? x
                    : x.attached(x.id(), x.id() == m.id() ? newParent : x.parentId(), moved(x.point(), from, to)));
        });
        return 0;
    }

    /** Implements Linux umount2(2) (path_umount, do_umount). */
    static long umount2(SyscallContext c, long targetAddr, long flagsArg, long a2, long a3, long a4, long a5) {
        int flags = (int) flagsArg;
        if ((flagsArg & ~(long) (MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW)) != 0) {
            return -Errno.EINVAL;
        }
        if (!mayMount(c)) {
            return -Errno.EPERM;
        }
        Vfs.Resolved t = resolve(c, AT_FDCWD, path(c, targetAddr), (flags & UMOUNT_NOFOLLOW) == 0);
        FileSyscalls.status(c, t);
        Mount m = mountRoot(t);
        if (m.parentId() == m.id()) {
            return -Errno.EINVAL; // the namespace's root is not attached anywhere to leave
        }
        if ((flags & MNT_EXPIRE) != 0) {
            if ((flags & (MNT_FORCE | MNT_DETACH)) != 0) {
                return -Errno.EINVAL;
            }
            if (busy(c, m)) {
                return -Errno.EBUSY;
            }
            if (EXPIRING.add(m.id())) {
                return -Errno.EAGAIN; // marked; a second call while unused unmounts it
            }
        }
        if ((flags & MNT_DETACH) == 0 && busy(c, m)) {
            return -Errno.EBUSY;
        }
        List<Mount> gone = new ArrayList<>();
        update(c, tb -> {
            Mount cur = tb.byId(m.id());
            if (cur == null) {
                return tb;
            }
            gone.addAll((flags & MNT_DETACH) != 0 ? tb.subtree(cur) : List.of(cur));
            return tb.without(gone);
        });
        for (Mount x : gone) {
            EXPIRING.remove(x.id());
            if (x.tmpfs() != null) {
                x.tmpfs().release(c.kernel().cgroups()::shmemGone); // the files' memory cgroup charges go too
            }
        }
        return 0;
    }

    /**
     * Whether {@code m} is in use (propagate_mount_busy and the reference count do_umount
     * checks): another mount attached to it, or a process of the namespace whose root or
     * working directory is inside it, or which has a file open there.
     */
    private static boolean busy(SyscallContext c, Mount m) {
        MountTable tb = table(c);
        if (!tb.children(m).isEmpty()) {
            return true;
        }
        MountNamespace ns = c.process().namespaces.mnt();
        for (Process p : c.kernel().processes()) {
            if (p.namespaces == null || p.namespaces.mnt() != ns || p.isGone()) {
                continue;
            }
            for (Task task : p.tasks()) {
                if (inside(tb, m, task.fs().cwd) || inside(tb, m, task.fs().root)) {
                    return true;
                }
            }
            for (Task task : p.tasks()) {
                for (String path : task.fds().guestPaths()) {
                    if (inside(tb, m, path)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean inside(MountTable tb, Mount m, String path) {
        return path != null && under(path, m.point()) && tb.lookup(path) == m;
    }
}
