package dev.phoenix.tests;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Memory locking (tests/guest/mlock.c): mlock, mlock2, munlock, mlockall and munlockall with
 * Linux's errors, as root and unprivileged under RLIMIT_MEMLOCK 0 and 64 KiB. The text is the
 * native run's; on x86_64 it is checked against a native run again.
 */
class MemoryLockTest {
    private static final String MLOCK = """
            mlock: 0
            mlock unaligned: 0
            mlock over a hole: -1 ENOMEM
            mlock wrapping: -1 EINVAL
            mlock2 onfault: 0
            mlock2 bad flags: -1 EINVAL
            munlock: 0
            munlock over a hole: -1 ENOMEM
            mlockall 0: -1 EINVAL
            mlockall onfault alone: -1 EINVAL
            mlockall bad: -1 EINVAL
            mlockall current|future: 0
            munlockall: 0
            unprivileged, limit 0: mlock: -1 EPERM
            unprivileged, limit 0: mlock over a hole: -1 EPERM
            unprivileged, limit 0: mlockall: -1 EPERM
            unprivileged, limit 0: munlock: 0
            unprivileged, limit 64 KiB: mlock one page: 0
            unprivileged, limit 64 KiB: mlock 1 MiB: -1 ENOMEM
            unprivileged, limit 64 KiB: mlockall current: -1 ENOMEM
            unprivileged, limit 64 KiB: mlockall future: 0
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void locksAreCheckedAsLinuxChecksThem(Target t) throws Exception {
        Guests.runsAsExpected(t, "mlock", new Result(0, MLOCK, ""));
    }
}
