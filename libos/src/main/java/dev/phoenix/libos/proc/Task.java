package dev.phoenix.libos.proc;

import dev.phoenix.emu.Cpu;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FdTable;
import dev.phoenix.libos.sched.SchedEntity;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A thread of a {@link Process} (its thread group): its CPU state while it does not run, its
 * place on the {@link RunQueue}, its private pending signals and mask, its alternate signal
 * stack, clear_child_tid and robust list, and the wait it is in. What clone(2) may share
 * (the fd table, the fs context) is held by reference; what a thread group shares (signal
 * handlers, the address space, credentials, limits) is its process's.
 */
public final class Task {
    private final Process process;
    /** The thread id: changes once, when a thread other than the leader execs and takes the pid (de_thread). */
    private volatile int tid;
    /** set_tid_address(2) and CLONE_CHILD_CLEARTID: cleared and futex-woken when the thread exits. */
    public long clearChildTid;
    /** set_robust_list(2) head and length. */
    public long robustListHead;
    public long robustListLength;
    /** The thread's name (prctl PR_SET_NAME, /proc/PID/task/TID/comm): at most 15 bytes. */
    public volatile String comm = "";
    /** sched_setaffinity(2): the CPUs it may run on (bit n for CPU n). */
    public long affinity = -1L;
    /** set_mempolicy(2): the policy mode (with its flags) and node mask, on a machine of one node. */
    public int memPolicy;
    public long memPolicyNodes;
    /** Its last turn ran long (1 ms or more): the runner charges its next one by CPU time. */
    public boolean lastTurnLong;
    /** The virtual CPU it ran on last (getcpu(2)). */
    public volatile int onCpu;

    /** Signals this thread blocks (rt_sigprocmask). */
    public long blocked;
    /** The mask rt_sigtimedwait(2) restores when it returns (it unblocks the set it waits for), or -1. */
    public long realBlocked = -1;
    /** The mask to restore after a handler run by rt_sigsuspend returns, or -1 for none. */
    public long savedMask = -1;
    /** sigaltstack(2): base, size and flags (SS_DISABLE when none). */
    public long altStackBase;
    public long altStackSize;
    public int altStackFlags = 2; // SS_DISABLE

    private final SigPending pending;
    private FdTable fds;
    private FsContext fs;

    // ---- the run queue's view (guarded by the run queue's lock) ----
    volatile RunQueue runQueue;
    RunQueue.State state = RunQueue.State.NEW;
    /** A wake came while the task ran or parked: it must not stay blocked. */
    boolean wakePending;
    /** The timer that ends a blocked wait at its deadline while other tasks run, or null. */
    Clock.Timer deadlineTimer;
    /** The task's scheduling entity. */
    public final SchedEntity sched = new SchedEntity(this);
    /** The priority-inheritance locks it waits on and holds (see {@link PiChains}). */
    public final TaskPiState pi = new TaskPiState(this);
    /** Its CPU time, user and system, and its waits for turns. */
    public final CpuTimes times = new CpuTimes();
    /** Set once its times are in its process's sum of exited threads. @GuardedBy the process's times lock */
    boolean timesFolded;
    /** Its thread CPU-time base (CLOCK_THREAD_CPUTIME_ID timers), or null until one is armed. */
    private volatile CpuTimerBase cpuTimers;

    /** The runner's saved engine state of this task while it does not run (0: none yet). */
    public long engineContext;
    /** Registers a new thread starts with on its first turn (clone's child), or null. */
    public long[] startRegisters;

    /** Set by the dispatcher when the syscall in progress parked (see {@link Park}); the runner clears it. */
    public boolean parked;
    /** Set by execve(2): the task runs a new image on another engine, and the runner moves it there. */
    public boolean execed;
    /** The engine and address space execve left, which the runner lets go once the engine's run has returned. */
    public Cpu execOldCpu;
    public dev.phoenix.libos.mm.AddressSpace execOldSpace;
    /** The vfork child this task waits for (its clone runs again after a wake and must not make another). */
    public Process vforkChild;
    /** The mask the task had before its vfork wait, which blocks every signal but SIGKILL while it lasts. */
    public long vforkSavedMask;
    /** Set by sched_yield(2): the runner puts the task behind its peers. */
    public boolean yielded;

    /** Set when the thread has exited (exit(2)) and the runner must take it off. */
    public volatile boolean exited;
    /** The thread's exit(2) status. */
    public int exitCode;

