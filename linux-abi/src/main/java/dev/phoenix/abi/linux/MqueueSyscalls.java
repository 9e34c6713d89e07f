package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.ipc.MqueueFile;
import dev.phoenix.libos.ipc.MqueueFs;
import dev.phoenix.libos.ipc.PosixMq;
import dev.phoenix.libos.ipc.PosixMqs;
import dev.phoenix.libos.mm.GuestMemory;
import dev.phoenix.libos.proc.Credentials;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.net.Socket;
import dev.phoenix.net.netlink.NetlinkSocket;

/**
 * POSIX message queues (mq_open(3), mq_unlink(3), mq_send(3), mq_receive(3), mq_notify(3),
 * mq_getattr(3); mq_overview(7)), following Linux's ipc/mqueue.c: the caller's IPC namespace's
 * queues by name (the C library strips the leading '/'), each descriptor an {@link MqueueFile}.
 * A blocked send or receive parks on the queue's wait queue and looks again when it runs; the
 * timeout is an absolute CLOCK_REALTIME time (ETIMEDOUT); a signal ends the wait with
 * ERESTARTSYS, which SA_RESTART restarts (signal(7) lists these calls).
 */
final class MqueueSyscalls {
    private MqueueSyscalls() {}

    private static final int O_ACCMODE = 3, O_CREAT = 0100, O_EXCL = 0200, O_NONBLOCK = 04000;
    private static final int PATH_MAX = 4096, NAME_MAX = 255;
    /** RLIMIT_MSGQUEUE (asm-generic/resource.h). */
    private static final int RLIMIT_MSGQUEUE = 12;
    /** SI_MESGQ (asm-generic/siginfo.h): a notification's si_code. */
    private static final int SI_MESGQ = -3;
    /** _NSIG: the highest signal number valid_signal accepts. */
    private static final int NSIG = 64;

    /** The caller's IPC namespace's queues. */
    private static PosixMqs queues(SyscallContext c) {
        return c.process().namespaces.ipc().objects.mqueues;
    }

    private static long now(SyscallContext c) {
        return c.kernel().clock().realtimeNanos();
    }

    /**
     * A queue name as lookup_noperm takes it: ENAMETOOLONG past PATH_MAX (getname) or NAME_MAX,
     * EACCES for "", ".", ".." and a name with a '/'.
     */
    private static String name(SyscallContext c, long address) {
        return checkName(c.memory().readCString(address, PATH_MAX));
    }

    private static String checkName(String n) {
        if (n.isEmpty() || n.equals(".") || n.equals("..") || n.indexOf('/') >= 0) {
            throw Errno.of(Errno.EACCES);
        }
        if (n.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > NAME_MAX) {
            throw Errno.of(Errno.ENAMETOOLONG);
        }
        return n;
    }

