package dev.phoenix.net.host;

import dev.phoenix.emu.host.HostNet;
import dev.phoenix.emu.host.HostOs;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileWaits;
import dev.phoenix.libos.fs.PollEvents;
import dev.phoenix.libos.proc.Reactor;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.net.Ancillary;
import dev.phoenix.net.Socket;

/**
 * A guest socket that is a host socket (host mode): every call is the host's, made without
 * blocking, and a call that would block waits on the socket's readiness queue, which the host
 * network's epoll thread wakes at each edge, then tries again. So the guest sees the host
 * kernel's TCP/IP with its exact errors, while its waits are Phoenix's: a signal ends them, and
 * O_NONBLOCK, MSG_DONTWAIT, SO_RCVTIMEO and SO_SNDTIMEO are kept here, not on the host socket.
 */
final class HostSocket extends Socket {
    private static final int POLLIN = PollEvents.POLLIN, POLLOUT = PollEvents.POLLOUT, POLLPRI = PollEvents.POLLPRI;
    private static final int SOCK_NONBLOCK = 04000, SOCK_CLOEXEC = 02000000;
    /** The flags passed to the host as the guest gave them; waiting and signals are Phoenix's. */
    private static final int PASSED_RECEIVE = MSG_OOB | MSG_PEEK | MSG_TRUNC, PASSED_SEND = MSG_OOB | MSG_DONTROUTE
            | MSG_EOR | 0x8000 /* MSG_MORE */ | 0x800 /* MSG_CONFIRM */;
    private static final int MSG_ERRQUEUE = 0x2000;
    /** Linux's MAX_RW_COUNT: the most one read, write or sendfile moves. */
    private static final long MAX_RW_COUNT = 0x7ffff000L;

    private final HostNetwork network;
    private final int fd, protocol;
    /** A blocking connect waits for its end: set while it waits (a wait parks the call, which runs again). */
    private volatile boolean connecting;
    /** @GuardedBy("this") datagrams Phoenix's kernel sent a host netlink socket, read before the host's. */
    private final java.util.ArrayDeque<byte[]> fromKernel = new java.util.ArrayDeque<>();

    HostSocket(HostNetwork network, Clock clock, int fd, int family, int type, int protocol, boolean nonBlocking) {
        super(clock, family, type, nonBlocking);
        this.network = network;
        this.fd = fd;
        this.protocol = protocol;
    }



    @Override
    public int protocol() {
        return protocol;
    }

    private static Errno host(HostOs.HostError e) {
        return Errno.of(e.errno());
    }

    /** A host call that returns a value or fails with the host's errno. */
    @FunctionalInterface
    private interface HostCall<T> {
        T call() throws HostOs.HostError;
    }

    /** Runs {@code c}, its host errno thrown as the guest's. */
    private static <T> T host(HostCall<T> c) {
        try {
            return c.call();
        } catch (HostOs.HostError e) {
            throw host(e);
        }
    }

    /**
     * After a send or receive moved {@code done} bytes and the host said EAGAIN: waits until the
     * socket is ready for {@code events} and says to try again (true), or says to end the call
     * with the short count (false). With nothing moved, the error is thrown instead: EAGAIN for a
     * non-blocking call or a timeout, ERESTARTSYS for a signal.
     */
    private boolean awaitMore(int events, boolean receiving, int done, int flags) {
        if (nonBlocking(flags)) {
            if (done > 0) {
                return false;
            }
            throw Errno.of(Errno.EAGAIN);
        }
        boolean ready;
        try {
            ready = await(events, deadline(receiving), done);
        } catch (Errno e) {
            if (done > 0) {
                return false; // a signal after some bytes: a short count
            }
            throw e;
        }
        if (!ready && done == 0) {
            throw Errno.of(Errno.EAGAIN);
        }
        return ready;
    }

    /**
     * Waits until the host socket is ready for {@code events} (or in error), until {@code
     * deadline}; {@code done} is what a send or receive has moved so far, kept if the task parks.
     * False when the deadline passed.
     */
    private boolean await(int events, long deadline, int done) {
        return FileWaits.await(this, changed, () -> Reactor.ready(fd, events), deadline, done, clock)
                != Task.Wait.TIMED_OUT;
    }

    @Override
    public void bind(byte[] address, Caller caller) {
        host(() -> {
            HostNet.bind(fd, address);
            return null;
        });
    }

    @Override
    public void listen(int backlog, Caller caller) {
        cachedGeneration = -1;
        host(() -> {
            HostNet.listen(fd, backlog);
            return null;
        });
    }

    @Override
    protected boolean listening() {
        return false; // SO_ACCEPTCONN is the host's (see option)
    }

