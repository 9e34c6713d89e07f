package dev.phoenix.libos.proc;

import dev.phoenix.emu.Cpu;
import dev.phoenix.libos.fs.FdTable;
import dev.phoenix.libos.mm.AddressSpace;

/**
 * A guest process: an address space, an fd table, identity and its tasks (one, today). The
 * program break lives here because brk(2) is per process.
 */
public final class Process {
    private final int pid;
    private final int ppid;
    private final AddressSpace addressSpace;
    private final FdTable fds = new FdTable();
    private final Task mainTask;
    private final String executable;
    private ExitStatus exitStatus;

    /** Start of the heap (end of the loaded image, page aligned) and the current break. */
    public long brkStart;
    public long brk;

    /** argv, envp and the auxiliary vector's bytes, as the loader built them (/proc/PID/cmdline, environ, auxv). */
    public java.util.List<String> argv = java.util.List.of();
    public java.util.List<String> envp = java.util.List.of();
    public byte[] auxv = new byte[0];
    /** Signal dispositions, indexed by signal number (1-64). */
    public final SigAction[] sigactions = new SigAction[65];
    /** ITIMER_REAL (alarm, setitimer): the armed timer, its deadline (monotonic ns) and interval. */
    public dev.phoenix.libos.Clock.Timer realTimer;
    public long realTimerDeadline;
    public long realTimerInterval;
    /** Set when the process is torn down: timers must no longer touch it. */
    public boolean timersStopped;

    /** Cancels the process's timers for good (process teardown); callers hold no lock. */
    public synchronized void stopTimers() {
        timersStopped = true;
        if (realTimer != null) {
            realTimer.cancel();
            realTimer = null;
        }
    }

    /** Where the vDSO image is mapped (AT_SYSINFO_EHDR), or 0 when the process has none. */
    public long vdsoBase;
    /** The credentials (credentials(7)); replaced whole on every change, like Linux's struct cred. */
    private volatile Credentials credentials = Credentials.of(0, 0, new int[0]);
    /** prctl(PR_SET_NO_NEW_PRIVS): once set, never cleared. */
    public volatile boolean noNewPrivs;

    public Credentials credentials() {
        return credentials;
    }

    /** Installs new credentials (a set*id(2), capset(2) or prctl(2) that succeeded). */
    public void setCredentials(Credentials c) {
        this.credentials = c;
    }

    /** When the process started, from the kernel's monotonic clock (/proc/PID/stat starttime). */
    public long startNanos;

    /**
     * Process group and session ids (getpgid(2), getsid(2)): at start those of the process that
     * runs Phoenix, as a shell's job sees them, and changed by setpgid(2) and setsid(2).
     */
    public int pgid, sid;

    /** The nice value (getpriority(2), -20..19) and the I/O priority (ioprio_get(2); 0: none set). */
    public int nice, ioprio;

    /** Current working directory, an absolute guest path. */
    public String cwd = "/";
    /** umask(2), applied to modes of files and directories the process creates. */
    public int umask = 022;

    /** getrlimit(2) soft and hard limits, by RLIMIT_* resource number; -1 is RLIM_INFINITY. */
    public final long[] rlimitCur = new long[16];
    public final long[] rlimitMax = new long[16];

    public Process(int pid, int ppid, Cpu cpu, AddressSpace addressSpace, String executable) {
        this(pid, ppid, cpu, addressSpace, executable, executable);
    }

    /**
     * A process running {@code executable} (the file's path, symlinks resolved, for /proc/PID/exe)
     * started by the name {@code invokedAs} (the path the program was run by: its last component,
     * cut to 15 bytes, is the comm name, as Linux takes it from the exec'd path).
     */
    public Process(int pid, int ppid, Cpu cpu, AddressSpace addressSpace, String executable, String invokedAs) {
        this.pid = pid;
        this.ppid = ppid;
        this.addressSpace = addressSpace;
        this.executable = executable;
        this.mainTask = new Task(this, pid, cpu);
        String base = invokedAs.substring(invokedAs.lastIndexOf('/') + 1);
        mainTask.comm = base.length() > 15 ? base.substring(0, 15) : base;
        java.util.Arrays.fill(rlimitCur, -1L);
        java.util.Arrays.fill(rlimitMax, -1L);
        rlimitCur[3] = 8L << 20; // RLIMIT_STACK: 8 MiB, as Linux's default
        rlimitCur[4] = 0; // RLIMIT_CORE
        rlimitCur[7] = 1024; // RLIMIT_NOFILE
        rlimitMax[7] = 4096;
        rlimitCur[8] = 8L << 20; // RLIMIT_MEMLOCK
        rlimitMax[8] = 8L << 20;
        rlimitCur[12] = rlimitMax[12] = 819200; // RLIMIT_MSGQUEUE: MQ_BYTES_MAX
        rlimitCur[13] = rlimitMax[13] = 0; // RLIMIT_NICE: raising priority needs CAP_SYS_NICE
        rlimitCur[14] = rlimitMax[14] = 0; // RLIMIT_RTPRIO: real-time classes need CAP_SYS_NICE
        java.util.Arrays.fill(sigactions, SigAction.DEFAULT);
    }

    /** The soft limit of {@code resource}, as an unsigned value where RLIM_INFINITY is Long.MAX_VALUE. */
    public long rlimitCurOrMax(int resource) {
        long v = rlimitCur[resource];
        return v < 0 ? Long.MAX_VALUE : v;
    }

    public int pid() {
        return pid;
    }

    public int ppid() {
        return ppid;
    }

    public AddressSpace addressSpace() {
        return addressSpace;
    }

    public FdTable fds() {
        return fds;
    }

    public Task mainTask() {
        return mainTask;
    }

    /** Absolute path of the executable, for /proc/self/exe. */
    public String executable() {
        return executable;
    }

    /** Records the exit status; the first one wins (exit_group after a fatal signal is ignored). */
    public void exit(ExitStatus status) {
        if (exitStatus == null) {
            exitStatus = status;
        }
    }

    /** The exit status, or null while running. */
    public ExitStatus exitStatus() {
        return exitStatus;
    }
}
