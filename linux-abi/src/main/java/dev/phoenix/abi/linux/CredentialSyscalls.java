package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.Credentials;
import dev.phoenix.libos.proc.Process;
import java.util.function.UnaryOperator;

/**
 * User and group ids, supplementary groups and capabilities (credentials(7), capabilities(7)):
 * each call reads or replaces the calling process's {@link Credentials}, whose methods hold
 * Linux's rules. Ids arrive as uid_t/gid_t: the low 32 bits of the register, and cross the
 * boundary through the caller's user namespace ({@link UserIds}): the credentials hold kernel ids.
 */
final class CredentialSyscalls {
    private CredentialSyscalls() {}

    private static final int LINUX_CAPABILITY_VERSION_1 = 0x19980330, LINUX_CAPABILITY_VERSION_2 = 0x20071026,
            LINUX_CAPABILITY_VERSION_3 = 0x20080522;

    private static long change(SyscallContext c, UnaryOperator<Credentials> how) {
        Process p = c.process();
        p.setCredentials(how.apply(p.credentials()));
        return 0;
    }

    private static Credentials creds(SyscallContext c) {
        return c.process().credentials();
    }

    /** Implements Linux getuid(2). */
    static long getuid(SyscallContext c, long a0, long a1, long a2, long a3, long a4, long a5) {
        return Integer.toUnsignedLong(UserIds.uid(c, creds(c).uid));
    }

    /** Implements Linux geteuid(2). */
    static long geteuid(SyscallContext c, long a0, long a1, long a2, long a3, long a4, long a5) {
        return Integer.toUnsignedLong(UserIds.uid(c, creds(c).euid));
    }

    /** Implements Linux getgid(2). */
    static long getgid(SyscallContext c, long a0, long a1, long a2, long a3, long a4, long a5) {
        return Integer.toUnsignedLong(UserIds.gid(c, creds(c).gid));
    }

    /** Implements Linux getegid(2). */
    static long getegid(SyscallContext c, long a0, long a1, long a2, long a3, long a4, long a5) {
        return Integer.toUnsignedLong(UserIds.gid(c, creds(c).egid));
    }

    /** Implements Linux getresuid(2): the three ids, written in order (EFAULT at the first that fails). */
    static long getresuid(SyscallContext c, long r, long e, long s, long a3, long a4, long a5) {
        Credentials k = creds(c);
        return putIds(c, r, UserIds.uid(c, k.uid), e, UserIds.uid(c, k.euid), s, UserIds.uid(c, k.suid));
    }

    /** Implements Linux getresgid(2). */
    static long getresgid(SyscallContext c, long r, long e, long s, long a3, long a4, long a5) {
        Credentials k = creds(c);
        return putIds(c, r, UserIds.gid(c, k.gid), e, UserIds.gid(c, k.egid), s, UserIds.gid(c, k.sgid));
    }

    private static long putIds(SyscallContext c, long a, int x, long b, int y, long d, int z) {
        c.memory().writeInt(a, x);
        c.memory().writeInt(b, y);
        c.memory().writeInt(d, z);
        return 0;
    }

    /** Implements Linux setuid(2). */
    static long setuid(SyscallContext c, long uid, long a1, long a2, long a3, long a4, long a5) {
        int ku = UserIds.kuid(c, uid);
        return change(c, k -> k.setuid(ku));
    }

    /** Implements Linux setgid(2). */
    static long setgid(SyscallContext c, long gid, long a1, long a2, long a3, long a4, long a5) {
        int kg = UserIds.kgid(c, gid);
        return change(c, k -> k.setgid(kg));
    }

    /** Implements Linux setreuid(2). */
    static long setreuid(SyscallContext c, long r, long e, long a2, long a3, long a4, long a5) {
        int kr = UserIds.kuid(c, r), ke = UserIds.kuid(c, e);
        return change(c, k -> k.setreuid(kr, ke));
    }

