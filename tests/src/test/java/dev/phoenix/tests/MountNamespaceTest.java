package dev.phoenix.tests;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mount namespaces (tests/guest/mountns.c, run as root): a tmpfs mounted in a child's new mount
 * namespace is invisible to its parent, and pivot_root into another tmpfs (its EBUSY cases
 * first), the old root detached and proc mounted in the new one. The text is the native run's
 * as root on Linux 6.18; on x86_64 it is checked against a native run again.
 */
class MountNamespaceTest {
    private static final String MOUNTNS = """
            unshare CLONE_NEWNS: ok
            make-rprivate /: ok
            mount tmpfs in the child: ok
            child sees its file: yes
            parent sees the child's file: no
            pivot_root to a plain directory: EBUSY
            mount tmpfs for the new root: ok
            pivot_root with put_old outside: EBUSY
            pivot_root: ok
            cwd after pivot_root under /old: yes
            chdir /: ok
            marker at /: yes, old root's base under /old: yes
            umount2 /old MNT_DETACH: ok
            /old/tmp after detach: no
            mount proc: ok
            mountinfo: / tmpfs
            mountinfo: /proc proc
            child exit: 0
            parent sees the new root's marker: no
            cleanup: ok
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void aChildsMountsAreItsOwnAndPivotRootSwapsItsRoot(Target t) throws Exception {
        Guests.runsAsExpected(t, "mountns", new Result(0, MOUNTNS, ""));
    }
}
