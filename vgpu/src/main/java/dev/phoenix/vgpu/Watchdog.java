package dev.phoenix.vgpu;

/**
 * A job's timeout as an executor sees it (a GPU's watchdog): a dispatch polls {@link #expired}
 * and stops when it comes true, leaving the buffers as they are.
 */
@FunctionalInterface
public interface Watchdog {
    /** True once the job must stop: it ran past the context's job timeout, or the context closed. */
    boolean expired();

    /**
     * The device begins the dispatch now: the time before (waiting for a device that another
     * context holds or that is being restarted after a lost job) does not count against the job.
     */
    default void started() { }
}