    /** Implements Linux setregid(2). */
    static long setregid(SyscallContext c, long r, long e, long a2, long a3, long a4, long a5) {
        int kr = UserIds.kgid(c, r), ke = UserIds.kgid(c, e);
        return change(c, k -> k.setregid(kr, ke));
    }

    /** Implements Linux setresuid(2). */
    static long setresuid(SyscallContext c, long r, long e, long s, long a3, long a4, long a5) {
        int kr = UserIds.kuid(c, r), ke = UserIds.kuid(c, e), ks = UserIds.kuid(c, s);
        return change(c, k -> k.setresuid(kr, ke, ks));
    }

    /** Implements Linux setresgid(2). */
    static long setresgid(SyscallContext c, long r, long e, long s, long a3, long a4, long a5) {
        int kr = UserIds.kgid(c, r), ke = UserIds.kgid(c, e), ks = UserIds.kgid(c, s);
        return change(c, k -> k.setresgid(kr, ke, ks));
    }

    /**
     * Implements Linux setfsuid(2): always returns the previous fs uid, whether or not it
     * changed; an id the caller's namespace does not map changes nothing.
     */
    static long setfsuid(SyscallContext c, long fsuid, long a1, long a2, long a3, long a4, long a5) {
        int old = UserIds.uid(c, creds(c).fsuid);
        int k = UserIds.kuidOrInvalid(c, fsuid);
        if (k != dev.phoenix.libos.ns.IdMap.INVALID || c.process().namespaces.user().isInitial()) {
            change(c, x -> x.setfsuid(k));
        }
        return Integer.toUnsignedLong(old);
    }

    /** Implements Linux setfsgid(2). */
    static long setfsgid(SyscallContext c, long fsgid, long a1, long a2, long a3, long a4, long a5) {
        int old = UserIds.gid(c, creds(c).fsgid);
        int k = UserIds.kgidOrInvalid(c, fsgid);
        if (k != dev.phoenix.libos.ns.IdMap.INVALID || c.process().namespaces.user().isInitial()) {
            change(c, x -> x.setfsgid(k));
        }
        return Integer.toUnsignedLong(old);
    }

    /** Implements Linux getgroups(2): with size 0 the count; a smaller non-zero size is EINVAL. */
    static long getgroups(SyscallContext c, long size, long list, long a2, long a3, long a4, long a5) {
        int n = (int) size;
        if (n < 0) {
            return -Errno.EINVAL;
        }
        int[] groups = creds(c).groups();
        if (n == 0) {
            return groups.length;
        }
        if (groups.length > n) {
            return -Errno.EINVAL;
        }
        for (int i = 0; i < groups.length; i++) {
            c.memory().writeInt(list + 4L * i, UserIds.gid(c, groups[i]));
        }
        return groups.length;
    }

    /**
     * Implements Linux setgroups(2): CAP_SETGID and a user namespace that allows it first
     * (may_setgroups: its gid_map written and /proc/PID/setgroups not "deny"), then the size (at
     * most NGROUPS_MAX), then the list, each gid mapped in the caller's namespace (EINVAL).
     */
    static long setgroups(SyscallContext c, long size, long list, long a2, long a3, long a4, long a5) {
        if (!creds(c).capable(Credentials.CAP_SETGID) || !c.process().namespaces.user().maySetgroups()) {
            return -Errno.EPERM;
        }
        int n = (int) size;
        if (n < 0 || n > Credentials.NGROUPS_MAX) {
            return -Errno.EINVAL;
        }
        int[] groups = new int[n];
        for (int i = 0; i < n; i++) {
            groups[i] = c.memory().readInt(list + 4L * i);
        }
        for (int i = 0; i < n; i++) {
            if (groups[i] != Credentials.UNCHANGED) {
                groups[i] = UserIds.kgid(c, groups[i]);
            }
        }
        return change(c, k -> k.setgroups(groups));
    }

