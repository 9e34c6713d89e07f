package dev.phoenix.libos.sched;

/**
 * What a {@link Scheduler} knows of one task: its policy, priorities and accounting. The task
 * itself is {@link #owner}, opaque here, so that scheduling classes need nothing of the kernel.
 *
 * <p>Priorities use Linux's kernel numbering (include/linux/sched/prio.h), where lower runs
 * first: 0-98 are real-time ({@code 99 - rtPriority}), 100-139 are the fair class
 * ({@code 120 + nice}). A task blocked on a priority-inheritance lock lends its priority to the
 * owner ({@link #inheritedPrio}); {@link #prio()} is the better of the two.
 */
public final class SchedEntity {
    /** sched(7) policies, as Linux numbers them. */
    public static final int SCHED_OTHER = 0, SCHED_FIFO = 1, SCHED_RR = 2, SCHED_BATCH = 3, SCHED_IDLE = 5,
            SCHED_DEADLINE = 6;
    /** The first fair-class priority: below it a task is real-time. */
    public static final int MAX_RT_PRIO = 100;
    /** No inherited priority. */
    public static final int NO_PRIO = Integer.MAX_VALUE;

    private final Object owner;
    /** sched_setscheduler(2) policy and real-time priority (1-99 for FIFO and RR, else 0). */
    public volatile int policy = SCHED_OTHER;
    public volatile int rtPriority;
    /** The nice value, -20..19. */
    public volatile int nice;
    /** SCHED_RESET_ON_FORK: children start as SCHED_OTHER with nice 0 at most. */
    public volatile boolean resetOnFork;
    /**
     * The best priority lent by tasks blocked on priority-inheritance locks this one holds
     * (kernel numbering), or {@link #NO_PRIO}. The PI code sets it and tells the run queue.
     */
    public volatile int inheritedPrio = NO_PRIO;
    /** Nanoseconds this entity has run on a CPU, all told (the runner adds each slice). */
    public volatile long runtimeNanos;
    /** Context switches: voluntary (it blocked or yielded) and involuntary (it was preempted). */
    public long voluntarySwitches, involuntarySwitches;
    /** True while it sits in its scheduler's run queue. */
    boolean queued;
    /**
     * The cgroup it runs in for the cpu controller (the nearest group with the controller
     * enabled), or null for the root: its weight and bandwidth apply to this entity. The run
     * queue sets it each time the task becomes runnable.
     */
    public volatile SchedGroup group;
    /** Where a scheduling class keeps this entity: its own state, opaque to others. */
    public Object classData;

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

    /** For scheduling classes outside this package: marks the entity queued or not. */
    public void setQueued(boolean queued) {
        this.queued = queued;
    }

    public static boolean isRealTimePolicy(int policy) {
        return policy == SCHED_FIFO || policy == SCHED_RR;
    }

    /** The priority its own policy gives it (Linux's normal_prio). */
    public int normalPrio() {
        int p = policy;
        return isRealTimePolicy(p) ? MAX_RT_PRIO - 1 - rtPriority : 120 + nice;
    }

    /** The priority it runs at: its own, or a better one inherited (Linux's prio). */
    public int prio() {
        return Math.min(normalPrio(), inheritedPrio);
    }

    /** True when it runs in a real-time class, by its policy or by inheritance. */
    public boolean isRealTime() {
        return prio() < MAX_RT_PRIO;
    }
}
