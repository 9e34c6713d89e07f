package dev.phoenix.libos.proc;

import dev.phoenix.emu.Cpu;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FdTable;
import dev.phoenix.libos.mm.AddressSpace;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A guest process: an address space, an fd table, identity and its tasks (one, today). The
 * program break lives here because brk(2) is per process.
 */
public final class Process {
    private final int pid;
    /** The parent's pid as getppid(2) answers it: the parent's, or the host's for the first process, 1 for an orphan of init. */
    private volatile int ppid;
    /** The parent process, or null for the first process (its parent is on the host) and orphans Phoenix's init took. */
    private volatile Process parent;
    /** The address space and its engine: replaced by execve, shared with the parent by a vfork child until it execs. */
    private volatile AddressSpace addressSpace;
    private volatile Cpu cpu;
    /** The leader: the first thread, or the one that exec'd (it takes the pid, as de_thread gives it). */
    private volatile Task mainTask;
    /** The live threads, the leader first (it stays listed after it exits while others run, as a zombie leader does). */
    private final java.util.List<Task> tasks = new java.util.concurrent.CopyOnWriteArrayList<>();
    /**
     * The siginfo queued in the pending sets of the process and its threads, which
     * RLIMIT_SIGPENDING limits (Linux counts them per real user; Phoenix runs one process).
     */
    private final AtomicInteger queuedSignals = new AtomicInteger();
    /** Signals sent to the process as a whole (kill(2), a timer, the host). */
    private final SigPending sharedPending = new SigPending(queuedSignals);
    private volatile String executable;
    private volatile ExitStatus exitStatus;

    /**
     * The image's data, as binfmt_elf records it (start_data: the highest PT_LOAD address;
     * end_data: the end of the furthest file bytes): brk(2) counts end - start against RLIMIT_DATA.
     */
    public long startData, endData;

    /** Start of the heap (end of the loaded image, page aligned) and the current break. */
    public long brkStart;
    public long brk;

    /** argv, envp and the auxiliary vector's bytes, as the loader built them (/proc/PID/cmdline, environ, auxv). */
    public java.util.List<String> argv = java.util.List.of();
    public java.util.List<String> envp = java.util.List.of();
    public byte[] auxv = new byte[0];
    /** Signal dispositions, indexed by signal number (1-64). */
    public final SigAction[] sigactions = new SigAction[65];
    /** The process's timers: POSIX timers, the interval timers, its CPU-time base. */
    public final ProcessTimers timers = new ProcessTimers(this);
    /** Set when the process is torn down: timers must no longer touch it. @GuardedBy("this") */
    public boolean timersStopped;

    /** Cancels the process's timers for good (process teardown); callers hold no lock. */
    public void stopTimers() {
        synchronized (this) {
            timersStopped = true;
        }
        timers.stop();
    }

    // ---- CPU time (Linux's signal_struct utime/stime, cutime/cstime, nvcsw..., maxrss) ----

    /** Guards the sums of exited threads (and which threads they hold). */
    private final Object timesLock = new Object();
    /** @GuardedBy("timesLock") CPU time and context switches of the threads that have exited. */
    private CpuTimes.Sample deadThreadTimes = CpuTimes.ZERO;
    private long deadVoluntarySwitches, deadInvoluntarySwitches;

    /**
     * The CPU time of the whole process now, read on {@code clock}: its exited threads' and its
     * live threads' (CLOCK_PROCESS_CPUTIME_ID, RUSAGE_SELF, times(2)).
     */
    public CpuTimes.Sample cpuTimes(Clock clock) {
        synchronized (timesLock) {
            CpuTimes.Sample s = deadThreadTimes;
            for (Task t : tasks) {
                if (!t.timesFolded) {
                    s = s.plus(t.times.sample(clock));
                }
            }
            return s;
        }
    }