    /**
     * The number of 32-bit words per set that a capability header's version takes (1 or 2); for
     * an unknown version the kernel's own is written back and the call is EINVAL
     * (cap_validate_magic).
     */
    private static int capWords(SyscallContext c, long header) {
        int version = c.memory().readInt(header);
        switch (version) {
            case LINUX_CAPABILITY_VERSION_1 -> {
                return 1;
            }
            case LINUX_CAPABILITY_VERSION_2, LINUX_CAPABILITY_VERSION_3 -> {
                return 2;
            }
            default -> {
                c.memory().writeInt(header, LINUX_CAPABILITY_VERSION_3);
                throw Errno.of(Errno.EINVAL);
            }
        }
    }

    /**
     * Implements Linux capget(2): the effective, permitted and inheritable sets of the caller
     * (pid 0 or its own pid; a negative pid is EINVAL, another ESRCH). A NULL data pointer with
     * an unknown version only asks for the version, and succeeds.
     */
    static long capget(SyscallContext c, long header, long data, long a2, long a3, long a4, long a5) {
        int words;
        try {
            words = capWords(c, header);
        } catch (Errno e) {
            return data == 0 && e.errno() == Errno.EINVAL ? 0 : -e.errno();
        }
        if (data == 0) {
            return 0;
        }
        int pid = c.memory().readInt(header + 4);
        if (pid < 0) {
            return -Errno.EINVAL;
        }
        if (pid != 0 && Pids.global(c, pid) != c.process().pid()) {
            return -Errno.ESRCH;
        }
        Credentials k = creds(c);
        for (int i = 0; i < words; i++) {
            long at = data + 12L * i;
            int shift = 32 * i;
            c.memory().writeInt(at, (int) (k.effective >>> shift));
            c.memory().writeInt(at + 4, (int) (k.permitted >>> shift));
            c.memory().writeInt(at + 8, (int) (k.inheritable >>> shift));
        }
        return 0;
    }

    /** Implements Linux capset(2) for the caller (another pid is EPERM), under cap_capset's rules. */
    static long capset(SyscallContext c, long header, long data, long a2, long a3, long a4, long a5) {
        int words = capWords(c, header);
        int pid = c.memory().readInt(header + 4);
        if (pid != 0 && Pids.global(c, pid) != c.process().pid()) {
            return -Errno.EPERM;
        }
        long eff = 0, perm = 0, inh = 0;
        for (int i = 0; i < words; i++) {
            long at = data + 12L * i;
            int shift = 32 * i;
            eff |= Integer.toUnsignedLong(c.memory().readInt(at)) << shift;
            perm |= Integer.toUnsignedLong(c.memory().readInt(at + 4)) << shift;
            inh |= Integer.toUnsignedLong(c.memory().readInt(at + 8)) << shift;
        }
        long e = eff, p = perm, in = inh;
        return change(c, k -> k.capset(e, p, in));
    }

    private static final int PR_GET_KEEPCAPS = 7, PR_SET_KEEPCAPS = 8, PR_CAPBSET_READ = 23, PR_CAPBSET_DROP = 24,
            PR_GET_SECUREBITS = 27, PR_SET_SECUREBITS = 28, PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39,
            PR_CAP_AMBIENT = 47;
    private static final int AMBIENT_IS_SET = 1, AMBIENT_RAISE = 2, AMBIENT_LOWER = 3, AMBIENT_CLEAR_ALL = 4;

    /** True for the prctl(2) options {@link #prctl} serves. */
    static boolean isCredentialPrctl(int option) {
        return switch (option) {
            case PR_GET_KEEPCAPS, PR_SET_KEEPCAPS, PR_CAPBSET_READ, PR_CAPBSET_DROP, PR_GET_SECUREBITS,
                    PR_SET_SECUREBITS, PR_SET_NO_NEW_PRIVS, PR_GET_NO_NEW_PRIVS, PR_CAP_AMBIENT -> true;
            default -> false;
        };
    }

    private static boolean validCap(long cap) {
        return cap >= 0 && cap <= Credentials.CAP_LAST_CAP;
    }

