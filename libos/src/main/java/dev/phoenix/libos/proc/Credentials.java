package dev.phoenix.libos.proc;

import dev.phoenix.libos.Errno;
import java.util.Arrays;

/**
 * A process's credentials (credentials(7), capabilities(7)): real, effective, saved and
 * file-system user and group ids, the supplementary groups, the five capability sets and the
 * securebits. Immutable, like Linux's {@code struct cred}: a change makes a new object, which the
 * process installs whole, so a reader never sees half of a change. The set* methods apply
 * Linux 6.1's rules (kernel/sys.c, kernel/groups.c, kernel/capability.c and the capability
 * fix-ups of security/commoncap.c) and throw {@link Errno} where Linux refuses.
 */
public final class Credentials {
    /** Capability numbers Phoenix checks (include/uapi/linux/capability.h). */
    public static final int CAP_CHOWN = 0, CAP_DAC_OVERRIDE = 1, CAP_DAC_READ_SEARCH = 2, CAP_FOWNER = 3,
            CAP_FSETID = 4, CAP_KILL = 5, CAP_SETGID = 6, CAP_SETUID = 7, CAP_SETPCAP = 8,
            CAP_LINUX_IMMUTABLE = 9, CAP_SYS_ADMIN = 21,
            CAP_SYS_NICE = 23, CAP_SYS_RESOURCE = 24, CAP_MKNOD = 27, CAP_MAC_OVERRIDE = 32;
    /** CAP_LAST_CAP of Linux 6.1 (CAP_CHECKPOINT_RESTORE), as /proc/sys/kernel/cap_last_cap says. */
    public static final int CAP_LAST_CAP = 40;
    /** Every capability Linux knows: CAP_VALID_MASK. */
    public static final long CAP_VALID = (1L << (CAP_LAST_CAP + 1)) - 1;
    /** The capabilities that follow the fs uid between 0 and non-0 (CAP_FS_MASK). */
    static final long CAP_FS_MASK = bit(CAP_CHOWN) | bit(CAP_DAC_OVERRIDE) | bit(CAP_DAC_READ_SEARCH)
            | bit(CAP_FOWNER) | bit(CAP_FSETID) | bit(CAP_LINUX_IMMUTABLE) | bit(CAP_MKNOD) | bit(CAP_MAC_OVERRIDE);
    /** securebits (include/uapi/linux/securebits.h): SECBIT_NOROOT and friends, each with its lock bit. */
    public static final int SECBIT_NO_SETUID_FIXUP = 1 << 2, SECBIT_KEEP_CAPS = 1 << 4,
            SECBIT_KEEP_CAPS_LOCKED = 1 << 5, SECBIT_NO_CAP_AMBIENT_RAISE = 1 << 6;
    /** Every securebit and lock Linux 6.1 knows (SECURE_ALL_BITS | SECURE_ALL_LOCKS). */
    public static final int SECURE_ALL = 0xff;
    /** NGROUPS_MAX. */
    public static final int NGROUPS_MAX = 65536;
    /** (uid_t) -1: "leave unchanged" in set*id, and never a valid id. */
    public static final int UNCHANGED = Ids.UNCHANGED;

    public final int uid, euid, suid, fsuid;
    public final int gid, egid, sgid, fsgid;
    private final int[] groups;
    public final long inheritable, permitted, effective, bounding, ambient;
    public final int securebits;

    public Credentials(int uid, int euid, int suid, int fsuid, int gid, int egid, int sgid, int fsgid, int[] groups,
            long inheritable, long permitted, long effective, long bounding, long ambient, int securebits) {
        this.uid = uid;
        this.euid = euid;
        this.suid = suid;
        this.fsuid = fsuid;
        this.gid = gid;
        this.egid = egid;
        this.sgid = sgid;
        this.fsgid = fsgid;
        this.groups = groups.clone();
        this.inheritable = inheritable;
        this.permitted = permitted;
        this.effective = effective;
        this.bounding = bounding;
        this.ambient = ambient;
        this.securebits = securebits;
    }

    /**
     * The credentials of a user with one id throughout: root gets every capability in its
     * permitted and effective sets (as Linux's init does), anyone else none.
     */
    public static Credentials of(int uid, int gid, int[] groups) {
        long caps = uid == 0 ? CAP_VALID : 0;
        return new Credentials(uid, uid, uid, uid, gid, gid, gid, gid, groups, 0, caps, caps, CAP_VALID, 0, 0);
    }

