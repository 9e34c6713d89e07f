package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.ns.Namespace;
import dev.phoenix.libos.ns.Namespaces;
import dev.phoenix.libos.ns.NsFile;
import dev.phoenix.libos.ns.NsKind;
import dev.phoenix.libos.ns.PidNamespace;
import dev.phoenix.libos.ns.UserNamespace;
import dev.phoenix.libos.ns.UtsNamespace;
import dev.phoenix.libos.proc.Credentials;
import dev.phoenix.libos.proc.Process;
import java.nio.charset.StandardCharsets;

/**
 * Namespaces (namespaces(7)): unshare(2), setns(2), the namespaces clone(2) makes, and the UTS
 * namespace's sethostname(2) and setdomainname(2). Who may do what follows Linux's
 * ns_capable: a capability counts in the caller's own user namespace and every namespace it
 * created, directly or below.
 */
final class NamespaceSyscalls {
    private NamespaceSyscalls() {}

    private static final long CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800,
            CLONE_THREAD = 0x10000, CLONE_SYSVSEM = 0x40000, CLONE_NEWTIME = 0x80;
    private static final int CAP_SYS_CHROOT = 18, CAP_SETFCAP = 31;

    /**
     * Whether the caller holds {@code cap} over {@code target} (Linux's ns_capable): in its own
     * user namespace when it has the capability effective; in a namespace below its own when it
     * (by its effective uid) created the ancestor of {@code target} that is its own namespace's
     * child, since the creator holds every capability there.
     */
    static boolean capable(SyscallContext c, UserNamespace target, int cap) {
        Process p = c.process();
        return UserNamespace.capable(p.namespaces.user(), p.credentials(), target, cap);
    }

    /**
     * The namespaces a clone with {@code flags} gives the child (before its PID namespace becomes
     * its own: see {@link Namespaces#forChild}), or the caller's own without any CLONE_NEW* flag.
     * EPERM without CAP_SYS_ADMIN over the user namespace the new ones belong to (a new user
     * namespace needs none), ENOSPC past the nesting limits, EINVAL for a PID namespace asked for
     * twice before a child is made in the first (copy_pid_ns). A new user namespace is EPERM for
     * a chrooted caller and for one whose effective ids its own namespace does not map
     * (create_user_ns).
     */
    static Namespaces forClone(SyscallContext c, long flags) {
        Process p = c.process();
        Namespaces ns = p.namespaces;
        long kinds = flags & NsKind.ALL_FLAGS;
        if (kinds == 0) {
            return ns;
        }
        if ((flags & CLONE_NEWTIME) != 0) {
            throw Errno.of(Errno.EINVAL); // time namespaces: not in Phoenix
        }
        Credentials cred = p.credentials();
        if ((kinds & NsKind.PID.cloneFlag) != 0 && ns.pidForChildren() != ns.pid()) {
            throw Errno.of(Errno.EINVAL);
        }
        if ((kinds & NsKind.USER.cloneFlag) == 0 && !capable(c, ns.user(), Credentials.CAP_SYS_ADMIN)) {
            throw Errno.of(Errno.EPERM);
        }
        if ((kinds & NsKind.USER.cloneFlag) != 0) {
            // create_user_ns: current_chrooted, then kuid_has_mapping/kgid_has_mapping in the parent
            if (!"/".equals(c.task().fs().root) || ns.user().uid(cred.euid) == dev.phoenix.libos.ns.IdMap.INVALID
                    || ns.user().gid(cred.egid) == dev.phoenix.libos.ns.IdMap.INVALID) {
                throw Errno.of(Errno.EPERM);
            }
        }
        Namespaces made = ns.copy(kinds, cred.euid, cred.egid, p.cgroup, cred.capable(CAP_SETFCAP));
        if (made == null) {
            throw Errno.of(Errno.ENOSPC);
        }
        return made;
    }

    /** Implements Linux unshare(2). */
    static long unshare(SyscallContext c, long flags, long a1, long a2, long a3, long a4, long a5) {
        if ((flags & ~(CLONE_THREAD | CLONE_FS | CLONE_SIGHAND | CLONE_VM | CLONE_FILES
                | CLONE_SYSVSEM | NsKind.ALL_FLAGS | CLONE_NEWTIME)) != 0) {
            return -Errno.EINVAL;
        }
        // ksys_unshare's implications, then check_unshare_flags.
        if ((flags & NsKind.USER.cloneFlag) != 0) {
            flags |= CLONE_THREAD | CLONE_FS;
        }
        if ((flags & CLONE_VM) != 0) {
            flags |= CLONE_SIGHAND;
        }
        if ((flags & CLONE_SIGHAND) != 0) {
            flags |= CLONE_THREAD;
        }
        if ((flags & NsKind.MNT.cloneFlag) != 0) {
            flags |= CLONE_FS;
        }
        Process p = c.process();
        if ((flags & (CLONE_THREAD | CLONE_SIGHAND | CLONE_VM)) != 0 && p.liveThreads() > 1) {
            return -Errno.EINVAL;
        }
        Namespaces made = forClone(c, flags);
        if ((flags & CLONE_FS) != 0) {
            c.task().unshareFs();
        }
        if ((flags & CLONE_FILES) != 0) {
            c.task().unshareFiles();
        }
        if (made != p.namespaces) {
            install(p, p.namespaces, made);
        }
        return 0;
    }