    /**
     * Implements the capability and privilege options of Linux prctl(2) (cap_task_prctl and
     * kernel/sys.c): the bounding set, keep-caps and the other securebits, ambient
     * capabilities, and no_new_privs.
     */
    static long prctl(SyscallContext c, int option, long arg2, long arg3, long arg4, long arg5) {
        Credentials k = creds(c);
        switch (option) {
            case PR_CAPBSET_READ -> {
                return validCap(arg2) ? (k.bounding >>> arg2) & 1 : -Errno.EINVAL;
            }
            case PR_CAPBSET_DROP -> {
                if (!k.capable(Credentials.CAP_SETPCAP)) {
                    return -Errno.EPERM;
                }
                return validCap(arg2) ? change(c, x -> x.dropBounding(arg2)) : -Errno.EINVAL;
            }
            case PR_GET_KEEPCAPS -> {
                return (k.securebits & Credentials.SECBIT_KEEP_CAPS) != 0 ? 1 : 0;
            }
            case PR_SET_KEEPCAPS -> {
                if (Long.compareUnsigned(arg2, 1) > 0) {
                    return -Errno.EINVAL;
                }
                if ((k.securebits & Credentials.SECBIT_KEEP_CAPS_LOCKED) != 0) {
                    return -Errno.EPERM;
                }
                int bits = arg2 == 1 ? k.securebits | Credentials.SECBIT_KEEP_CAPS
                        : k.securebits & ~Credentials.SECBIT_KEEP_CAPS;
                return change(c, x -> x.withSecurebits(bits));
            }
            case PR_GET_SECUREBITS -> {
                return k.securebits;
            }
            case PR_SET_SECUREBITS -> {
                int old = k.securebits;
                int locks = old & 0xaa;
                boolean changesLocked = ((locks >> 1) & (old ^ arg2)) != 0;
                boolean unlocks = (locks & ~arg2) != 0;
                if (changesLocked || unlocks || (arg2 & ~(long) Credentials.SECURE_ALL) != 0
                        || !k.capable(Credentials.CAP_SETPCAP)) {
                    return -Errno.EPERM;
                }
                return change(c, x -> x.withSecurebits((int) arg2));
            }
            case PR_SET_NO_NEW_PRIVS -> {
                if (arg2 != 1 || arg3 != 0 || arg4 != 0 || arg5 != 0) {
                    return -Errno.EINVAL;
                }
                c.process().noNewPrivs = true;
                return 0;
            }
            case PR_GET_NO_NEW_PRIVS -> {
                if (arg2 != 0 || arg3 != 0 || arg4 != 0 || arg5 != 0) {
                    return -Errno.EINVAL;
                }
                return c.process().noNewPrivs ? 1 : 0;
            }
            case PR_CAP_AMBIENT -> {
                return ambient(c, k, arg2, arg3, arg4, arg5);
            }
            default -> throw new IllegalArgumentException("not a credential prctl: " + option);
        }
    }

    private static long ambient(SyscallContext c, Credentials k, long op, long cap, long arg4, long arg5) {
        if (op == AMBIENT_CLEAR_ALL) {
            return (cap | arg4 | arg5) != 0 ? -Errno.EINVAL : change(c, x -> x.withAmbient(0));
        }
        if (!validCap(cap) || arg4 != 0 || arg5 != 0) {
            return -Errno.EINVAL;
        }
        long bit = Credentials.bit((int) cap);
        if (op == AMBIENT_IS_SET) {
            return (k.ambient & bit) != 0 ? 1 : 0;
        }
        if (op == AMBIENT_RAISE) {
            if ((k.permitted & bit) == 0 || (k.inheritable & bit) == 0
                    || (k.securebits & Credentials.SECBIT_NO_CAP_AMBIENT_RAISE) != 0) {
                return -Errno.EPERM;
            }
            return change(c, x -> x.withAmbient(x.ambient | bit));
        }
        if (op == AMBIENT_LOWER) {
            return change(c, x -> x.withAmbient(x.ambient & ~bit));
        }
        return -Errno.EINVAL;
    }
}
