package dev.phoenix.libos.proc;

import dev.phoenix.emu.host.HostOs;
import dev.phoenix.libos.Errno;

/**
 * Waits for a host descriptor (a terminal or pipe Phoenix was given as stdin, stdout or stderr)
 * that a signal to the waiting task ends, as Linux's interruptible waits end: the thread polls
 * the descriptor together with an eventfd that {@link Task#post} rings, so that SIGINT from the
 * terminal, or an alarm, reaches a guest blocked in read(2) of its terminal. Without a current
 * task (a thread that runs no guest) the caller blocks in the host call as before.
 */
public final class HostWaits {
    private HostWaits() {}

    /** poll(2)'s POLLIN and POLLOUT. */
    public static final int POLLIN = 1, POLLOUT = 4;

    private static final class Bell {
        static final int FD = open();

        private static int open() {
            try {
                return HostOs.eventfd();
            } catch (HostOs.HostError e) {
                return -1; // no eventfd: waits cannot be interrupted, as before
            }
        }
    }

    /** Set once a waiter has made the eventfd: until then nobody needs ringing. */
    private static volatile boolean armed;

    /** Rings the bell: every host wait in progress looks again at its task's signals. */
    static void wake() {
        if (armed && Bell.FD >= 0) {
            try {
                HostOs.write(Bell.FD, ONE, 0, 8);
            } catch (HostOs.HostError e) {
                // the counter is full: waiters are being woken anyway
            }
        }
    }

    private static final byte[] ONE = {1, 0, 0, 0, 0, 0, 0, 0};

    /**
     * Blocks until host descriptor {@code fd} is ready for {@code events} ({@link #POLLIN} or
     * {@link #POLLOUT}; an error or hang-up counts as ready: the call that follows reports it).
     * Throws ERESTARTSYS when a signal is, or becomes, deliverable to the calling task.
     */
    public static void await(int fd, int events) {
        Task task = Task.current();
        if (task == null) {
            return;
        }
        armed = true;
        int bell = Bell.FD;
        if (bell < 0) {
            return;
        }
        byte[] drain = new byte[8];
        while (true) {
            if (task.deliverable() != 0) {
                throw Errno.of(Errno.ERESTARTSYS);
            }
            int ready;
            try {
                ready = HostOs.poll2(fd, events, bell);
            } catch (HostOs.HostError e) {
                if (e.errno() == Errno.EINTR) {
                    continue;
                }
                return; // let the read or write itself report the error
            }
            if ((ready & 0xffff) != 0) {
                return;
            }
            try {
                HostOs.read(bell, drain, 0, 8);
            } catch (HostOs.HostError e) {
                // another waiter drained it
            }
        }
    }
}
