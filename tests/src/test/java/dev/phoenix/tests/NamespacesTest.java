package dev.phoenix.tests;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Namespaces made by unshare(2), entered by setns(2) and shown in /proc/PID/ns: a PID namespace
 * (tests/guest/pidns.c: pid 1 and 2, getppid 0 for init, the orphan re-parented to init, init's
 * immunity to its own SIGTERM, NSpid, the namespace dying with its init and refusing forks
 * after) and a UTS namespace (tests/guest/utsns.c: names changed inside, unseen outside, setns
 * back through an nsfs descriptor and a pidfd), and nested PID namespaces (tests/guest/pidnest.c).
 * The texts are native runs as root; on x86_64 they are checked against a native run again.
 */
class NamespacesTest {
    private static final String PIDNS = """
            ns link: pid:[...]
            own pid ns unchanged: 1
            pid_for_children before its init: ENOENT
            second unshare: EINVAL
            init: getpid 1 getppid 0
            init: kill(1, SIGTERM) = 0
            init: still alive after SIGTERM to itself
            child: getpid 2 getppid 1
            child: grandchild is 3
            init: waited 2 status 3
            init: kill(99) ESRCH
            orphan: getppid 1
            init: reaped orphan 3
            init: sleeper is 4
            parent: init's pid is its own: 1
            parent: pid_for_children differs: 1
            parent: init is in the new namespace: 1
            parent: stat tells namespaces apart: 1
            parent: same namespace, same file: 1
            parent: NSpid outer is init 1, inner 1
            parent: init exited 1, status 7
            parent: the sleeper died with init: 1
            parent: fork into dead namespace: ENOMEM
            """;

    private static final String UTSNS = """
            open ns file: 1
            ns file is a regular file: 1
            unshare: 0
            name kept at unshare: 1
            sethostname: 0
            setdomainname: 0
            uname: phoenix-box example.org
            too long: -1 EINVAL
            different inode: 1
            other process sees the old name: 1
            child: phoenix-box
            setns wrong type: -1 EINVAL
            setns not a namespace: -1 EINVAL
            setns back: 0
            name restored: 1
            setns pidfd: 0
            after pidfd setns: phoenix-box
            """;

    private static final String PIDNEST = """
            level 1: pid 1 ppid 0
            level 2: pid 1 ppid 0
            level 2 child: pid 2 ppid 1
            level 1 sees level 2's init as 2
            SIGTERM from above: 0
            still running: 0
            SIGKILL from above: 0
            level 2 init killed by signal 9
            level 1 init exited 4
            """;

    @ParameterizedTest
    @EnumSource(Target.class)
    void nestedPidNamespacesNumberFromOneAtEachLevel(Target t) throws Exception {
        Guests.runsAsExpected(t, "pidnest", new Result(0, PIDNEST, ""));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void pidNamespaceHasItsInitAndDiesWithIt(Target t) throws Exception {
        Guests.runsAsExpected(t, "pidns", new Result(0, PIDNS, ""));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void utsNamespaceKeepsItsNamesToItself(Target t) throws Exception {
        Guests.runsAsExpected(t, "utsns", new Result(0, UTSNS, ""));
    }
}
