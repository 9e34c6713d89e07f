package dev.phoenix.tests;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Extended attributes (tests/guest/xattr.c): a host file's user attributes set, read, listed and
 * removed through every form of the calls, and Linux's errors, including those of files that
 * are not host files (/proc, pipes). The text is the native run's; on x86_64 it is checked
 * against a native run again.
 */
class XattrTest {
    private static final String XATTR = """
            setxattr: 0
            getxattr size: 5
            getxattr: 5
            value: hello
            getxattr short buffer: -1 ERANGE
            lgetxattr: 5
            fgetxattr: 5
            getxattr missing: -1 ENODATA
            getxattr empty name: -1 ERANGE
            getxattr long name: -1 ERANGE
            setxattr create existing: -1 EEXIST
            setxattr replace missing: -1 ENODATA
            setxattr bad flags: -1 EINVAL
            fsetxattr: 0
            listxattr: 25
            user attributes listed: 2
            llistxattr size: 1
            flistxattr short: -1 ERANGE
            removexattr: 0
            fremovexattr: 0
            removexattr missing: -1 ENODATA
            getxattr no file: -1 ENOENT
            getxattr /proc: -1 EOPNOTSUPP
            setxattr /proc: -1 EOPNOTSUPP
            fgetxattr pipe: -1 ENODATA
            fsetxattr pipe: -1 EPERM
            flistxattr pipe: 0
            fgetxattr bad fd: -1 EBADF
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void userAttributesOfHostFilesAndLinuxsErrors(Target t) throws Exception {
        Guests.runsAsExpected(t, "xattr", new Result(0, XATTR, ""));
    }
}
