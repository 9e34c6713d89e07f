package dev.phoenix.abi;

import dev.phoenix.abi.linux.FutexSyscalls;
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
import java.io.PrintStream;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Runs the tasks of one address space on its one engine, one at a time, on the calling host
 * thread: picks a task from the {@link RunQueue}, switches the engine to its saved context,
 * delivers the signals that came while it did not run, and runs it until it parks in a syscall,
 * exits, faults, yields or has used its slice while others wait. A task that never makes a
 * syscall is preempted: on the host clock a timer stops the engine once its slice is over (and
 * asks again every {@link #NUDGE_NS} until the runner has seen it, since a stop requested just
 * before the engine starts is lost); on a virtual clock the engine runs a fixed budget of
 * instructions when others wait, so switches fall at the same instruction in every run.
 */
final class Runner implements RunQueue.Listener {
    /** Instructions a task runs in a deterministic run before a waiting task gets its turn. */
    static final long DETERMINISTIC_SLICE = 200_000;
    /** The longest run between looks at virtual timers: 2^30 instructions. */
    private static final long MAX_SLICE = 1L << 30;
    private static final long NUDGE_NS = 2_000_000;

    private final LinuxKernel kernel;
    private final ArchAbi abi;
    private final Process process;
    private final Cpu cpu;
    private final RunQueue queue;
    private final Dispatcher dispatcher;
    private final PrintStream warnings;
    private final Map<Task, SyscallContext> contexts = new IdentityHashMap<>();
    private final Clock clock;
    private final boolean virtual;
    private Thread thread;
    /** The task whose state the engine holds now. */
    private Task onEngine;

    /** Kicks asked for (a task became runnable while another ran) and kicks the runner has seen. */
    private volatile long kicks, kicksSeen;
    /** On a virtual clock: runs are counted from the first time two threads exist. */
    private boolean counting;
    /**
     * Linux's sched_wakeup_granularity: a task woken while another runs takes the CPU once the
     * running one has had this long, without waiting for the end of its slice.
     */
    private static final long WAKEUP_GRANULARITY_NS = 1_000_000;
    /** A task became runnable while the current one ran. */
    private volatile boolean wokeOthers;
    /** The slice of the run in progress is over (the timer fired). */
    private volatile boolean sliceOver;
    private Clock.Timer sliceTimer;

    Runner(LinuxKernel kernel, ArchAbi abi, Process process, RunQueue queue, Dispatcher dispatcher,
            PrintStream warnings) {
        this.kernel = kernel;
        this.abi = abi;
        this.process = process;
        this.cpu = process.cpu();
        this.queue = queue;
        this.dispatcher = dispatcher;
        this.warnings = warnings;
        this.clock = kernel.clock();
        this.virtual = clock instanceof VirtualClock;
        this.onEngine = process.mainTask();
        contexts.put(process.mainTask(), dispatcher.context());
        queue.setListener(this);
    }

    /** The syscall context of {@code t}, made on first use. */
    SyscallContext contextOf(Task t) {
        return contexts.computeIfAbsent(t, k -> new SyscallContext(kernel, abi, k));
    }

    /** Runs until the process has an exit status (or no task is left); returns it. */
    ExitStatus run() {
        thread = Thread.currentThread();
        try {
            while (process.exitStatus() == null) {
                Task t;
                try {
                    t = queue.next();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    process.exit(ExitStatus.killed(Signals.SIGKILL));
                    break;
                }
                if (t == null) {
                    break;
                }
                switchTo(t);
                turn(t);
            }
        } finally {
            cancelSliceTimer();
            for (Task t : contexts.keySet()) {
                if (t.engineContext != 0) {
                    cpu.freeThreadContext(t.engineContext);
                    t.engineContext = 0;
                }
            }
            Task.setCurrent(null);
        }
        if (process.exitStatus() == null) { // every thread called exit(2): the leader's status is the process's
            process.exit(ExitStatus.exited(process.mainTask().exitCode));
        }
        return process.exitStatus();
    }

    private void switchTo(Task t) {
        if (t != onEngine) {
            if (onEngine != null && !onEngine.exited) {
                if (onEngine.engineContext == 0) {
                    onEngine.engineContext = cpu.newThreadContext();
                }
                cpu.saveThreadContext(onEngine.engineContext);
            }
            cpu.restoreThreadContext(t.engineContext);
            onEngine = t;
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
        dispatcher.setContext(c);
        Task.setCurrent(t);
        // Signals that came while it waited its turn; a task parked in a syscall runs the call
        // again instead, which sees them and ends (EINTR or a restart) on its way out.
        if (t.deliverable() != 0 && !t.resuming()) {
            SignalDelivery.deliverPending(c);
        }
    }

    /** Runs {@code t} until its turn ends. */
    private void turn(Task t) {
        SyscallContext c = contextOf(t);
        long sliceNanos = queue.scheduler().sliceNanos(t.sched);
        long started = System.nanoTime();
        sliceOver = false;
        while (true) {
            if (process.exitStatus() != null) {
                return;
            }
            boolean others = queue.othersWaiting();
            if (others || queue.live() > 1) {
                cpu.enablePreemption(); // once a second thread exists, stops from other threads fall between blocks
            }
            kicksSeen = kicks;
            if (others && !virtual && sliceTimer == null) {
                armSliceTimer(Math.max(0, sliceNanos - (System.nanoTime() - started)));
            }
            CpuExit exit = runSlice(others);
            if (process.exitStatus() != null) {
                return;
            }
            if (t.exited) {
                cancelSliceTimer();
                threadExit(t, c);
                return;
            }
            if (t.parked) {
                t.parked = false;
                cancelSliceTimer();
                t.sched.runtimeNanos += System.nanoTime() - started;
                queue.ranAndParked(t);
                return;
            }
            if (exit.trap() != Trap.STOP_REQUESTED) {
                // Past the end of a shared file mapping's file: SIGBUS (BUS_ADRERR), as Linux.
                boolean pastEof = exit.trap().isMemoryFault() && process.addressSpace().isBeyondEndOfFile(exit.address());
                SignalDelivery.fault(c, exit, pastEof ? Signals.SIGBUS : Signals.forTrap(exit.trap()), warnings);
                continue;
            }
            SignalDelivery.deliverPending(c); // a signal from another thread (a timer, the host)
            boolean woke = wokeOthers;
            wokeOthers = false;
            boolean ranEnough = System.nanoTime() - started >= WAKEUP_GRANULARITY_NS;
            if (t.yielded || (queue.othersWaiting() && (virtual || sliceOver || (woke && ranEnough)))) {
                boolean yielded = t.yielded;
                t.yielded = false;
                cancelSliceTimer();
                t.sched.runtimeNanos += System.nanoTime() - started;
                if (!yielded) {
                    t.sched.involuntarySwitches++;
                }
                queue.ranAndRunnable(t, yielded);
                return;
            }
            if (woke && queue.othersWaiting()) { // its turn ends once it has run the wakeup granularity
                cancelSliceTimer();
                armSliceTimer(Math.max(0, WAKEUP_GRANULARITY_NS - (System.nanoTime() - started)));
            }
        }
    }

    /**
     * Runs the engine. On a virtual clock with a timer armed the guest runs only until the timer
     * is due, counting one nanosecond per instruction, so that a loop without syscalls still
     * sees its alarm at the same instruction in every run; with other tasks waiting it runs at
     * most {@link #DETERMINISTIC_SLICE} instructions.
     */
    private CpuExit runSlice(boolean others) {
        if (!virtual) {
            return cpu.run();
        }
        VirtualClock v = (VirtualClock) clock;
        long untilTimer = v.untilNextTimer();
        // Once the process has had a second thread, every run is counted: Unicorn drops all its
        // translated code each time its count hook goes in or out (uc_emu_start), which made a
        // program that starts and joins threads one by one take seconds.
        counting |= others || queue.live() > 1;
        boolean counted = counting;
        long budget = Math.min(untilTimer, counted ? DETERMINISTIC_SLICE : Long.MAX_VALUE);
        if (budget == Long.MAX_VALUE) {
            return cpu.run();
        }
        long slice = Math.min(budget, MAX_SLICE);
        CpuExit exit = cpu.run(slice);
        if (exit.trap() == Trap.STOP_REQUESTED && untilTimer != Long.MAX_VALUE) {
            v.advance(Math.min(slice, untilTimer));
        }
        return exit;
    }

    private void armSliceTimer(long delay) {
        sliceTimer = clock.schedule(clock.monotonicNanos() + delay, this::sliceExpired);
    }

    private void cancelSliceTimer() {
        if (sliceTimer != null) {
            sliceTimer.cancel();
            sliceTimer = null;
        }
    }

    /** The slice timer fired (on the timer thread): stop the engine, and keep asking until seen. */
    private void sliceExpired() {
        sliceOver = true;
        kick();
    }

    /** A task became runnable while another runs: the runner must look at the queue again. */
    @Override
    public void runnableWhileRunning() {
        wokeOthers = true;
        if (Thread.currentThread() == thread) {
            cpu.requestStop(); // inside a syscall of the running task: the stop cannot be lost
            return;
        }
        kick();
    }

    private void kick() {
        long k = ++kicks;
        cpu.requestStop();
        if (!virtual) {
            clock.schedule(clock.monotonicNanos() + NUDGE_NS, () -> nudge(k));
        }
    }

    private void nudge(long k) {
        if (kicksSeen < k && process.exitStatus() == null && queue.live() > 0) {
            cpu.requestStop();
            clock.schedule(clock.monotonicNanos() + NUDGE_NS, () -> nudge(k));
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
        if (t.engineContext != 0) {
            cpu.freeThreadContext(t.engineContext);
            t.engineContext = 0;
        }
        if (onEngine == t) {
            onEngine = null;
        }
        contexts.remove(t);
        queue.exited(t);
        process.reap(t);
        if (kernel.strace() != null) {
            kernel.strace().exited(t.tid(), ExitStatus.exited(t.exitCode));
        }
    }

    private static final int FUTEX_WAITERS = 0x80000000, FUTEX_OWNER_DIED = 0x40000000, FUTEX_TID_MASK = 0x3fffffff;
    /** Linux's ROBUST_LIST_LIMIT: a list longer than this (or circular) is not walked further. */
    private static final int ROBUST_LIST_LIMIT = 2048;

    /**
     * Linux's exit_robust_list: for each lock on the thread's robust list (and the one it was
     * taking or releasing, list_op_pending) whose futex word holds its tid, sets
     * FUTEX_OWNER_DIED, keeps FUTEX_WAITERS, and wakes one waiter when there were some.
     */
    private static void robustListCleanup(Task t, SyscallContext c) {
        long head = t.robustListHead;
        GuestMemory mem = c.memory();
        if (head == 0 || mem.accessible(head, 24, Prot.READ) < 24) {
            return;
        }
        long offset = mem.readLong(head + 8);
        long pending = mem.readLong(head + 16) & ~1L;
        long entry = mem.readLong(head) & ~1L;
        for (int n = 0; entry != head && entry != 0 && n < ROBUST_LIST_LIMIT; n++) {
            if (mem.accessible(entry, 8, Prot.READ) < 8) {
                return;
            }
            long next = mem.readLong(entry) & ~1L;
            if (entry != pending) {
                ownerDied(t, c, entry + offset);
            }
            entry = next;
        }
        if (pending != 0) {
            ownerDied(t, c, pending + offset);
        }
    }

    private static void ownerDied(Task t, SyscallContext c, long uaddr) {
        GuestMemory mem = c.memory();
        if ((uaddr & 3) != 0 || mem.accessible(uaddr, 4, Prot.WRITE) < 4) {
            return;
        }
        int word = mem.readInt(uaddr);
        if ((word & FUTEX_TID_MASK) != t.tid()) {
            return;
        }
        mem.writeInt(uaddr, (word & FUTEX_WAITERS) | FUTEX_OWNER_DIED);
        if ((word & FUTEX_WAITERS) != 0) {
            FutexSyscalls.wakeAt(c, uaddr, 1);
        }
    }
}
