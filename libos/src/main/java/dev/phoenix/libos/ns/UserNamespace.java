package dev.phoenix.libos.ns;

/**
 * A user namespace (user_namespaces(7)): its parent and depth (at most 32 levels), the
 * credentials of its creator, who owns it, and its uid and gid maps and setgroups state. Ids are
 * kept kernel-wide everywhere in Phoenix; a namespace's maps say which of them it can name and as
 * what ({@link #uid}, {@link #kuid}: Linux's from_kuid and make_kuid). Each map is written once
 * (under the namespace's lock, as Linux's userns_state_mutex), and an unwritten one maps nothing.
 */
public final class UserNamespace extends Namespace {
    /** Linux's limit on nesting (MAX_USER_NS_LEVEL... 32). */
    public static final int MAX_LEVEL = 32;

    private final UserNamespace parent;
    private final int level;
    /** The creator's effective ids in the parent namespace (the owner, for /proc and ioctl NS_GET_OWNER_UID). */
    public final int ownerUid, ownerGid;
    /** Whether the creator had CAP_SETFCAP when it made this namespace (parent_could_setfcap). */
    public final boolean parentCouldSetfcap;
    /** /proc/sys/kernel/overflowuid and overflowgid: what an id without a mapping shows as. */
    public static final int OVERFLOW_ID = 65534;

    private volatile IdMap uidMap, gidMap;
    /** USERNS_SETGROUPS_ALLOWED: inherited from the parent, cleared for good by writing "deny". */
    private volatile boolean setgroupsAllowed;

    private UserNamespace(UserNamespace parent, int ownerUid, int ownerGid, boolean couldSetfcap) {
        super(NsKind.USER, parent, parent == null);
        this.parent = parent;
        this.level = parent == null ? 0 : parent.level + 1;
        this.ownerUid = ownerUid;
        this.ownerGid = ownerGid;
        this.parentCouldSetfcap = couldSetfcap;
        this.setgroupsAllowed = parent == null || parent.setgroupsAllowed;
        if (parent == null) {
            uidMap = IdMap.IDENTITY;
            gidMap = IdMap.IDENTITY;
        }
    }

    /** The initial user namespace: every id maps to itself. */
    public static UserNamespace initial() {
        return new UserNamespace(null, 0, 0, true);
    }

    /** A child of this namespace created by a process with these effective ids and no CAP_SETFCAP. */
    public UserNamespace child(int uid, int gid) {
        return child(uid, gid, false);
    }

    /** A child of this namespace created by a process with these effective ids, holding CAP_SETFCAP or not. */
    public UserNamespace child(int uid, int gid, boolean couldSetfcap) {
        return new UserNamespace(this, uid, gid, couldSetfcap);
    }

    /** The uid map, null until written. */
    public IdMap uidMap() {
        return uidMap;
    }

    /** The gid map, null until written. */
    public IdMap gidMap() {
        return gidMap;
    }

    /** Whether setgroups(2) may be allowed here (/proc/PID/setgroups says "allow"). */
    public boolean setgroupsAllowed() {
        return setgroupsAllowed;
    }

    /** Linux's from_kuid: what kernel uid {@code kuid} is here, or {@link IdMap#INVALID}. */
    public int uid(int kuid) {
        IdMap m = uidMap;
        return m == null ? IdMap.INVALID : m.up(kuid);
    }

    /** Linux's from_kgid. */
    public int gid(int kgid) {
        IdMap m = gidMap;
        return m == null ? IdMap.INVALID : m.up(kgid);
    }

    /** from_kuid_munged: as {@link #uid}, with the overflow uid for an id without a mapping. */
    public int uidMunged(int kuid) {
        int id = uid(kuid);
        return id == IdMap.INVALID ? OVERFLOW_ID : id;
    }

    /** from_kgid_munged. */
    public int gidMunged(int kgid) {
        int id = gid(kgid);
        return id == IdMap.INVALID ? OVERFLOW_ID : id;
    }

    /** Linux's make_kuid: the kernel uid that {@code uid} here stands for, or {@link IdMap#INVALID}. */
    public int kuid(int uid) {
        IdMap m = uidMap;
        return m == null ? IdMap.INVALID : m.down(uid);
    }

