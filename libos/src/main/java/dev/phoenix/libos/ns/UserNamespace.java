package dev.phoenix.libos.ns;

/**
 * A user namespace (user_namespaces(7)): its parent and depth (at most 32 levels), and the
 * credentials of its creator, who owns it.
 */
public final class UserNamespace extends Namespace {
    /** Linux's limit on nesting (MAX_USER_NS_LEVEL... 32). */
    public static final int MAX_LEVEL = 32;

    private final UserNamespace parent;
    private final int level;
    /** The creator's effective ids in the parent namespace (the owner, for /proc and ioctl NS_GET_OWNER_UID). */
    public final int ownerUid, ownerGid;

    private UserNamespace(UserNamespace parent, int ownerUid, int ownerGid) {
        super(NsKind.USER, parent, parent == null);
        this.parent = parent;
        this.level = parent == null ? 0 : parent.level + 1;
        this.ownerUid = ownerUid;
        this.ownerGid = ownerGid;
    }

    /** The initial user namespace. */
    public static UserNamespace initial() {
        return new UserNamespace(null, 0, 0);
    }

    /** A child of this namespace created by a process with these effective ids. */
    public UserNamespace child(int uid, int gid) {
        return new UserNamespace(this, uid, gid);
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