    // ---- the wait in progress (the runner thread only) ----
    /** True while the syscall that parked runs again after a wake: its wait is already made. */
    private boolean resuming;
    /** The absolute deadline (kernel monotonic ns) of the wait in progress, or Long.MAX_VALUE. */
    long waitDeadline = Long.MAX_VALUE;
    /** The futex bitset of the wait in progress (FUTEX_WAIT_BITSET); -1 for any other wait. */
    int waitBitset = -1;
    /** Set by the queue that woke the task (a futex wake): its wait is over. */
    private volatile boolean woken;
    /** The queue that woke it (futex_waitv answers which word woke it). */
    private volatile WaitQueue wokenBy;
    private final List<WaitQueue> waitingOn = new ArrayList<>(2);
    /** Work a parked syscall had done before it parked (bytes written), kept for its next run. */
    private long progress;
    /** Where waits without a run queue sleep (a task driven by a test, not a runner). */
    private final Object sleepLock = new Object();
    private Clock fallbackClock;

    /** The task whose guest code the calling host thread runs, for waits deep in the file layer. */
    private static final ThreadLocal<Task> CURRENT = new ThreadLocal<>();

    /** The task the calling thread runs, or null (a thread that runs no guest). */
    public static Task current() {
        return CURRENT.get();
    }

    /** Makes {@code task} (or none, with null) the one the calling thread runs. */
    public static void setCurrent(Task task) {
        if (task == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(task);
        }
    }

    Task(Process process, int tid, FdTable fds, FsContext fs) {
        this.process = process;
        this.tid = tid;
        this.pending = new SigPending(process.queuedSignals());
        this.fds = fds;
        this.fs = fs;
    }

    public Process process() {
        return process;
    }

    public int tid() {
        return tid;
    }

    void setTid(int tid) {
        this.tid = tid;
    }

    // ---- CPU time ----

    /** Its thread CPU-time base on {@code clock}, made on first use. */
    public CpuTimerBase cpuTimers(Clock clock) {
        CpuTimerBase b = cpuTimers;
        if (b == null) {
            synchronized (times) {
                b = cpuTimers;
                if (b == null) {
                    b = new CpuTimerBase(clock, () -> times.sample(clock), times::running);
                    cpuTimers = b;
                }
            }
        }
        return b;
    }

    /**
     * Its turn on the engine begins (the runner): user time from now, and the CPU-time timers of
     * the thread and of its process project their expiries onto {@code clock}.
     */
    public void startTurn(Clock clock) {
        long now = clock.kernelNanos();
        times.startTurn(now, lastTurnLong ? clock.threadCpuNanos(0) : -1, clock.hostThreadId());
        CpuTimerBase own = cpuTimers;
        if (own != null) {
            own.project(now);
        }
        CpuTimerBase group = process.timers.cpuBaseOrNull();
        if (group != null) {
            group.project(now);
        }
    }

    /**
     * The host CPU time its turn in progress has had, when the turn is charged by it (a task
     * whose last turn was long), else -1 (the runner's thread only).
     */
    public long turnHostCpu(Clock clock) {
        return times.usesHostCpu() ? times.turnHostCpu(clock.threadCpuNanos(0)) : -1;
    }

    /** Its turn ends (the runner): the CPU-time timers due by now run, and none waits while it does not run. */
    public void endTurn(Clock clock) {
        long now = clock.kernelNanos();
        times.endTurn(now, times.usesHostCpu() ? clock.threadCpuNanos(0) : -1);
        CpuTimerBase own = cpuTimers;
        if (own != null) {
            own.stopped();
        }
        CpuTimerBase group = process.timers.cpuBaseOrNull();
        if (group != null) {
            group.stopped();
        }
    }

    /** Syscalls entered, for CpuTimes' sample of one in SYSCALL_SAMPLE. */
    private int syscallCount;

    /** A syscall's handler starts (the dispatcher): system time from now, when the task runs on a run queue (one syscall in {@link CpuTimes#SYSCALL_SAMPLE}). */
    public void enterKernel() {
        RunQueue q = runQueue;
        if (q != null && (++syscallCount & (CpuTimes.SYSCALL_SAMPLE - 1)) == 0) {
            times.enterKernel(q.clock().kernelNanos());
        }
    }

    /** The syscall returns to guest code (the dispatcher): user time from now. */
    public void exitKernel() {
        RunQueue q = runQueue;
        if (q != null && times.inKernel()) { // a timed syscall: the others read no clock
            times.exitKernel(q.clock().kernelNanos());
        }
    }

    /** The engine the task's address space runs on. */
    public Cpu cpu() {
        return process.cpu();
    }

