package dev.phoenix.net;

import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;

/**
 * A socket whose datagrams the kernel makes for it (a netlink socket's replies, an ICMP socket's
 * echo replies): they wait in a queue, one datagram each, for recvmsg, which takes them as any
 * datagram socket's (MSG_PEEK, MSG_TRUNC, waits and their timeouts).
 */
public abstract class ReplySocket extends Socket {
    /** The datagrams waiting to be read. @GuardedBy("this") */
    protected final java.util.ArrayDeque<Reply> replies = new java.util.ArrayDeque<>();

    protected ReplySocket(Clock clock, int family, int type, boolean nonBlocking) {
        super(clock, family, type, nonBlocking);
    }

    /** A datagram the kernel answers a socket with (a netlink reply, an ICMP echo reply), and its sender's address. */
    public record Reply(byte[] data, byte[] from) {}

    /**
     * recvmsg: one datagram a call, left in place by MSG_PEEK, its full length with
     * MSG_TRUNC, cut to {@code length} otherwise (MSG_TRUNC in the flags it reports); waits as any
     * receive does (EAGAIN for a non-blocking call or after SO_RCVTIMEO).
     */
    @Override
    public final Received receive(Sink sink, int length, int flags) {
        boolean peek = (flags & MSG_PEEK) != 0;
        while (true) {
            synchronized (this) {
                Reply r = peek ? replies.peek() : replies.poll();
                if (r != null) {
                    int n = Math.min(length, r.data().length);
                    sink.put(0, r.data(), 0, n);
                    return new Received((flags & MSG_TRUNC) != 0 ? r.data().length : n, r.from(), null, null,
                            r.data().length > length ? MSG_TRUNC : 0);
                }
            }
            if (nonBlocking(flags)) {
                throw Errno.of(Errno.EAGAIN);
            }
            java.util.function.BooleanSupplier waiting = () -> {
                synchronized (this) {
                    return !replies.isEmpty();
                }
            };
            if (dev.phoenix.libos.fs.FileWaits.await(this, changed, waiting, deadline(true), 0, clock)
                    == dev.phoenix.libos.proc.Task.Wait.TIMED_OUT) {
                throw Errno.of(Errno.EAGAIN);
            }
        }
    }

    @Override
    public synchronized int bytesToRead() {
        Reply r = replies.peek();
        return r == null ? 0 : r.data().length;
    }

    @Override
    public int bytesUnsent() {
        return 0;
    }
}
