package dev.phoenix.abi.procfs;

import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.proc.Credentials;
import dev.phoenix.libos.proc.Process;

/**
 * Who may read what of a process under /proc (proc(5)): the modes and owners of its files, as
 * Linux's generic_permission checks them, and ptrace(2)'s "ptrace access mode checking" in
 * PTRACE_MODE_READ_FSCREDS, which guards its memory (maps, environ, auxv) and its links (exe,
 * cwd, root, fd/N). Phoenix's processes are always dumpable (PR_SET_DUMPABLE changes nothing),
 * and Yama restricts only attaching, so neither enters here.
 */
final class ProcAccess {
    private ProcAccess() {}

    static final int MAY_EXEC = 1, MAY_WRITE = 2, MAY_READ = 4;
    private static final int CAP_DAC_OVERRIDE = 1, CAP_DAC_READ_SEARCH = 2, CAP_SYS_PTRACE = 19;

    /**
     * The uid and gid that own {@code target}'s files (Linux's task_dump_owner): its effective
     * ids; root for everything but its 0555 directories once it has no memory (a zombie).
     */
    static int[] owner(Process target, boolean readableDir) {
        if (!readableDir && target.isGone()) {
            return new int[] {0, 0};
        }
        Credentials k = target.credentials();
        return new int[] {k.euid, k.egid};
    }

    /**
     * True when {@code caller} may access a file of status {@code st} for {@code want}
     * (MAY_* bits), by fs(7) permissions: the owner's bits for the owner, the group's for a
     * member, the others' else; CAP_DAC_OVERRIDE passes any check but executing a file no one
     * may execute, CAP_DAC_READ_SEARCH any read and a directory's search (capabilities(7)); each
     * only over a file whose owner and group the caller's user namespace maps
     * (capable_wrt_inode_uidgid).
     */
    static boolean permits(Process caller, FileStatus st, int want) {
        Credentials c = caller.credentials();
        int mode = st.mode();
        int bits = c.fsuid == st.uid() ? mode >> 6 : inGroup(c, st.gid()) ? mode >> 3 : mode;
        if ((bits & want & 7) == want) {
            return true;
        }
        boolean dir = (mode & FileStatus.S_IFMT) == FileStatus.S_IFDIR;
        if (!dev.phoenix.abi.linux.UserIds.privilegedOver(caller, st.uid(), st.gid())) {
            return false;
        }
        if (c.capable(CAP_DAC_OVERRIDE) && (dir || (want & MAY_EXEC) == 0 || (mode & 0111) != 0)) {
            return true;
        }
        return c.capable(CAP_DAC_READ_SEARCH) && (want & MAY_WRITE) == 0 && (dir || (want & MAY_EXEC) == 0);
    }

    private static boolean inGroup(Credentials c, int gid) {
        if (c.fsgid == gid) {
            return true;
        }
        for (int g : c.groups()) {
            if (g == gid) {
                return true;
            }
        }
        return false;
    }

    /**
     * ptrace_may_access(target, PTRACE_MODE_READ_FSCREDS): a process may always look at itself;
     * another one only when the caller's fs uid is the target's real, effective and saved uid
     * and its fs gid the target's three gids, or with CAP_SYS_PTRACE over the target's user
     * namespace (ptrace_has_cap).
     */
    static boolean mayRead(Process caller, Process target) {
        if (caller == target) {
            return true;
        }
        Credentials c = caller.credentials();
        Credentials t = target.credentials();
        boolean sameIds = c.fsuid == t.uid && c.fsuid == t.euid && c.fsuid == t.suid
                && c.fsgid == t.gid && c.fsgid == t.egid && c.fsgid == t.sgid;
        if (sameIds) {
            return true;
        }
        dev.phoenix.libos.ns.Namespaces theirs = target.namespaces;
        return theirs == null ? c.capable(CAP_SYS_PTRACE)
                : dev.phoenix.libos.ns.UserNamespace.capable(caller.namespaces.user(), c, theirs.user(), CAP_SYS_PTRACE);
    }
}
