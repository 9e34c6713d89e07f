package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The real-time signals queue ({@code tests/guest/rtqueue.c}; signal(7), "Real-time signals"):
 * several instances of SIGRTMIN and SIGRTMIN+1 sent by sigqueue(3), kill(2) and
 * rt_tgsigqueueinfo(2), and SIGUSR1 twice, taken one by one by sigwaitinfo, by a SA_SIGINFO
 * handler and by one signalfd read, each instance with its own siginfo, the thread's own first,
 * then the lowest signal, each signal's in the order sent; sigpending and /proc's SigQ, SigPnd and
 * ShdPnd on the way; RLIMIT_SIGPENDING lowered to 4 makes sigqueue and tgkill fail with EAGAIN
 * while kill's signal stays pending without its siginfo. The expected output is the native one on
 * x86_64 (glibc and musl print the same: signals are named relative to SIGRTMIN), which every
 * target must print; on x86_64 the run is also compared with a native one. (qemu-user differs on
 * aarch64 and riscv64: it shows its own host signal numbers in /proc and a stale si_value for
 * kill's signals, so it is no reference here.)
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
class SignalQueueTest {
    private static final String EXPECTED = """
            (a) sigwaitinfo
              sigpending: SIGUSR1 RTMIN RTMIN+1
              SigQ: 8 queued, limit is RLIMIT_SIGPENDING: 1
              SigPnd: RTMIN
              ShdPnd: SIGUSR1 RTMIN RTMIN+1
              sigwaitinfo: RTMIN SI_QUEUE pid self value 3
              sigpending: SIGUSR1 RTMIN RTMIN+1
              sigwaitinfo: SIGUSR1 SI_USER pid self value 0
              sigpending: RTMIN RTMIN+1
              sigwaitinfo: RTMIN SI_QUEUE pid self value 1
              sigpending: RTMIN RTMIN+1
              sigwaitinfo: RTMIN SI_USER pid self value 0
              sigpending: RTMIN RTMIN+1
              sigwaitinfo: RTMIN SI_QUEUE pid self value 2
              sigpending: RTMIN+1
              sigwaitinfo: RTMIN+1 SI_QUEUE pid self value 11
              sigpending: RTMIN+1
              sigwaitinfo: RTMIN+1 SI_USER pid self value 0
              sigpending: RTMIN+1
              sigwaitinfo: RTMIN+1 SI_QUEUE pid self value 12
              sigpending:
              then: EAGAIN
              SigQ: 0 queued, limit is RLIMIT_SIGPENDING: 1
              SigPnd:
              ShdPnd:
            (b) handler
              handler: RTMIN SI_QUEUE pid self value 3
              handler: SIGUSR1 SI_USER pid self value 0
              handler: RTMIN SI_QUEUE pid self value 1
              handler: RTMIN SI_USER pid self value 0
              handler: RTMIN SI_QUEUE pid self value 2
              handler: RTMIN+1 SI_QUEUE pid self value 11
              handler: RTMIN+1 SI_USER pid self value 0
              handler: RTMIN+1 SI_QUEUE pid self value 12
              sigpending:
            (c) signalfd
              read: 8 records
              signalfd: RTMIN SI_QUEUE pid self value 3
              signalfd: SIGUSR1 SI_USER pid self value 0
              signalfd: RTMIN SI_QUEUE pid self value 1
              signalfd: RTMIN SI_USER pid self value 0
              signalfd: RTMIN SI_QUEUE pid self value 2
              signalfd: RTMIN+1 SI_QUEUE pid self value 11
              signalfd: RTMIN+1 SI_USER pid self value 0
              signalfd: RTMIN+1 SI_QUEUE pid self value 12
              read again: -1 EAGAIN
              sigpending:
            (d) RLIMIT_SIGPENDING 4
              setrlimit: 0
              sigqueue: 4 queued, then -1 EAGAIN
              SigQ: 4 queued, limit is RLIMIT_SIGPENDING: 1
              SigPnd:
              ShdPnd: RTMIN+1
              rt_tgsigqueueinfo: -1 EAGAIN
              tgkill RTMIN: -1 EAGAIN
              kill RTMIN: 0
              kill RTMIN again: 0
              kill RTMIN+1: 0
              sigqueue SIGUSR2: 0
              sigpending: SIGUSR2 RTMIN RTMIN+1
              SigQ: 4 queued, limit is RLIMIT_SIGPENDING: 1
              SigPnd:
              ShdPnd: SIGUSR2 RTMIN RTMIN+1
              sigwaitinfo: SIGUSR2 SI_USER pid 0 value 0
              sigwaitinfo: RTMIN SI_USER pid 0 value 0
              sigwaitinfo: RTMIN+1 SI_QUEUE pid self value 100
              sigwaitinfo: RTMIN+1 SI_QUEUE pid self value 101
              sigwaitinfo: RTMIN+1 SI_QUEUE pid self value 102
              sigwaitinfo: RTMIN+1 SI_QUEUE pid self value 103
              SigQ: 0 queued, limit is RLIMIT_SIGPENDING: 1
              SigPnd:
              ShdPnd:
              limit 0: sigqueue -1 EAGAIN
              limit 0: kill SIGUSR1 0
              sigwaitinfo: SIGUSR1 SI_USER pid self value 0
            (e) SIG_IGN
              sigpending: SIGUSR1 RTMIN
              sigpending:
            (f) synchronous signals first
              sigpending: others 0x9
              sigwaitinfo: SIGILL
              sigwaitinfo: SIGHUP
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void realTimeSignalsQueueEveryInstanceWithItsSiginfo(Target t) throws Exception {
        Path program = Guests.binary(t, "rtqueue");
        Result r = Guests.phoenix(Guests.runArgs(program, List.of()));
        assertEquals(new Result(0, EXPECTED, ""), r);
        Guests.assertSameAsNative(t, program, r, List.of());
    }
}
