package dev.phoenix.libos.ipc;

import dev.phoenix.libos.proc.Credentials;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.WaitQueue;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * A POSIX message queue (mq_overview(7); Linux's ipc/mqueue.c {@code mqueue_inode_info}): up to
 * {@code maxmsg} messages of at most {@code msgsize} bytes, received highest priority first and
 * in the order sent within a priority, and at most one process registered for a notification
 * (mq_notify(3)). It is a file of its namespace's mqueue file system: a name, an owner, a mode and
 * an inode number, and it lives on after mq_unlink while descriptors still name it.
 */
public final class PosixMq {
    /** sigev_notify values (asm-generic/siginfo.h). */
    public static final int SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD = 2;
    /** The last byte of a SIGEV_THREAD cookie: a message came, or the registration went (linux/mqueue.h). */
    public static final byte NOTIFY_WOKENUP = 1, NOTIFY_REMOVED = 2;
    /** The size of such a cookie (NOTIFY_COOKIE_LEN). */
    public static final int NOTIFY_COOKIE_LEN = 32;
    /** What a queue's inode reports as its size (FILENT_SIZE). */
    public static final int FILENT_SIZE = 80;

    /**
     * A notification registration (mq_notify(3)): the owner process, how it is told, the signal
     * and si_value of SIGEV_SIGNAL, and for SIGEV_THREAD the cookie and where it goes (the
     * owner's netlink socket, which the C library's helper thread reads).
     */
    public record Notify(Process owner, int kind, int signo, long value, byte[] cookie, Consumer<byte[]> socket) {
        /** Sends the SIGEV_THREAD cookie with its last byte {@code code}. */
        public void sendCookie(byte code) {
            if (kind == SIGEV_THREAD && socket != null) {
                byte[] c = cookie.clone();
                c[NOTIFY_COOKIE_LEN - 1] = code;
                socket.accept(c);
            }
        }
    }

    public final String name;
    public final long ino;
    public final long maxmsg, msgsize;
    /** The creator's real uid, whose RLIMIT_MSGQUEUE bytes this queue holds, and how many. */
    final int chargedUid;
    final long chargedBytes;
    /** Woken at every send, receive and removal: poll and blocked senders and receivers wait here. */
    public final WaitQueue changed = new WaitQueue();
    /** Receivers blocked in mq_timedreceive (and woken ones not yet run): a notification waits for none. */
    public final WaitQueue receivers = new WaitQueue();

    /** @GuardedBy("this") messages by priority, highest first. */
    private final TreeMap<Integer, ArrayDeque<byte[]>> messages = new TreeMap<>(java.util.Comparator.reverseOrder());
    /** @GuardedBy("this") */
    private long curmsgs, qsize;
    /** @GuardedBy("this") */
    private Notify notify;
    /** @GuardedBy("this") the owner and permission bits (chmod and chown of the file change them). */
    public int uid, gid, mode;
    /** @GuardedBy("this") times of the inode, in ns of the realtime clock. */
    public long atime, mtime, ctime;
    /** @GuardedBy("this") descriptors open on it, and whether mq_unlink took its name. */
    int opens;
    boolean unlinked;

    PosixMq(String name, long ino, int mode, Credentials creator, long maxmsg, long msgsize, long charged, long now) {
        this.name = name;
        this.ino = ino;
        this.mode = mode;
        this.uid = creator.fsuid;
        this.gid = creator.fsgid;
        this.chargedUid = creator.uid;
        this.chargedBytes = charged;
        this.maxmsg = maxmsg;
        this.msgsize = msgsize;
        this.atime = this.mtime = this.ctime = now;
    }

    /** Messages queued (mq_curmsgs). */
    public synchronized long curmsgs() {
        return curmsgs;
    }

    /** Bytes of message text queued (QSIZE). */
    public synchronized long qsize() {
        return qsize;
    }

    /** True while a message waits. */
    public synchronized boolean readable() {
        return curmsgs > 0;
    }

    /** True while another message fits. */
    public synchronized boolean writable() {
        return curmsgs < maxmsg;
    }

    /**
     * Queues {@code text} at {@code prio} if there is room, else returns false (the sender waits
     * or gets EAGAIN). When the queue was empty, no receiver waits and a process is registered,
     * the registration is taken and put in {@code fire[0]} for the caller to fire (Linux's
     * __do_notify).
     */
    public boolean trySend(byte[] text, int prio, long now, Notify[] fire) {
        synchronized (this) {
            if (curmsgs >= maxmsg) {
                return false;
            }
            messages.computeIfAbsent(prio, p -> new ArrayDeque<>()).addLast(text);
            curmsgs++;
            qsize += text.length;
            mtime = ctime = now;
            if (curmsgs == 1 && receivers.isEmpty() && notify != null) {
                if (alive(notify.owner)) {
                    fire[0] = notify;
                }
                notify = null;
            }
        }
        changed.wakeAll();
        return true;
    }

    /** Takes the first message of the highest priority, or null when there is none; {@code prio[0]} gets its priority. */
    public byte[] tryReceive(int[] prio, long now) {
        byte[] text;
        synchronized (this) {
            Map.Entry<Integer, ArrayDeque<byte[]>> e = messages.firstEntry();
            if (e == null) {
                return null;
            }
            text = e.getValue().pollFirst();
            if (e.getValue().isEmpty()) {
                messages.remove(e.getKey());
            }
            curmsgs--;
            qsize -= text.length;
            prio[0] = e.getKey();
            atime = ctime = now;
        }
        changed.wakeAll(); // senders waiting for room, and poll
        return text;
    }

    /** The registration in force, or null (one whose owner has exited counts as none). */
    public synchronized Notify notification() {
        if (notify != null && !alive(notify.owner)) {
            notify = null;
        }
        return notify;
    }

    /** mq_notify(3) with a sigevent: registers {@code n}; false (EBUSY) when a process is registered already. */
    public synchronized boolean register(Notify n, long now) {
        if (notification() != null) {
            return false;
        }
        notify = n;
        atime = ctime = now;
        return true;
    }

    /**
     * Drops the registration when {@code owner} holds it (mq_notify(NULL), and every close by a
     * process of a descriptor of the queue: Linux's mqueue_flush_file); a SIGEV_THREAD
     * registration tells its socket NOTIFY_REMOVED.
     */
    public void unregister(Process owner) {
        Notify gone;
        synchronized (this) {
            if (notify == null || notify.owner != owner) {
                return;
            }
            gone = notify;
            notify = null;
        }
        gone.sendCookie(NOTIFY_REMOVED);
    }

    private static boolean alive(Process p) {
        return !p.zombie && p.exitStatus() == null;
    }

    /**
     * The line read(2) of the queue's file gives (mqueue_read_file): bytes queued, and the
     * registration's kind, signal and owner ({@code ownerPid} as the reader sees it).
     */
    public String statusLine(java.util.function.IntUnaryOperator ownerPid) {
        Notify n = notification();
        synchronized (this) {
            return String.format("QSIZE:%-10d NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n", qsize,
                    n == null ? 0 : n.kind, n != null && n.kind == SIGEV_SIGNAL ? n.signo : 0,
                    n == null ? 0 : ownerPid.applyAsInt(n.owner.pid()));
        }
    }

    /**
     * generic_permission for {@code cr} asking {@code may} (4 read, 2 write): the owner's, the
     * group's or the others' bits, or CAP_DAC_OVERRIDE.
     */
    public synchronized boolean permits(Credentials cr, int may) {
        int bits = cr.fsuid == uid ? mode >> 6 : IpcPerm.inGroup(cr, gid) ? mode >> 3 : mode;
        return (may & ~bits & 7) == 0 || cr.capable(1); // CAP_DAC_OVERRIDE
    }
}
