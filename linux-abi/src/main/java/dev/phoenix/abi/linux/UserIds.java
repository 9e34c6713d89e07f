package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.ns.IdMap;
import dev.phoenix.libos.ns.UserNamespace;
import dev.phoenix.libos.proc.Credentials;
import dev.phoenix.libos.proc.Process;

/**
 * User and group ids as a process sees them (user_namespaces(7)): credentials and file owners
 * hold kernel-wide ids, and every id that crosses the system call boundary goes through the
 * caller's user namespace here, as Linux's from_kuid_munged (out: an id the namespace cannot
 * name shows as the overflow id 65534) and make_kuid (in: such an id is refused, EINVAL) do.
 * In the initial namespace both directions are the identity.
 */
public final class UserIds {
    private UserIds() {}

    /** The user namespace {@code p} lives in. */
    private static UserNamespace ns(Process p) {
        return p.namespaces.user();
    }

    /** Kernel uid {@code kuid} as {@code viewer} sees it, the overflow uid when unmapped. */
    public static int uid(Process viewer, int kuid) {
        UserNamespace ns = ns(viewer);
        return ns.isInitial() ? kuid : ns.uidMunged(kuid);
    }

    /** Kernel gid {@code kgid} as {@code viewer} sees it, the overflow gid when unmapped. */
    public static int gid(Process viewer, int kgid) {
        UserNamespace ns = ns(viewer);
        return ns.isInitial() ? kgid : ns.gidMunged(kgid);
    }

    /** {@link #uid(Process, int)} for the caller. */
    static int uid(SyscallContext c, int kuid) {
        return uid(c.process(), kuid);
    }

    /** {@link #gid(Process, int)} for the caller. */
    static int gid(SyscallContext c, int kgid) {
        return gid(c.process(), kgid);
    }

    /**
     * The kernel uid of a uid_t argument: (uid_t) -1 stays -1 ("unchanged" to the set*id calls,
     * which refuse it where it is no such thing); an id the caller's namespace does not map is
     * EINVAL (make_kuid, then uid_valid).
     */
    static int kuid(SyscallContext c, long uid) {
        int id = (int) uid;
        UserNamespace ns = ns(c.process());
        if (id == Credentials.UNCHANGED || ns.isInitial()) {
            return id;
        }
        int k = ns.kuid(id);
        if (k == IdMap.INVALID) {
            throw Errno.of(Errno.EINVAL);
        }
        return k;
    }

    /** The kernel gid of a gid_t argument, as {@link #kuid}. */
    static int kgid(SyscallContext c, long gid) {
        int id = (int) gid;
        UserNamespace ns = ns(c.process());
        if (id == Credentials.UNCHANGED || ns.isInitial()) {
            return id;
        }
        int k = ns.kgid(id);
        if (k == IdMap.INVALID) {
            throw Errno.of(Errno.EINVAL);
        }
        return k;
    }

    /** The kernel uid of {@code uid} in the caller's namespace, or {@link IdMap#INVALID} (for setfsuid, which does not fail). */
    static int kuidOrInvalid(SyscallContext c, long uid) {
        UserNamespace ns = ns(c.process());
        return ns.isInitial() ? (int) uid : ns.kuid((int) uid);
    }

    /** As {@link #kuidOrInvalid} for gids. */
    static int kgidOrInvalid(SyscallContext c, long gid) {
        UserNamespace ns = ns(c.process());
        return ns.isInitial() ? (int) gid : ns.kgid((int) gid);
    }

    /** A file's status with its owner as {@code viewer} sees it (stat(2)'s st_uid and st_gid, from_kuid_munged). */
    public static FileStatus seen(Process viewer, FileStatus st) {
        UserNamespace ns = ns(viewer);
        if (ns.isInitial()) {
            return st;
        }
        return new FileStatus(st.dev(), st.ino(), st.mode(), st.nlink(), ns.uidMunged(st.uid()),
                ns.gidMunged(st.gid()), st.rdev(), st.size(), st.blksize(), st.blocks(), st.atimeNs(), st.mtimeNs(),
                st.ctimeNs());
    }

    /**
     * Whether the caller's capabilities count over a file owned by kernel ids {@code uid} and
     * {@code gid} (Linux's privileged_wrt_inode_uidgid, half of capable_wrt_inode_uidgid): both
     * must be mapped in its user namespace.
     */
    public static boolean privilegedOver(Process caller, int uid, int gid) {
        UserNamespace ns = ns(caller);
        return ns.isInitial() || (ns.uid(uid) != IdMap.INVALID && ns.gid(gid) != IdMap.INVALID);
    }
}