    /** The fd table (shared with the threads made with CLONE_FILES). */
    public FdTable fds() {
        return fds;
    }

    /** Gives the task its own copy of its fs context (unshare(2) with CLONE_FS). */
    public void unshareFs() {
        fs = fs.copy();
    }

    /** Gives the task its own copy of a shared fd table (execve's unshare_files). */
    public void unshareFiles() {
        FdTable old = fds;
        if (old.shared()) {
            fds = old.copy();
            old.release();
        }
    }

    private boolean filesReleased;

    /** The task has exited: it lets go of its fd table (the last user closes every fd); only the first call counts. */
    public void releaseFiles() {
        if (!filesReleased) {
            filesReleased = true;
            fds.release();
        }
    }

    /** cwd, root and umask (shared with the threads made with CLONE_FS). */
    public FsContext fs() {
        return fs;
    }

    /** The run queue the task is on, or null (a task driven by a test). */
    public RunQueue runQueue() {
        return runQueue;
    }

    /** The task left its run queue (RunQueue#exited) to join another: it starts there as new. */
    public void resetForNewQueue() {
        RunQueue q = runQueue;
        synchronized (q) {
            state = RunQueue.State.NEW;
            wakePending = false;
        }
        runQueue = null;
    }

    /** The run queue's state of the task. */
    public RunQueue.State state() {
        RunQueue q = runQueue;
        if (q == null) {
            return state;
        }
        synchronized (q) {
            return state;
        }
    }

    /** The reactor host descriptors' waits go through, or null when the task runs on no run queue. */
    public Reactor reactor() {
        RunQueue q = runQueue;
        return q != null ? q.reactor() : null;
    }

    /** The clock waits use when the task has no run queue (set by whoever drives it). */
    public void setFallbackClock(Clock clock) {
        this.fallbackClock = clock;
    }

    /** Bit of signal {@code sig} (1-64) in a signal set. */
    public static long bit(int sig) {
        return 1L << (sig - 1);
    }

    /** Sender of a pending signal sent by the process itself: its own pid and uid. */
    public static final long SENDER_SELF = -1;

    /**
     * Makes {@code sig} pending for this thread with si_code {@code code} and wakes it if it
     * waits; safe from any thread. Throws EAGAIN when the queue is full, as {@link #post(int, int, long, long)}.
     */
    public void post(int sig, int code) {
        post(sig, code, SENDER_SELF);
    }

    /**
     * As {@link #post(int, int)} for a signal whose siginfo names {@code sender}: the sending
     * pid in the low 32 bits, its uid in the high 32.
     */
    public void post(int sig, int code, long sender) {
        post(sig, code, sender, 0);
    }

    /**
     * As {@link #post(int, int, long)} with the si_value a sigqueue(3) gives. A real-time signal
     * queues every instance; throws EAGAIN when the queue is full (RLIMIT_SIGPENDING) and the
     * signal carries a siginfo of its own, for which sigqueue(3) and tgkill(2) fail (see
     * {@link SigPending#add}): never for SI_USER or SI_KERNEL, so the kernel's own senders
     * (timers, the host's signals) need not expect it.
     */
    public void post(int sig, int code, long sender, long value) {
        if (!pending.add(sig, code, sender, value, process.sigPendingLimit())) {
            throw Errno.of(Errno.EAGAIN);
        }
        signalArrived();
        process.signalWaiters().wakeAll();
    }

    /**
     * Queues POSIX timer {@code t}'s signal for this thread (SIGEV_THREAD_ID): false while its
     * signal is still pending, which is not queued twice.
     */
    public boolean postTimer(PosixTimer t) {
        if (!pending.addTimer(t.signo(), t)) {
            return false;
        }
        signalArrived();
        process.signalWaiters().wakeAll();
        return true;
    }

    /** A signal for this task (its own, or its process's that it was chosen for) may end its wait. */
    void signalArrived() {
        RunQueue q = runQueue;
        if (q != null) {
            q.wake(this);
        }
        synchronized (sleepLock) {
            sleepLock.notifyAll();
        }
        HostWaits.wake();
    }

    /** Signals pending for this thread: its own and its process's. */
    public long pending() {
        return pending.bits() | process.sharedPending().bits();
    }

    /** Signals sent to this thread alone. */
    public long privatePending() {
        return pending.bits();
    }

    /** This thread's own pending set (/proc's SigPnd). */
    public SigPending privatePendingSet() {
        return pending;
    }

    /** Pending signals not blocked: the ones to deliver now. */
    public long deliverable() {
        return pending() & ~blocked;
    }

