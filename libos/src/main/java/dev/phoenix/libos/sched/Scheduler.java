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

    /** True when some entity waits to run. */
    boolean hasRunnable();

    /**
     * How long {@code running} may run before it should give way to the waiting entities, in
     * nanoseconds of CPU time (a deterministic run turns it into an instruction budget).
     */
    long sliceNanos(SchedEntity running);

    /** sched_yield(2) by {@code running}: it goes back into the queue behind its peers. */
    void yield(SchedEntity running);

    /** {@code e}'s policy, priority or nice value changed. */
    void changed(SchedEntity e);
}
