package dev.phoenix.libos.ns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.Credentials;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * uid_map parsing and id translation through nested maps: the corners of Linux's map_write
 * (limits, wrapping, the 340-extent cap) that the guest test (userns.c, against the host kernel)
 * does not reach, and the map {@code phoenix run --user} writes.
 */
class UserNamespaceTest {
    private static int errno(Runnable r) {
        return assertThrows(Errno.class, r::run).errno();
    }

    private static List<IdMap.Extent> parse(String s) {
        return IdMap.parse(s.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void mapWriteFormat() {
        assertEquals(List.of(new IdMap.Extent(0, 1000, 1)), parse("0 1000 1\n"));
        assertEquals(List.of(new IdMap.Extent(0, 1000, 1), new IdMap.Extent(1, 100000, 65536)),
                parse("  0   1000 1\n1 100000 65536"));
        for (String bad : new String[] {"", "\n", "0 1000", "0 1000 1 2", "0 1000 0", "4294967295 0 1",
                "0 4294967295 1", "1 0 4294967295", "0 0 2\n1 5 1", "0 0 1\n5 0 1", "0 -1 1", "0 1000 1\n\n"}) {
            assertEquals(Errno.EINVAL, errno(() -> parse(bad)), bad);
        }
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < IdMap.MAX_EXTENTS; i++) {
            many.append(i).append(' ').append(i).append(" 1\n");
        }
        assertEquals(IdMap.MAX_EXTENTS, parse(many.toString()).size());
        many.append("1000 1000 1\n");
        assertEquals(Errno.EINVAL, errno(() -> parse(many.toString())));
    }

    @Test
    void idsGoThroughEveryLevel() {
        UserNamespace init = UserNamespace.initial();
        UserNamespace child = init.child(1000, 1000);
        assertEquals(IdMap.INVALID, child.uid(1000)); // nothing mapped yet
        assertEquals(UserNamespace.OVERFLOW_ID, child.uidMunged(1000));
        child.setMap(false, parse("0 100000 65536\n"));
        assertEquals(Errno.EPERM, errno(() -> child.setMap(false, parse("0 1 1"))));
        assertEquals(5, child.uid(100005));
        assertEquals(100005, child.kuid(5));
        assertEquals(IdMap.INVALID, child.kuid(65536));
        UserNamespace grandchild = child.child(100000, 100000);
        assertEquals(Errno.EPERM, errno(() -> grandchild.setMap(false, parse("0 65536 1")))); // not the parent's
        grandchild.setMap(false, parse("0 10 5"));
        assertEquals(100012, grandchild.kuid(2)); // 2 -> 12 in the child -> 100012 in the kernel
        assertEquals(2, grandchild.uid(100012));
        assertEquals("         0         10          5\n", grandchild.uidMap().text(child.uidMap()));
        assertEquals("         0     100010          5\n", grandchild.uidMap().text(init.uidMap()));
    }

    @Test
    void setgroupsDenyIsForeverAndOnlyBeforeTheGidMap() {
        UserNamespace ns = UserNamespace.initial().child(0, 0);
        assertFalse(ns.maySetgroups());
        ns.setSetgroups(true);
        ns.setSetgroups(false);
        assertEquals(Errno.EPERM, errno(() -> ns.setSetgroups(true)));
        assertFalse(ns.child(0, 0).setgroupsAllowed()); // inherited
        ns.setMap(true, parse("0 0 1"));
        assertFalse(ns.maySetgroups());
        UserNamespace open = UserNamespace.initial().child(0, 0);
        open.setMap(true, parse("0 0 1"));
        assertEquals(Errno.EPERM, errno(() -> open.setSetgroups(false)));
        assertTrue(open.maySetgroups());
    }

    @Test
    void runAsRootMapsTheCallerToZero() {
        UserNamespace ns = UserNamespace.initial().child(1000, 100);
        assertNull(ns.uidMap());
        ns.mapRootTo(1000, 100);
        assertEquals(1000, ns.kuid(0));
        assertEquals(100, ns.kgid(0));
        assertEquals(UserNamespace.OVERFLOW_ID, ns.uidMunged(0));
    }

    @Test
    void capabilitiesCountInTheOwnNamespaceAndThoseItsEuidCreated() {
        UserNamespace init = UserNamespace.initial();
        UserNamespace mine = init.child(1000, 1000);
        UserNamespace below = mine.child(1000, 1000);
        Credentials user = Credentials.of(1000, 1000, new int[0]);
        Credentials inside = user.inNewUserNamespace();
        assertFalse(UserNamespace.capable(init, user, init, Credentials.CAP_SYS_ADMIN));
        assertTrue(UserNamespace.capable(init, user, mine, Credentials.CAP_SYS_ADMIN)); // its creator
        assertTrue(UserNamespace.capable(init, user, below, Credentials.CAP_SYS_ADMIN));
        assertTrue(UserNamespace.capable(mine, inside, mine, Credentials.CAP_SYS_ADMIN));
        assertFalse(UserNamespace.capable(mine, inside, init, Credentials.CAP_SYS_ADMIN));
        assertFalse(UserNamespace.capable(init, Credentials.of(2000, 2000, new int[0]), mine,
                Credentials.CAP_SYS_ADMIN));
    }
}
