package dev.phoenix.net.unix;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileWaits;
import dev.phoenix.libos.fs.PollEvents;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.net.Ancillary;
import dev.phoenix.net.Socket;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * An AF_UNIX socket (unix(7)): a stream, datagram or seqpacket socket whose messages go from one
 * socket's send call straight into the receiving socket's queue, inside the JVM, as Linux's
 * af_unix.c queues skbs on the peer. Each queued segment keeps its sender, its sender's address
 * and credentials, and the descriptors sent with it.
 *
 * <p>What Linux does, and so this does: a stream read joins segments but stops after one that
 * carried descriptors (and, with SO_PASSCRED, where the credentials change); a connection exists
 * from connect() on (the listener queues the server end, which already receives); closing a socket
 * with unread bytes resets its peer (ECONNRESET once, then end of file); a sender may have
 * {@code SO_SNDBUF} bytes waiting in its peers' queues; a datagram socket's queue holds
 * max_dgram_qlen + 1 datagrams from others. State is guarded by the domain's lock.
 */
public final class UnixSocket extends Socket {
    private enum State { UNCONNECTED, LISTENING, CONNECTED }

    /** What a small datagram costs its sender's buffer beyond its bytes (an skb's truesize overhead). */
    private static final int SEGMENT_OVERHEAD = 576;
    private static final int SOMAXCONN = 4096;

    /** One message or run of stream bytes in a receive queue. */
    private static final class Segment {
        final byte[] data;
        int position;
        final UnixSocket sender;
        final byte[] from;
        final Caller credentials;
        Ancillary rights;
        final int charge;

        Segment(byte[] data, UnixSocket sender, Caller credentials, Ancillary rights) {
            this.data = data;
            this.sender = sender;
            this.from = sender.name != null ? sender.name.sockaddr() : null;
            this.credentials = credentials;
            this.rights = rights;
            this.charge = data.length + (sender.type() == SOCK_STREAM ? 0 : SEGMENT_OVERHEAD);
        }

        int left() {
            return data.length - position;
        }
    }

    private final UnixDomain domain;
    /** @GuardedBy("domain") */
    private State state = State.UNCONNECTED;
    private UnixDomain.Name name;
    private Object fileKey;
    private UnixSocket peer;
    /** The peer's credentials when the connection was made (SO_PEERCRED), and this socket's own, given to peers. */
    private Caller peerCredentials, ownCredentials;
    private final ArrayDeque<Segment> queue = new ArrayDeque<>();
    private final ArrayDeque<UnixSocket> pending = new ArrayDeque<>();
    private int backlog;
    private boolean receiveShut, sendShut, dead;
    /** sk_wmem_alloc: what this socket's segments waiting in receive queues cost. */
    private int charged;
    /** Woken when a datagram leaves this socket's queue or the socket closes: senders waiting for room wait here. */
    private final dev.phoenix.libos.proc.WaitQueue peerWait = new dev.phoenix.libos.proc.WaitQueue();

    /**
     * The network namespace the socket was made in (Linux's sock_net): abstract names are looked
     * up and bound in it. Any object that tells namespaces apart; null for a domain without them.
     */
    final Object namespace;

    UnixSocket(UnixDomain domain, int type, boolean nonBlocking, Object namespace) {
        super(domain.clock, AF_UNIX, type, nonBlocking);
        this.domain = domain;
        this.namespace = namespace;
    }



    @Override
    public int protocol() {
        return 0;
    }

    private boolean connectionBased() {
        return type() != SOCK_DGRAM;
    }

    boolean isDead() {
        return dead;
    }

    /** Makes this socket's peer {@code other} (a socketpair, or connect's two ends). Under the domain lock. */
    void connectTo(UnixSocket other, Caller own, Caller theirs) {
        peer = other;
        state = State.CONNECTED;
        ownCredentials = own;
        peerCredentials = theirs;
    }

    @Override
    protected Caller peerCredentials() {
        synchronized (domain) {
            return peerCredentials;
        }
    }

    @Override
    protected boolean listening() {
        synchronized (domain) {
            return state == State.LISTENING;
        }
    }

    // ---- names ----

