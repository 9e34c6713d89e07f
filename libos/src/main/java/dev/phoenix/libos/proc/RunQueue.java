package dev.phoenix.libos.proc;

import dev.phoenix.libos.Clock;
import dev.phoenix.libos.sched.SchedEntity;
import dev.phoenix.libos.sched.Scheduler;
import java.util.LinkedHashSet;

/**
 * The tasks of one address space, which take turns on its one engine (Unicorn's atomics are
 * not atomic across engines: DESIGN.md, "Tasks"): which one runs, which wait their turn (in the
 * {@link Scheduler}), and which are blocked until a wake, a signal or a deadline. The runner
 * thread asks {@link #next} for a task, runs it, and reports how its turn ended; any thread may
 * wake a task. Lock order: a {@link WaitQueue}'s lock, then this one's.
 */
public final class RunQueue {
    /** Where a task is in its life on the run queue. */
    public enum State { NEW, RUNNABLE, RUNNING, BLOCKED, DEAD }

    /** What the runner must hear of: a task became runnable while another one runs. */
    public interface Listener {
        void runnableWhileRunning();

        /** A task that must run before the running one became runnable: stop it as soon as possible. */
        default void preemptNow() {
            runnableWhileRunning();
        }
    }

    private final Scheduler scheduler;
    private final Clock clock;
    /** Set when the running task's turn is over: its next syscall stops the engine (the dispatcher reads it). */
    public volatile boolean preemptAtSyscall;
    private Listener listener = () -> { };
    /** @GuardedBy("this") */
    private Task running;
    /** Blocked tasks, for their deadlines. @GuardedBy("this") */
    private final LinkedHashSet<Task> blocked = new LinkedHashSet<>();
    /** Tasks not dead. @GuardedBy("this") */
    private int live;

    private final Reactor reactor;

    public RunQueue(Scheduler scheduler, Clock clock, Reactor reactor) {
        this.scheduler = scheduler;
        this.clock = clock;
        this.reactor = reactor;
    }

    /** Where waits for host descriptors go. */
    public Reactor reactor() {
        return reactor;
    }

