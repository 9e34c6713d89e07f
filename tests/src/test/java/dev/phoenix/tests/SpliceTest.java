package dev.phoenix.tests;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * splice, tee and vmsplice (issue 15): {@code splice.c} moves data between pipes, a file and
 * memory, blocks until a child writes, and meets the errors Linux gives. The expected output is
 * what it prints natively on x86_64 (Linux 6.18), where each run is also compared with a native
 * one; aarch64 and riscv64 must print the same. The timeout is a hang guard only.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
class SpliceTest {
    private static final String SPLICE = """
            file to pipe from offset 4: 6, offset now 10, file position 2
            file to pipe at the position: 3, position now 5
            tee of the pipe: 9
              the copy: "456789234"
            pipe to pipe, 4: 4 "4567"
            pipe to file at offset 14: 5, offset 19, the file "0123456789abcd89", size 19
            vmsplice in: 8, out: 8 "vms" "plice"
            SPLICE_F_NONBLOCK on an empty pipe: EAGAIN; tee: EAGAIN
            neither a pipe: EINVAL; an offset for a pipe: ESPIPE; a pipe into itself: EINVAL
            tee of a file: EINVAL; of a pipe into itself: EINVAL; vmsplice of a file: EBADF; flag 0x100: EINVAL
            into an O_APPEND file: EINVAL; from a write end: EBADF; a length of 0: 0
            a blocking splice, woken by a child's write: 4 "late"
            the last byte: 1; then, no writer left: 0
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void spliceTeeAndVmspliceMoveDataBetweenPipesFilesAndMemory(Target t) throws Exception {
        Guests.runsAsExpected(t, "splice", new Result(0, SPLICE, ""));
    }
}