    @Override
    public void bind(byte[] address, Caller caller) {
        if (address.length == UnixDomain.SUN_PATH && address[0] == AF_UNIX && address[1] == 0) {
            synchronized (domain) {
                if (name != null) {
                    throw Errno.of(Errno.EINVAL);
                }
                autobind();
            }
            return;
        }
        UnixDomain.Name n = UnixDomain.parse(address);
        if (n.path() == null) {
            synchronized (domain) {
                if (name != null) {
                    throw Errno.of(Errno.EINVAL);
                }
                domain.register(this, n, null);
                name = n;
            }
            return;
        }
        // unix_bind_bsd makes the file first (so an existing name is EADDRINUSE even for a bound
        // socket), outside the lock since it is file system work, and removes it again if the
        // socket turns out to be bound already
        Object key = caller.files().create(n.path());
        synchronized (domain) {
            if (name == null) {
                domain.register(this, n, key);
                name = n;
                fileKey = key;
                return;
            }
        }
        caller.files().remove(n.path());
        throw Errno.of(Errno.EINVAL);
    }

    /** Binds an unnamed socket to the next free abstract name. Under the domain lock. */
    private void autobind() {
        UnixDomain.Name n = domain.autobindName(namespace);
        domain.register(this, n, null);
        name = n;
    }

    @Override
    public byte[] localAddress() {
        synchronized (domain) {
            return name != null ? name.sockaddr().clone() : unnamed();
        }
    }

    @Override
    public byte[] peerAddress() {
        synchronized (domain) {
            if (peer == null || (connectionBased() && state != State.CONNECTED)) {
                throw Errno.of(Errno.ENOTCONN);
            }
            return peer.name != null ? peer.name.sockaddr().clone() : unnamed();
        }
    }

    /** The address of a socket without a name: sun_family only. */
    private static byte[] unnamed() {
        return new byte[] {(byte) AF_UNIX, 0};
    }

    // ---- connections ----

    @Override
    public void listen(int backlog, Caller caller) {
        synchronized (domain) {
            if (!connectionBased()) {
                throw Errno.of(Errno.EOPNOTSUPP);
            }
            if (name == null || state == State.CONNECTED) {
                throw Errno.of(Errno.EINVAL);
            }
            this.backlog = Math.min(Math.max(backlog, 0), SOMAXCONN);
            if (state != State.LISTENING) {
                state = State.LISTENING;
                ownCredentials = caller;
            }
            changed.wakeAll();
        }
    }

    @Override
    public void connect(byte[] address, Caller caller) {
        if (!connectionBased()) {
            connectDatagram(address, caller);
            return;
        }
        UnixDomain.Name target = UnixDomain.parse(address);
        synchronized (domain) {
            checkUnconnected();
            if (passCredentials() && name == null) {
                autobind();
            }
        }
        while (true) {
            UnixSocket listener = domain.find(target, type(), caller, namespace);
            synchronized (domain) {
                checkUnconnected();
                if (listener.state != State.LISTENING || listener.dead) {
                    throw Errno.of(Errno.ECONNREFUSED);
                }
                if (listener.pending.size() <= listener.backlog) {
                    UnixSocket server = new UnixSocket(domain, type(), false, namespace);
                    server.name = listener.name;
                    server.connectTo(this, listener.ownCredentials, caller);
                    connectTo(server, caller, listener.ownCredentials);
                    listener.pending.add(server);
                    listener.changed.wakeAll();
                    changed.wakeAll();
                    return;
                }
                if (nonBlocking(0)) {
                    throw Errno.of(Errno.EAGAIN);
                }
            }
            // unix_wait_for_peer: the backlog is full; wait for an accept (or the listener's end)
            if (await(listener.changed, () -> {
                synchronized (domain) {
                    return listener.dead || listener.state != State.LISTENING
                            || listener.pending.size() <= listener.backlog;
                }
            }, deadline(false), 0) == Task.Wait.TIMED_OUT) {
                throw Errno.of(Errno.EAGAIN);
            }
        }
    }

    /** EISCONN when connected, EINVAL when listening. Under the domain lock. */
    private void checkUnconnected() {
        if (state == State.CONNECTED) {
            throw Errno.of(Errno.EISCONN);
        }
        if (state == State.LISTENING) {
            throw Errno.of(Errno.EINVAL);
        }
    }

