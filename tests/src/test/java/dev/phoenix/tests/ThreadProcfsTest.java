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
 * Threads as /proc shows them (/proc/self/task, /proc/thread-self, each thread's status, stat
 * and comm, a zombie leader) and the per-thread syscalls (PR_SET_NAME, writes to a thread's comm,
 * sched_setaffinity and sched_getaffinity by tid, getcpu and the vDSO's, which sched_getcpu
 * calls on x86_64 and riscv64) and membarrier: the same text on every target, and on x86_64 the
 * same as a native run. Under qemu-user (aarch64, riscv64) the program prints the same but for
 * qemu's own extra thread and its name.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard only
class ThreadProcfsTest {
    private static final String EXPECTED = """
            worker 0: pthread_setname_np(self) = 0
            pthread_setname_np(worker 1) = 0
            pthread_getname_np(worker 0) = 0
            its name = worker-zero
            main: /proc/self/task entries = 3, the leader first = 1
            status Name = procthreads
            status State = R (running)
            status Threads = 3
            status Tgid and Pid are getpid() = 1
            stat: pid is getpid() = 1, comm = procthreads, state = R, num_threads = 3
            /proc/self/comm = procthreads
            main: /proc/thread-self is PID/task/PID = 1
            task 0 status: Name = worker-zero, State = S, Threads = 3, Pid is its tid = 1, Tgid is getpid() = 1
            task 0 stat: tid = 1, comm = worker-zero, state = S, num_threads = 3
            task 0 comm = worker-zero
            /proc/TID/status of task 0: Name = worker-zero
            task 1 status: Name = worker-one, State = S, Threads = 3, Pid is its tid = 1, Tgid is getpid() = 1
            task 1 stat: tid = 1, comm = worker-one, state = S, num_threads = 3
            task 1 comm = worker-one
            /proc/TID/status of task 1: Name = worker-one
            the leader's task comm = procthreads
            open /proc/self/task/1/status (no such thread) = -1 ENOENT
            write 'renamed-by-write' to task 1's comm = 16
            task 1 comm now = renamed-by-writ
            /proc/self/comm still = procthreads
            write to a comm opened read-only = -1 EBADF
            worker 0: /proc/thread-self/comm = worker-zero
            worker: /proc/thread-self is PID/task/TID = 1
            worker 0: PR_GET_NAME = worker-zero
            worker 0: own status Pid is its tid = 1
            worker 0: own status State = R (running)
            worker 0: sched_setaffinity(0, {0}) = 0
            worker 0: sched_getaffinity(0) = 0
            worker 0: CPU_COUNT = 1
            worker 0: CPU 0 in the mask = 1
            worker 0: getcpu = 0
            worker 0: cpu = 0
            worker 0: node = 0
            worker 1: /proc/thread-self/comm = renamed-by-writ
            worker: /proc/thread-self is PID/task/TID = 1
            worker 1: PR_GET_NAME = renamed-by-writ
            worker 1: own status Pid is its tid = 1
            worker 1: own status State = R (running)
            main: sched_getaffinity(0) = 0
            main: more than CPU 0 or only one CPU = 1
            main: sched_getaffinity(worker 0) = 0
            main: worker 0's CPU_COUNT = 1
            main: sched_getaffinity(worker 1) = 0
            main: worker 1's mask is main's = 1
            main: sched_setaffinity(empty mask) = -1 EINVAL
            main: sched_setaffinity(-1) = -1 ESRCH
            main: sched_getaffinity(-5) = -1 ESRCH
            main: sched_setaffinity({4000}) (no such CPU) = -1 EINVAL
            main: sched_setaffinity(worker 1, {0}) = 0
            main: worker 1's CPU_COUNT now = 1
            main: sched_setaffinity({the highest CPU}) = 0
            main: getcpu is that CPU = 1
            main: sched_getcpu() is that CPU = 1
            main: getcpu after pinning to CPU 0 = 0
            main: cpu = 0
            main: sched_getcpu() = 0
            membarrier QUERY > 0 = 1
            QUERY has PRIVATE_EXPEDITED and its REGISTER = 1
            membarrier QUERY with flags 1 = -1 EINVAL
            membarrier unknown command 1<<20 = -1 EINVAL
            membarrier 3 (two commands) = -1 EINVAL
            membarrier PRIVATE_EXPEDITED unregistered = -1 EPERM
            membarrier REGISTER_PRIVATE_EXPEDITED with flags 1 = -1 EINVAL
            membarrier REGISTER_PRIVATE_EXPEDITED = 0
            membarrier PRIVATE_EXPEDITED = 0
            membarrier PRIVATE_EXPEDITED_SYNC_CORE unregistered = -1 EPERM
            membarrier REGISTER_PRIVATE_EXPEDITED_SYNC_CORE = 0
            membarrier PRIVATE_EXPEDITED_SYNC_CORE = 0
            membarrier GLOBAL_EXPEDITED = 0
            membarrier REGISTER_GLOBAL_EXPEDITED = 0
            membarrier GLOBAL_EXPEDITED (registered) = 0
            after join: Threads = 1
            after join: /proc/self/task entries = 1, the leader first = 1
            after the leader's pthread_exit: State = Z (zombie)
            after the leader's pthread_exit: Threads = 2
            after the leader's pthread_exit: /proc/self/task entries = 2, the leader first = 1
            leader's task stat state = Z
            own task stat state = R
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void procfsAndPerThreadSyscallsShowEachThread(Target t) throws Exception {
        Path program = Guests.binary(t, "procthreads");
        Result r = Guests.phoenix(Guests.runArgs(program, List.of()));
        assertEquals(new Result(0, EXPECTED, ""), r);
        Guests.assertSameAsNative(t, program, r, List.of());
    }

    /**
     * Where kernels differ, membarrier answers as Phoenix declares it: a 6.1 kernel whose rseq(2)
     * is ENOSYS, so the RSEQ commands are EINVAL (as without CONFIG_RSEQ; FLAG_CPU is still the
     * one flag PRIVATE_EXPEDITED_RSEQ may take), and without GET_REGISTRATIONS (6.3).
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void membarrierAnswersAsDeclared(Target t) {
        Path program = Guests.binary(t, "procthreads");
        assertEquals(new Result(0, """
                membarrier QUERY = 127
                membarrier PRIVATE_EXPEDITED_RSEQ = -1 EINVAL
                membarrier PRIVATE_EXPEDITED_RSEQ with FLAG_CPU = -1 EINVAL
                membarrier PRIVATE_EXPEDITED_RSEQ with flags 2 = -1 EINVAL
                membarrier REGISTER_PRIVATE_EXPEDITED_RSEQ = -1 EINVAL
                membarrier GET_REGISTRATIONS = -1 EINVAL
                membarrier GLOBAL = 0
                """, ""), Guests.phoenix(Guests.runArgs(program, List.of(), "membarrier-as-declared")));
    }

    /** A deterministic run (a virtual clock, 2 CPUs, switches at instruction budgets) prints the same. */
    @ParameterizedTest
    @EnumSource(Target.class)
    void deterministicRunPrintsTheSame(Target t) {
        Path program = Guests.binary(t, "procthreads");
        assertEquals(new Result(0, EXPECTED, ""), Guests.phoenix("run", "-i", "--deterministic", program.toString()));
    }
}
