package dev.phoenix.libos.ns;

/**
 * The namespaces a process lives in (Linux's {@code nsproxy}, plus its user namespace and the PID
 * namespace its children will be made in). Immutable: clone(2), unshare(2) and setns(2) make a
 * new one and install it whole. Phoenix keeps one per process rather than per thread: the calls
 * that would split a thread group (CLONE_NEWUSER, CLONE_NEWNS with a shared fs context) are
 * refused for multithreaded callers as on Linux, and the others apply to the caller's process.
 */
public record Namespaces(UserNamespace user, PidNamespace pid, PidNamespace pidForChildren, MountNamespace mnt,
        UtsNamespace uts, IpcNamespace ipc, NetNamespace net, CgroupNamespace cgroup) {

    /** The namespaces of a process made outside a kernel (unit tests, benchmarks): a set of its own. */
    public static final Namespaces STANDALONE = initial("localhost");

    /** The namespaces the first process starts in, with the host name given, on the host's network. */
    public static Namespaces initial(String hostname) {
        return initial(hostname, true);
    }

    /**
     * The namespaces the first process starts in, with the host name given; {@code hostNetwork}
     * false for {@code --net none}, whose initial network namespace is Phoenix's own.
     */
    public static Namespaces initial(String hostname, boolean hostNetwork) {
        UserNamespace user = UserNamespace.initial();
        PidNamespace pid = PidNamespace.initial(user);
        return new Namespaces(user, pid, pid, new MountNamespace(user, true),
                new UtsNamespace(user, true, hostname, "(none)"), new IpcNamespace(user, true),
                new NetNamespace(user, true, hostNetwork), new CgroupNamespace(user, true));
    }

    /** The namespace of {@code kind}; for PID, the caller's own. */
    public Namespace get(NsKind kind) {
        return switch (kind) {
            case CGROUP -> cgroup;
            case IPC -> ipc;
            case MNT -> mnt;
            case NET -> net;
            case PID -> pid;
            case USER -> user;
            case UTS -> uts;
        };
    }

    /**
     * The namespaces a child made with clone {@code flags} (or the caller after unshare) lives in:
     * a new one of each kind whose CLONE_NEW* flag is set, owned by the new user namespace when
     * CLONE_NEWUSER is among them. {@code uid} and {@code gid} are the caller's effective ids.
     * A new PID namespace is for children only (pid_for_children); null when it would nest too
     * deep (ENOSPC, with {@link UserNamespace} levels likewise).
     */
    public Namespaces copy(long flags, int uid, int gid) {
        return copy(flags, uid, gid, null);
    }

    /**
     * As {@link #copy(long, int, int)} for a caller in cgroup {@code current}, which a new cgroup
     * namespace (CLONE_NEWCGROUP) takes as its root; null keeps this namespace's root.
     */
    public Namespaces copy(long flags, int uid, int gid, dev.phoenix.libos.cgroup.Cgroup current) {
        return copy(flags, uid, gid, current, false);
    }

    /**
     * As {@link #copy(long, int, int, dev.phoenix.libos.cgroup.Cgroup)}, {@code couldSetfcap}
     * telling whether the creator of a new user namespace holds CAP_SETFCAP (which decides
     * whether it may later map root there: {@link UserNamespace#parentCouldSetfcap}).
     */
    public Namespaces copy(long flags, int uid, int gid, dev.phoenix.libos.cgroup.Cgroup current,
            boolean couldSetfcap) {
        UserNamespace u = user;
        if ((flags & NsKind.USER.cloneFlag) != 0) {
            if (user.level() + 1 > UserNamespace.MAX_LEVEL) {
                return null;
            }
            u = user.child(uid, gid, couldSetfcap);
        }
        PidNamespace forChildren = pidForChildren;
        if ((flags & NsKind.PID.cloneFlag) != 0) {
            forChildren = pidForChildren.child(u);
            if (forChildren == null) {
                return null;
            }
        }
        return new Namespaces(u, pid, forChildren,
                (flags & NsKind.MNT.cloneFlag) != 0 ? mnt.copy(u) : mnt,
                (flags & NsKind.UTS.cloneFlag) != 0 ? uts.copy(u) : uts,
                (flags & NsKind.IPC.cloneFlag) != 0 ? ipc.copy(u) : ipc,
                (flags & NsKind.NET.cloneFlag) != 0 ? net.copy(u) : net,
                (flags & NsKind.CGROUP.cloneFlag) != 0 ? cgroup.copy(u, current) : cgroup);
    }

    /** The namespaces a child process starts in: these, with its PID namespace the one for children. */
    public Namespaces forChild() {
        return pid == pidForChildren ? this : new Namespaces(user, pidForChildren, pidForChildren, mnt, uts, ipc, net,
                cgroup);
    }

    /** These with {@code ns} in place of the one of its kind (setns(2)); a PID namespace becomes pid_for_children. */
    public Namespaces with(Namespace ns) {
        return switch (ns.kind()) {
            case CGROUP -> new Namespaces(user, pid, pidForChildren, mnt, uts, ipc, net, (CgroupNamespace) ns);
            case IPC -> new Namespaces(user, pid, pidForChildren, mnt, uts, (IpcNamespace) ns, net, cgroup);
            case MNT -> new Namespaces(user, pid, pidForChildren, (MountNamespace) ns, uts, ipc, net, cgroup);
            case NET -> new Namespaces(user, pid, pidForChildren, mnt, uts, ipc, (NetNamespace) ns, cgroup);
            case PID -> new Namespaces(user, pid, (PidNamespace) ns, mnt, uts, ipc, net, cgroup);
            case USER -> new Namespaces((UserNamespace) ns, pid, pidForChildren, mnt, uts, ipc, net, cgroup);
            case UTS -> new Namespaces(user, pid, pidForChildren, mnt, (UtsNamespace) ns, ipc, net, cgroup);
        };
    }
}