    /** The context switches of the whole process: {voluntary, involuntary} (ru_nvcsw, ru_nivcsw). */
    public long[] contextSwitches() {
        synchronized (timesLock) {
            long v = deadVoluntarySwitches, i = deadInvoluntarySwitches;
            for (Task t : tasks) {
                if (!t.timesFolded) {
                    v += t.sched.voluntarySwitches;
                    i += t.sched.involuntarySwitches;
                }
            }
            return new long[] {v, i};
        }
    }

    /** True while one of its threads has its turn on the engine. */
    public boolean isRunning() {
        for (Task t : tasks) {
            if (t.times.running()) {
                return true;
            }
        }
        return false;
    }

    /** Thread {@code t} has exited: its times go to the process's sum of exited threads (Linux's __exit_signal). */
    private void foldTimes(Task t) {
        RunQueue q = t.runQueue();
        Clock clock = q != null ? q.clock() : Clock.HOST; // without a run queue it has had no turns
        synchronized (timesLock) {
            if (!t.timesFolded) {
                deadThreadTimes = deadThreadTimes.plus(t.times.sample(clock));
                deadVoluntarySwitches += t.sched.voluntarySwitches;
                deadInvoluntarySwitches += t.sched.involuntarySwitches;
                t.timesFolded = true;
            }
        }
    }

    /** The process's CPU time when it exited, its own threads' (what its parent adds at the reap). */
    public volatile CpuTimes.Sample timesAtExit = CpuTimes.ZERO;
    /** Its context switches when it exited: {voluntary, involuntary}. */
    public volatile long[] switchesAtExit = {0, 0};
    /** The largest resident set it was seen with, in KiB (ru_maxrss; Linux's signal->maxrss). */
    public volatile long maxRssKib;

    /** Where the vDSO image is mapped (AT_SYSINFO_EHDR), or 0 when the process has none. */
    public long vdsoBase;
    /** The credentials (credentials(7)); replaced whole on every change, like Linux's struct cred. */
    private volatile Credentials credentials = Credentials.of(0, 0, new int[0]);
    /** prctl(PR_SET_NO_NEW_PRIVS): once set, never cleared. */
    public volatile boolean noNewPrivs;
    /**
     * The membarrier(2) registrations of the address space (Linux keeps them in mm->membarrier_state):
     * the MEMBARRIER_CMD_REGISTER_* command bits done so far.
     */
    public volatile int membarrierRegistered;

    public Credentials credentials() {
        return credentials;
    }

    /** Installs new credentials (a set*id(2), capset(2) or prctl(2) that succeeded). */
    public void setCredentials(Credentials c) {
        this.credentials = c;
    }

    /** Its SEM_UNDO adjustments (semop(2)), made on first use; fork gives a child none. */
    public volatile dev.phoenix.libos.ipc.SemUndoList semUndo;

    /**
     * The namespaces the process lives in: the first process's are the kernel's initial ones,
     * fork inherits (or clone's CLONE_NEW* flags make new ones), unshare(2) and setns(2) replace them.
     */
    public volatile dev.phoenix.libos.ns.Namespaces namespaces = dev.phoenix.libos.ns.Namespaces.STANDALONE;

    /**
     * A PID namespace's init that has exited while other processes of its namespace were still
     * being killed: its parent is told when the last of them is gone. @GuardedBy("kernel tree")
     */
    public boolean exitDeferred;

    /** When the process started, from the kernel's monotonic clock (/proc/PID/stat starttime). */
    public long startNanos;

    /**
     * Process group and session ids (getpgid(2), getsid(2)): at start those of the process that
     * runs Phoenix, as a shell's job sees them, and changed by setpgid(2) and setsid(2).
     */
    public int pgid, sid;

