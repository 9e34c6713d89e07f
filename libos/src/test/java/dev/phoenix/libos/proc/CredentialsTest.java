package dev.phoenix.libos.proc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.phoenix.libos.Errno;
import org.junit.jupiter.api.Test;

/**
 * Linux's credential rules from an unprivileged start, which the guest tests (run as root in CI,
 * against the host kernel) do not reach; root's transitions are checked there against native.
 */
class CredentialsTest {
    private static final int U = Credentials.UNCHANGED;

    private static int errno(Runnable r) {
        return assertThrows(Errno.class, r::run).errno();
    }

    @Test
    void anUnprivilegedUserMovesOnlyAmongItsOwnIds() {
        Credentials c = new Credentials(1000, 1000, 2000, 1000, 100, 100, 100, 100, new int[0], 0, 0, 0,
                Credentials.CAP_VALID, 0, 0);
        assertEquals(Errno.EPERM, errno(() -> c.setuid(0)));
        Credentials saved = c.setuid(2000); // the saved uid may become effective
        assertEquals(1000, saved.uid);
        assertEquals(2000, saved.euid);
        assertEquals(2000, saved.suid);
        assertEquals(2000, saved.fsuid);
        assertEquals(Errno.EPERM, errno(() -> c.setresuid(U, 3000, U)));
        Credentials swapped = c.setresuid(2000, 1000, 1000);
        assertEquals(2000, swapped.uid);
        assertEquals(1000, swapped.suid);
        assertEquals(Errno.EPERM, errno(() -> c.setreuid(2000, U))); // the real uid only from real or effective
        assertSame(c, c.setfsuid(5)); // not one of its ids: no change
        assertEquals(2000, c.setfsuid(2000).fsuid);
        assertEquals(Errno.EINVAL, errno(() -> c.setuid(-1)));
    }

    @Test
    void rootLosesItsCapabilitiesWhenEveryUidLeavesZeroUnlessKeepCaps() {
        Credentials root = Credentials.of(0, 0, new int[0]);
        Credentials user = root.setresuid(1000, 1000, 1000);
        assertEquals(0, user.permitted);
        assertEquals(0, user.effective);
        Credentials kept = root.withSecurebits(Credentials.SECBIT_KEEP_CAPS).setresuid(1000, 1000, 1000);
        assertEquals(Credentials.CAP_VALID, kept.permitted);
        assertEquals(0, kept.effective);
        Credentials euidOnly = root.setresuid(U, 1000, U);
        assertEquals(0, euidOnly.effective);
        assertEquals(Credentials.CAP_VALID, euidOnly.setresuid(U, 0, U).effective);
        Credentials fs = root.setfsuid(1000);
        assertEquals(Credentials.CAP_VALID & ~Credentials.CAP_FS_MASK, fs.effective);
        assertEquals(Credentials.CAP_VALID, fs.setfsuid(0).effective);
    }

    @Test
    void capsetOnlyShrinksPermittedAndKeepsEffectiveWithinIt() {
        Credentials root = Credentials.of(0, 0, new int[0]);
        long noSetuid = Credentials.CAP_VALID & ~Credentials.bit(Credentials.CAP_SETUID);
        Credentials less = root.capset(noSetuid, noSetuid, 0);
        assertEquals(Errno.EPERM, errno(() -> less.capset(Credentials.CAP_VALID, Credentials.CAP_VALID, 0)));
        assertEquals(Errno.EPERM, errno(() -> less.setuid(1000)));
        assertEquals(Errno.EPERM, errno(() -> root.capset(Credentials.CAP_VALID, 1, 0)));
        Credentials user = Credentials.of(1000, 1000, new int[0]);
        assertEquals(Errno.EPERM, errno(() -> user.capset(0, 0, 1))); // inheritable beyond old inheritable|permitted
    }

    @Test
    void groupsAreSortedAsUnsignedValues() {
        Credentials c = Credentials.of(0, 0, new int[0]).setgroups(new int[] {7, -2, 3, 7});
        assertArrayEquals(new int[] {3, 7, 7, -2}, c.groups());
        assertEquals(Errno.EINVAL, errno(() -> Credentials.of(0, 0, new int[0]).setgroups(new int[] {-1})));
    }
}
