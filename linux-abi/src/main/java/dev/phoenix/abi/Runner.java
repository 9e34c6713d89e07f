package dev.phoenix.abi;

import dev.phoenix.abi.linux.FutexSyscalls;
import dev.phoenix.abi.linux.PiFutexSyscalls;
import dev.phoenix.abi.signal.SignalDelivery;
import dev.phoenix.abi.syscall.Dispatcher;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.Cpu;
import dev.phoenix.emu.CpuExit;
import dev.phoenix.emu.Prot;
import dev.phoenix.emu.Reg;
import dev.phoenix.emu.Trap;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.VirtualClock;
import dev.phoenix.libos.mm.GuestMemory;
import dev.phoenix.libos.proc.ExitStatus;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.RunQueue;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.libos.sched.SchedGroup;
import dev.phoenix.sched.VirtualCpus;
import java.io.PrintStream;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Runs the tasks of a {@link RunQueue} on the calling host thread, one at a time, each on its
 * process's engine ({@link Vcpu}): picks a task, switches the engine to its saved context,
 * delivers the signals that came while it did not run, and runs it until it parks in a syscall,
 * exits, faults, yields or has used its slice while others wait. Normally a queue holds the
 * tasks of one address space (a process's threads, and a vfork child until it execs); in a
 * deterministic run one queue holds every task of every process. A task that never makes a
 * syscall is preempted: on the host clock a ticker thread asks for a stop once its slice is over
 * while others wait (at its next syscall, or, if it makes none, between two blocks), through the engine's
 * preemption switch, which stays armed until a run takes it; on a virtual clock the engine runs
 * a fixed budget of instructions once the queue has two tasks, so switches fall at the same
 * instruction in every run. The runner ends when its queue has no task left.
 */
final class Runner implements RunQueue.Listener, VirtualCpus.Holder {
    /** Instructions a task runs in a deterministic run before a waiting task gets its turn. */
    static final long DETERMINISTIC_SLICE = 200_000;
    /** The longest run between looks at virtual timers: 2^30 instructions. */
    private static final long MAX_SLICE = 1L << 30;

    private final LinuxKernel kernel;
    private final RunQueue queue;
    private final PrintStream warnings;
    private final Map<Task, SyscallContext> contexts = new IdentityHashMap<>();
    private final Clock clock;
    private final boolean virtual;
    /** The guest's CPUs, one taken for each turn (null: a deterministic run's one runner). */
    private final VirtualCpus cpus;
    /** True while the runner waits for a virtual CPU (preemptNow then wakes it to pick again). */
    private volatile boolean acquiring;
    /**
     * What the running task's cgroup may still run this period when its turn began (cpu.max;
     * {@link SchedGroup#NO_QUOTA}: no limit): the turn ends when it is used, whether others wait
     * or not, and the group is throttled.
     */
    private long turnQuota = SchedGroup.NO_QUOTA;
    /** The slice of the turn in progress, as its class gave it when the turn began. */
    private volatile long turnSlice = Long.MAX_VALUE;
    /**
     * When the slice of the turn in progress ends (System.nanoTime): its start plus its slice,
     * later when the virtual CPUs let it hold on ({@link #holdsOn}).
     */
    private volatile long sliceEnds;
    /** The CPU the running turn holds, or -1. */
    private volatile int onCpu = -1;
    private Thread thread;
    /** The engine of the task running now (the ticker stops it). */
    private volatile Vcpu vcpu;

    /** When the running task's turn began and when it must end (System.nanoTime; 0: no end), for the ticker. */
    private volatile long turnStarted, turnEnds;
    /**
     * How long past the end of its turn a task may run on until its next syscall before the
     * ticker stops it between two blocks: stopping at a syscall is exact, the block hook's stop
     * is the fallback for a task that makes none.
     */
    private static final long FORCE_AFTER_NS = 10_000_000;
    /** How often the ticker looks: Linux's tick at HZ=1000. */
    private static final long TICK_NS = 1_000_000;
    /**
     * How long a forced stop may go unanswered before the ticker stops the engine at once: the
     * task spins in code translated before the preemption switch existed, which never looks at
     * it ({@link Cpu#stopNow}, exact on a host clock).
     */
    private static final long STOP_NOW_AFTER_NS = 50_000_000;
    /** Runs of the engine that have returned; the ticker compares it to see a stop taken. */
    private volatile long runsEnded;
    private Thread ticker;
    private volatile boolean tickerStopped;
    /** The slice of the run in progress is over (the timer fired). */
    private volatile boolean sliceOver;
    /**
     * A turn at least this long (1 ms) marks its task CPU-bound: its next turn is charged by the
     * host CPU time its runner thread got (Task.startTurn reads that clock only then, since a
     * reading costs about 0.9 µs here, too much for the short turns of tasks that park at once),
     * so a host busy with other work does not skew the fair class's shares.
     */
    private static final long LONG_TURN_NS = 1_000_000;
    /** What the running task has run this turn in a deterministic run (see {@link #ranFor}). */
    private long virtualRan;
    /** A better task became runnable: the running one gives way at once (wakeup preemption). */
    private volatile boolean preemptRequested;
    /** The task whose turn is in progress, or null between turns. */
    private volatile Task current;
    /**
     * How long a priority preemption's stop may go unanswered before the engine is stopped at
     * once: a real-time task waits at most this long (plus a tick) behind a spinning task whose
     * code was translated before the preemption switch existed.
     */
    private static final long PREEMPT_STOP_NOW_NS = 0;
    /** How long the forced stop in progress may go unanswered (the ticker reads it). */
    private volatile long stopNowAfter = STOP_NOW_AFTER_NS;

    Runner(LinuxKernel kernel, RunQueue queue, PrintStream warnings) {
        this.kernel = kernel;
        this.queue = queue;
        this.warnings = warnings;
        this.clock = kernel.clock();
        this.virtual = clock instanceof VirtualClock;
        this.cpus = kernel.virtualCpus();
        queue.setListener(this);
    }

    /** The syscall context of {@code t} on its current engine, made on first use. */
    SyscallContext contextOf(Task t) {
        SyscallContext c = contexts.get(t);
        if (c == null) {
            c = new SyscallContext(kernel, kernel.vcpu(t.cpu()).abi, t);
            contexts.put(t, c);
        }
        return c;
    }

    /** Runs until the queue has no task left. */
    void run() {
        thread = Thread.currentThread();
        try {
            while (true) {
                Task t;
                preemptRequested = false; // between turns no task runs: nothing asks to preempt
                try {
                    t = queue.next();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                if (t == null) {
                    return;
                }
                Process p = t.process();
                if (p.exitStatus() != null) { // killed while it waited its turn
                    endProcess(p);
                    continue;
                }
                if (p.stoppedBy != 0) { // a stopped process's threads wait for SIGCONT
                    queue.ranAndParked(t);
                    continue;
                }
                if (cpus != null) {
                    try {
                        acquiring = true;
                        onCpu = cpus.acquire(this, t.sched, t.affinity, () -> preemptRequested);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        queue.ranAndRunnable(t, false);
                        return;
                    } finally {
                        acquiring = false;
                    }
                    if (onCpu < 0) { // a better task of this queue woke while it waited for a CPU: pick again
                        queue.ranAndPreempted(t);
                        continue;
                    }
                    t.onCpu = onCpu;
                }
                long chargedBefore = t.sched.runtimeNanos;
                try {
                    switchTo(t);
                    turn(t);
                } finally {
                    if (cpus != null) {
                        // The turn's charged time, by weight; with tasks still runnable it asks again at once.
                        cpus.release(onCpu, t.sched.runtimeNanos - chargedBefore, queue.anyWaiting());
                        onCpu = -1;
                    }
                }
                if (p.exitStatus() != null) {
                    endProcess(p);
                } else if (t.execed) {
                    execed(t);
                }
            }
        } finally {
            if (cpus != null) {
                cpus.forget(this);
            }
            stopTicker();
            Task.setCurrent(null);
        }
    }

    private void switchTo(Task t) {
        Vcpu v = kernel.vcpu(t.cpu());
        vcpu = v;
        Cpu cpu = v.cpu;
        Task on = v.onEngine;
        if (t != on) {
            if (on != null && !on.exited && on.cpu() == cpu) {
                if (on.engineContext == 0) {
                    on.engineContext = cpu.newThreadContext();
                }
                cpu.saveThreadContext(on.engineContext);
            }
            if (t.engineContext != 0) {
                cpu.restoreThreadContext(t.engineContext);
            }
            v.onEngine = t;
        }
        long[] start = t.startRegisters;
        if (start != null) { // a new thread's first turn: clone's stack, TLS and return value
            t.startRegisters = null;
            cpu.set(Reg.PC, start[0]);
            cpu.set(Reg.SP, start[1]);
            if (start[3] != 0) {
                cpu.set(Reg.TLS, start[2]);
            }
            cpu.set(Reg.RET, 0);
        }
        SyscallContext c = contextOf(t);
        v.dispatcher.setContext(c);
        Task.setCurrent(t);
        // Signals that came while it waited its turn; a task parked in a syscall runs the call
        // again instead, which sees them and ends (EINTR or a restart) on its way out.
        if (t.deliverable() != 0 && !t.resuming()) {
            SignalDelivery.deliverPending(c);
        }
    }

    /**
     * Process {@code p} has an exit status (exit_group, a fatal signal, its last thread's exit):
     * every thread of it still on the queue goes, each letting go of its fd table, and the
     * kernel makes it a zombie. All its threads are on this queue: they share its engine.
     */
    private void endProcess(Process p) {
        for (Task t : p.tasks()) {
            if (t.state() != RunQueue.State.DEAD) {
                t.exited = true;
                dropTask(t);
            }
        }
        kernel.processExited(p);
    }

    /** Takes exited {@code t} off this runner: its engine state, its context, its place on the queue, its fd table. */
    private void dropTask(Task t) {
        if (t.engineContext != 0) {
            t.cpu().freeThreadContext(t.engineContext);
            t.engineContext = 0;
        }
        Vcpu v = kernel.vcpu(t.cpu());
        if (v != null && v.onEngine == t) {
            v.onEngine = null;
        }
        contexts.remove(t);
        PiFutexSyscalls.exited(kernel, t); // its PI futexes go to their top waiters (exit_pi_state_list)
        queue.exited(t);
        t.process().reap(t);
        t.releaseFiles();
    }

    /**
     * {@code t} exec'd: it runs a new image on a new engine. The other threads of its process
     * are gone (execve kills them), the old engine is let go (closed when no vfork parent still
     * uses it), and the task runs on: here, or, when the queue holds another process's tasks
     * (the vfork parent it shared an engine with), on a runner of its own, so the two run in
     * parallel.
     */
    private void execed(Task t) {
        t.execed = false;
        Process p = t.process();
        for (Task other : p.tasks()) {
            if (other != t && other.state() != RunQueue.State.DEAD) {
                other.exited = true;
                dropTask(other);
            }
        }
        if (t.engineContext != 0) { // saved on the old engine
            t.cpu().freeThreadContext(t.engineContext);
            t.engineContext = 0;
        }
        kernel.releaseCpu(t.execOldCpu, t.execOldSpace);
        t.execOldCpu = null;
        t.execOldSpace = null;
        contexts.remove(t);
        Vcpu v = kernel.vcpu(t.cpu());
        v.onEngine = t; // the loader set its registers on the new engine
        if (!kernel.oneQueue() && queue.live() > 1) {
            queue.exited(t);
            t.resetForNewQueue();
            kernel.moveToNewRunner(t);
        }
    }

    /** Runs {@code t} until its turn ends. */
    private void turn(Task t) {
        SyscallContext c = contextOf(t);
        long sliceNanos = queue.sliceOf(t);
        turnSlice = sliceNanos;
        long started = System.nanoTime();
        sliceOver = false;
        turnStarted = started;
        sliceEnds = sliceNanos == Long.MAX_VALUE ? Long.MAX_VALUE : started + sliceNanos;
        turnEnds = 0;
        stopNowAfter = STOP_NOW_AFTER_NS;
        virtualRan = 0;
        turnQuota = SchedGroup.NO_QUOTA;
        current = t;
        t.startTurn(clock); // CPU time from now on, and the CPU-time timers' projections
        try {
            if (preemptRequested) { // a better task woke between the pick and now
                t.sched.involuntarySwitches++;
                queue.ranAndPreempted(t);
                return;
            }
            runTurn(t, c, sliceNanos, started);
        } finally {
            t.endTurn(clock);
            current = null;
            turnEnds = 0;
            queue.preemptAtSyscall = false;
        }
    }

    private void runTurn(Task t, SyscallContext c, long sliceNanos, long started) {
        Process process = t.process();
        Cpu cpu = vcpu.cpu;
        while (true) {
            if (process.exitStatus() != null) {
                return;
            }
            if (process.stoppedBy != 0) { // a stop signal's default action: wait for SIGCONT
                charge(t, ranFor(started));
                queue.ranAndParked(t);
                return;
            }
            regroup(t, started);
            boolean others = othersWaiting();
            if (others || process.needsExactStops) {
                // Once a second thread or a timer exists, stops asked from other threads fall
                // between blocks.
                cpu.enablePreemption();
            }
            if (others && !virtual && sliceNanos != Long.MAX_VALUE) {
                endTurnBy(sliceEnds);
            }
            if (turnQuota != SchedGroup.NO_QUOTA && !virtual) {
                endTurnBy(started + turnQuota); // its group's quota runs out then
            }
            CpuExit exit = runSlice(others);
            runsEnded++;
            if (process.exitStatus() != null) {
                return;
            }
            if (t.exited) {
                threadExit(t, c);
                return;
            }
            if (t.execed) { // the runner moves it to its new engine
                charge(t, ranFor(started));
                queue.ranAndRunnable(t, false);
                return;
            }
            if (t.parked) {
                t.parked = false;
                charge(t, ranFor(started));
                queue.ranAndParked(t);
                return;
            }
            if (exit.trap() == Trap.WRITE_PROT && process.addressSpace().resolveWriteFault(exit.address())) {
                continue; // the first store to a page fork shares: the store runs again on a copy
            }
            if (exit.trap() != Trap.STOP_REQUESTED) {
                // Past the end of a shared file mapping's file: SIGBUS (BUS_ADRERR), as Linux.
                boolean pastEof = exit.trap().isMemoryFault() && process.addressSpace().isBeyondEndOfFile(exit.address());
                SignalDelivery.fault(c, exit, pastEof ? Signals.SIGBUS : Signals.forTrap(exit.trap()), warnings);
                continue;
            }
            // A signal from another thread (a timer, the host) is delivered here, between two
            // instructions, unless the task is on its way back into the syscall it parked in:
            // the stop then fell before that syscall ran again, and the syscall must see the
            // signal and end (EINTR, or a restart) itself. Delivered here, the handler ran and
            // returned into a wait that no longer had a signal to end it: sigsuspend waited for
            // a second alarm, pause for ever (CompatTest's signals timed out in CI).
            if (!t.resuming()) {
                SignalDelivery.deliverPending(c);
            }
            if (preemptRequested && !t.yielded) {
                charge(t, ranFor(started));
                t.sched.involuntarySwitches++;
                queue.ranAndPreempted(t);
                return;
            }
            if (!t.yielded && sliceOver && !quotaUsed() && holdsOn(t, started)) {
                continue; // its cgroup is still behind by weight: it keeps the virtual CPU
            }
            if (t.yielded || (othersWaiting() && (virtual || sliceOver)) || quotaUsed()) {
                boolean yielded = t.yielded;
                t.yielded = false;
                charge(t, ranFor(started));
                if (!yielded) {
                    t.sched.involuntarySwitches++;
                }
                queue.ranAndRunnable(t, yielded);
                return;
            }
        }
    }

    /** Adds {@code ran} nanoseconds to {@code t}'s CPU time and to its cgroup's bandwidth (cpu.max). */
    private static void charge(Task t, long ran) {
        t.sched.runtimeNanos += ran;
        SchedGroup g = t.sched.group;
        if (g != null) {
            g.charge(ran);
        }
    }

    /**
     * Takes {@code t}'s cpu group now (its process may have moved since it was queued, or the
     * group's cpu.max changed) and what that group's quota lets this turn run, counted from the
     * turn's start: what ran so far plus what is left.
     */
    private void regroup(Task t, long started) {
        SchedGroup g = RunQueue.cpuGroupOf(t);
        t.sched.group = g;
        long left = g == null ? SchedGroup.NO_QUOTA : g.remainingNanos();
        if (left == SchedGroup.NO_QUOTA) {
            turnQuota = SchedGroup.NO_QUOTA;
            return;
        }
        long ran = virtual ? virtualRan : System.nanoTime() - started;
        turnQuota = Math.max(1, ran + left);
    }

    /** True when the running turn has used what its cgroup's quota left it: the turn ends, the group is throttled. */
    private boolean quotaUsed() {
        long q = turnQuota;
        return q != SchedGroup.NO_QUOTA && (virtual ? virtualRan >= q : sliceOver);
    }

    /**
     * Runs the engine. On a virtual clock with a timer armed the guest runs only until the timer
     * is due, counting one nanosecond per instruction, so that a loop without syscalls still
     * sees its alarm at the same instruction in every run; with other tasks waiting it runs at
     * most {@link #DETERMINISTIC_SLICE} instructions.
     */
    private CpuExit runSlice(boolean others) {
        if (!virtual) {
            return vcpu.cpu.run();
        }
        Cpu cpu = vcpu.cpu;
        VirtualClock v = (VirtualClock) clock;
        long untilTimer = v.untilNextTimer();
        // Once the queue has had a second task, every run of the engine is counted: Unicorn drops
        // all its translated code each time its count hook goes in or out (uc_emu_start), which
        // made a program that starts and joins threads one by one take seconds.
        long quota = turnQuota;
        vcpu.counting |= others || queue.live() > 1 || quota != SchedGroup.NO_QUOTA;
        boolean counted = vcpu.counting;
        long budget = Math.min(untilTimer, counted ? DETERMINISTIC_SLICE : Long.MAX_VALUE);
        if (quota != SchedGroup.NO_QUOTA) { // a cgroup's quota: stop when it is used, at an instruction
            budget = Math.min(budget, Math.max(1, quota - virtualRan));
        }
        if (budget == Long.MAX_VALUE) {
            virtualRan += VirtualClock.TICK_NANOS;
            return cpu.run();
        }
        long slice = Math.min(budget, MAX_SLICE);
        CpuExit exit = cpu.run(slice);
        virtualRan += exit.trap() == Trap.STOP_REQUESTED ? slice : VirtualClock.TICK_NANOS;
        if (exit.trap() == Trap.STOP_REQUESTED && untilTimer != Long.MAX_VALUE) {
            v.advance(Math.min(slice, untilTimer));
        }
        return exit;
    }

    /**
     * Whether the running task should give way at the end of its slice: a task of its own queue
     * waits, or (a fair task) another runner waits for a CPU.
     */
    private boolean othersWaiting() {
        if (queue.othersWaiting()) {
            return true;
        }
        Task t = current;
        return cpus != null && cpus.contended() && t != null && !t.sched.isRealTime();
    }

    /**
     * How long the running task has run this turn: host time, or in a deterministic run the
     * instructions of the counted runs that used their whole budget (one nanosecond each) plus a
     * microsecond for each other run, so the fair class's books are the same in every run.
     */
    private long ranFor(long started) {
        if (!virtual) {
            long wall = System.nanoTime() - started;
            Task t = current;
            if (t != null) {
                long cpu = t.turnHostCpu(clock); // a long turn: the CPU the runner thread really had
                if (cpu >= 0) {
                    wall = Math.min(wall, cpu);
                }
                t.lastTurnLong = wall >= LONG_TURN_NS;
            }
            return wall;
        }
        long ran = virtualRan;
        virtualRan = 0;
        return ran;
    }

    /** Ends the running task's turn by {@code deadline} (System.nanoTime) at the latest: the ticker stops it then. */
    private void endTurnBy(long deadline) {
        long e = turnEnds;
        if (e == 0 || deadline - e < 0) {
            turnEnds = deadline;
        }
        startTicker();
    }

    /**
     * A task became runnable while another runs (a futex wake, a sleep's deadline, a descriptor
     * ready). It waits for the running task to park, yield or use its slice: no wakeup
     * preemption. With one, a task that woke another gave up the CPU 1 ms later, and Go programs,
     * whose threads wake each other all the time, switched far more often; see the closing note
     * of issue 13 on the rare runtime corruption that more switches made more likely.
     */
    @Override
    public void runnableWhileRunning() {
        endTurnAtSlice();
    }

    /** The running task's turn ends at the end of its slice (none for FIFO). */
    private void endTurnAtSlice() {
        long end = sliceEnds;
        if (!virtual && current != null && turnSlice != Long.MAX_VALUE) {
            endTurnBy(end);
        }
    }

    /**
     * At the end of fair task {@code t}'s slice, when only runners waiting for a virtual CPU
     * (not tasks of its own queue) would take its turn: whether its entity's virtual time is
     * still the least ({@link VirtualCpus#mayHoldOn}), so it runs on, its slice extended by what
     * its lead is worth. A preemption asked meanwhile stays asked.
     */
    private boolean holdsOn(Task t, long started) {
        if (virtual || cpus == null || onCpu < 0 || !cpus.contended() || t.sched.isRealTime() || turnSlice == Long.MAX_VALUE
                || turnQuota != SchedGroup.NO_QUOTA || preemptRequested || queue.othersWaiting()) {
            return false;
        }
        long now = System.nanoTime();
        long more = cpus.mayHoldOn(onCpu, now - started, turnSlice);
        if (more <= 0) {
            return false;
        }
        sliceEnds = now + more;
        turnEnds = now + more;
        sliceOver = false;
        queue.preemptAtSyscall = false;
        if (preemptRequested) { // came while the books were read: the stop stands
            sliceOver = true;
            queue.preemptAtSyscall = true;
        }
        return true;
    }

    /** Another runner waits for a virtual CPU: a fair task's turn ends at the end of its slice. */
    @Override
    public void cpuWanted() {
        Task t = current;
        if (t != null && !t.sched.isRealTime()) {
            endTurnAtSlice();
        }
    }

    /**
     * A task of a better priority became runnable (a real-time wake, a priority change, an
     * inherited priority): the running task stops at its next syscall, or between two blocks,
     * or at the latest {@link #PREEMPT_STOP_NOW_NS} later. From the runner's own thread (the
     * running task woke it in a syscall) the stop after that syscall is enough.
     */
    @Override
    public void preemptNow() {
        preemptRequested = true;
        if (acquiring && cpus != null) {
            cpus.wakeWaiters(); // waiting for a CPU for a worse task: pick again
        }
        sliceOver = true;
        queue.preemptAtSyscall = true;
        if (virtual || Thread.currentThread() == thread) {
            return;
        }
        stopNowAfter = PREEMPT_STOP_NOW_NS;
        turnEnds = System.nanoTime() - FORCE_AFTER_NS;
        Thread tk;
        synchronized (this) {
            tk = ticker;
        }
        if (tk == null) {
            startTicker();
        } else {
            java.util.concurrent.locks.LockSupport.unpark(tk);
        }
    }

    /**
     * The preemption ticker (host clock): every {@link #TICK_NS} it looks whether the running
     * task's turn is over and, if so, asks for a stop. The request is sticky (the engine's
     * preemption switch stays armed until a run takes it), so one request is enough, and a
     * switch of tasks costs no timer of its own.
     */
    private synchronized void startTicker() {
        if (ticker == null) {
            ticker = Thread.ofPlatform().daemon().name("phoenix-preempt").start(this::tick);
        }
    }

    private void tick() {
        long forcedRun = -1;
        long forcedAt = 0;
        while (!tickerStopped) {
            java.util.concurrent.locks.LockSupport.parkNanos(TICK_NS);
            long e = turnEnds;
            long now = System.nanoTime();
            long late = now - e;
            if (e != 0 && late >= 0) {
                sliceOver = true;
                queue.preemptAtSyscall = true; // the task's next syscall ends its turn, exactly
                if (late >= FORCE_AFTER_NS && turnEnds == e) {
                    turnEnds = 0;
                    forcedRun = runsEnded;
                    forcedAt = now;
                    vcpu.cpu.requestStop(); // it makes none: stop it between two blocks
                }
            }
            if (forcedRun != -1 && forcedRun != runsEnded) {
                forcedRun = -1; // taken
            } else if (forcedRun != -1 && now - forcedAt >= stopNowAfter) {
                forcedRun = -1;
                vcpu.cpu.stopNow(); // spinning in code translated before the switch
            }
        }
    }

    private void stopTicker() {
        Thread t;
        synchronized (this) {
            tickerStopped = true;
            t = ticker;
        }
        if (t != null) {
            java.util.concurrent.locks.LockSupport.unpark(t);
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * Thread {@code t} called exit(2): clear_child_tid is zeroed and its futex woken (what
     * pthread_join waits for), robust futexes it held are marked FUTEX_OWNER_DIED and a waiter
     * woken, and it leaves the run queue. The last thread's exit ends the process.
     */
    private void threadExit(Task t, SyscallContext c) {
        robustListCleanup(t, c);
        GuestMemory mem = c.memory();
        long tidptr = t.clearChildTid;
        if (tidptr != 0 && (tidptr & 3) == 0 && mem.accessible(tidptr, 4, Prot.WRITE) == 4) {
            mem.writeInt(tidptr, 0);
            FutexSyscalls.wakeAt(c, tidptr, 1);
        }
        Process process = t.process();
        dropTask(t);
        if (kernel.strace() != null && process.exitStatus() == null) {
            kernel.strace().exited(t.tid(), ExitStatus.exited(t.exitCode));
        }
    }

    private static final int FUTEX_WAITERS = 0x80000000, FUTEX_OWNER_DIED = 0x40000000, FUTEX_TID_MASK = 0x3fffffff;
    /** Linux's ROBUST_LIST_LIMIT: a list longer than this (or circular) is not walked further. */
    private static final int ROBUST_LIST_LIMIT = 2048;

    /**
     * Linux's exit_robust_list: for each lock on the thread's robust list (and the one it was
     * taking or releasing, list_op_pending) whose futex word holds its tid, sets
     * FUTEX_OWNER_DIED, keeps FUTEX_WAITERS, and wakes one waiter when there were some. An
     * entry's low bit marks a PI futex, whose waiters are not woken here: the exit hands it to
     * the top one ({@link PiFutexSyscalls#exited}).
     */
    private static void robustListCleanup(Task t, SyscallContext c) {
        long head = t.robustListHead;
        GuestMemory mem = c.memory();
        if (head == 0 || mem.accessible(head, 24, Prot.READ) < 24) {
            return;
        }
        long offset = mem.readLong(head + 8);
        long pendingRaw = mem.readLong(head + 16);
        long pending = pendingRaw & ~1L;
        long raw = mem.readLong(head);
        long entry = raw & ~1L;
        for (int n = 0; entry != head && entry != 0 && n < ROBUST_LIST_LIMIT; n++) {
            if (mem.accessible(entry, 8, Prot.READ) < 8) {
                return;
            }
            long nextRaw = mem.readLong(entry);
            if (entry != pending) {
                ownerDied(t, c, entry + offset, (raw & 1) != 0);
            }
            raw = nextRaw;
            entry = nextRaw & ~1L;
        }
        if (pending != 0) {
            ownerDied(t, c, pending + offset, (pendingRaw & 1) != 0);
        }
    }

    private static void ownerDied(Task t, SyscallContext c, long uaddr, boolean pi) {
        GuestMemory mem = c.memory();
        if ((uaddr & 3) != 0 || mem.accessible(uaddr, 4, Prot.WRITE) < 4) {
            return;
        }
        int word = mem.readInt(uaddr);
        if ((word & FUTEX_TID_MASK) != dev.phoenix.abi.linux.Pids.nr(t.process(), t.tid())) {
            return;
        }
        mem.writeInt(uaddr, (word & FUTEX_WAITERS) | FUTEX_OWNER_DIED);
        if (!pi && (word & FUTEX_WAITERS) != 0) {
            FutexSyscalls.wakeAt(c, uaddr, 1);
        }
    }
}