    @Override
    public Socket accept(boolean nonBlocking) {
        while (true) {
            cachedGeneration = -1;
            try {
                int s = HostNet.accept4(fd, SOCK_NONBLOCK | SOCK_CLOEXEC);
                return network.adopt(s, family(), type(), protocol, nonBlocking);
            } catch (HostOs.HostError e) {
                if (e.errno() != Errno.EAGAIN) {
                    throw host(e);
                }
            }
            if (nonBlocking(0) || !await(POLLIN, deadline(true), 0)) {
                throw Errno.of(Errno.EAGAIN);
            }
        }
    }

    /**
     * connect(2): the host's connect of a non-blocking socket says EINPROGRESS for TCP, which a
     * guest's non-blocking socket gets as it is; a blocking one waits for the socket to become
     * writable, then reports SO_ERROR (0, or ECONNREFUSED, ETIMEDOUT...).
     */
    @Override
    public void connect(byte[] address, Caller caller) {
        cachedGeneration = -1;
        if (!connecting) {
            try {
                HostNet.connect(fd, address);
                return;
            } catch (HostOs.HostError e) {
                if (e.errno() != Errno.EINPROGRESS || nonBlocking(0)) {
                    throw host(e);
                }
            }
            connecting = true;
        }
        try {
            if (!await(POLLOUT, deadline(false), 0)) {
                connecting = false;
                throw Errno.of(Errno.EINPROGRESS); // SO_SNDTIMEO ran out, as Linux's inet_stream_connect says
            }
        } catch (Errno e) {
            if (Errno.isRestart(e.errno())) {
                connecting = false; // a signal: the connection goes on in the background (EINTR, then EALREADY)
            }
            throw e;
        }
        connecting = false;
        int err = hostError();
        if (err != 0) {
            throw Errno.of(err);
        }
    }

    /** SO_ERROR of the host socket, taking it. */
    private int hostError() {
        try {
            byte[] v = HostNet.getsockopt(fd, SOL_SOCKET, SO_ERROR, 4);
            return v.length < 4 ? 0 : intOf(v);
        } catch (HostOs.HostError e) {
            return e.errno();
        }
    }

    @Override
    public byte[] localAddress() {
        return host(() -> HostNet.getsockname(fd));
    }

    @Override
    public byte[] peerAddress() {
        return host(() -> HostNet.getpeername(fd));
    }

    @Override
    public int send(byte[] data, int offset, int length, byte[] address, Ancillary rights, int flags, Caller caller) {
        if (rights != null) {
            rights.release();
            throw Errno.of(Errno.EINVAL);
        }
        int hostFlags = (flags & PASSED_SEND) | MSG_DONTWAIT | MSG_NOSIGNAL;
        return transfer(length, type() == SOCK_STREAM, flags,
                done -> HostNet.send(fd, data, offset + done, length - done, hostFlags, address));
    }

    /** One host call that moves bytes, given how many the call has moved already. */
    @FunctionalInterface
    private interface Transfer {
        int from(int done) throws HostOs.HostError;
    }

    /**
     * A send's loop: {@code op} until {@code length} bytes went out ({@code whole}: a stream, or
     * sendfile) or once (a datagram), waiting for room after EAGAIN. A call that parks runs
     * again and skips what went out before ({@link Task#writtenBefore}); a host call that moves
     * nothing (the end of sendfile's file) ends it; an error after some bytes is a short count.
     */
    private int transfer(int length, boolean whole, int flags, Transfer op) {
        Task task = Task.current();
        int done = whole && task != null ? task.writtenBefore(length) : 0;
        while (true) {
            if (whole && done >= length && length > 0) {
                return done; // all of it went out before the call parked (a later chunk parked it)
            }
            cachedGeneration = -1;
            try {
                int n = op.from(done);
                done += n;
                if (!whole || done >= length || n == 0) {
                    return done;
                }
                continue;
            } catch (HostOs.HostError e) {
                if (e.errno() != Errno.EAGAIN) {
                    if (done > 0) {
                        return done;
                    }
                    throw host(e);
                }
            }
            if (!awaitMore(POLLOUT, false, done, flags)) {
                return done;
            }
        }
    }

    @Override
    public boolean sendsHostFiles() {
        return type() == SOCK_STREAM;
    }

    /** The host's sendfile into this socket, waiting for room as {@link #send} does (a call that parks runs again). */
    @Override
    public long sendHostFile(int in, long position, long count) {
        int length = (int) Math.min(count, MAX_RW_COUNT);
        return transfer(length, true, 0, done -> HostNet.sendfile(fd, in, position + done, length - done));
    }

