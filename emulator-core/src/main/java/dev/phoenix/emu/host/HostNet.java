package dev.phoenix.emu.host;

import dev.phoenix.emu.NativeWords;
import dev.phoenix.emu.Unchecked;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The host's socket calls and epoll, bound with FFM in NativeWords' shapes, for guest sockets
 * that are host sockets (the netstack's host mode). Addresses and option values cross as the
 * bytes of the C structs, which are the same for the x86_64 host and every guest arch (LP64,
 * little-endian, asm-generic socket constants). Every call returns or throws the host's errno
 * ({@link HostOs.HostError}); none blocks, since the sockets are made non-blocking.
 */
public final class HostNet {
    private HostNet() {}

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    /** sizeof(struct sockaddr_storage). */
    private static final int SOCKADDR_MAX = 128;

    /**
     * Each thread's native scratch: the errno capture, a sockaddr, a length, an iovec and a
     * msghdr, and a data buffer that grows to the largest transfer asked of it (at most
     * {@link #DATA_MAX}), so a send or receive allocates nothing native.
     */
    private static final class Scratch {
        final MemorySegment state, name, len, iov, msg;
        MemorySegment data;

        Scratch() {
            Arena arena = Arena.ofAuto();
            state = arena.allocate(CAPTURE);
            name = arena.allocate(SOCKADDR_MAX, 8);
            len = arena.allocate(8, 8);
            iov = arena.allocate(16, 8);
            msg = arena.allocate(56, 8);
            data = arena.allocate(4096, 16);
        }

        MemorySegment data(int length) {
            if (data.byteSize() < length) {
                data = Arena.ofAuto().allocate(Math.max(length, data.byteSize() * 2), 16);
            }
            return data;
        }
    }

    /** The most one send or receive moves (a stream's call may be short, a datagram is at most 64 KiB). */
    public static final int DATA_MAX = 1 << 20;

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static MethodHandle handle(String name) {
        return NativeWords.downcall(NativeWords.libc(), name, CAPTURE_ERRNO);
    }

    private static final class Socket {
        static final MethodHandle H = handle("socket");
    }

    private static final class Bind {
        static final MethodHandle H = handle("bind");
    }

    private static final class Listen {
        static final MethodHandle H = handle("listen");
    }

    private static final class Accept4 {
        static final MethodHandle H = handle("accept4");
    }

    private static final class Connect {
        static final MethodHandle H = handle("connect");
    }

    private static final class Getsockname {
        static final MethodHandle H = handle("getsockname");
    }

    private static final class Getpeername {
        static final MethodHandle H = handle("getpeername");
    }

    private static final class Sendto {
        static final MethodHandle H = handle("sendto");
    }

    private static final class Recvmsg {
        static final MethodHandle H = handle("recvmsg");
    }

    private static final class Shutdown {
        static final MethodHandle H = handle("shutdown");
    }

    private static final class Setsockopt {
        static final MethodHandle H = handle("setsockopt");
    }

    private static final class Getsockopt {
        static final MethodHandle H = handle("getsockopt");
    }

    private static final class Sendfile {
        static final MethodHandle H = handle("sendfile");
    }

    private static final class EpollCreate1 {
        static final MethodHandle H = handle("epoll_create1");
    }

    private static final class EpollCtl {
        static final MethodHandle H = handle("epoll_ctl");
    }

    private static final class EpollWait {
        static final MethodHandle H = handle("epoll_wait");
    }

    /** Calls {@code h} with up to six words; the result, or the host's errno thrown. */
    private static int call(MethodHandle h, MemorySegment state, long a, long b, long c, long d, long e, long f)
            throws HostOs.HostError {
        int r; // every one of these returns an int or an ssize_t that fits one: narrow the word
        try {
            r = (int) NativeWords.call(h, state, a, b, c, d, e, f);
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
        if (r < 0) {
            throw new HostOs.HostError((int) ERRNO.get(state, 0L));
        }
        return r;
    }

    /** socket(2). */
    public static int socket(int family, int type, int protocol) throws HostOs.HostError {
        try (Arena arena = Arena.ofConfined()) {
            return (int) call(Socket.H, arena.allocate(CAPTURE), family, type, protocol, 0, 0, 0);
        }
    }

    /** bind(2) to the sockaddr bytes {@code address}. */
    public static void bind(int fd, byte[] address) throws HostOs.HostError {
        addressCall(Bind.H, fd, address);
    }

    /** connect(2) to the sockaddr bytes {@code address}. */
    public static void connect(int fd, byte[] address) throws HostOs.HostError {
        addressCall(Connect.H, fd, address);
    }

    private static void addressCall(MethodHandle h, int fd, byte[] address) throws HostOs.HostError {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(Math.max(address.length, 1));
            MemorySegment.copy(address, 0, a, ValueLayout.JAVA_BYTE, 0, address.length);
            call(h, arena.allocate(CAPTURE), fd, a.address(), address.length, 0, 0, 0);
        }
    }

    /** listen(2). */
    public static void listen(int fd, int backlog) throws HostOs.HostError {
        try (Arena arena = Arena.ofConfined()) {
            call(Listen.H, arena.allocate(CAPTURE), fd, backlog, 0, 0, 0, 0);
        }
    }

    /** accept4(2) without the peer's address (getpeername has it); {@code flags} SOCK_NONBLOCK, SOCK_CLOEXEC. */
    public static int accept4(int fd, int flags) throws HostOs.HostError {
        try (Arena arena = Arena.ofConfined()) {
            return (int) call(Accept4.H, arena.allocate(CAPTURE), fd, 0, 0, flags, 0, 0);
        }
    }

    /** getsockname(2): the sockaddr bytes. */
    public static byte[] getsockname(int fd) throws HostOs.HostError {
        return nameCall(Getsockname.H, fd);
    }

    /** getpeername(2): the sockaddr bytes. */
    public static byte[] getpeername(int fd) throws HostOs.HostError {
        return nameCall(Getpeername.H, fd);
    }

    private static byte[] nameCall(MethodHandle h, int fd) throws HostOs.HostError {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment a = arena.allocate(SOCKADDR_MAX);
            MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, SOCKADDR_MAX);
            call(h, arena.allocate(CAPTURE), fd, a.address(), len.address(), 0, 0, 0);
            return a.asSlice(0, Math.min(len.get(ValueLayout.JAVA_INT, 0), SOCKADDR_MAX)).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /** sendto(2) of {@code buf[offset..offset+length)} (at most DATA_MAX of it), to {@code address} when not null. */
    public static int send(int fd, byte[] buf, int offset, int length, int flags, byte[] address)
            throws HostOs.HostError {
        Scratch sc = SCRATCH.get();
        int n = Math.min(length, DATA_MAX);
        MemorySegment b = sc.data(n);
        MemorySegment.copy(buf, offset, b, ValueLayout.JAVA_BYTE, 0, n);
        long to = 0;
        int toLen = 0;
        if (address != null) {
            toLen = Math.min(address.length, SOCKADDR_MAX);
            MemorySegment.copy(address, 0, sc.name, ValueLayout.JAVA_BYTE, 0, toLen);
            to = sc.name.address();
        }
        return call(Sendto.H, sc.state, fd, b.address(), n, flags, to, toLen);
    }

    /**
     * What recvmsg(2) gave: the byte count (or a datagram's whole length under MSG_TRUNC), the
     * bytes taken, the sender's sockaddr (null when none), and msg_flags.
     */
    public record Received(int length, byte[] data, byte[] from, int flags) {}

    /** recvmsg(2) of at most {@code length} bytes (and DATA_MAX), with the sender's address. */
    public static Received receive(int fd, int length, int flags) throws HostOs.HostError {
        Scratch sc = SCRATCH.get();
        int want = Math.min(length, DATA_MAX);
        MemorySegment b = sc.data(want);
        sc.iov.set(ValueLayout.JAVA_LONG, 0, b.address());
        sc.iov.set(ValueLayout.JAVA_LONG, 8, want);
        MemorySegment msg = sc.msg;
        msg.fill((byte) 0);
        msg.set(ValueLayout.JAVA_LONG, 0, sc.name.address());
        msg.set(ValueLayout.JAVA_INT, 8, SOCKADDR_MAX);
        msg.set(ValueLayout.JAVA_LONG, 16, sc.iov.address());
        msg.set(ValueLayout.JAVA_LONG, 24, 1);
        int n = call(Recvmsg.H, sc.state, fd, msg.address(), flags, 0, 0, 0);
        byte[] data = b.asSlice(0, Math.min(n, want)).toArray(ValueLayout.JAVA_BYTE);
        int nameLen = Math.min(msg.get(ValueLayout.JAVA_INT, 8), SOCKADDR_MAX);
        byte[] from = nameLen > 0 ? sc.name.asSlice(0, nameLen).toArray(ValueLayout.JAVA_BYTE) : null;
        return new Received(n, data, from, msg.get(ValueLayout.JAVA_INT, 48));
    }

    /**
     * sendfile(2) of up to {@code count} bytes of host file {@code in} from {@code position} into
     * host socket {@code out}: the host kernel moves them, no copy through the JVM. Returns the
     * count sent (0 at the end of the file).
     */
    public static int sendfile(int out, int in, long position, int count) throws HostOs.HostError {
        Scratch sc = SCRATCH.get();
        sc.len.set(ValueLayout.JAVA_LONG, 0, position);
        return call(Sendfile.H, sc.state, out, in, sc.len.address(), count, 0, 0);
    }

    /** shutdown(2). */
    public static void shutdown(int fd, int how) throws HostOs.HostError {
        try (Arena arena = Arena.ofConfined()) {
            call(Shutdown.H, arena.allocate(CAPTURE), fd, how, 0, 0, 0, 0);
        }
    }

    /** setsockopt(2) with the option value's bytes. */
    public static void setsockopt(int fd, int level, int name, byte[] value) throws HostOs.HostError {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(Math.max(value.length, 1));
            MemorySegment.copy(value, 0, v, ValueLayout.JAVA_BYTE, 0, value.length);
            call(Setsockopt.H, arena.allocate(CAPTURE), fd, level, name, v.address(), value.length, 0);
        }
    }

    /** getsockopt(2): the value's bytes, at most {@code room} of them. */
    public static byte[] getsockopt(int fd, int level, int name, int room) throws HostOs.HostError {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = arena.allocate(Math.max(room, 1));
            MemorySegment len = arena.allocate(ValueLayout.JAVA_INT);
            len.set(ValueLayout.JAVA_INT, 0, room);
            call(Getsockopt.H, arena.allocate(CAPTURE), fd, level, name, v.address(), len.address(), 0);
            return v.asSlice(0, Math.min(len.get(ValueLayout.JAVA_INT, 0), room)).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    /** epoll_create1(EPOLL_CLOEXEC). */
    public static int epollCreate() throws HostOs.HostError {
        try (Arena arena = Arena.ofConfined()) {
            return (int) call(EpollCreate1.H, arena.allocate(CAPTURE), 02000000, 0, 0, 0, 0, 0);
        }
    }

    /** epoll_ctl(2): {@code op} ADD 1, DEL 2, MOD 3; the event's data word is {@code data}. */
    public static void epollCtl(int epfd, int op, int fd, int events, long data) throws HostOs.HostError {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ev = arena.allocate(12); // struct epoll_event is packed on x86_64
            ev.set(ValueLayout.JAVA_INT_UNALIGNED, 0, events);
            ev.set(ValueLayout.JAVA_LONG_UNALIGNED, 4, data);
            call(EpollCtl.H, arena.allocate(CAPTURE), epfd, op, fd, ev.address(), 0, 0);
        }
    }

    /**
     * epoll_wait(2) for up to {@code data.length} events, {@code timeoutMs} at most: their data
     * words go to {@code data}; returns how many. EINTR is thrown as such.
     */
    public static int epollWait(int epfd, long[] data, int timeoutMs) throws HostOs.HostError {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment evs = arena.allocate(12L * data.length);
            int n = (int) call(EpollWait.H, arena.allocate(CAPTURE), epfd, evs.address(), data.length, timeoutMs, 0, 0);
            for (int i = 0; i < n; i++) {
                data[i] = evs.get(ValueLayout.JAVA_LONG_UNALIGNED, 12L * i + 4);
            }
            return n;
        }
    }
}
