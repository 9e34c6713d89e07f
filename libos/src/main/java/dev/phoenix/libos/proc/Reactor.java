package dev.phoenix.libos.proc;

import dev.phoenix.emu.host.HostOs;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Readiness of host descriptors (the terminal or pipes Phoenix was given as stdin, stdout and
 * stderr; host sockets next): one daemon thread polls every descriptor a task waits on and wakes
 * that descriptor's {@link WaitQueue} when it is ready, so no host thread ever blocks inside a
 * guest's read. A watch is one-shot: a task that still has to wait watches again.
 */
public final class Reactor implements AutoCloseable {
    private static final short POLLIN = 1;

    private record Key(int fd, int events) {}

    /** @GuardedBy("this") */
    private final Map<Key, WaitQueue> watched = new HashMap<>();
    private final int bell;
    private volatile boolean closed;
    /** @GuardedBy("this") */
    private Thread thread;

    /** A reactor; its thread starts with the first watch. */
    public Reactor() {
        int fd;
        try {
            fd = HostOs.eventfd();
        } catch (HostOs.HostError e) {
            fd = -1;
        }
        bell = fd;
    }

    /** True when {@code fd} is ready for {@code events} now (an error or hang-up counts: the call that follows reports it). */
    public static boolean ready(int fd, int events) {
        return revents(fd, events) != 0;
    }

    /** poll(2)'s revents of {@code fd} for {@code events} now, without waiting; POLLERR (8) when the host refuses the poll. */
    public static int revents(int fd, int events) {
        try {
            return HostOs.poll(new int[] {fd}, new short[] {(short) events}, 0)[0] & 0xffff;
        } catch (HostOs.HostError e) {
            return 8; // POLLERR: let the read or write itself report it
        }
    }

    /** The queue woken once host {@code fd} is ready for {@code events} (POLLIN 1, POLLOUT 4). */
    public WaitQueue watch(int fd, int events) {
        WaitQueue q;
        synchronized (this) {
            q = watched.computeIfAbsent(new Key(fd, events), k -> new WaitQueue());
            if (thread == null && bell >= 0) {
                thread = Thread.ofPlatform().daemon().name("phoenix-reactor").start(this::loop);
            }
        }
        ring();
        return q;
    }

    private void ring() {
        if (bell >= 0) {
            try {
                HostOs.write(bell, ONE, 0, 8);
            } catch (HostOs.HostError e) {
                // the counter is full: the thread is being woken anyway
            }
        }
    }

    private static final byte[] ONE = {1, 0, 0, 0, 0, 0, 0, 0};

    private void loop() {
        byte[] drain = new byte[8];
        while (!closed) {
            List<Key> keys;
            synchronized (this) {
                keys = new ArrayList<>(watched.keySet());
            }
            int[] fds = new int[keys.size() + 1];
            short[] events = new short[fds.length];
            fds[0] = bell;
            events[0] = POLLIN;
            for (int i = 0; i < keys.size(); i++) {
                fds[i + 1] = keys.get(i).fd();
                events[i + 1] = (short) keys.get(i).events();
            }
            short[] revents;
            try {
                revents = HostOs.poll(fds, events, -1);
            } catch (HostOs.HostError e) {
                continue; // EINTR
            }
            if (revents[0] != 0) {
                try {
                    HostOs.read(bell, drain, 0, 8);
                } catch (HostOs.HostError e) {
                    // drained already
                }
            }
            for (int i = 0; i < keys.size(); i++) {
                if (revents[i + 1] != 0) {
                    WaitQueue q;
                    synchronized (this) {
                        q = watched.remove(keys.get(i));
                    }
                    if (q != null) {
                        q.wakeAll();
                    }
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        ring();
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (bell >= 0) {
            HostOs.close(bell);
        }
    }
}