    /**
     * A host netlink socket takes datagrams from Phoenix's kernel too (a POSIX message queue's
     * SIGEV_THREAD cookie): the host kernel cannot send them, so they wait here for the next read.
     */
    @Override
    public void deliverFromKernel(byte[] datagram) {
        if (family() != 16) { // AF_NETLINK
            super.deliverFromKernel(datagram); // EINVAL
            return;
        }
        synchronized (this) {
            fromKernel.add(datagram.clone());
        }
        changed.wakeAll();
    }

    /** The next datagram from Phoenix's kernel (MSG_PEEK leaves it), or null. */
    private synchronized byte[] takeFromKernel(int flags) {
        return (flags & MSG_PEEK) != 0 ? fromKernel.peek() : fromKernel.poll();
    }

    @Override
    public Received receive(Sink sink, int length, int flags) {
        if ((flags & MSG_ERRQUEUE) != 0) {
            throw Errno.of(Errno.EAGAIN); // no error queue is kept (IP_RECVERR is not passed on)
        }
        byte[] k = takeFromKernel(flags);
        if (k != null) {
            int n = Math.min(length, k.length);
            sink.put(0, k, 0, n);
            return new Received((flags & MSG_TRUNC) != 0 ? k.length : n, new byte[] {16, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0}, null, null, k.length > length ? MSG_TRUNC : 0); // from the kernel: nl_pid 0
        }
        boolean waitAll = (flags & MSG_WAITALL) != 0 && (flags & MSG_PEEK) == 0 && type() == SOCK_STREAM;
        Task task = Task.current();
        int done = waitAll && task != null ? task.writtenBefore(length) : 0;
        byte[] from = null;
        while (true) {
            cachedGeneration = -1;
            try {
                HostNet.Received r = HostNet.receive(fd, length - done, (flags & PASSED_RECEIVE) | MSG_DONTWAIT);
                int copied = r.data().length;
                sink.put(done, r.data(), 0, copied);
                if (from == null) {
                    from = r.from();
                }
                if (!waitAll || r.length() == 0 || done + copied >= length) {
                    return new Received(waitAll ? done + copied : r.length(), from, null, null, r.flags());
                }
                done += copied;
                continue;
            } catch (HostOs.HostError e) {
                if (e.errno() != Errno.EAGAIN) {
                    if (done > 0) {
                        return new Received(done, from, null, null, 0);
                    }
                    throw host(e);
                }
            }
            if (!awaitMore(POLLIN | POLLPRI, true, done, flags)) {
                return new Received(done, from, null, null, 0);
            }
        }
    }

    @Override
    public void shutdown(int how) {
        host(() -> {
            HostNet.shutdown(fd, how);
            return null;
        });
        changed.wakeAll();
    }

    @Override
    public int bytesToRead() {
        return ioctlInt(0x541B); // FIONREAD
    }

    @Override
    public int bytesUnsent() {
        return ioctlInt(0x5411); // SIOCOUTQ
    }

    private int ioctlInt(long request) {
        byte[] v = new byte[4];
        int r = HostOs.ioctl(fd, request, v);
        if (r < 0) {
            throw Errno.of(-r);
        }
        return intOf(v);
    }

    /**
     * The readiness queue's generation when {@link #cachedEvents} were read, or -1: the host's
     * events can only change at an edge the host epoll reports (which wakes the queue) or by a
     * call on this socket (which forgets them), so an idle socket in a large poll set costs no
     * host poll.
     */
    private volatile long cachedGeneration = -1;
    private volatile int cachedEvents;

    /** The host's poll events, as a socket's poll method gives them. */
    @Override
    public int pollEvents() {
        long g = changed.generation();
        if (g == cachedGeneration) {
            return cachedEvents;
        }
        int events = Reactor.revents(fd, POLLIN | POLLOUT | POLLPRI | POLLRDHUP);
        synchronized (this) {
            if (!fromKernel.isEmpty()) {
                events |= POLLIN | PollEvents.POLLRDNORM;
            }
        }
        cachedEvents = events;
        cachedGeneration = g;
        return events;
    }

    private static boolean timeout(int level, int name) {
        return level == SOL_SOCKET && (name == SO_RCVTIMEO_OLD || name == SO_RCVTIMEO_NEW || name == SO_SNDTIMEO_OLD
                || name == SO_SNDTIMEO_NEW);
    }

    /** The host's option, but for the timeouts, which Phoenix's waits keep. */
    @Override
    public byte[] option(int level, int name) {
        if (timeout(level, name)) {
            return super.option(level, name);
        }
        return host(() -> HostNet.getsockopt(fd, level, name, 512));
    }

    @Override
    public void setOption(int level, int name, byte[] value, Caller caller) {
        if (timeout(level, name)) {
            super.setOption(level, name, value, caller);
            return;
        }
        host(() -> {
            HostNet.setsockopt(fd, level, name, value);
            return null;
        });
        changed.wakeAll();
    }

    @Override
    public void release() {
        network.close(fd);
    }
}