    /** Linux's make_kgid. */
    public int kgid(int gid) {
        IdMap m = gidMap;
        return m == null ? IdMap.INVALID : m.down(gid);
    }

    /**
     * Installs a map whose lower ids are this namespace's parent's (the writer's text, parsed):
     * they are mapped down to kernel ids through the parent's map (EPERM where one cannot be),
     * and the map is set unless one already is (EPERM: written once). {@code gid} picks gid_map.
     * The permission checks are the caller's (map_write's new_idmap_permitted).
     */
    public synchronized void setMap(boolean gid, java.util.List<IdMap.Extent> extents) {
        if ((gid ? gidMap : uidMap) != null || parent == null) {
            throw dev.phoenix.libos.Errno.of(dev.phoenix.libos.Errno.EPERM);
        }
        IdMap parentMap = gid ? parent.gidMap : parent.uidMap;
        java.util.List<IdMap.Extent> kernel = new java.util.ArrayList<>();
        for (IdMap.Extent e : extents) {
            int lower = parentMap == null ? IdMap.INVALID : parentMap.downRange(e.lower(), e.count());
            if (lower == IdMap.INVALID) {
                throw dev.phoenix.libos.Errno.of(dev.phoenix.libos.Errno.EPERM);
            }
            kernel.add(new IdMap.Extent(e.first(), lower, e.count()));
        }
        if (gid) {
            gidMap = new IdMap(kernel);
        } else {
            uidMap = new IdMap(kernel);
        }
    }

    /**
     * A write to /proc/PID/setgroups (proc_setgroups_write): "allow" only while allowed (EPERM
     * once denied), "deny" only before gid_map is written (EPERM after).
     */
    public synchronized void setSetgroups(boolean allow) {
        if (allow) {
            if (!setgroupsAllowed) {
                throw dev.phoenix.libos.Errno.of(dev.phoenix.libos.Errno.EPERM);
            }
        } else {
            if (gidMap != null) {
                throw dev.phoenix.libos.Errno.of(dev.phoenix.libos.Errno.EPERM);
            }
            setgroupsAllowed = false;
        }
    }

    /** userns_may_setgroups: a gid map is written and setgroups is allowed. */
    public boolean maySetgroups() {
        return gidMap != null && setgroupsAllowed;
    }

    /**
     * Maps root inside to kernel ids {@code kuid} and {@code kgid} ("0 KUID 1" in both maps):
     * what {@code phoenix run --user} gives the first process's new namespace, as unshare -r
     * writes the maps. The lower ids are mapped through the parent as a write would be.
     */
    public void mapRootTo(int kuid, int kgid) {
        int u = parent.uid(kuid), g = parent.gid(kgid);
        setMap(false, java.util.List.of(new IdMap.Extent(0, u, 1)));
        setMap(true, java.util.List.of(new IdMap.Extent(0, g, 1)));
    }

    /**
     * Whether a process in namespace {@code mine} with credentials {@code cred} holds {@code cap}
     * over namespace {@code target} (Linux's ns_capable and cap_capable): in its own namespace
     * when the capability is effective; in a namespace below its own when it (by its effective
     * uid) created the ancestor of {@code target} that is its own namespace's child, since the
     * creator holds every capability there; never in one above or beside its own.
     */
    public static boolean capable(UserNamespace mine, dev.phoenix.libos.proc.Credentials cred, UserNamespace target,
            int cap) {
        for (UserNamespace ns = target; ns != null; ns = ns.parent) {
            if (ns == mine) {
                return cred.capable(cap);
            }
            if (ns.level <= mine.level) {
                return false;
            }
            if (ns.parent == mine && ns.ownerUid == cred.euid) {
                return true;
            }
        }
        return false;
    }

    /** Whether this is the initial namespace, where every id is itself. */
    public boolean isInitial() {
        return parent == null;
    }

    public UserNamespace parent() {
        return parent;
    }

    public int level() {
        return level;
    }

    /** Whether this namespace is {@code ancestor} or below it. */
    public boolean isWithin(UserNamespace ancestor) {
        for (UserNamespace n = this; n != null; n = n.parent) {
            if (n == ancestor) {
                return true;
            }
        }
        return false;
    }
}