    /** connect(2) of a datagram socket: sets its default peer, or dissolves it with AF_UNSPEC. */
    private void connectDatagram(byte[] address, Caller caller) {
        if (address.length < 2) {
            throw Errno.of(Errno.EINVAL);
        }
        if ((address[0] & 0xff | (address[1] & 0xff) << 8) == AF_UNSPEC) {
            synchronized (domain) {
                peer = null;
                state = State.UNCONNECTED;
                changed.wakeAll();
            }
            return;
        }
        UnixDomain.Name target = UnixDomain.parse(address);
        synchronized (domain) {
            if (passCredentials() && name == null) {
                autobind();
            }
        }
        UnixSocket other = domain.find(target, type(), caller, namespace);
        synchronized (domain) {
            if (!mayReceiveFrom(other, this)) {
                throw Errno.of(Errno.EPERM);
            }
            peer = other;
            state = State.CONNECTED;
            peerCredentials = other.ownCredentials;
            ownCredentials = caller;
            changed.wakeAll();
        }
    }

    /** unix_may_send: a datagram socket connected to someone takes datagrams only from that one. */
    private static boolean mayReceiveFrom(UnixSocket receiver, UnixSocket sender) {
        return receiver.peer == null || receiver.peer == sender;
    }

    @Override
    public Socket accept(boolean nonBlocking) {
        while (true) {
            synchronized (domain) {
                if (!connectionBased()) {
                    throw Errno.of(Errno.EOPNOTSUPP);
                }
                if (state != State.LISTENING) {
                    throw Errno.of(Errno.EINVAL);
                }
                UnixSocket s = pending.poll();
                if (s != null) {
                    s.setStatusFlags(nonBlocking ? 04000 : 0);
                    changed.wakeAll(); // a connect waiting for room in the backlog
                    return s;
                }
                if (nonBlocking(0)) {
                    throw Errno.of(Errno.EAGAIN);
                }
            }
            if (await(changed, () -> {
                synchronized (domain) {
                    return !pending.isEmpty() || state != State.LISTENING;
                }
            }, deadline(true), 0) == Task.Wait.TIMED_OUT) {
                throw Errno.of(Errno.EAGAIN);
            }
        }
    }

    @Override
    public void shutdown(int how) {
        synchronized (domain) {
            boolean rd = how != SHUT_WR, wr = how != SHUT_RD;
            receiveShut |= rd;
            sendShut |= wr;
            if (connectionBased() && peer != null) {
                peer.receiveShut |= wr;
                peer.sendShut |= rd;
                peer.changed.wakeAll();
            }
            changed.wakeAll();
        }
    }

    @Override
    public void release() {
        release(false);
    }

    /**
     * unix_release_sock: the socket is gone; its name is free, a connected peer sees the whole
     * connection shut down (and a reset when this end had unread bytes or was never accepted),
     * queued connections are dropped, and descriptors in its queue are released.
     */
    private void release(boolean embryo) {
        java.util.List<Ancillary> drop = new java.util.ArrayList<>();
        synchronized (domain) {
            if (dead) {
                return;
            }
            dead = true;
            domain.unregister(this, name, fileKey);
            for (UnixSocket s; (s = pending.poll()) != null;) {
                s.release(true);
            }
            if (peer != null && connectionBased()) {
                peer.receiveShut = true;
                peer.sendShut = true;
                if (!queue.isEmpty() || embryo) {
                    peer.setError(Errno.ECONNRESET);
                }
                peer.changed.wakeAll();
            }
            if (peer != null) {
                peer.changed.wakeAll();
            }
            peer = null;
            for (Segment s; (s = queue.poll()) != null;) {
                uncharge(s);
                if (s.rights != null) {
                    drop.add(s.rights);
                }
            }
            state = State.UNCONNECTED;
            changed.wakeAll();
            peerWait.wakeAll();
        }
        for (Ancillary a : drop) {
            a.release(); // outside the lock order's way: releasing a file may release another socket
        }
    }

    // ---- sending ----

    @Override
    public int send(byte[] data, int offset, int length, byte[] address, Ancillary rights, int flags, Caller caller) {
        boolean queued = false;
        try {
            int[] sent = {0};
            queued = type() == SOCK_STREAM ? sendStream(data, offset, length, address, rights, flags, caller, sent)
                    : sendDatagram(data, offset, length, address, rights, flags, caller);
            return type() == SOCK_STREAM ? sent[0] : length;
        } finally {
            if (!queued && rights != null) {
                rights.release();
            }
        }
    }

