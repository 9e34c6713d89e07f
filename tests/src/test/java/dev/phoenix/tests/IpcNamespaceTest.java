package dev.phoenix.tests;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * IPC namespaces (tests/guest/ipcns.c): System V and POSIX message queues made before
 * unshare(CLONE_NEWIPC) are invisible inside, those made inside are invisible to a child kept
 * outside, and setns through that child's /proc/PID/ns/ipc shows the first ones again. The
 * text is the native run's as root; on x86_64 it is checked against a native run again.
 */
class IpcNamespaceTest {
    private static final String IPCNS = """
            outer objects: ok ok
            unshare: ok
            inside sees outer: ENOENT ENOENT
            descriptor opened before: ok
            inner objects: ok ok
            inside sees inner: ok ok
            witness sees outer: ok ok
            witness sees inner: ENOENT ENOENT
            open ns: ok
            setns: ok
            back sees outer: ok ok
            back sees inner: ENOENT ENOENT
            receive on the outer descriptor: ok
            done
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void objectsAreSeenOnlyInTheirNamespace(Target t) throws Exception {
        Guests.runsAsExpected(t, "ipcns", new Result(0, IPCNS, ""));
    }
}
