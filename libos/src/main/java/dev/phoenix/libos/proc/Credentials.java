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
    public static final int UNCHANGED = -1;

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

    public int groupCount() {
        return groups.length;
    }

    /** True when {@code gid} is the fs gid or a supplementary group (in_group_p). */
    public boolean inGroup(int g) {
        if (g == fsgid) {
            return true;
        }
        for (int x : groups) {
            if (x == g) {
                return true;
            }
        }
        return false;
    }

    private Credentials withUids(int u, int e, int s, int fs, long perm, long eff, long amb) {
        return new Credentials(u, e, s, fs, gid, egid, sgid, fsgid, groups, inheritable, perm, eff, bounding, amb,
                securebits);
    }

    private Credentials withGids(int g, int e, int s, int fs) {
        return new Credentials(uid, euid, suid, fsuid, g, e, s, fs, groups, inheritable, permitted, effective,
                bounding, ambient, securebits);
    }

    /** Linux's cap_emulate_setxuid: capabilities follow a change of uids between root and not. */
    private Credentials fixSetuid(int u, int e, int s) {
        long perm = permitted, eff = effective, amb = ambient;
        if ((securebits & SECBIT_NO_SETUID_FIXUP) == 0) {
            boolean wasRoot = uid == 0 || euid == 0 || suid == 0;
            if (wasRoot && u != 0 && e != 0 && s != 0) {
                if ((securebits & SECBIT_KEEP_CAPS) == 0) {
                    perm = 0;
                    eff = 0;
                }
                amb = 0;
            }
            if (euid == 0 && e != 0) {
                eff = 0;
            }
            if (euid != 0 && e == 0) {
                eff = perm;
            }
        }
        return withUids(u, e, s, e, perm, eff, amb);
    }

    private static void checkValid(int id) {
        if (id == UNCHANGED) {
            throw Errno.of(Errno.EINVAL);
        }
    }

    /** Implements setuid(2)'s rule: CAP_SETUID sets all ids, else the real or saved uid may become effective. */
    public Credentials setuid(int u) {
        checkValid(u);
        if (capable(CAP_SETUID)) {
            return fixSetuid(u, u, u);
        }
        if (u != uid && u != suid) {
            throw Errno.of(Errno.EPERM);
        }
        return fixSetuid(uid, u, suid);
    }

    /** Implements setreuid(2): -1 leaves an id; the saved uid follows a new effective one as Linux decides. */
    public Credentials setreuid(int r, int e) {
        int newR = uid, newE = euid;
        if (r != UNCHANGED) {
            if (r != uid && r != euid && !capable(CAP_SETUID)) {
                throw Errno.of(Errno.EPERM);
            }
            newR = r;
        }
        if (e != UNCHANGED) {
            if (e != uid && e != euid && e != suid && !capable(CAP_SETUID)) {
                throw Errno.of(Errno.EPERM);
            }
            newE = e;
        }
        int newS = r != UNCHANGED || (e != UNCHANGED && e != uid) ? newE : suid;
        return fixSetuid(newR, newE, newS);
    }

    /** Implements setresuid(2): without CAP_SETUID each new id must be one of the current three. */
    public Credentials setresuid(int r, int e, int s) {
        if (!capable(CAP_SETUID) && (!isOneOf(r, uid, euid, suid) || !isOneOf(e, uid, euid, suid)
                || !isOneOf(s, uid, euid, suid))) {
            throw Errno.of(Errno.EPERM);
        }
        return fixSetuid(r == UNCHANGED ? uid : r, e == UNCHANGED ? euid : e, s == UNCHANGED ? suid : s);
    }

    private static boolean isOneOf(int id, int a, int b, int c) {
        return id == UNCHANGED || id == a || id == b || id == c;
    }

    /**
     * Implements setfsuid(2): the new fs uid when it is one of the four uids or the caller has
     * CAP_SETUID, else no change; the file-system capabilities follow it between 0 and not.
     */
    public Credentials setfsuid(int fs) {
        if (fs == UNCHANGED || fs == fsuid
                || !(fs == uid || fs == euid || fs == suid || capable(CAP_SETUID))) {
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
        return withUids(uid, euid, suid, fs, permitted, eff, ambient);
    }

    /** Implements setgid(2). */
    public Credentials setgid(int g) {
        checkValid(g);
        if (capable(CAP_SETGID)) {
            return withGids(g, g, g, g);
        }
        if (g != gid && g != sgid) {
            throw Errno.of(Errno.EPERM);
        }
        return withGids(gid, g, sgid, g);
    }

    /** Implements setregid(2). */
    public Credentials setregid(int r, int e) {
        int newR = gid, newE = egid;
        if (r != UNCHANGED) {
            if (r != gid && r != egid && !capable(CAP_SETGID)) {
                throw Errno.of(Errno.EPERM);
            }
            newR = r;
        }
        if (e != UNCHANGED) {
            if (e != gid && e != egid && e != sgid && !capable(CAP_SETGID)) {
                throw Errno.of(Errno.EPERM);
            }
            newE = e;
        }
        int newS = r != UNCHANGED || (e != UNCHANGED && e != gid) ? newE : sgid;
        return withGids(newR, newE, newS, newE);
    }

    /** Implements setresgid(2). */
    public Credentials setresgid(int r, int e, int s) {
        if (!capable(CAP_SETGID) && (!isOneOf(r, gid, egid, sgid) || !isOneOf(e, gid, egid, sgid)
                || !isOneOf(s, gid, egid, sgid))) {
            throw Errno.of(Errno.EPERM);
        }
        int newE = e == UNCHANGED ? egid : e;
        return withGids(r == UNCHANGED ? gid : r, newE, s == UNCHANGED ? sgid : s, newE);
    }

    /** Implements setfsgid(2): as setfsuid, with CAP_SETGID and no capability change. */
    public Credentials setfsgid(int fs) {
        if (fs == UNCHANGED || fs == fsgid
                || !(fs == gid || fs == egid || fs == sgid || capable(CAP_SETGID))) {
            return this;
        }
        return withGids(gid, egid, sgid, fs);
    }

    /**
     * Implements setgroups(2) once the caller has checked CAP_SETGID (Linux checks it before it
     * reads the list): the list is kept sorted (groups_sort); (gid_t) -1 is EINVAL.
     */
    public Credentials setgroups(int[] list) {
        for (int g : list) {
            checkValid(g);
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
