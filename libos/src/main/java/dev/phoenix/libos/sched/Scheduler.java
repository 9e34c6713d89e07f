package dev.phoenix.libos.sched;

/**
 * A scheduling class: decides which runnable entity of one run queue runs next and when the
 * running one has had its turn. Calls come under the run queue's lock, from any thread. The
 * real-time issue brings the Beatty fair class and the FIFO/RR classes to {@code sched-rt};
 * {@link RoundRobin} is the class until then.
 */
public interface Scheduler {
    /** {@code e} became runnable (created, woken, or put back after running). */
    void enqueue(SchedEntity e);

    /** {@code e} stops being runnable while queued (it exits, or is killed while waiting its turn). */
    void dequeue(SchedEntity e);

    /** Removes and returns the entity to run next, or null when none is runnable. */
    SchedEntity pickNext();

    /** The entity {@link #pickNext} would return, left queued; null when none is runnable. */
    SchedEntity peekNext();

    /** True when some entity waits to run. */
    boolean hasRunnable();

    /**
     * How long {@code running} may run before it should give way to the waiting entities, in
     * nanoseconds of CPU time (a deterministic run turns it into an instruction budget).
     */
    long sliceNanos(SchedEntity running);

    /** sched_yield(2) by {@code running}: it goes back into the queue behind its peers. */
    void yield(SchedEntity running);

    /** {@code e}'s policy, priority or nice value changed (queued or not). */
    void changed(SchedEntity e);

    /**
     * {@code e}, picked to run, stopped being runnable without going back into the queue (it
     * blocked, or exited): a class that keeps the running entity in its books lets go of it.
     */
    default void stopped(SchedEntity e) {
    }

    /**
     * {@code running} was stopped before the end of its turn because a better entity became
     * runnable: real-time classes put it back at the head of its priority (sched(7)); the
     * default queues it as any other.
     */
    default void preempted(SchedEntity running) {
        enqueue(running);
    }

    /**
     * Whether {@code woken}, just made runnable, must take the CPU from {@code running} now
     * rather than at the end of its turn (wakeup preemption).
     */
    default boolean preempts(SchedEntity woken, SchedEntity running) {
        return false;
    }

    /**
     * Whether some waiting entity should take the CPU from {@code running} once its turn is over
     * (a FIFO task has no turn to end and yields only to a better priority).
     */
    default boolean othersWaiting(SchedEntity running) {
        return hasRunnable();
    }

    /**
     * The time slice sched_rr_get_interval(2) reports for {@code e}, in nanoseconds: none (0)
     * for SCHED_FIFO, which runs until it blocks or yields; otherwise the slice this class gives
     * (Linux's get_rr_interval: RR_TIMESLICE for SCHED_RR, the fair slice for the fair
     * policies). A class whose RR slice differs from its other slices overrides it.
     */
    default long rrIntervalNanos(SchedEntity e) {
        return e.policy == SchedEntity.SCHED_FIFO ? 0 : sliceNanos(e);
    }

    /**
     * When the earliest entity held back by its group's bandwidth (cpu.max) may run again, on the
     * groups' clock; Long.MAX_VALUE when none is held back. A run queue with nothing else to run
     * waits until then.
     */
    default long throttledUntil() {
        return Long.MAX_VALUE;
    }
}