    /**
     * These credentials as the creator of a new user namespace holds them in it (Linux's
     * set_cred_user_ns): every capability permitted, effective and in the bounding set, none
     * inheritable or ambient, default securebits; the ids are unchanged (they show as the
     * overflow ids until the namespace's maps name them).
     */
    public Credentials inNewUserNamespace() {
        return new Credentials(uid, euid, suid, fsuid, gid, egid, sgid, fsgid, groups, 0, CAP_VALID, CAP_VALID,
                CAP_VALID, 0, 0);
    }

    /** SECBIT_NOROOT: root gets no capabilities from execve(2). */
    public static final int SECBIT_NOROOT = 1;

    /**
     * These credentials after an execve(2) of a file without file capabilities or set-id bits
     * (capabilities(7), Linux's cap_bprm_creds_from_file): the saved and fs ids become the
     * effective ones; the new permitted set is the ambient set, or for root (real or effective
     * uid {@code rootKuid}, the kernel uid that is 0 in the process's user namespace; -1 when
     * none is) the bounding and inheritable sets too; the effective set is the new permitted set
     * for an effective root, else the ambient set.
     */
    public Credentials afterExec(int rootKuid) {
        long perm = 0;
        boolean eff = false;
        if ((securebits & SECBIT_NOROOT) == 0 && rootKuid != -1) {
            if (euid == rootKuid || uid == rootKuid) {
                perm = bounding | inheritable;
            }
            eff = euid == rootKuid;
        }
        perm |= ambient;
        return new Credentials(uid, euid, euid, euid, gid, egid, egid, egid, groups, inheritable, perm,
                eff ? perm : ambient, bounding, ambient, securebits);
    }

    public static long bit(int cap) {
        return 1L << cap;
    }

    /** True when {@code cap} is in the effective set: capable(cap). */
    public boolean capable(int cap) {
        return (effective & bit(cap)) != 0;
    }

    /** The supplementary groups, sorted as Linux keeps them. */
    public int[] groups() {
        return groups.clone();
    }

    private Ids uids() {
        return new Ids(uid, euid, suid, fsuid);
    }

    private Ids gids() {
        return new Ids(gid, egid, sgid, fsgid);
    }

    private Credentials withUids(Ids u, long perm, long eff, long amb) {
        return new Credentials(u.real(), u.effective(), u.saved(), u.fs(), gid, egid, sgid, fsgid, groups, inheritable,
                perm, eff, bounding, amb, securebits);
    }

    private Credentials withGids(Ids g) {
        return new Credentials(uid, euid, suid, fsuid, g.real(), g.effective(), g.saved(), g.fs(), groups, inheritable,
                permitted, effective, bounding, ambient, securebits);
    }

    /** Linux's cap_emulate_setxuid: capabilities follow a change of uids between root and not. */
    private Credentials fixSetuid(Ids u) {
        long perm = permitted, eff = effective, amb = ambient;
        if ((securebits & SECBIT_NO_SETUID_FIXUP) == 0) {
            boolean wasRoot = uid == 0 || euid == 0 || suid == 0;
            if (wasRoot && u.real() != 0 && u.effective() != 0 && u.saved() != 0) {
                if ((securebits & SECBIT_KEEP_CAPS) == 0) {
                    perm = 0;
                    eff = 0;
                }
                amb = 0;
            }
            if (euid == 0 && u.effective() != 0) {
                eff = 0;
            }
            if (euid != 0 && u.effective() == 0) {
                eff = perm;
            }
        }
        return withUids(u, perm, eff, amb);
    }

    /** Implements setuid(2) (see {@link Ids#set}), with the capability fix-ups. */
    public Credentials setuid(int u) {
        return fixSetuid(uids().set(u, capable(CAP_SETUID)));
    }

    /** Implements setreuid(2) (see {@link Ids#setReal}). */
    public Credentials setreuid(int r, int e) {
        return fixSetuid(uids().setReal(r, e, capable(CAP_SETUID)));
    }

    /** Implements setresuid(2) (see {@link Ids#setAll}). */
    public Credentials setresuid(int r, int e, int s) {
        return fixSetuid(uids().setAll(r, e, s, capable(CAP_SETUID)));
    }

