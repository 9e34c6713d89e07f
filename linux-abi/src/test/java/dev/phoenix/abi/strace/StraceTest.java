package dev.phoenix.abi.strace;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

/** strace's line shapes that need no guest: -f's [pid N] prefix, -a40 alignment, flag and struct names. */
class StraceTest {
    private static final dev.phoenix.abi.signal.SigInfo USR1 =
            dev.phoenix.abi.signal.SigInfo.sent(dev.phoenix.abi.Signals.SIGUSR1, 0, 1, 0);
    private static final String USR1_LINE = "--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=1, si_uid=0} ---";

    /** strace -f to stderr: "[pid %5u] " while more than one task is traced, none again once the others exited. */
    @Test
    void followPrefixesEveryLineWhileASecondTaskIsTraced() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Strace s = new Strace(new PrintStream(bytes, true), true);
        s.signal(1000, USR1);
        s.signal(1001, USR1);
        s.signal(1000, USR1);
        s.exited(1001, dev.phoenix.libos.proc.ExitStatus.exited(3));
        s.signal(1000, USR1);
        s.signal(123456, USR1);
        assertEquals(String.join("\n", USR1_LINE, "[pid  1001] " + USR1_LINE, "[pid  1000] " + USR1_LINE,
                "[pid  1001] +++ exited with 3 +++", USR1_LINE, "[pid 123456] " + USR1_LINE, ""), bytes.toString());
    }

    /** strace -f -o FILE: every line starts with the pid in five columns, the first task's too. */
    @Test
    void followIntoAFilePutsThePidBeforeEveryLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Strace s = new Strace(new PrintStream(bytes, true), true, true);
        s.signal(7, USR1);
        s.signal(1001, USR1);
        s.exited(1001, dev.phoenix.libos.proc.ExitStatus.killed(dev.phoenix.abi.Signals.SIGKILL));
        assertEquals(String.join("\n", "7     " + USR1_LINE, "1001  " + USR1_LINE, "1001  +++ killed by SIGKILL +++", ""),
                bytes.toString());
    }

    @Test
    void withoutFollowOnlyTheFirstTaskIsTracedAndNeverPrefixed() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Strace s = new Strace(new PrintStream(bytes, true), false, true);
        s.signal(1000, USR1);
        s.signal(1001, USR1);
        s.exited(1001, dev.phoenix.libos.proc.ExitStatus.exited(0));
        s.exited(1000, dev.phoenix.libos.proc.ExitStatus.exited(0));
        assertEquals(USR1_LINE + "\n+++ exited with 0 +++\n", bytes.toString());
    }

    /** sigaction(2)'s SIGCHLD fields: the status a number for an exit, a signal otherwise; clock ticks with seconds. */
    @Test
    void sigchldShowsTheChildAndItsStatus() {
        var exited = new dev.phoenix.abi.signal.SigInfo(17, 1, 123, 3);
        assertEquals("{si_signo=SIGCHLD, si_code=CLD_EXITED, si_pid=123, si_uid=0, si_status=3, si_utime=0, si_stime=0}",
                Strace.siginfo(exited));
        var killed = new dev.phoenix.abi.signal.SigInfo(17, 2, 123 | (1000L << 32), 9);
        assertEquals("{si_signo=SIGCHLD, si_code=CLD_KILLED, si_pid=123, si_uid=1000, si_status=SIGKILL, "
                + "si_utime=91049920 /* 910499.20 s */, si_stime=5 /* 0.05 s */}", Strace.siginfo(killed, 91049920, 5));
        var stopped = new dev.phoenix.abi.signal.SigInfo(17, 5, 9, 19);
        assertEquals("{si_signo=SIGCHLD, si_code=CLD_STOPPED, si_pid=9, si_uid=0, si_status=SIGSTOP, si_utime=0, "
                + "si_stime=0}", Strace.siginfo(stopped));
        var sent = dev.phoenix.abi.signal.SigInfo.sent(17, 0, 5, 0);
        assertEquals("{si_signo=SIGCHLD, si_code=SI_USER, si_pid=5, si_uid=0}", Strace.siginfo(sent));
    }

    /** wait(2)'s status, as strace spells it with the macros. */
    @Test
    void waitStatusesAreTheMacros() {
        assertEquals("{WIFEXITED(s) && WEXITSTATUS(s) == 3}", Structs.waitStatus(3 << 8));
        assertEquals("{WIFSIGNALED(s) && WTERMSIG(s) == SIGKILL}", Structs.waitStatus(9));
        assertEquals("{WIFSIGNALED(s) && WTERMSIG(s) == SIGSEGV && WCOREDUMP(s)}", Structs.waitStatus(0x80 | 11));
        assertEquals("{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTSTP}", Structs.waitStatus((20 << 8) | 0x7f));
        assertEquals("{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP | 0x80}", Structs.waitStatus((0x85 << 8) | 0x7f));
        assertEquals("{WIFCONTINUED(s)}", Structs.waitStatus(0xffff));
        assertEquals("{WIFSTOPPED(s) && WSTOPSIG(s) == SIGTRAP} | PTRACE_EVENT_FORK << 16",
                Structs.waitStatus((1 << 16) | (5 << 8) | 0x7f));
        assertEquals("{WIFEXITED(s) && WEXITSTATUS(s) == 3} | 0x80", Structs.waitStatus(0x380));
        assertEquals("0x10ff", Structs.waitStatus(0x10ff)); // no macro says what it is
    }

    private static final dev.phoenix.abi.syscall.SyscallHandler NONE = (c, a0, a1, a2, a3, a4, a5) -> 0;
    /** wait4 as Phoenix declares it, its status a pointer that is NULL here (no guest memory to read). */
    private static final dev.phoenix.abi.syscall.SyscallDef WAIT4 = dev.phoenix.abi.syscall.SyscallDef.supported("wait4",
            NONE, dev.phoenix.abi.syscall.Arg.DEC, dev.phoenix.abi.syscall.Arg.ID, dev.phoenix.abi.syscall.Arg.WAIT_STATUS,
            dev.phoenix.abi.syscall.Arg.WAIT_OPTIONS, dev.phoenix.abi.syscall.Arg.WAIT_RUSAGE);
    private static final dev.phoenix.abi.syscall.SyscallDef KILL = dev.phoenix.abi.syscall.SyscallDef.supported("kill",
            NONE, dev.phoenix.abi.syscall.Arg.DEC, dev.phoenix.abi.syscall.Arg.DEC, dev.phoenix.abi.syscall.Arg.SIGNAL);
    private static final dev.phoenix.abi.syscall.SyscallDef GETPID = dev.phoenix.abi.syscall.SyscallDef.supported(
            "getpid", NONE, dev.phoenix.abi.syscall.Arg.DEC);
    private static final dev.phoenix.abi.syscall.SyscallDef FORK = dev.phoenix.abi.syscall.SyscallDef.supported(
            "fork", NONE, dev.phoenix.abi.syscall.Arg.DEC);

    /** Two processes' syscall contexts: pid 1000 and its child 1001, on one engine. */
    private static final class TwoTasks implements AutoCloseable {
        final dev.phoenix.emu.Cpu cpu = dev.phoenix.emu.Cpus.open(dev.phoenix.emu.Cpus.Engine.UNICORN,
                dev.phoenix.emu.Arch.X86_64);
        final dev.phoenix.abi.syscall.SyscallContext parent = context(1000, 999);
        final dev.phoenix.abi.syscall.SyscallContext child = context(1001, 1000);

        private dev.phoenix.abi.syscall.SyscallContext context(int pid, int ppid) {
            var as = new dev.phoenix.libos.mm.AddressSpace(cpu, new dev.phoenix.libos.cap.FrameAllocator(16), 0x1000,
                    0x80000);
            var p = new dev.phoenix.libos.proc.Process(pid, ppid, cpu, as, "/test");
            return new dev.phoenix.abi.syscall.SyscallContext(null, dev.phoenix.abi.x86_64.Abi.INSTANCE, p.mainTask());
        }

        @Override
        public void close() {
            cpu.close();
        }
    }

    /**
     * strace -f's lines for calls of two tasks that overlap: the one begun ends "<unfinished ...>"
     * when the other's line comes, and its exit prints "<... wait4 resumed>" and the rest; the
     * prefix is the one in force when a line began (none for the parent's entry into wait4, made
     * before the child was traced); the result in column 40 counting the prefix.
     */
    @Test
    void aCallAnotherTaskInterruptsIsUnfinishedThenResumed() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Strace s = new Strace(new PrintStream(bytes, true), true);
        try (TwoTasks t = new TwoTasks()) {
            s.enter(t.parent, FORK);
            s.call(t.parent, FORK, 1001);
            s.enter(t.parent, WAIT4, -1, 0, 0, 0);
            s.enter(t.parent, WAIT4, -1, 0, 0, 0); // parked and run again: the same call
            s.enter(t.child, GETPID);
            s.call(t.child, GETPID, 1001);
            s.enter(t.child, KILL, 1000, 10);
            s.call(t.child, KILL, 0, 1000, 10);
            s.exited(1001, dev.phoenix.libos.proc.ExitStatus.exited(3));
            s.call(t.parent, WAIT4, 1001, -1, 0, 0, 0);
            s.enter(t.parent, WAIT4, -1, 0, 1, 0);
            s.call(t.parent, WAIT4, -10, -1, 0, 1, 0);
        }
        assertEquals(String.join("\n",
                "fork()                                  = 1001",
                "[pid  1000] wait4(-1,  <unfinished ...>",
                "[pid  1001] getpid()                    = 1001",
                "[pid  1001] kill(1000, SIGUSR1)         = 0",
                "[pid  1001] +++ exited with 3 +++",
                "<... wait4 resumed>NULL, 0, NULL)       = 1001",
                "wait4(-1, NULL, WNOHANG, NULL)          = -1 ECHILD (No child processes)", ""), bytes.toString());
    }

    /** A task that ends in a call: "<... name resumed>) = ?" (strace's line for a call that never returned), then its exit. */
    @Test
    void aCallATaskNeverReturnsFromEndsWithAQuestionMark() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Strace s = new Strace(new PrintStream(bytes, true), true, true);
        try (TwoTasks t = new TwoTasks()) {
            s.enter(t.parent, GETPID);
            s.call(t.parent, GETPID, 1000);
            s.enter(t.child, WAIT4, -1, 0, 0, 0);
            s.enter(t.parent, KILL, 1001, 9);
            s.call(t.parent, KILL, 0, 1001, 9);
            s.exited(1001, dev.phoenix.libos.proc.ExitStatus.killed(9));
            s.enter(t.parent, KILL, 1001, 9);
            s.exited(1000, dev.phoenix.libos.proc.ExitStatus.killed(9));
        }
        assertEquals(String.join("\n",
                "1000  getpid()                          = 1000",
                "1001  wait4(-1,  <unfinished ...>",
                "1000  kill(1001, SIGKILL)               = 0",
                "1001  <... wait4 resumed> <unfinished ...>) = ?",
                "1001  +++ killed by SIGKILL +++",
                "1000  kill(1001, SIGKILL)               = ?",
                "1000  +++ killed by SIGKILL +++", ""), bytes.toString());
    }

    @Test
    void resultsLineUpInColumn40() {
        assertEquals("close(3)                                ", Strace.align("close(3)"));
        assertEquals("x".repeat(45) + " ", Strace.align("x".repeat(45)));
    }

    @Test
    void flagsAndValuesHaveTheirNames() {
        assertEquals("O_RDWR|O_CREAT|O_EXCL|O_CLOEXEC",
                Names.openFlags(dev.phoenix.abi.x86_64.Abi.INSTANCE, 02 | 0100 | 0200 | 02000000));
        assertEquals("O_RDONLY|O_DIRECTORY", Names.openFlags(dev.phoenix.abi.aarch64.Abi.INSTANCE, 040000));
        assertEquals("O_RDONLY|O_DIRECTORY", Names.openFlags(dev.phoenix.abi.riscv64.Abi.INSTANCE, 0200000));
        assertEquals("MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS|0x10000000", Names.mmapFlags(0x10000032));
        assertEquals("MAP_FILE|MAP_ANONYMOUS", Names.mmapFlags(0x20));
        assertEquals("0x40 /* ?_OK */", Names.ACCESS.format(0x40));
        assertEquals("R_OK|0x40", Names.ACCESS.format(0x44));
        assertEquals("PROT_NONE", Names.PROT.format(0));
        assertEquals("CLOCK_BOOTTIME", Names.CLOCK.format(7));
        assertEquals("0xfffffffa /* CLOCK_??? */", Names.CLOCK.format(-6 & 0xffffffffL));
        assertEquals("0x1234", Names.IOCTL.format(0x1234));
        assertEquals("LOCK_EX|LOCK_NB", Names.FLOCK.format(6));
    }

    @Test
    void structFieldsReadAsStraceShowsThem() {
        assertEquals("S_IFDIR|S_ISVTX|0777", Structs.mode(041777));
        assertEquals("[INT TERM]", Structs.sigset((1L << 1) | (1L << 14)));
        assertEquals("~[KILL STOP]", Structs.sigset(~((1L << 8) | (1L << 18))));
        assertEquals("[]", Structs.sigset(0));
    }
}
