package dev.phoenix.net.host;

import dev.phoenix.emu.host.HostNet;
import dev.phoenix.emu.host.HostOs;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.WaitQueue;
import dev.phoenix.net.Socket;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host network (host mode, Phoenix's default): guest AF_INET and AF_INET6 sockets are host
 * sockets, so a guest server is reachable from host programs and a guest client reaches host
 * servers, with the host kernel's TCP/IP and its exact errors. Each host socket is non-blocking
 * and registered, edge-triggered, with one host epoll instance; a daemon thread waits on it and
 * wakes the socket's readiness queue at every edge, which is when the guest's waits, poll and
 * epoll look again, as Linux wakes a socket's wait queue.
 */
public final class HostNetwork implements dev.phoenix.net.Network, AutoCloseable {
    private static final int EPOLLIN = 1, EPOLLPRI = 2, EPOLLOUT = 4, EPOLLRDHUP = 0x2000, EPOLLET = 1 << 31;
    private static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2;
    private static final int SOCK_NONBLOCK = 04000, SOCK_CLOEXEC = 02000000;

    private final Clock clock;
    private final Map<Integer, WaitQueue> queues = new ConcurrentHashMap<>();
    /** The host epoll instance, made with the first socket; -1 before. @GuardedBy("this") */
    private int epoll = -1;
    private volatile boolean closed;

    public HostNetwork(Clock clock) {
        this.clock = clock;
    }

    /**
     * socket(2) on the host for AF_INET or AF_INET6: the host's checks of type and protocol
     * decide (ESOCKTNOSUPPORT, EPROTONOSUPPORT, EACCES for a raw socket without the capability).
     */
    @Override
    public Socket open(int family, int type, int protocol, boolean nonBlocking) {
        int fd;
        try {
            fd = HostNet.socket(family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
        } catch (HostOs.HostError e) {
            throw Errno.of(e.errno());
        }
        return adopt(fd, family, type, protocol, nonBlocking);
    }

    /** A guest socket for host socket {@code fd} (made non-blocking), registered for readiness. */
    HostSocket adopt(int fd, int family, int type, int protocol, boolean nonBlocking) {
        HostSocket s = new HostSocket(this, clock, fd, family, type, protocol, nonBlocking);
        try {
            register(fd, s.readiness());
        } catch (Errno e) {
            HostOs.close(fd);
            throw e;
        }
        return s;
    }

    private void register(int fd, WaitQueue q) {
        int ep;
        synchronized (this) {
            if (epoll < 0) {
                try {
                    epoll = HostNet.epollCreate();
                } catch (HostOs.HostError e) {
                    throw Errno.of(e.errno());
                }
                Thread.ofPlatform().daemon().name("phoenix-net").start(this::loop);
            }
            ep = epoll;
        }
        queues.put(fd, q);
        try {
            HostNet.epollCtl(ep, EPOLL_CTL_ADD, fd, EPOLLIN | EPOLLOUT | EPOLLPRI | EPOLLRDHUP | EPOLLET, fd);
        } catch (HostOs.HostError e) {
            queues.remove(fd);
            throw Errno.of(e.errno());
        }
    }

    /** Forgets host socket {@code fd} and closes it. */
    void close(int fd) {
        int ep;
        synchronized (this) {
            ep = epoll;
        }
        try {
            HostNet.epollCtl(ep, EPOLL_CTL_DEL, fd, 0, 0);
        } catch (HostOs.HostError e) {
            // closing removes it anyway
        }
        queues.remove(fd);
        HostOs.close(fd);
    }

    private void loop() {
        long[] ready = new long[256];
        int ep;
        synchronized (this) {
            ep = epoll;
        }
        while (!closed) {
            int n;
            try {
                n = HostNet.epollWait(ep, ready, 500);
            } catch (HostOs.HostError e) {
                continue; // EINTR
            }
            for (int i = 0; i < n; i++) {
                WaitQueue q = queues.get((int) ready[i]);
                if (q != null) {
                    q.wakeAll();
                }
            }
        }
        HostOs.close(ep);
    }

    /** Ends the epoll thread within its half-second wait, which then closes the epoll instance. */
    @Override
    public void close() {
        closed = true;
    }
}