    /**
     * Implements setfsuid(2) (see {@link Ids#setFs}); the file-system capabilities follow the fs
     * uid between 0 and not.
     */
    public Credentials setfsuid(int fs) {
        Ids u = uids().setFs(fs, capable(CAP_SETUID));
        if (u == null) {
            return this;
        }
        long eff = effective;
        if ((securebits & SECBIT_NO_SETUID_FIXUP) == 0) {
            if (fsuid == 0 && fs != 0) {
                eff &= ~CAP_FS_MASK;
            } else if (fsuid != 0 && fs == 0) {
                eff |= permitted & CAP_FS_MASK;
            }
        }
        return withUids(u, permitted, eff, ambient);
    }

    /** Implements setgid(2). */
    public Credentials setgid(int g) {
        return withGids(gids().set(g, capable(CAP_SETGID)));
    }

    /** Implements setregid(2). */
    public Credentials setregid(int r, int e) {
        return withGids(gids().setReal(r, e, capable(CAP_SETGID)));
    }

    /** Implements setresgid(2). */
    public Credentials setresgid(int r, int e, int s) {
        return withGids(gids().setAll(r, e, s, capable(CAP_SETGID)));
    }

    /** Implements setfsgid(2): as setfsuid, with CAP_SETGID and no capability change. */
    public Credentials setfsgid(int fs) {
        Ids g = gids().setFs(fs, capable(CAP_SETGID));
        return g == null ? this : withGids(g);
    }

    /**
     * Implements setgroups(2) once the caller has checked CAP_SETGID (Linux checks it before it
     * reads the list): the list is kept sorted (groups_sort); (gid_t) -1 is EINVAL.
     */
    public Credentials setgroups(int[] list) {
        for (int g : list) {
            Ids.checkValid(g);
        }
        // Linux sorts by kgid_t, an unsigned value.
        int[] sorted = Arrays.stream(list).boxed().sorted(Integer::compareUnsigned).mapToInt(Integer::intValue)
                .toArray();
        return new Credentials(uid, euid, suid, fsuid, gid, egid, sgid, fsgid, sorted, inheritable, permitted,
                effective, bounding, ambient, securebits);
    }

    /**
     * Implements capset(2)'s rules (cap_capset): the new inheritable set within the old
     * inheritable and permitted sets (unless CAP_SETPCAP) and within inheritable and bounding; the
     * new permitted set within the old; the effective set within the new permitted. Ambient
     * capabilities that are no longer both permitted and inheritable are dropped.
     */
    public Credentials capset(long eff, long perm, long inh) {
        eff &= CAP_VALID;
        perm &= CAP_VALID;
        inh &= CAP_VALID;
        if (!capable(CAP_SETPCAP) && (inh & ~(inheritable | permitted)) != 0) {
            throw Errno.of(Errno.EPERM);
        }
        if ((inh & ~(inheritable | bounding)) != 0 || (perm & ~permitted) != 0 || (eff & ~perm) != 0) {
            throw Errno.of(Errno.EPERM);
        }
        return new Credentials(uid, euid, suid, fsuid, gid, egid, sgid, fsgid, groups, inh, perm, eff, bounding,
                ambient & perm & inh, securebits);
    }

    /** prctl(PR_CAPBSET_DROP) of a valid {@code cap}, the caller's CAP_SETPCAP checked. */
    public Credentials dropBounding(long cap) {
        return new Credentials(uid, euid, suid, fsuid, gid, egid, sgid, fsgid, groups, inheritable, permitted,
                effective, bounding & ~bit((int) cap), ambient, securebits);
    }

    /**
     * prctl(PR_CAP_AMBIENT_RAISE/LOWER/CLEAR_ALL) (raise: the capability must be permitted and
     * inheritable, and SECBIT_NO_CAP_AMBIENT_RAISE clear).
     */
    public Credentials withAmbient(long newAmbient) {
        return new Credentials(uid, euid, suid, fsuid, gid, egid, sgid, fsgid, groups, inheritable, permitted,
                effective, bounding, newAmbient, securebits);
    }

    /** prctl(PR_SET_SECUREBITS) and PR_SET_KEEPCAPS: the new bits, the caller's checks done. */
    public Credentials withSecurebits(int bits) {
        return new Credentials(uid, euid, suid, fsuid, gid, egid, sgid, fsgid, groups, inheritable, permitted,
                effective, bounding, ambient, bits);
    }
}