    /**
     * Implements Linux setns(2): {@code fd} is an nsfs file (/proc/PID/ns/KIND, {@code nstype} 0
     * or that kind's flag) or a pidfd ({@code nstype} the CLONE_NEW* flags of the process's
     * namespaces to enter, all or none).
     */
    static long setns(SyscallContext c, long fd, long nstype, long a2, long a3, long a4, long a5) {
        OpenFile f = c.fds().get(fd);
        Process p = c.process();
        Namespaces now = p.namespaces;
        if (f instanceof NsFile nf) {
            Namespace target = nf.namespace();
            if (nstype != 0 && nstype != target.kind().cloneFlag) {
                return -Errno.EINVAL;
            }
            Namespaces next = enter(c, now, target);
            install(p, now, next);
            return 0;
        }
        if (f instanceof PidFd pf) {
            if (nstype == 0 || (nstype & ~NsKind.ALL_FLAGS) != 0) {
                return -Errno.EINVAL;
            }
            Process q = pf.process();
            if (q.isGone()) {
                return -Errno.ESRCH;
            }
            Namespaces theirs = q.namespaces;
            Namespaces next = now;
            // The user namespace first, so the others are checked with the capabilities it gives.
            NsKind[] order = {NsKind.USER, NsKind.MNT, NsKind.UTS, NsKind.IPC, NsKind.NET, NsKind.PID, NsKind.CGROUP};
            for (NsKind k : order) {
                if ((nstype & k.cloneFlag) != 0 && theirs.get(k) != now.get(k)) {
                    next = enter(c, next, theirs.get(k));
                }
            }
            install(p, now, next);
            return 0;
        }
        return -Errno.EINVAL;
    }

    /** The namespaces after entering {@code target}, with Linux's checks per kind (each kind's install). */
    private static Namespaces enter(SyscallContext c, Namespaces now, Namespace target) {
        Process p = c.process();
        switch (target.kind()) {
            case USER -> {
                UserNamespace u = (UserNamespace) target;
                if (u == now.user()) {
                    throw Errno.of(Errno.EINVAL); // userns_install: not the caller's own
                }
                if (p.liveThreads() > 1) {
                    throw Errno.of(Errno.EINVAL);
                }
                if (!capable(c, u, Credentials.CAP_SYS_ADMIN)) {
                    throw Errno.of(Errno.EPERM);
                }
            }
            case PID -> {
                PidNamespace pid = (PidNamespace) target;
                if (!pid.isWithin(now.pid())) {
                    throw Errno.of(Errno.EINVAL); // only down the caller's own PID namespace
                }
                requireAdmin(c, now, target);
            }
            case MNT -> {
                if (!capable(c, now.user(), CAP_SYS_CHROOT)) {
                    throw Errno.of(Errno.EPERM);
                }
                requireAdmin(c, now, target);
            }
            default -> requireAdmin(c, now, target);
        }
        return now.with(target);
    }

    /** CAP_SYS_ADMIN over the namespace's owner and in the caller's own user namespace (EPERM). */
    private static void requireAdmin(SyscallContext c, Namespaces now, Namespace target) {
        if (!capable(c, target.owner(), Credentials.CAP_SYS_ADMIN)
                || !capable(c, now.user(), Credentials.CAP_SYS_ADMIN)) {
            throw Errno.of(Errno.EPERM);
        }
    }

    private static void install(Process p, Namespaces before, Namespaces after) {
        if (after.user() != before.user()) {
            p.setCredentials(p.credentials().inNewUserNamespace());
        }
        if (after.ipc() != before.ipc()) {
            leaveIpcNamespace(p);
        }
        p.namespaces = after;
    }

    /**
     * The process leaves its IPC namespace: its semaphore adjustments are applied there first, as
     * Linux's exit_sem does when unshare or setns switches the namespace.
     */
    private static void leaveIpcNamespace(Process p) {
        dev.phoenix.libos.ipc.SemUndoList undo = p.semUndo;
        if (undo != null) {
            undo.exit(p.pid());
            p.semUndo = null;
        }
    }

    /** Implements Linux sethostname(2). */
    static long sethostname(SyscallContext c, long name, long len, long a2, long a3, long a4, long a5) {
        String s = utsName(c, name, len);
        c.process().namespaces.uts().setHostname(s);
        return 0;
    }

    /** Implements Linux setdomainname(2). */
    static long setdomainname(SyscallContext c, long name, long len, long a2, long a3, long a4, long a5) {
        String s = utsName(c, name, len);
        c.process().namespaces.uts().setDomainname(s);
        return 0;
    }

    /** The name a sethostname or setdomainname call gives: EPERM without CAP_SYS_ADMIN over the UTS namespace, EINVAL when too long. */
    private static String utsName(SyscallContext c, long name, long len) {
        UtsNamespace uts = c.process().namespaces.uts();
        if (!capable(c, uts.owner(), Credentials.CAP_SYS_ADMIN)) {
            throw Errno.of(Errno.EPERM);
        }
        if (len < 0 || len > UtsNamespace.MAX_NAME) {
            throw Errno.of(Errno.EINVAL);
        }
        byte[] b = c.memory().read(name, (int) len);
        return new String(b, StandardCharsets.UTF_8);
    }
}
