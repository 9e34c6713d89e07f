package dev.phoenix.libos.sched;

/**
 * What a {@link Scheduler} knows of one task: its policy, priorities and accounting. The task
 * itself is {@link #owner}, opaque here, so that scheduling classes need nothing of the kernel.
 */
public final class SchedEntity {
    /** sched(7) policies, as Linux numbers them. */
    public static final int SCHED_OTHER = 0, SCHED_FIFO = 1, SCHED_RR = 2, SCHED_BATCH = 3, SCHED_IDLE = 5;

    private final Object owner;
    /** sched_setscheduler(2) policy and real-time priority (1-99 for FIFO and RR, else 0). */
    public int policy = SCHED_OTHER;
    public int rtPriority;
    /** The nice value, -20..19. */
    public int nice;
    /** Nanoseconds this entity has run on a CPU, all told (the runner adds each slice). */
    public long runtimeNanos;
    /** Context switches: voluntary (it blocked or yielded) and involuntary (it was preempted). */
    public long voluntarySwitches, involuntarySwitches;
    /** True while it sits in its scheduler's run queue. */
    boolean queued;

    public SchedEntity(Object owner) {
        this.owner = owner;
    }

    /** The task this entity schedules. */
    public Object owner() {
        return owner;
    }

    public boolean isQueued() {
        return queued;
    }
}
