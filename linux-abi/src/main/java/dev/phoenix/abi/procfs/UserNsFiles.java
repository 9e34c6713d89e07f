package dev.phoenix.abi.procfs;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.ns.IdMap;
import dev.phoenix.libos.ns.UserNamespace;
import dev.phoenix.libos.proc.Credentials;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.Task;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * /proc/PID/uid_map, gid_map and setgroups (user_namespaces(7)), of the user namespace the
 * process is in: their text for a reader, and what a write to them does, with the checks of
 * Linux's proc_uid_map_write, map_write, new_idmap_permitted and proc_setgroups_write. The
 * credentials and namespace of the opener count as Linux's file->f_cred; those of the writing
 * process where Linux asks the current task.
 */
final class UserNsFiles {
    private UserNsFiles() {}

    /** The names these files have in a PID directory. */
    static final List<String> NAMES = List.of("gid_map", "setgroups", "uid_map");
    private static final int CAP_SETGID = Credentials.CAP_SETGID, CAP_SETUID = Credentials.CAP_SETUID,
            CAP_SYS_ADMIN = Credentials.CAP_SYS_ADMIN, CAP_SETFCAP = 31;
    /** map_write takes less than a page, in one write at offset 0. */
    private static final int PAGE_SIZE = 4096;

    /**
     * The text of {@code file} of {@code target} for {@code reader}: the map's lines, the lower
     * ids as the reader's namespace names them (its parent's for a reader inside the namespace
     * itself, uid_m_show), nothing for a map not yet written; "allow" or "deny".
     */
    static String text(String file, Process target, Process reader) {
        UserNamespace ns = target.namespaces.user();
        if (file.equals("setgroups")) {
            return ns.setgroupsAllowed() ? "allow\n" : "deny\n";
        }
        boolean gid = file.equals("gid_map");
        IdMap map = gid ? ns.gidMap() : ns.uidMap();
        if (map == null) {
            return "";
        }
        UserNamespace lower = reader.namespaces.user();
        if (lower == ns && ns.parent() != null) {
            lower = ns.parent();
        }
        IdMap view = gid ? lower.gidMap() : lower.uidMap();
        return map.text(view != null ? view : new IdMap(List.of()));
    }

    /**
     * What takes the writes to {@code file} of {@code target}, opened by {@code opener}: each
     * write(2) is one whole request, as Linux's handlers read it; a map takes one at offset 0
     * (after a successful write the offset has moved: EINVAL). Opening setgroups for writing
     * needs CAP_SYS_ADMIN over the namespace (proc_setgroups_open: EPERM).
     */
    static Consumer<byte[]> writer(String file, Process target, Process opener, boolean forWriting) {
        UserNamespace ns = target.namespaces.user();
        UserNamespace openerNs = opener.namespaces.user();
        Credentials openerCred = opener.credentials();
        if (file.equals("setgroups")) {
            if (forWriting && !UserNamespace.capable(openerNs, openerCred, ns, CAP_SYS_ADMIN)) {
                throw Errno.of(Errno.EPERM);
            }
            return bytes -> setgroups(ns, bytes);
        }
        boolean gid = file.equals("gid_map");
        boolean[] written = {false};
        return bytes -> {
            // proc_uid_map_write: not the initial namespace's, and only from it or its parent
            if (ns.parent() == null || (openerNs != ns && openerNs != ns.parent())) {
                throw Errno.of(Errno.EPERM);
            }
            if (written[0] || bytes.length >= PAGE_SIZE) {
                throw Errno.of(Errno.EINVAL);
            }
            if ((gid ? ns.gidMap() : ns.uidMap()) != null
                    || !UserNamespace.capable(openerNs, openerCred, ns, CAP_SYS_ADMIN)) {
                throw Errno.of(Errno.EPERM);
            }
            List<IdMap.Extent> extents = IdMap.parse(bytes);
            if (!permitted(ns, gid, extents, openerNs, openerCred, writer(opener))) {
                throw Errno.of(Errno.EPERM);
            }
            ns.setMap(gid, extents);
            written[0] = true;
        };
    }

    /** The process writing: the current task's, or the opener's outside a guest thread. */
    private static Process writer(Process opener) {
        Task t = Task.current();
        return t != null ? t.process() : opener;
    }

    /**
     * new_idmap_permitted: a namespace's owner may map its own effective uid alone, or its own
     * effective gid alone once setgroups is denied; anything else needs CAP_SETUID (CAP_SETGID)
     * over the parent namespace, in the writer and in the opener. Mapping the parent's uid 0
     * needs CAP_SETFCAP there (verify_root_map: the creator had it, for a write from inside).
     */
    private static boolean permitted(UserNamespace ns, boolean gid, List<IdMap.Extent> map, UserNamespace openerNs,
            Credentials openerCred, Process writer) {
        if (!gid) {
            for (IdMap.Extent e : map) {
                if (e.lower() == 0) {
                    boolean ok = openerNs == ns ? ns.parentCouldSetfcap
                            : UserNamespace.capable(openerNs, openerCred, ns.parent(), CAP_SETFCAP);
                    if (!ok) {
                        return false;
                    }
                    break;
                }
            }
        }
        if (map.size() == 1 && map.get(0).count() == 1 && ns.ownerUid == openerCred.euid) {
            int lower = map.get(0).lower();
            if (!gid && ns.parent().kuid(lower) == openerCred.euid && lower != IdMap.INVALID) {
                return true;
            }
            if (gid && !ns.setgroupsAllowed() && ns.parent().kgid(lower) == openerCred.egid) {
                return true;
            }
        }
        int cap = gid ? CAP_SETGID : CAP_SETUID;
        return UserNamespace.capable(writer.namespaces.user(), writer.credentials(), ns.parent(), cap)
                && UserNamespace.capable(openerNs, openerCred, ns.parent(), cap);
    }

    /** proc_setgroups_write: "allow" or "deny", spaces after it allowed; anything else EINVAL. */
    private static void setgroups(UserNamespace ns, byte[] bytes) {
        if (bytes.length >= 8) {
            throw Errno.of(Errno.EINVAL);
        }
        String s = new String(bytes, StandardCharsets.ISO_8859_1);
        int nul = s.indexOf('\0');
        if (nul >= 0) {
            s = s.substring(0, nul);
        }
        boolean allow;
        if (s.startsWith("allow")) {
            allow = true;
            s = s.substring(5);
        } else if (s.startsWith("deny")) {
            allow = false;
            s = s.substring(4);
        } else {
            throw Errno.of(Errno.EINVAL);
        }
        if (!s.isBlank() && !s.chars().allMatch(ch -> ch == ' ' || (ch >= '\t' && ch <= '\r'))) {
            throw Errno.of(Errno.EINVAL);
        }
        ns.setSetgroups(allow);
    }
}
