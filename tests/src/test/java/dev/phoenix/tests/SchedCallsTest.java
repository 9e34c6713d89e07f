package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.abi.LinuxKernel;
import dev.phoenix.abi.Machine;
import dev.phoenix.abi.Program;
import dev.phoenix.emu.Cpus;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.StdioFile;
import dev.phoenix.libos.proc.ExitStatus;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The scheduling calls (tests/guest/schedcalls.c): sched_setscheduler, sched_setparam,
 * sched_setattr and their getters with struct sched_attr's size protocol and flags, the priority
 * ranges, sched_rr_get_interval, affinity, and getpriority/setpriority per thread; what children
 * and threads inherit (SCHED_RESET_ON_FORK); Linux's permission rules once a child gives up root;
 * and the priority fields of /proc/self/stat, /proc/self/task/TID/stat and the sched files. The
 * text is the native run's, as root with RLIMIT_RTPRIO and RLIMIT_NICE at 0.
 */
class SchedCallsTest {
    private static final String SCHEDCALLS = """
            sched file header 1
            priority range of policy 0: max: 0
            priority range of policy 0: min: 0
            priority range of policy 1: max: 99
            priority range of policy 1: min: 1
            priority range of policy 2: max: 99
            priority range of policy 2: min: 1
            priority range of policy 3: max: 0
            priority range of policy 3: min: 0
            priority range of policy 4: max: -1 EINVAL
            priority range of policy 4: min: -1 EINVAL
            priority range of policy 5: max: 0
            priority range of policy 5: min: 0
            priority range of policy 6: max: 0
            priority range of policy 6: min: 0
            priority range of policy 7: max: 0
            priority range of policy 7: min: 0
            priority range of policy 8: max: -1 EINVAL
            priority range of policy 8: min: -1 EINVAL
            priority range of policy -1: max: -1 EINVAL
            priority range of policy -1: min: -1 EINVAL
            getscheduler: 0
            getparam: 0
            stat as SCHED_OTHER: prio 20 nice 0 rt 0 policy 0
            rr interval SCHED_OTHER: below SCHED_RR's 1
            setscheduler FIFO 10: 0
            getscheduler: 1
            getscheduler by pid: 1
            getparam: 10
            stat as FIFO 10: prio -11 nice 0 rt 10 policy 1
            task stat as FIFO 10: prio -11 nice 0 rt 10 policy 1
            sched file policy 1 prio 89
            rr interval FIFO: 0.000000000
            sched_yield: 0
            setscheduler RR 20: 0
            rr interval RR: 0.100000000
            stat as RR 20: prio -21 nice 0 rt 20 policy 2
            setparam 30 keeps RR: 0
            getscheduler: 2
            getparam: 30
            setparam 0 for RR: -1 EINVAL
            setparam 100: -1 EINVAL
            setscheduler OTHER 5: -1 EINVAL
            setscheduler FIFO 0: -1 EINVAL
            setscheduler FIFO 100: -1 EINVAL
            setscheduler FIFO -1: -1 EINVAL
            setscheduler policy 4: -1 EINVAL
            setscheduler policy 7: -1 EINVAL
            setscheduler policy -1: -1 EINVAL
            setscheduler DEADLINE: -1 EINVAL
            setscheduler NULL param: -1 EINVAL
            setscheduler bad param: -1 EFAULT
            setscheduler pid -1: -1 EINVAL
            setscheduler no such pid: -1 ESRCH
            setparam bad param: -1 EFAULT
            getscheduler pid -1: -1 EINVAL
            getscheduler no such pid: -1 ESRCH
            getparam NULL: -1 EINVAL
            getparam bad param: -1 EFAULT
            getparam no such pid: -1 ESRCH
            rr interval bad pointer: -1 EFAULT
            rr interval pid -1: -1 EINVAL
            rr interval no such pid: -1 ESRCH
            setscheduler BATCH: 0
            getscheduler: 3
            setscheduler IDLE: 0
            getscheduler: 5
            sched file as IDLE: weight 3072 prio 120
            setscheduler OTHER: 0
            setpriority 3: 0
            stat as nice 3: prio 23 nice 3 rt 0 policy 0
            sched file as nice 3: weight 538624 prio 123
            setscheduler FIFO 5 keeps nice: 0
            nice while FIFO: 3
            stat as FIFO 5 nice 3: prio -6 nice 3 rt 5 policy 1
            setscheduler OTHER: 0
            nice back in OTHER: 3
            setpriority 0: 0
            getattr 56: 0
            attr size 56 policy 0 flags 0 nice 0 priority 0 clamps 0 0
            getattr 48: 0
            attr size 48, clamps untouched 1
            getattr 200: 0
            getattr 200: size 56, zeros to 200 1, untouched after 1
            getattr 47: -1 EINVAL
            getattr 4097: -1 EINVAL
            getattr flags 1: -1 EINVAL
            getattr NULL: -1 EINVAL
            getattr pid -1: -1 EINVAL
            getattr no such pid: -1 ESRCH
            getattr bad pointer: -1 EFAULT
            setattr OTHER nice 3: 0
            nice: 3
            setattr nice 100 clamps: 0
            nice: 19
            setattr size 0 is 48: 0
            nice: 2
            setattr size 40: -1 E2BIG
            size written back 56
            setattr size 4097: -1 E2BIG
            size written back 56
            setattr size 64, zeros past 56: 0
            nice: 1
            setattr size 64, a byte past 56: -1 E2BIG
            size written back 56
            setattr flags argument: -1 EINVAL
            setattr NULL: -1 EINVAL
            setattr pid -1: -1 EINVAL
            setattr no such pid: -1 ESRCH
            setattr bad pointer: -1 EFAULT
            setattr policy -1: -1 EINVAL
            setattr unknown flag: -1 EINVAL
            setattr clamp in 48 bytes: -1 EINVAL
            setattr clamp: -1 EOPNOTSUPP
            setattr FIFO 10 nice -7: 0
            nice kept: 1
            getattr as FIFO: 0
            attr policy 1 flags 0 nice 0 priority 10
            setattr KEEP_POLICY priority 20: 0
            getscheduler: 1
            getparam: 20
            setattr KEEP_PARAMS RESET_ON_FORK: 0
            getscheduler: 1073741825
            getparam: 20
            getattr: 0
            attr policy 1 flags 1 priority 20
            setattr KEEP_ALL keeps the reset flag: 0
            getscheduler: 1073741825
            setattr OTHER nice 2: 0
            getscheduler: 0
            setattr BATCH KEEP_PARAMS: 0
            getscheduler keeps OTHER: 0
            nice: 2
            setattr IDLE nice -3: 0
            nice kept: 2
            setattr OTHER nice 0: 0
            setattr DEADLINE without parameters: -1 EINVAL
            setattr DEADLINE runtime past deadline: -1 EINVAL
            setattr DEADLINE period below 100us: -1 EINVAL
            setattr DEADLINE runtime below 1024ns: -1 EINVAL
            setscheduler FIFO 10: 0
            child of FIFO 10: getscheduler: 1
            child of FIFO 10: getparam: 10
            child of FIFO 10: exited 0
            setscheduler FIFO 10 RESET_ON_FORK: 0
            getscheduler: 1073741825
            setpriority 4: 0
            reset child: getscheduler: 0
            reset child: getparam: 0
            reset child: nice: 0
            reset child: exited 0
            setscheduler OTHER RESET_ON_FORK: 0
            setpriority -5: 0
            reset child of nice -5: getscheduler: 0
            reset child of nice -5: nice: 0
            reset child of nice -5: exited 0
            setscheduler BATCH RESET_ON_FORK: 0
            setpriority 6: 0
            reset child of BATCH nice 6: getscheduler: 3
            reset child of BATCH nice 6: nice: 6
            reset child of BATCH nice 6: exited 0
            setscheduler OTHER: 0
            setpriority 0: 0
            thread 0 read its own nice 1 and policy 0
            main reads thread 0's nice: 1
            thread 0 task stat: prio 21 nice 1 rt 0 policy 0
            thread 0 sched file: header 1 policy 0 prio 121
            thread 1 read its own nice 2 and policy 1
            main reads thread 1's nice: 2
            thread 1 task stat: prio -8 nice 2 rt 7 policy 1
            thread 1 sched file: header 1 policy 1 prio 92
            thread 2 read its own nice -2 and policy 0
            main reads thread 2's nice: -2
            thread 2 task stat: prio 18 nice -2 rt 0 policy 0
            thread 2 sched file: header 1 policy 0 prio 118
            main's own nice: 0
            by the pid: the leader's alone: 0
            process stat: the leader's: prio 20 nice 0 rt 0 policy 0
            process sched file header 1
            the group: the best: -2
            main sets thread 0 to RR 3: 0
            main sets thread 2's nice to 8: 0
            the group now: 0
            getscheduler of thread 0: 2
            getparam of thread 1: 7
            thread made by a nice 5 thread: 5
            main still: 0
            getaffinity: 8, every CPU 1
            getaffinity len 4: -1 EINVAL
            getaffinity len 12: -1 EINVAL
            getaffinity no such pid: -1 ESRCH
            getaffinity bad pointer: -1 EFAULT
            setaffinity CPU 0: 0
            mask now 1
            setaffinity no CPU: -1 EINVAL
            setaffinity no such CPU: -1 EINVAL
            setaffinity no such pid: -1 ESRCH
            setaffinity bad pointer: -1 EFAULT
            setaffinity every CPU: 0
            root: FIFO 99 under RLIMIT_RTPRIO 0: 0
            root: OTHER: 0
            root: setpriority -20 under RLIMIT_NICE 0: 0
            root: nice: -20
            root: setpriority -30 clamps: 0
            root: nice: -20
            root: setpriority 0: 0
            setpriority bad which: -1 EINVAL
            setpriority no such pid: -1 ESRCH
            setpriority no such group: -1 ESRCH
            getpriority bad which: EINVAL
            getpriority no such pid: ESRCH
            getpriority pid -1: ESRCH
            getpriority no such group: ESRCH
            parent: FIFO 10: 0
            setuid 65534: 0
            getscheduler: 1
            setparam 5, lowering: 0
            setparam 8, raising again: -1 EPERM
            setparam 5, the same: 0
            RR 5 under RLIMIT_RTPRIO 0: -1 EPERM
            OTHER: 0
            FIFO 1 under RLIMIT_RTPRIO 0: -1 EPERM
            setpriority -1 under RLIMIT_NICE 0: -1 EACCES
            setpriority 5: 0
            setpriority 3, raising the priority: -1 EACCES
            nice(2): 7 ok
            nice(-1): -1 EPERM
            setattr nice 6: -1 EPERM
            setattr nice 9: 0
            getpriority of its user: 9
            setattr DEADLINE: -1 EPERM
            IDLE: 0
            OTHER from IDLE: -1 EPERM
            BATCH from IDLE: -1 EPERM
            IDLE again: 0
            IDLE RESET_ON_FORK: 0
            IDLE clearing the reset flag: -1 EPERM
            setparam keeps it: 0
            getscheduler: 1073741829
            parent's getscheduler: 1
            parent's getparam: 10
            parent's nice: 0
            parent's setscheduler: -1 EPERM
            parent's setparam: -1 EPERM
            parent's setpriority: -1 EPERM
            parent's getaffinity: 8
            parent's setaffinity: -1 EPERM
            setpriority of its group, the parent in it: -1 EPERM
            its own nice: 10
            the parent's: 0
            setpriority of a user with no task: -1 ESRCH
            getpriority of a user with no task: ESRCH
            unprivileged child: exited 0
            parent: OTHER: 0
            parent: nice: 0
            """;

