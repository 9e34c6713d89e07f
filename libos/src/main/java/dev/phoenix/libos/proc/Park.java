package dev.phoenix.libos.proc;

/**
 * Thrown by {@link Task#block} when the calling task must wait: the dispatcher catches it, puts
 * the task's PC back on its syscall instruction and stops the engine, and the runner runs
 * another task. When the task is woken the syscall runs again, and the wait it made first
 * (its deadline, whether it was woken) is what {@link Task#block} answers then. One instance,
 * without a stack trace: parking is ordinary control flow.
 */
public final class Park extends RuntimeException {
    static final Park INSTANCE = new Park();

    private Park() {
        super("task parked", null, false, false);
    }
}