    /**
     * The controlling terminal (Linux's signal->tty), or null: the host's terminal for the first
     * process when Phoenix has one, inherited by fork, kept by exec, dropped by setsid(2).
     */
    public volatile dev.phoenix.libos.tty.Terminal ctty;
    /**
     * The foreground group of the controlling terminal a session leader lost to a hangup
     * (tty_old_pgrp): it gets SIGHUP and SIGCONT when the leader exits. 0 for none.
     */
    public volatile int ttyOldPgrp;

    /**
     * The I/O priority (ioprio_get(2); 0: none set). The nice value is per thread, in each
     * task's {@link dev.phoenix.libos.sched.SchedEntity}.
     */
    public int ioprio;

    /** The RLIMIT_* resources the kernel enforces (asm-generic/resource.h, the same on every arch). */
    public static final int RLIMIT_FSIZE = 1, RLIMIT_DATA = 2, RLIMIT_STACK = 3, RLIMIT_NOFILE = 7, RLIMIT_AS = 9,
            RLIMIT_SIGPENDING = 11;

    /** mlockall(2)'s flags in force (MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT), 0 after munlockall. */
    public volatile int lockAllFlags;

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
        this(pid, ppid, cpu, addressSpace, executable, invokedAs, new FdTable(), new FsContext());
    }

    /**
     * As {@link #Process(int, int, Cpu, AddressSpace, String, String)} with the leader's fd table
     * and fs context given (fork: copies of the parent's, or the parent's own with CLONE_FILES
     * and CLONE_FS, which the caller has held).
     */
    public Process(int pid, int ppid, Cpu cpu, AddressSpace addressSpace, String executable, String invokedAs,
            FdTable fds, FsContext fs) {
        this.pid = pid;
        this.ppid = ppid;
        this.addressSpace = addressSpace;
        this.executable = executable;
        this.cpu = cpu;
        this.mainTask = new Task(this, pid, fds, fs);
        tasks.add(mainTask);
        String base = invokedAs.substring(invokedAs.lastIndexOf('/') + 1);
        mainTask.comm = base.length() > 15 ? base.substring(0, 15) : base;
        setLimits(defaultLimits(0));
        java.util.Arrays.fill(sigactions, SigAction.DEFAULT);
    }

    /**
     * The limits Linux gives init on a machine with {@code memoryBytes} of memory ({soft, hard},
     * -1 for RLIM_INFINITY; include/asm-generic/resource.h): an 8 MiB stack, no core files, 1024
     * of 4096 descriptors, 8 MiB of locked memory, MQ_BYTES_MAX, no nice or real-time headroom,
     * and RLIMIT_NPROC and RLIMIT_SIGPENDING at half of max_threads, which Linux sizes so that
     * thread stacks (16 KiB) take at most an eighth of memory (unlimited when it is not known).
     */
    public static long[][] defaultLimits(long memoryBytes) {
        long[] cur = new long[16];
        long[] max = new long[16];
        java.util.Arrays.fill(cur, -1L);
        java.util.Arrays.fill(max, -1L);
        cur[RLIMIT_STACK] = 8L << 20;
        cur[4] = 0; // RLIMIT_CORE
        cur[RLIMIT_NOFILE] = 1024;
        max[RLIMIT_NOFILE] = 4096;
        cur[8] = max[8] = 8L << 20; // RLIMIT_MEMLOCK
        cur[12] = max[12] = 819200; // RLIMIT_MSGQUEUE
        cur[13] = max[13] = 0; // RLIMIT_NICE
        cur[14] = max[14] = 0; // RLIMIT_RTPRIO
        if (memoryBytes > 0) {
            long threads = memoryBytes / (8 * 16384) / 2;
            cur[6] = max[6] = threads; // RLIMIT_NPROC
            cur[RLIMIT_SIGPENDING] = max[RLIMIT_SIGPENDING] = threads;
        }
        return new long[][] {cur, max};
    }

    /** Sets every limit from {@code limits} ({soft, hard}, as {@link #defaultLimits} makes them). */
    public void setLimits(long[][] limits) {
        System.arraycopy(limits[0], 0, rlimitCur, 0, rlimitCur.length);
        System.arraycopy(limits[1], 0, rlimitMax, 0, rlimitMax.length);
    }

    /** The highest fd number plus one that the process may open: RLIMIT_NOFILE's soft limit. */
    public int fdLimit() {
        return (int) Math.min(rlimitCurOrMax(RLIMIT_NOFILE), Integer.MAX_VALUE);
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

    /** The parent process, or null when the parent is not a guest process (the host's, or Phoenix's init). */
    public Process parent() {
        return parent;
    }

    /** Makes {@code p} the parent (fork, or re-parenting to a subreaper); null with {@code ppid} for init or the host. */
    public void setParent(Process p, int ppid) {
        this.parent = p;
        this.ppid = ppid;
    }

    public AddressSpace addressSpace() {
        return addressSpace;
    }

    /**
     * Gives the process a new image's address space on {@code cpu} (execve), or, when a vfork
     * child's exec fails after this, the old one back.
     */
    public void replaceImage(Cpu cpu, AddressSpace addressSpace, String executable) {
        this.cpu = cpu;
        this.addressSpace = addressSpace;
        this.executable = executable;
    }

    // ---- the process tree (guarded by the kernel's process-table lock unless said otherwise) ----

    /** Children not yet reaped (zombies included), in the order they were made. */
    public final java.util.List<Process> children = new java.util.ArrayList<>();
    /** Woken whenever a child exits, stops or continues (wait4, waitid). */
    public final WaitQueue childEvents = new WaitQueue();
    /** The signal the parent gets when this process ends (clone's exit_signal; SIGCHLD for fork, 0 for none). */
    public int exitSignal = 17;
    /** prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants are re-parented here instead of to init. */
    public volatile boolean childSubreaper;
    /** prctl(PR_SET_PDEATHSIG): the signal this process gets when its parent dies, or 0. */
    public volatile int parentDeathSignal;
    /** The host file the image runs from (its fileKey), which may not be opened for writing meanwhile; or null. */
    public volatile Object imageKey;
    /** True once the process has exec'd (setpgid on it from its parent is EACCES from then on). */
    public volatile boolean didExec;
    /** True once the process has exited and only waits to be reaped. */
    public volatile boolean zombie;
    /** Set while a vfork parent waits for this child to exec or exit; the parent waits on {@link #vforkDone}. */
    public volatile boolean vforkPending;
    /** Woken when the process exits (a pidfd's readiness). */
    public final WaitQueue exitWaiters = new WaitQueue();
    /** Woken when a vfork child releases its parent's memory (exec or exit). */
    public final WaitQueue vforkDone = new WaitQueue();
    /**
     * Job control: the stop signal the process is stopped by, or 0 when it runs; a stop or a
     * continue not yet reported to wait(2) (WUNTRACED, WCONTINUED).
     */
    public volatile int stoppedBy;
    public volatile boolean stopUnreported, continueUnreported;
    /** Woken when the process is continued (SIGCONT) or killed while stopped. */
    public final WaitQueue continued = new WaitQueue();
    /**
     * User and system CPU time of reaped children and their own reaped children, in ns
     * (getrusage RUSAGE_CHILDREN, times' tms_cutime and tms_cstime); their context switches; the
     * largest resident set among them, in KiB. @GuardedBy the kernel's process-table lock.
     */
    public long childrenUserNanos, childrenSystemNanos;
    public long childrenVoluntarySwitches, childrenInvoluntarySwitches;
    public long childrenMaxRssKib;

    /** The leader's fd table (/proc/PID/fd); a syscall uses its own task's. */
    public FdTable fds() {
        return mainTask.fds();
    }

    /** The engine the process's address space runs on. */
    public Cpu cpu() {
        return cpu;
    }

    /** The threads alive, the leader first. */
    public java.util.List<Task> tasks() {
        return tasks;
    }

    /** The thread {@code tid} of this process, or null. */
    public Task task(int tid) {
        for (Task t : tasks) {
            if (t.tid() == tid && !t.exited) {
                return t;
            }
        }
        return null;
    }

    /**
     * A new thread {@code tid} made by clone(2) from {@code parent}: it shares the parent's fd
     * table with {@code shareFiles} (CLONE_FILES), else gets a copy, and likewise its fs
     * context with {@code shareFs} (CLONE_FS). The caller starts it on the run queue.
     */
    public Task newThread(Task parent, int tid, boolean shareFiles, boolean shareFs) {
        if (shareFiles) {
            parent.fds().hold();
        }
        Task t = new Task(this, tid, shareFiles ? parent.fds() : parent.fds().copy(),
                shareFs ? parent.fs() : parent.fs().copy());
        t.blocked = parent.blocked;
        t.comm = parent.comm;
        t.affinity = parent.affinity;
        t.memPolicy = parent.memPolicy;
        t.memPolicyNodes = parent.memPolicyNodes;
        tasks.add(t);
        return t;
    }

    /**
     * Takes exited thread {@code t} off the list (the leader stays, as Linux keeps a zombie
     * leader); the signals pending for it alone go with it.
     */
    public void reap(Task t) {
        foldTimes(t);
        t.dropPending();
        if (t != mainTask) {
            tasks.remove(t);
            namespaces.pid().detach(t.tid());
        }
    }

    /** Threads that have not exited. */
    public int liveThreads() {
        int n = 0;
        for (Task t : tasks) {
            n += t.exited ? 0 : 1;
        }
        return n;
    }

    /** Woken at every signal sent to the process or one of its threads (signalfd, sigtimedwait). */
    private final WaitQueue signalWaiters = new WaitQueue();

    /** The queue woken at every signal sent to the process or one of its threads. */
    public WaitQueue signalWaiters() {
        return signalWaiters;
    }

    /** Signals pending for the whole process. */
    public SigPending sharedPending() {
        return sharedPending;
    }

    /** The queued siginfo the limit counts (/proc/PID/status SigQ). */
    public AtomicInteger queuedSignals() {
        return queuedSignals;
    }

    /** RLIMIT_SIGPENDING's soft value: how many siginfo may be queued (Long.MAX_VALUE for no limit). */
    public long sigPendingLimit() {
        return rlimitCurOrMax(RLIMIT_SIGPENDING);
    }

    /**
     * Drops every pending instance of {@code sig} from the process's set and every thread's, as
     * sigaction(2) does when it makes a pending signal ignored (POSIX: it is discarded).
     */
    public void discardPending(int sig) {
        java.util.List<PosixTimer> timerSignals = new java.util.ArrayList<>();
        sharedPending.discard(sig, timerSignals);
        for (Task t : tasks) {
            t.privatePendingSet().discard(sig, timerSignals);
        }
        for (PosixTimer timer : timerSignals) { // outside the sets' locks: a timer's lock comes first
            timer.discarded();
        }
    }

    /** Drops every POSIX timer's pending signal, the process's and its threads' (execve(2)). */
    public void discardTimerSignals() {
        sharedPending.discardTimerSignals();
        for (Task t : tasks) {
            t.privatePendingSet().discardTimerSignals();
        }
    }

    /**
     * Queues POSIX timer {@code t}'s signal for the process (a process-directed timer): false
     * while its signal is still pending, which is not queued twice; else the thread that takes
     * it is woken, as {@link #post} wakes it.
     */
    public boolean postTimer(PosixTimer t) {
        if (!sharedPending.addTimer(t.signo(), t)) {
            return false;
        }
        signalWaiters.wakeAll();
        Task chosen = taker(t.signo());
        if (chosen != null) {
            chosen.signalArrived();
        }
        return true;
    }

    /**
     * Sends {@code sig} to the process (kill(2)): pending for the group, and the thread that will
     * take it woken, as Linux's complete_signal picks it: the leader if it does not block the
     * signal, else the first other thread that does not; if all block it, it waits for one that
     * unblocks it. Returns the chosen thread, or null.
     */
    public Task post(int sig, int code, long sender) {
        return post(sig, code, sender, 0);
    }

    /**
     * As {@link #post(int, int, long)} with the si_value a sigqueue(3) gives; throws EAGAIN when
     * the queue is full, as {@link Task#post(int, int, long, long)} says.
     */
    public Task post(int sig, int code, long sender, long value) {
        if (!sharedPending.add(sig, code, sender, value, sigPendingLimit())) {
            throw Errno.of(Errno.EAGAIN);
        }
        signalWaiters.wakeAll();
        Task chosen = taker(sig);
        if (chosen != null) {
            chosen.signalArrived();
        }
        return chosen;
    }

    /**
     * The thread that takes process-directed {@code sig} now: the first live one (the leader
     * first) that does not block it, or null while every thread blocks it.
     */
    public Task taker(int sig) {
        for (Task t : tasks) {
            if (!t.exited && (t.blocked & Task.bit(sig)) == 0) {
                return t;
            }
        }
        return null;
    }

    public Task mainTask() {
        return mainTask;
    }

    /**
     * Thread {@code t}, not the leader, exec'd: as Linux's de_thread, it becomes the leader and
     * takes the pid, and the old leader its tid; the caller ends the old leader with the others.
     */
    public void makeLeader(Task t) {
        Task old = mainTask;
        if (t == old) {
            return;
        }
        int tid = t.tid();
        old.setTid(tid);
        t.setTid(pid);
        mainTask = t;
        tasks.remove(t);
        tasks.add(0, t);
    }

    /** Absolute path of the executable, for /proc/self/exe. */
    public String executable() {
        return executable;
    }

    /** Records the exit status; the first one wins (exit_group after a fatal signal is ignored). */
    public synchronized void exit(ExitStatus status) {
        if (exitStatus == null) {
            exitStatus = status;
        }
    }

    /**
     * Set once the process has made a second thread or armed a timer, whose stops come from
     * other host threads while it runs: from then on the engine must stop only between two
     * blocks, as its preemption switch does. Unicorn's
     * own asynchronous stop can run part of a block twice, and the code resumed there computes
     * wrong results (timercount: a counter incremented once per iteration ended 3-24 high over
     * 20 million iterations with a 500 µs alarm, and aarch64 crashed). A handler alone does not
     * set it: the switch's block hook costs a branchy program twice its time (busybox sh's
     * loop: 0.49 s, 1.03 s with it), and the host's signals are rare. Without it, a signal from
     * elsewhere waits for the next syscall, or 50 ms for the asynchronous stop (exact since the
     * engine's ExactStops). Never cleared.
     */
    public volatile boolean needsExactStops;

    /** The exit status, or null while running. */
    public ExitStatus exitStatus() {
        return exitStatus;
    }

    /**
     * True once the process has no memory, files or fs context left: a zombie, or a process
     * whose last thread has exited and which is on its way to being one.
     */
    public boolean isGone() {
        return zombie || (exitStatus != null && liveThreads() == 0);
    }

    /**
     * {@code what} of this process's address space, read from another host thread while this
     * process's own thread may be changing it: Linux reads under mmap_lock, Phoenix's address
     * space has no lock for readers on other threads, so a read that ran into a change (the
     * map's iterator fails fast) is made again; {@code fallback} after many tries, or once the
     * process is gone.
     */
    public <T> T readAddressSpace(java.util.function.Function<AddressSpace, T> what, T fallback) {
        for (int i = 0; i < 100 && !isGone(); i++) {
            try {
                return what.apply(addressSpace());
            } catch (RuntimeException e) {
                Thread.onSpinWait(); // changed under the read: try again
            }
        }
        return fallback;
    }
}