    /**
     * What an unprivileged task may do within RLIMIT_RTPRIO 10 and RLIMIT_NICE 25 (sched(7):
     * FIFO and RR up to the limit, a priority raised within it or lowered; setpriority(2): nice
     * down to 20 - 25 = -5). Root on the test machine may lack CAP_SYS_RESOURCE and then cannot
     * raise a hard limit, so the native run cannot give this text: it follows Linux's
     * user_check_sched_setscheduler and can_nice.
     */
    private static final String WITHIN_LIMITS = """
            limits: rtprio 10 nice 25
            setuid 65534: 0
            FIFO 5 under RLIMIT_RTPRIO 10: 0
            FIFO 11 above it: -1 EPERM
            setparam 8, raising within it: 0
            setparam 3, lowering: 0
            setparam 10: 0
            setparam 11: -1 EPERM
            RR 10: 0
            OTHER: 0
            setpriority -5 under RLIMIT_NICE 25: 0
            setpriority -6: -1 EACCES
            setattr nice -6: -1 EPERM
            setattr nice -4: 0
            nice: -4
            IDLE: 0
            OTHER from IDLE: 0
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void schedulingCallsTheirErrorsAndPermissionsAsOnLinux(Target t) throws Exception {
        Guests.runsAsExpected(t, "schedcalls", new Result(0, SCHEDCALLS, ""));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void anUnprivilegedTaskWithinRlimitRtprioAndRlimitNice(Target t) throws Exception {
        assertEquals(new Result(0, WITHIN_LIMITS, ""), runWithLimits(t, 10, 25, "limits"));
    }

    /**
     * Runs schedcalls under Phoenix in this JVM with RLIMIT_RTPRIO and RLIMIT_NICE set to
     * {@code rtprio} and {@code nice} (soft and hard), as a kernel may give them to a process.
     */
    private static Result runWithLimits(Target t, long rtprio, long nice, String arg) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream warnings = new PrintStream(err, true, StandardCharsets.UTF_8);
        LinuxKernel kernel = new LinuxKernel(new LinuxKernel.Options("phoenix", Path.of("/"), Machine.host(), warnings,
                null, null, Cpus.Engine.UNICORN));
        OpenFile[] stdio = {new StdioFile(new ByteArrayInputStream(new byte[0]), null, -1),
            new StdioFile(null, out, -1), new StdioFile(null, err, -1)};
        String program = Guests.binary(t, "schedcalls").toString();
        try (LinuxKernel.Session s = kernel.load(Program.find(Path.of("/"), program), List.of(program, arg), List.of(),
                stdio)) {
            Process p = s.process();
            p.rlimitCur[14] = p.rlimitMax[14] = rtprio; // RLIMIT_RTPRIO
            p.rlimitCur[13] = p.rlimitMax[13] = nice; // RLIMIT_NICE
            ExitStatus status = s.run();
            return new Result(status.shellStatus(), out.toString(StandardCharsets.UTF_8),
                    err.toString(StandardCharsets.UTF_8));
        }
    }
}