    /** unix_stream_sendmsg; returns whether {@code rights} went into a segment, the count in {@code sent[0]}. */
    private boolean sendStream(byte[] data, int offset, int length, byte[] address, Ancillary rights, int flags,
            Caller caller, int[] sent) {
        if ((flags & MSG_OOB) != 0) {
            throw Errno.of(Errno.EOPNOTSUPP);
        }
        synchronized (domain) {
            if (address != null) {
                throw Errno.of(state == State.CONNECTED ? Errno.EISCONN : Errno.EOPNOTSUPP);
            }
            if (peer == null && !sendShut) {
                throw Errno.of(Errno.ENOTCONN);
            }
        }
        Task task = Task.current();
        int done = task != null ? task.writtenBefore(length) : 0; // what went in before this call parked
        boolean attached = false;
        if (length == 0) {
            return false; // nothing to send: descriptors without bytes are dropped, as Linux's loop never runs
        }
        while (true) {
            if (done >= length) {
                sent[0] = done; // all of it went in before the call parked (a later chunk parked it)
                return attached;
            }
            synchronized (domain) {
                UnixSocket other = peer;
                if (sendShut || other == null || other.dead || other.receiveShut) {
                    if (done > 0) {
                        sent[0] = done;
                        return attached;
                    }
                    throw Errno.of(Errno.EPIPE);
                }
                if (charged < sendBuffer) {
                    int n = Math.min(length - done, Math.max(sendBuffer / 2 - 64, 1));
                    byte[] chunk = java.util.Arrays.copyOfRange(data, offset + done, offset + done + n);
                    Ancillary a = !attached && done == 0 ? rights : null;
                    other.enqueue(new Segment(chunk, this, caller, a));
                    attached |= a != null;
                    done += n;
                    if (done >= length) {
                        sent[0] = done;
                        return attached;
                    }
                    continue;
                }
                if (nonBlocking(flags)) {
                    if (done > 0) {
                        sent[0] = done;
                        return attached;
                    }
                    throw Errno.of(Errno.EAGAIN);
                }
            }
            Task.Wait w;
            try {
                w = await(changed, this::writableForStream, deadline(false), done);
            } catch (Errno e) {
                if (done > 0) {
                    sent[0] = done; // a signal after some bytes went in: a short write
                    return attached;
                }
                throw e;
            }
            if (w == Task.Wait.TIMED_OUT) {
                if (done > 0) {
                    sent[0] = done;
                    return attached;
                }
                throw Errno.of(Errno.EAGAIN);
            }
        }
    }

    private boolean writableForStream() {
        synchronized (domain) {
            return charged < sendBuffer || sendShut || peer == null || peer.dead || peer.receiveShut;
        }
    }

    /** unix_dgram_sendmsg (and unix_seqpacket_sendmsg); returns whether {@code rights} were queued. */
    private boolean sendDatagram(byte[] data, int offset, int length, byte[] address, Ancillary rights, int flags,
            Caller caller) {
        if ((flags & MSG_OOB) != 0) {
            throw Errno.of(Errno.EOPNOTSUPP);
        }
        UnixDomain.Name target = null;
        synchronized (domain) {
            if (type() == SOCK_SEQPACKET) {
                if (state != State.CONNECTED) {
                    throw Errno.of(sendShut ? Errno.EPIPE : Errno.ENOTCONN);
                }
                address = null;
            }
        }
        if (address != null) {
            target = UnixDomain.parse(address);
        }
        synchronized (domain) {
            if (target == null && peer == null) {
                throw Errno.of(type() == SOCK_SEQPACKET ? Errno.EPIPE : Errno.ENOTCONN);
            }
            if (passCredentials() && name == null) {
                autobind();
            }
            if (length > sendBuffer - 32) {
                throw Errno.of(Errno.EMSGSIZE);
            }
        }
        while (true) {
            UnixSocket other;
            if (target != null) {
                other = domain.find(target, type(), caller, namespace);
            } else {
                synchronized (domain) {
                    other = peer;
                }
            }
            synchronized (domain) {
                if (other == null || other.dead) {
                    if (other != null && other == peer) {
                        peer = null; // the peer is gone: the socket is no longer connected
                        state = State.UNCONNECTED;
                    }
                    throw Errno.of(type() == SOCK_SEQPACKET ? Errno.EPIPE : Errno.ECONNREFUSED);
                }
                if (!mayReceiveFrom(other, this)) {
                    throw Errno.of(Errno.EPERM);
                }
                if (sendShut || other.receiveShut) {
                    throw Errno.of(Errno.EPIPE);
                }
                boolean queueFull = other.peer != this && other.queue.size() > UnixDomain.MAX_DGRAM_QLEN;
                if (!queueFull && charged < sendBuffer) {
                    other.enqueue(new Segment(java.util.Arrays.copyOfRange(data, offset, offset + length), this,
                            caller, rights));
                    return rights != null;
                }
                if (nonBlocking(flags)) {
                    throw Errno.of(Errno.EAGAIN);
                }
            }
            UnixSocket receiver = other;
            if (await(receiver.peerWait, () -> {
                synchronized (domain) {
                    return receiver.dead || receiver.queue.size() <= UnixDomain.MAX_DGRAM_QLEN
                            && charged < sendBuffer;
                }
            }, deadline(false), 0) == Task.Wait.TIMED_OUT) {
                throw Errno.of(Errno.EAGAIN);
            }
        }
    }

