package dev.phoenix.libos.fs;

import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.libos.proc.WaitQueue;
import java.util.function.BooleanSupplier;

/**
 * How a read or write of a file waits for the other side (a pipe's, a pseudo-terminal's, an
 * eventfd's, a timerfd's): the calling task blocks on the file's wait queue until {@code ready}
 * holds, and a signal for it ends the wait with ERESTARTSYS, as pipe_read, n_tty_read and
 * eventfd_read return it. Without a run queue (a test driving the dispatcher) the thread sleeps
 * a little in place on the file's monitor and lets the caller look again.
 */
public final class FileWaits {
    private FileWaits() {}

    /**
     * Waits until {@code ready} holds, on {@code queue}, or until {@code deadline} (the clock's
     * monotonic ns; Long.MAX_VALUE for none, and then {@code clock} may be null). {@code done} is
     * what a write has put through so far, kept if the task parks. Returns READY or TIMED_OUT.
     */
    public static Task.Wait await(Object monitor, WaitQueue queue, BooleanSupplier ready, long deadline, long done,
            Clock clock) {
        Task task = Task.current();
        if (task == null) {
            synchronized (monitor) {
                try {
                    if (!ready.getAsBoolean()) {
                        monitor.wait(10);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw Errno.of(Errno.EINTR);
                }
            }
            return deadline != Long.MAX_VALUE && clock.monotonicNanos() - deadline >= 0 ? Task.Wait.TIMED_OUT
                    : Task.Wait.READY;
        }
        task.setProgress(task.writeBase + done);
        Task.Wait w = task.block(deadline, ready, queue);
        if (w == Task.Wait.SIGNALED) {
            throw Errno.of(Errno.ERESTARTSYS);
        }
        return w;
    }
}
