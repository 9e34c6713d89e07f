package dev.phoenix.libos.proc;

import java.util.ArrayList;

/**
 * What priority inheritance knows of one task (Linux keeps it in task_struct: pi_blocked_on,
 * pi_waiters, pi_state_list): the {@link PiLock} it is blocked on, the ones it holds, and the
 * state of its PI futex wait (FUTEX_LOCK_PI, FUTEX_WAIT_REQUEUE_PI). Guarded by
 * {@link PiChains#LOCK} except where a field says otherwise.
 */
public final class TaskPiState {
    /** Where FUTEX_WAIT_REQUEUE_PI's waiter is: not in one, on the first futex's queue, or requeued to the PI futex. */
    public static final int REQUEUE_NONE = 0, REQUEUE_ON_FUTEX = 1, REQUEUE_ON_PI = 2;

    private final Task task;
    /** The lock the task is blocked on, or null (Linux's pi_blocked_on). */
    PiLock blockedOn;
    /** The locks it holds that lend it priority, or may (Linux's pi_waiters and pi_state_list). */
    final ArrayList<PiLock> held = new ArrayList<>(1);
    /**
     * Set when a lock was handed to the task while it waited (an unlock's handoff, a requeue
     * that took the lock for it, a dead owner's): its wait is over and it owns the lock.
     * Volatile: the task's wait reads it without the lock.
     */
    private volatile boolean granted;
    /** The queue its PI waits sleep on: a handoff wakes exactly this task. Made on first use. */
    private WaitQueue wakeQueue;

    /** FUTEX_WAIT_REQUEUE_PI: where the waiter is ({@link #REQUEUE_NONE} ...). */
    public volatile int requeueState;
    /** FUTEX_WAIT_REQUEUE_PI: the key of the PI futex it may be requeued to. */
    public Object requeueSpace;
    public long requeueAddress;
    /** The address of the futex word of the PI wait in progress, in the task's own memory (the dead owner's handoff writes it). */
    public long uaddr;
    /** The address space {@link #uaddr} is in (an exec replaces it: the word is then gone). */
    public Object waitSpace;
    /**
     * Set once the task's exit has handed over its PI futexes (Linux's FUTEX_STATE_DEAD): a
     * futex word naming it no longer attaches to it (ESRCH).
     */
    public boolean exitDone;

    TaskPiState(Task task) {
        this.task = task;
    }

    /** The lock the task is blocked on, or null. Under {@link PiChains#LOCK}. */
    public PiLock blockedOn() {
        return blockedOn;
    }

    /** A copy of the locks it holds. Under {@link PiChains#LOCK}. */
    public java.util.List<PiLock> held() {
        return java.util.List.copyOf(held);
    }

    /** True once a lock was handed to it in its current wait. */
    public boolean granted() {
        return granted;
    }

    /** A new PI wait begins: nothing handed over yet. Under {@link PiChains#LOCK}. */
    public void beginWait() {
        granted = false;
    }

    /** The queue the task's PI wait sleeps on. Under {@link PiChains#LOCK}. */
    public WaitQueue wakeQueue() {
        if (wakeQueue == null) {
            wakeQueue = new WaitQueue();
        }
        return wakeQueue;
    }

    /** The lock was handed to the task: its wait ends, and it is woken. Under {@link PiChains#LOCK}. */
    public void grant() {
        granted = true;
        requeueState = REQUEUE_NONE;
        wakeQueue().wakeAll();
    }

    /**
     * Moves the task, waiting on futex queue {@code from}, to its own wake queue without waking
     * it (FUTEX_CMP_REQUEUE_PI: it now waits for the PI futex). Under {@link PiChains#LOCK}.
     */
    public void moveToWakeQueue(WaitQueue from) {
        from.move(task, wakeQueue());
    }
}