    /** Puts {@code s} in this socket's receive queue and charges its sender. Under the domain lock. */
    private void enqueue(Segment s) {
        queue.add(s);
        s.sender.charged += s.charge;
        changed.wakeAll();
    }

    /** Frees what a taken (or dropped) segment cost its sender, who may now send more. Under the domain lock. */
    private static void uncharge(Segment s) {
        s.sender.charged -= s.charge;
        s.sender.changed.wakeAll();
    }

    // ---- receiving ----

    @Override
    public Received receive(Sink sink, int length, int flags) {
        if ((flags & MSG_OOB) != 0) {
            throw Errno.of(Errno.EOPNOTSUPP);
        }
        return type() == SOCK_STREAM ? receiveStream(sink, length, flags) : receiveDatagram(sink, length, flags);
    }

    /** unix_stream_read_generic. */
    private Received receiveStream(Sink sink, int length, int flags) {
        boolean peek = (flags & MSG_PEEK) != 0;
        boolean waitAll = (flags & MSG_WAITALL) != 0 && !peek;
        Task task = Task.current();
        int done = waitAll && task != null ? task.writtenBefore(length) : 0;
        byte[] from = null;
        Ancillary rights = null;
        Caller credentials = null;
        while (true) {
            synchronized (domain) {
                if (state != State.CONNECTED && !(state == State.UNCONNECTED && dead)) {
                    throw Errno.of(Errno.EINVAL);
                }
                for (java.util.Iterator<Segment> it = queue.iterator(); it.hasNext() && done < length;) {
                    Segment s = it.next();
                    if (passCredentials() && credentials != null && !credentials.sameIds(s.credentials)) {
                        break; // SO_PASSCRED: one read, one sender's credentials
                    }
                    if (credentials == null) {
                        credentials = s.credentials;
                        from = s.from;
                    }
                    int n = Math.min(s.left(), length - done);
                    sink.put(done, s.data, s.position, n);
                    done += n;
                    boolean hadRights = s.rights != null && rights == null;
                    if (hadRights) {
                        rights = s.rights;
                        if (!peek) {
                            s.rights = null;
                        }
                    }
                    if (!peek) {
                        s.position += n;
                        if (s.left() == 0) {
                            it.remove();
                            uncharge(s);
                        }
                    }
                    if (hadRights) {
                        break; // descriptors end a read: the next bytes may carry their own
                    }
                }
                if (done > 0 && (!waitAll || done >= length) || rights != null || length == 0) {
                    return new Received(done, from, rights, passCredentials() ? credentials : null, 0);
                }
                int e = takeError();
                if (e != 0) {
                    if (done > 0) {
                        return new Received(done, from, null, passCredentials() ? credentials : null, 0);
                    }
                    throw Errno.of(e);
                }
                if (receiveShut || dead) {
                    return new Received(done, from, null, passCredentials() ? credentials : null, 0);
                }
                if (nonBlocking(flags)) {
                    if (done > 0) {
                        return new Received(done, from, null, passCredentials() ? credentials : null, 0);
                    }
                    throw Errno.of(Errno.EAGAIN);
                }
            }
            Task.Wait w;
            try {
                w = await(changed, this::readable, deadline(true), done);
            } catch (Errno e) {
                if (done > 0) {
                    return new Received(done, from, null, null, 0); // a signal after some bytes: a short read
                }
                throw e;
            }
            if (w == Task.Wait.TIMED_OUT) {
                if (done > 0) {
                    return new Received(done, from, null, null, 0);
                }
                throw Errno.of(Errno.EAGAIN);
            }
        }
    }