    public void setListener(Listener listener) {
        this.listener = listener;
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /** How long {@code t} may run before its turn is over when others wait (its class decides; MAX_VALUE: no end). */
    public synchronized long sliceOf(Task t) {
        return scheduler.sliceNanos(t.sched);
    }

    public Clock clock() {
        return clock;
    }

    /** A new task joins, runnable. */
    public synchronized void start(Task t) {
        t.runQueue = this;
        live++;
        makeRunnable(t);
    }

    private void makeRunnable(Task t) {
        if (t.deadlineTimer != null) {
            t.deadlineTimer.cancel();
            t.deadlineTimer = null;
        }
        t.state = State.RUNNABLE;
        t.times.runnable(clock.kernelNanos()); // its wait for a turn starts (schedstat's run_delay)
        t.sched.group = cpuGroupOf(t); // the cpu controller's group, which may have changed
        scheduler.enqueue(t.sched);
        notifyAll();
        tellRunning(t);
    }

    private void tellRunning(Task woken) {
        if (running != null && running != woken) {
            if (scheduler.preempts(woken.sched, running.sched)) {
                listener.preemptNow();
            } else {
                listener.runnableWhileRunning();
            }
        }
    }

    /** The cpu controller's group {@code t} runs in now (its process's cgroup's), or null for the root. */
    public static dev.phoenix.libos.sched.SchedGroup cpuGroupOf(Task t) {
        Process p = t.process();
        dev.phoenix.libos.cgroup.Cgroup g = p == null ? null : p.cgroup;
        return g == null ? null : g.cpuGroup();
    }

    /**
     * {@code t}'s cgroup or its cpu limits changed (a move, cpu.max, subtree_control): when it is
     * running, its runner looks at its group again after its next syscall, or at the end of its
     * slice when it makes none; a queued task is regrouped when it is queued next.
     */
    public synchronized void cgroupChanged(Task t) {
        if (t == running) {
            preemptAtSyscall = true;
            listener.runnableWhileRunning();
        }
    }

    /** The task running now, or null. */
    public synchronized Task running() {
        return running;
    }

    /**
     * True when a task other than the running one waits and should take the CPU once the running
     * one's turn is over (a FIFO task gives way only to a better priority).
     */
    public synchronized boolean othersWaiting() {
        return running == null ? scheduler.hasRunnable() : scheduler.othersWaiting(running.sched);
    }

    /** True when any task waits to run (sched_yield's question: a yield to a worse task is undone by the pick). */
    public synchronized boolean anyWaiting() {
        return scheduler.hasRunnable();
    }

    /**
     * {@code t}'s policy, priority, nice value or inherited priority changed: its class moves it,
     * and the running task is preempted when {@code t} must now run first (or when the running
     * task itself fell behind a waiting one).
     */
    public synchronized void priorityChanged(Task t) {
        scheduler.changed(t.sched);
        if (t.state == State.RUNNABLE) {
            tellRunning(t);
        } else if (t == running) {
            SchedEntity best = scheduler.peekNext();
            if (best != null && scheduler.preempts(best, t.sched)) {
                listener.preemptNow();
            }
        }
    }

    /**
     * The next task to run, now RUNNING: waits (on the kernel's clock) while none is runnable,
     * waking blocked tasks whose deadline passes. Returns null once no task is left alive.
     */
    public synchronized Task next() throws InterruptedException {
        while (true) {
            wakeExpired();
            SchedEntity e = scheduler.pickNext();
            if (e != null) {
                armThrottleTimer();
                Task t = (Task) e.owner();
                t.state = State.RUNNING;
                t.wakePending = false;
                running = t;
                return t;
            }
            if (live == 0) {
                return null;
            }
            long earliest = Long.MAX_VALUE;
            for (Task b : blocked) {
                earliest = Math.min(earliest, b.waitDeadline);
            }
            earliest = Math.min(earliest, scheduler.throttledUntil()); // tasks held back by cpu.max
            if (earliest != Long.MAX_VALUE && clock.monotonicNanos() - earliest >= 0) {
                continue;
            }
            clock.await(this, earliest);
        }
    }

    /** The end of a cgroup throttle a virtual clock has a timer for. @GuardedBy("this") */
    private long throttleTimerAt = Long.MIN_VALUE;

    /**
     * On a virtual clock, a timer at the end of the earliest cgroup throttle while other tasks
     * run: time passes there only towards a timer (the runner then counts instructions as
     * nanoseconds), so without one the throttled group would wait for ever behind busy ones.
     */
    private void armThrottleTimer() {
        if (!clock.isVirtual()) {
            return;
        }
        long until = scheduler.throttledUntil();
        if (until != Long.MAX_VALUE && until != throttleTimerAt) {
            throttleTimerAt = until;
            clock.schedule(until, () -> { });
        }
    }

    private void wakeExpired() {
        if (blocked.isEmpty()) {
            return;
        }
        long now = clock.monotonicNanos();
        for (Task b : blocked.toArray(new Task[0])) {
            if (b.waitDeadline != Long.MAX_VALUE && now - b.waitDeadline >= 0) {
                blocked.remove(b);
                makeRunnable(b);
            }
        }
    }

    /** The running task's turn ended and it stays runnable: behind its peers when {@code yielded}. */
    public synchronized void ranAndRunnable(Task t, boolean yielded) {
        running = null;
        if (t.state == State.RUNNING) {
            if (yielded) {
                scheduler.yield(t.sched);
                t.state = State.RUNNABLE;
            } else {
                makeRunnable(t);
            }
        }
    }

    /** The running task was stopped for a better one before its turn was over: it stays runnable, first in its priority. */
    public synchronized void ranAndPreempted(Task t) {
        running = null;
        if (t.state == State.RUNNING) {
            t.state = State.RUNNABLE;
            scheduler.preempted(t.sched);
            notifyAll();
        }
    }

    /** The running task parked in a syscall: blocked, unless a wake came meanwhile. */
    public synchronized void ranAndParked(Task t) {
        running = null;
        if (t.state != State.RUNNING) {
            return;
        }
        if (t.preemptedInSyscall) { // gave way at a preemption point of a long syscall
            t.preemptedInSyscall = false;
            t.sched.involuntarySwitches++;
            t.state = State.RUNNABLE;
            scheduler.preempted(t.sched);
            notifyAll();
            return;
        }
        t.sched.voluntarySwitches++;
        if (t.wakePending) {
            makeRunnable(t);
        } else {
            scheduler.stopped(t.sched);
            t.state = State.BLOCKED;
            blocked.add(t);
            long deadline = t.waitDeadline;
            if (deadline != Long.MAX_VALUE) { // others may run meanwhile: a timer ends the wait on time
                t.deadlineTimer = clock.schedule(deadline, () -> deadlinePassed(t, deadline));
            }
        }
    }

    /** The deadline of blocked {@code t}'s wait has come (on the clock's timer thread, or in virtual time). */
    private synchronized void deadlinePassed(Task t, long deadline) {
        if (t.state == State.BLOCKED && t.waitDeadline == deadline) {
            t.deadlineTimer = null;
            blocked.remove(t);
            makeRunnable(t);
        }
    }

    /**
     * Makes blocked {@code t} runnable (a queue woke it, a signal came); a task running or
     * parking now is told through its wake flag, so a wake between its check and its park is
     * not lost.
     */
    public synchronized void wake(Task t) {
        switch (t.state) {
            case BLOCKED -> {
                blocked.remove(t);
                makeRunnable(t);
            }
            case RUNNING, NEW -> t.wakePending = true;
            default -> { }
        }
    }

    /** {@code t} is dead: off the queue for good. */
    public synchronized void exited(Task t) {
        if (t.state == State.DEAD) {
            return;
        }
        if (t.state == State.RUNNABLE) {
            scheduler.dequeue(t.sched);
        } else if (t.state == State.RUNNING) {
            scheduler.stopped(t.sched);
        }
        blocked.remove(t);
        if (running == t) {
            running = null;
        }
        t.state = State.DEAD;
        live--;
        notifyAll();
    }

    /** Tasks alive on this queue. */
    public synchronized int live() {
        return live;
    }
}
