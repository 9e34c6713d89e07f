package dev.phoenix.tests;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * eventfd and timerfd (issue 15): {@code eventfd.c} reads, writes, polls and epolls both kinds,
 * with their flags and errors, and shares an eventfd across fork. The expected output is what
 * it prints natively on x86_64 (Linux 6.18), where each run is also compared with a native one;
 * aarch64 and riscv64 must print the same. The timeout is a hang guard only.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
class EventDescriptorsTest {
    private static final String EVENTFD = """
            eventfd(3): ok, anon_inode:[eventfd]
            read: 8, 3
            after writes of 5 and 7 a read takes 12
            EFD_NONBLOCK, empty: read EAGAIN, poll POLLOUT
            a 4-byte read: EINVAL, a 4-byte write: EINVAL, a write of 2^64-1: EINVAL
            a write of 2^64-2: ok; then of 1: EAGAIN; poll POLLIN none out
            its read takes fffffffffffffffe
            EFD_SEMAPHORE from 2: reads 1, 1, then EAGAIN
            eventfd2 with flag 0x10: EINVAL
            epoll_ctl ADD, edge-triggered: ok
            a write, epoll_wait: 1 (data 7); again: 0; another write: 1
            a blocking read, woken by a child's write: 42
            timerfd_create(99): EINVAL, flag 0x10: EINVAL
            timerfd: anon_inode:[timerfd]; unarmed gettime 0 0; read EAGAIN
            a 4-byte read: EINVAL
            tv_nsec 10^9: EINVAL; CANCEL_ON_SET without ABSTIME: EINVAL
            timerfd_settime of an eventfd: EINVAL, of fd 999: EBADF
            armed for 50 ms: left in (0, 50 ms]: yes, interval 0
            a blocking read: 8, 1 expiration; then gettime 0
            every 10 ms: a read counts at least 1: yes; left in (0, 10 ms]: yes, interval 10000000
            disarmed: the old interval 10000000; now 0
            ABSTIME at the clock's first nanosecond, long past: read ok, 1
            CLOCK_REALTIME, ABSTIME|CANCEL_ON_SET in 30 ms: ok
              a blocking read: ok, 1
            poll: 0 before it expires, then 1 with POLLIN
            epoll: 1 while expired, 0 once read and armed again, 1 when it expires (data 9)
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void eventfdsAndTimerfdsCountWaitAndPoll(Target t) throws Exception {
        Guests.runsAsExpected(t, "eventfd", new Result(0, EVENTFD, ""));
    }
}