    /**
     * Implements Linux mq_open(2) (do_mq_open, prepare_open): an existing queue is EEXIST with
     * O_CREAT|O_EXCL, EINVAL with O_ACCMODE 3, EACCES when its mode refuses the access; a missing
     * one is ENOENT without O_CREAT, else made with {@code mode} less the umask and the
     * attributes (maxmsg, msgsize) at {@code attrAddr} or the namespace's defaults. The
     * descriptor is always close-on-exec, as get_unused_fd_flags(O_CLOEXEC) makes it.
     */
    static long mqOpen(SyscallContext c, long nameAddr, long oflag, long mode, long attrAddr, long a4, long a5) {
        int flags = (int) oflag;
        long[] attr = null;
        if (attrAddr != 0) {
            GuestMemory m = c.memory();
            attr = new long[] {m.readLong(attrAddr + 8), m.readLong(attrAddr + 16)};
        }
        String name = c.memory().readCString(nameAddr, PATH_MAX);
        Process p = c.process();
        if (!c.fds().hasFree(p.fdLimit())) {
            return -Errno.EMFILE;
        }
        name = checkName(name);
        PosixMqs table = queues(c);
        Credentials cr = p.credentials();
        MqueueFile f;
        synchronized (table) { // the root's inode lock: lookup and create as one
            PosixMq q = table.lookup(name);
            if (q == null) {
                if ((flags & O_CREAT) == 0) {
                    return -Errno.ENOENT;
                }
                int perm = (int) mode & 07777 & ~c.task().fs().umask;
                q = table.create(name, perm, cr, attr, p.rlimitCur[RLIMIT_MSGQUEUE], now(c));
            } else {
                if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL)) {
                    return -Errno.EEXIST;
                }
                if ((flags & O_ACCMODE) == O_ACCMODE) {
                    return -Errno.EINVAL;
                }
                int may = new int[] {4, 2, 6}[flags & O_ACCMODE];
                if (!q.permits(cr, may)) {
                    return -Errno.EACCES;
                }
            }
            f = new MqueueFile(table, q, flags, null);
        }
        try {
            return c.fds().install(f, 0, true, p.fdLimit());
        } catch (Errno e) {
            f.release(); // another thread took the last free fd since hasFree
            throw e;
        }
    }

    /** Implements Linux mq_unlink(2): ENOENT, EPERM for another user's queue (the sticky root's may_delete). */
    static long mqUnlink(SyscallContext c, long nameAddr, long a1, long a2, long a3, long a4, long a5) {
        String name = name(c, nameAddr);
        PosixMqs table = queues(c);
        synchronized (table) {
            PosixMq q = table.lookup(name);
            if (q == null) {
                return -Errno.ENOENT;
            }
            MqueueFs.mayDelete(q, c.process().credentials());
            table.unlink(name);
        }
        return 0;
    }

    /** The queue descriptor {@code fd}: EBADF when it is not one. */
    private static MqueueFile queue(SyscallContext c, long fd) {
        OpenFile f = c.fds().get((int) fd);
        if (!(f instanceof MqueueFile m)) {
            throw Errno.of(Errno.EBADF);
        }
        return m;
    }

    /** The monotonic deadline of the absolute CLOCK_REALTIME timeout at {@code address} (EINVAL, EFAULT), or none. */
    private static long deadline(SyscallContext c, long address) {
        if (address == 0) {
            return Long.MAX_VALUE;
        }
        long at = TimeSyscalls.timespecNanos(c, address);
        Clock clock = c.kernel().clock();
        return TimeSyscalls.deadlineAfter(clock, Math.max(0, at - clock.realtimeNanos()));
    }

    /**
     * Implements Linux mq_timedsend(2): EINVAL for a priority of MQ_PRIO_MAX or more, EBADF
     * without write access, EMSGSIZE past the queue's msgsize; waits for room unless O_NONBLOCK
     * (EAGAIN), until the timeout (ETIMEDOUT). A message into an empty queue with no receiver
     * waiting fires the registered notification.
     */
    static long mqTimedsend(SyscallContext c, long fd, long msgAddr, long len, long prio, long timeoutAddr,
            long a5) {
        long deadline = deadline(c, timeoutAddr);
        if (Integer.toUnsignedLong((int) prio) >= PosixMqs.MQ_PRIO_MAX) {
            return -Errno.EINVAL;
        }
        MqueueFile f = queue(c, fd);
        if (!f.writable()) {
            return -Errno.EBADF;
        }
        PosixMq q = f.queue;
        if (Long.compareUnsigned(len, q.msgsize) > 0) {
            return -Errno.EMSGSIZE;
        }
        byte[] text = c.memory().read(msgAddr, (int) len);
        Task t = c.task();
        PosixMq.Notify[] fire = new PosixMq.Notify[1];
        while (true) {
            if (q.trySend(text, (int) prio, now(c), fire)) {
                if (fire[0] != null) {
                    notify(c, fire[0]);
                }
                return 0;
            }
            if (f.nonBlocking()) {
                return -Errno.EAGAIN;
            }
            switch (t.block(deadline, q::writable, q.changed)) {
                case SIGNALED -> {
                    return -Errno.ERESTARTSYS;
                }
                case TIMED_OUT -> {
                    return -Errno.ETIMEDOUT;
                }
                default -> { }
            }
        }
    }

    /**
     * Implements Linux mq_timedreceive(2): EBADF without read access, EMSGSIZE for a buffer
     * smaller than the queue's msgsize; the oldest message of the highest priority, its priority
     * to {@code prioAddr}; waits unless O_NONBLOCK (EAGAIN), until the timeout (ETIMEDOUT).
     */
    static long mqTimedreceive(SyscallContext c, long fd, long msgAddr, long len, long prioAddr, long timeoutAddr,
            long a5) {
        long deadline = deadline(c, timeoutAddr);
        MqueueFile f = queue(c, fd);
        if (!f.readable()) {
            return -Errno.EBADF;
        }
        PosixMq q = f.queue;
        if (Long.compareUnsigned(len, q.msgsize) < 0) {
            return -Errno.EMSGSIZE;
        }
        Task t = c.task();
        int[] prio = new int[1];
        while (true) {
            byte[] text = q.tryReceive(prio, now(c));
            if (text != null) {
                if (prioAddr != 0) {
                    c.memory().writeInt(prioAddr, prio[0]);
                }
                c.memory().write(msgAddr, text);
                return text.length;
            }
            if (f.nonBlocking()) {
                return -Errno.EAGAIN;
            }
            switch (t.block(deadline, q::readable, q.changed, q.receivers)) {
                case SIGNALED -> {
                    return -Errno.ERESTARTSYS;
                }
                case TIMED_OUT -> {
                    return -Errno.ETIMEDOUT;
                }
                default -> { }
            }
        }
    }

    /**
     * Fires notification {@code n} (__do_notify): SIGEV_SIGNAL sends its signal with si_code
     * SI_MESGQ, the sender's pid and real uid and the registered si_value (none for signal 0);
     * SIGEV_THREAD sends its cookie marked NOTIFY_WOKENUP to its netlink socket.
     */
    private static void notify(SyscallContext c, PosixMq.Notify n) {
        if (n.kind() == PosixMq.SIGEV_SIGNAL && n.signo() != 0) {
            long sender = (c.process().pid() & 0xffffffffL) | ((long) c.process().credentials().uid << 32);
            SignalSyscalls.postFromProcess(c.kernel(), n.owner(), n.signo(), SI_MESGQ, sender, n.value());
        } else if (n.kind() == PosixMq.SIGEV_THREAD) {
            n.sendCookie(PosixMq.NOTIFY_WOKENUP);
        }
    }

    /**
     * Implements Linux mq_notify(2): with a struct sigevent, registers the caller's process
     * (EBUSY when any process is registered); SIGEV_NONE, SIGEV_SIGNAL (EINVAL past _NSIG) and
     * SIGEV_THREAD, for which sigev_signo is a netlink socket and sigev_value points to the
     * NOTIFY_COOKIE_LEN bytes it gets (how glibc and musl start their notification thread);
     * without one, the caller's registration is dropped.
     */
    static long mqNotify(SyscallContext c, long fd, long sevAddr, long a2, long a3, long a4, long a5) {
        PosixMq.Notify n = null;
        if (sevAddr != 0) {
            GuestMemory m = c.memory();
            long value = m.readLong(sevAddr);
            int signo = m.readInt(sevAddr + 8);
            int kind = m.readInt(sevAddr + 12);
            m.read(sevAddr, 64); // copy_from_user of the whole struct sigevent: EFAULT first
            byte[] cookie = null;
            java.util.function.Consumer<byte[]> socket = null;
            switch (kind) {
                case PosixMq.SIGEV_NONE -> { }
                case PosixMq.SIGEV_SIGNAL -> {
                    if (Integer.compareUnsigned(signo, NSIG) > 0) {
                        return -Errno.EINVAL;
                    }
                }
                case PosixMq.SIGEV_THREAD -> {
                    cookie = m.read(value, PosixMq.NOTIFY_COOKIE_LEN);
                    if (!(c.fds().get(signo) instanceof Socket s)) {
                        return -Errno.ENOTSOCK;
                    }
                    if (s.family() != NetlinkSocket.AF_NETLINK) {
                        return -Errno.EINVAL;
                    }
                    socket = s::deliverFromKernel;
                }
                default -> {
                    return -Errno.EINVAL;
                }
            }
            n = new PosixMq.Notify(c.process(), kind, signo, value, cookie, socket);
        }
        PosixMq q = queue(c, fd).queue;
        if (n == null) {
            q.unregister(c.process());
            return 0;
        }
        return q.register(n, now(c)) ? 0 : -Errno.EBUSY;
    }

    /**
     * Implements Linux mq_getsetattr(2): EINVAL for new flags other than O_NONBLOCK; the old
     * attributes (flags, maxmsg, msgsize, curmsgs) to {@code oldAddr}, then the descriptor's
     * O_NONBLOCK from {@code newAddr}.
     */
    static long mqGetsetattr(SyscallContext c, long fd, long newAddr, long oldAddr, long a3, long a4, long a5) {
        GuestMemory m = c.memory();
        long newFlags = 0;
        if (newAddr != 0) {
            m.read(newAddr, 64);
            newFlags = m.readLong(newAddr);
            if ((newFlags & ~(long) O_NONBLOCK) != 0) {
                return -Errno.EINVAL;
            }
        }
        MqueueFile f = queue(c, fd);
        PosixMq q = f.queue;
        byte[] old = new byte[64];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(old).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, f.statusFlags() & O_NONBLOCK).putLong(8, q.maxmsg).putLong(16, q.msgsize)
                .putLong(24, q.curmsgs());
        if (newAddr != 0) {
            f.setStatusFlags((f.statusFlags() & ~O_NONBLOCK) | (int) newFlags);
        }
        if (oldAddr != 0) {
            m.write(oldAddr, old);
        }
        return 0;
    }
}