    /**
     * The signal of {@code set} this thread takes next, or 0: the lowest of its own pending ones,
     * else the lowest of its process's, as Linux's dequeue_signal looks at the thread's pending
     * set before the shared one.
     */
    public int nextPending(long set) {
        long own = pending.bits() & set;
        long any = own != 0 ? own : process.sharedPending().bits() & set;
        if ((any & SYNCHRONOUS) != 0) {
            any &= SYNCHRONOUS; // Linux's next_signal: a fault's signal before any other
        }
        return any == 0 ? 0 : Long.numberOfTrailingZeros(any) + 1;
    }

    /**
     * Linux's SYNCHRONOUS_MASK, the signals a fault raises (SIGILL 4, SIGTRAP 5, SIGBUS 7,
     * SIGFPE 8, SIGSEGV 11, SIGSYS 31; the same numbers on x86_64, aarch64 and riscv64).
     */
    private static final long SYNCHRONOUS = bit(4) | bit(5) | bit(7) | bit(8) | bit(11) | bit(31);

    /**
     * Takes the oldest pending instance of {@code sig} (this thread's first, else the process's)
     * and returns its siginfo ({@link SigPending#LOST} for one queued without), or null when
     * {@code sig} is not pending.
     */
    public SigPending.Queued takePending(int sig) {
        // Under the process's lock, as Linux dequeues under siglock: signals a sender posts
        // together under that lock (a hangup's SIGHUP and SIGCONT) are all pending by the time
        // the first is taken, so none arrives after the taker has gone on (and perhaps exited).
        synchronized (process) {
            SigPending.Queued q = pending.take(sig);
            return q != null ? q : process.sharedPending().take(sig);
        }
    }

    /** The thread has exited: the signals sent to it alone are dropped (and no longer count against the limit). */
    void dropPending() {
        pending.clear();
    }

    // ---- waiting ----

    /** How a {@link #block} ended. */
    public enum Wait { READY, SIGNALED, TIMED_OUT }

    /**
     * The one way a syscall waits. Returns READY as soon as {@code ready} holds, SIGNALED when a
     * signal is deliverable, TIMED_OUT once {@code deadline} (the kernel clock's monotonic ns;
     * Long.MAX_VALUE for none) has passed. Otherwise the task waits on {@code queues} until one
     * wakes it, a signal comes or the deadline passes: on a run queue it parks (throws
     * {@link Park}; the syscall runs again when it is woken, and this call then answers for the
     * wait already made, with its first deadline); without one it sleeps in place.
     */
    public Wait block(long deadline, BooleanSupplier ready, WaitQueue... queues) {
        if (resuming) {
            deadline = waitDeadline;
        } else {
            woken = false;
            wokenBy = null;
        }
        for (WaitQueue q : queues) { // before the checks: a wake from another thread is not lost
            q.add(this);
            synchronized (waitingOn) {
                if (!waitingOn.contains(q)) {
                    waitingOn.add(q);
                }
            }
        }
        Clock clock = clock();
        while (true) {
            if (ready.getAsBoolean()) {
                return endWait(Wait.READY);
            }
            if (deliverable() != 0) {
                return endWait(Wait.SIGNALED);
            }
            if (deadline != Long.MAX_VALUE && clock.monotonicNanos() - deadline >= 0) {
                return endWait(Wait.TIMED_OUT);
            }
            RunQueue q = runQueue;
            if (q != null && state() == RunQueue.State.RUNNING) {
                resuming = true;
                waitDeadline = deadline;
                throw Park.INSTANCE;
            }
            sleepInPlace(clock, deadline, ready);
        }
    }

    private void sleepInPlace(Clock clock, long deadline, BooleanSupplier ready) {
        synchronized (sleepLock) {
            if (ready.getAsBoolean() || deliverable() != 0) {
                return;
            }
            try {
                clock.await(sleepLock, deadline);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Errno.of(Errno.EINTR);
            }
        }
    }

    private Clock clock() {
        RunQueue q = runQueue;
        Clock c = q != null ? q.clock() : fallbackClock;
        if (c == null) {
            throw new IllegalStateException("task " + tid + " has no clock to wait by");
        }
        return c;
    }

    /** The deadline of the wait the current syscall made before it parked, else {@code fresh}. */
    public long deadline(long fresh) {
        return resuming ? waitDeadline : fresh;
    }

    /** True while the current syscall runs again after parking. */
    public boolean resuming() {
        return resuming;
    }

