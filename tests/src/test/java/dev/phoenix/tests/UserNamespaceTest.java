package dev.phoenix.tests;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * User namespaces (tests/guest/userns.c): overflow ids before the maps are written; uid_map and
 * gid_map written once, with Linux's format errors and permission rules (root mapping itself,
 * a parent writing its child's map (then si_uid and SO_PEERCRED show the parent's unmapped uid
 * as the overflow uid), uid 1000 mapping only itself, its gid only after setgroups
 * "deny"); capabilities inside (CapEff, sethostname, kept by a child and across execve);
 * file owners, /proc/PID/status, set*id and chown through the map; a nested namespace. The
 * text is a native run as root; on x86_64 it is checked against a native run again.
 */
class UserNamespaceTest {
    private static final String USERNS = """
            chown as root: ok
            initial setgroups file: allow
            initial: map 0 base+0 4294967295
            write initial uid_map: EPERM
            unshare: ok
            before maps: uid 65534 euid 65534 gid 65534 egid 65534
            before maps: map empty
            setgroups file: allow
            CapEff full: 1
            overflowuid: 65534
            write uid_map: ok
            again on the same descriptor: EINVAL
            write uid_map again: EPERM
            after uid_map: uid 0 euid 0 gid 65534 egid 65534
            inside: map 0 base+0 1
            gid_map bad number: EINVAL
            gid_map overlap: EINVAL
            gid_map count 0: EINVAL
            setgroups before gid_map: EPERM
            setgroups junk: EINVAL
            setgroups deny: ok
            setgroups file: deny
            write gid_map: ok
            setgroups allow again: EPERM
            setgroups denied: EPERM
            after gid_map: uid 0 euid 0 gid 0 egid 0
            status Uid: 0 0 0 0
            status Gid: 0 0 0 0
            own file: uid 0 gid 0
            unmapped owner: uid 65534 gid 65534
            chown to unmapped uid: EINVAL
            setuid unmapped: EINVAL
            setuid 0: ok
            setresgid 0: ok
            unshare uts: ok
            sethostname: ok
            child: uid 0 euid 0 gid 0 egid 0
            after exec: uid 0 euid 0 gid 0 egid 0
            after exec: CapEff full: 1
            exec exit: 0
            nested unshare: ok
            nested before maps: uid 65534 euid 65534 gid 65534 egid 65534
            nested setgroups file: deny
            nested uid_map: ok
            nested gid_map: ok
            nested: uid 0 euid 0 gid 0 egid 0
            nested: map 0 base+0 1
            nested CapEff full: 1
            nested unmapped owner: uid 65534 gid 65534
            parent writes child's uid_map: ok
            parent reads: map 0 base+0 10
            mapped by parent: signal 1 from uid 65534
            mapped by parent: SO_PEERCRED uid 65534 gid 65534
            mapped by parent: uid 65534 euid 65534 gid 65534 egid 65534
            mapped by parent: setuid 3: ok
            mapped by parent: uid 3 euid 3 gid 65534 egid 65534
            user: uid 1000 euid 1000 gid 1000 egid 1000
            user: unshare: ok
            user: map root: EPERM
            user: map two ids: EPERM
            user: map self: ok
            user: gid_map before deny: EPERM
            user: deny: ok
            user: gid_map: ok
            user inside: uid 0 euid 0 gid 0 egid 0
            user: CapEff full: 1
            user: status Uid: 0 0 0 0
            parent at the end: uid 0 euid 0 gid 0 egid 0
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void mapsMakeTheCallerRootInside(Target t) throws Exception {
        Guests.runsAsExpected(t, "userns", new Result(0, USERNS, ""));
    }
}