    private boolean readable() {
        synchronized (domain) {
            return !queue.isEmpty() || hasError() || receiveShut || dead || state != State.CONNECTED
                    && type() != SOCK_DGRAM;
        }
    }

    /** unix_dgram_recvmsg (and unix_seqpacket_recvmsg): one datagram, truncated to {@code length}. */
    private Received receiveDatagram(Sink sink, int length, int flags) {
        boolean peek = (flags & MSG_PEEK) != 0;
        while (true) {
            synchronized (domain) {
                if (type() == SOCK_SEQPACKET && state != State.CONNECTED && !receiveShut) {
                    throw Errno.of(state == State.LISTENING ? Errno.EINVAL : Errno.ENOTCONN);
                }
                Segment s = peek ? queue.peek() : queue.poll();
                if (s != null) {
                    int n = Math.min(length, s.data.length);
                    sink.put(0, s.data, 0, n);
                    int msgFlags = s.data.length > length ? MSG_TRUNC : 0;
                    Ancillary rights = s.rights;
                    if (!peek) {
                        s.rights = null;
                        uncharge(s);
                        peerWait.wakeAll();
                    }
                    return new Received((flags & MSG_TRUNC) != 0 ? s.data.length : n, s.from, rights,
                            passCredentials() ? s.credentials : null, msgFlags);
                }
                int e = takeError();
                if (e != 0) {
                    throw Errno.of(e);
                }
                if (receiveShut) {
                    return new Received(0, null, null, null, 0);
                }
                if (nonBlocking(flags)) {
                    throw Errno.of(Errno.EAGAIN);
                }
            }
            if (await(changed, this::readable, deadline(true), 0) == Task.Wait.TIMED_OUT) {
                throw Errno.of(Errno.EAGAIN);
            }
        }
    }

    private Task.Wait await(dev.phoenix.libos.proc.WaitQueue queue, BooleanSupplier ready, long deadline, int done) {
        return FileWaits.await(domain, queue, ready, deadline, done, clock);
    }

    // ---- readiness and ioctls ----

    @Override
    public int bytesToRead() {
        synchronized (domain) {
            if (state == State.LISTENING) {
                throw Errno.of(Errno.EINVAL);
            }
            if (type() == SOCK_DGRAM) {
                Segment s = queue.peek();
                return s == null ? 0 : s.data.length;
            }
            int n = 0;
            for (Segment s : queue) {
                n += s.left();
            }
            return n;
        }
    }

    @Override
    public int bytesUnsent() {
        synchronized (domain) {
            if (state == State.LISTENING) {
                throw Errno.of(Errno.EINVAL);
            }
            return charged;
        }
    }

    /** unix_poll and unix_dgram_poll. */
    @Override
    public int pollEvents() {
        synchronized (domain) {
            int m = 0;
            if (hasError()) {
                m |= PollEvents.POLLERR;
            }
            if (receiveShut && sendShut) {
                m |= PollEvents.POLLHUP;
            }
            if (receiveShut) {
                m |= POLLRDHUP | PollEvents.POLLIN | PollEvents.POLLRDNORM;
            }
            if (!queue.isEmpty() || !pending.isEmpty()) {
                m |= PollEvents.POLLIN | PollEvents.POLLRDNORM;
            }
            if (connectionBased() && state == State.UNCONNECTED) {
                m |= PollEvents.POLLHUP;
            }
            boolean writable = state != State.LISTENING && charged * 4L <= sendBuffer;
            if (writable && type() == SOCK_DGRAM && peer != null && peer.peer != this
                    && peer.queue.size() > UnixDomain.MAX_DGRAM_QLEN) {
                writable = false;
            }
            if (writable) {
                m |= PollEvents.POLLOUT | PollEvents.POLLWRNORM | PollEvents.POLLWRBAND;
            }
            return m;
        }
    }
}