    /** What the current syscall recorded with {@link #setProgress} before it parked, else 0. */
    public long progress() {
        return resuming ? progress : 0;
    }

    /**
     * The bytes the syscall in progress wrote before its current write to a file began: a
     * syscall that writes in several calls (chunks of a large buffer, writev's vectors) sets it
     * before each, and the file records and reads {@link #progress} relative to it, so the call
     * that parked, run again from its start, skips exactly what went in.
     */
    public long writeBase;

    /** The part of {@code length} bytes of the current write to a file that went in before the syscall parked. */
    public int writtenBefore(int length) {
        return (int) Math.max(0, Math.min(progress() - writeBase, length));
    }

    /** Records work done so far by a syscall about to park (bytes already written). */
    public void setProgress(long done) {
        progress = done;
    }

    /**
     * True at a preemption point of a long syscall (a large read or write of a file, a large
     * munmap) when the task should give way: its turn is over while others wait, or a better
     * task became runnable (the run queue's stop-after-syscall request is up).
     */
    public boolean preemptionWanted() {
        RunQueue q = runQueue;
        return q != null && state == RunQueue.State.RUNNING && q.preemptAtSyscall;
    }

    /**
     * Gives way in the middle of a long syscall, which has done {@code done} units of its work:
     * the task stays runnable (first in its priority, as a preempted task), and when it runs
     * again the syscall runs again from its start and {@link #progress} tells it where to go on.
     */
    public RuntimeException preemptInSyscall(long done) {
        resuming = true;
        waitDeadline = Long.MAX_VALUE;
        progress = done;
        preemptedInSyscall = true;
        runQueue.wake(this);
        throw Park.INSTANCE;
    }

    /** Set by {@link #preemptInSyscall}: the run queue puts the task back as a preempted one. */
    boolean preemptedInSyscall;

    /** True once a queue this task waits on woke it (a futex wake): for a wait whose condition is the wake. */
    public boolean woken() {
        return woken;
    }

    /** The futex bitset of the next wait (FUTEX_WAIT_BITSET); {@link #block} keeps it while it waits. */
    public void setWaitBitset(int bitset) {
        waitBitset = bitset;
    }

    private Wait endWait(Wait outcome) {
        leaveQueues();
        resuming = false;
        waitDeadline = Long.MAX_VALUE;
        waitBitset = -1;
        progress = 0;
        return outcome;
    }

    /** The syscall in progress has completed: whatever wait it had made is over. */
    public void syscallDone() {
        writeBase = 0; // not in endWait: a wait that ends at once inside a write is not the write's end
        if (resuming || waitBitset != -1 || hasQueues()) {
            endWait(Wait.READY);
        }
    }

    private boolean hasQueues() {
        synchronized (waitingOn) {
            return !waitingOn.isEmpty();
        }
    }

    private void leaveQueues() {
        WaitQueue[] qs;
        synchronized (waitingOn) {
            qs = waitingOn.toArray(new WaitQueue[0]);
            waitingOn.clear();
        }
        for (WaitQueue q : qs) {
            q.remove(this);
        }
    }

    /** The queue that woke the current wait, or null. */
    public WaitQueue wokenBy() {
        return wokenBy;
    }

    /** A queue took this task off and woke it. */
    void wokenFromQueue(WaitQueue by) {
        wokenBy = by;
        woken = true;
        RunQueue q = runQueue;
        if (q != null) {
            q.wake(this);
        }
        synchronized (sleepLock) {
            sleepLock.notifyAll();
        }
    }

    /** FUTEX_REQUEUE moved this task from {@code from} to {@code to}. */
    void movedQueue(WaitQueue from, WaitQueue to) {
        synchronized (waitingOn) {
            waitingOn.remove(from);
            waitingOn.add(to);
        }
        to.add(this);
    }

    // ---- the forms of waiting handlers used before wait queues ----

    /**
     * Blocks until {@code ready} holds or a signal becomes deliverable; returns false when a
     * signal ended the wait. Nothing wakes it but the signal: for conditions another task's
     * action makes true, give {@link #block} the queue that action wakes.
     */
    public boolean waitUntil(BooleanSupplier ready) {
        return block(Long.MAX_VALUE, ready) == Wait.READY;
    }

    /**
     * Sleeps until {@code deadlineNanos} on the kernel's monotonic clock or until a signal
     * becomes deliverable; returns true when a signal cut the sleep short.
     */
    public boolean sleepUntil(long deadlineNanos) {
        return block(deadlineNanos, () -> false) == Wait.SIGNALED;
    }
}
