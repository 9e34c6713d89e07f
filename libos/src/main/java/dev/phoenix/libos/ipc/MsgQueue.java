package dev.phoenix.libos.ipc;

import dev.phoenix.libos.Errno;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A System V message queue (msgget(2), Linux's ipc/msg.c {@code msg_queue}): typed messages in
 * the order they were sent, bounded by a byte count ({@code msg_qbytes}, msgmnb when made) that
 * also bounds the number of messages, as msg_fits_inqueue does.
 */
public final class MsgQueue extends IpcObject {
    /** msgrcv flags (msg.h). */
    public static final int MSG_NOERROR = 010000, MSG_EXCEPT = 020000, MSG_COPY = 040000;

    /** One message: its type and text. */
    public record Message(long type, byte[] text) {}

    /** @GuardedBy("this") */
    private final List<Message> messages = new ArrayList<>();
    /** @GuardedBy("this") bytes of text queued. */
    public long cbytes;
    /** @GuardedBy("this") the queue's capacity in bytes (IPC_SET may change it). */
    public long qbytes;
    /** @GuardedBy("this") times of the last send and receive, and the pids that made them. */
    public long stime, rtime;
    public int lspid, lrpid;

    public MsgQueue(IpcPerm perm, long now, long qbytes) {
        super(perm, now);
        this.qbytes = qbytes;
    }

    /** Messages queued. */
    public synchronized int qnum() {
        return messages.size();
    }

    /** True when a message of {@code size} bytes fits now (msg_fits_inqueue). */
    public synchronized boolean fits(long size) {
        return size + cbytes <= qbytes && 1 + messages.size() <= qbytes;
    }

    /** Queues a message if it fits, else returns false (the sender waits or gets EAGAIN). */
    public synchronized boolean trySend(long type, byte[] text, int pid, long now) {
        if (!fits(text.length)) {
            return false;
        }
        messages.add(new Message(type, text));
        cbytes += text.length;
        lspid = pid;
        stime = now;
        changed.wakeAll();
        return true;
    }

    /** True when {@link #tryReceive} would find a message for {@code msgtyp} and {@code flags}. */
    public synchronized boolean hasMatch(long msgtyp, int flags) {
        return find(msgtyp, flags) >= 0;
    }

    /**
     * Takes the message msgrcv(2) asks for: with {@code msgtyp} 0 the first, above 0 the first of
     * that type (of another type with MSG_EXCEPT), below 0 the first of the lowest type not above
     * |msgtyp|. Null when there is none; E2BIG when its text is longer than {@code max} without
     * MSG_NOERROR (it stays queued). With MSG_COPY, {@code msgtyp} is the position of a message
     * copied and left in place (ENOMSG, thrown, when there are fewer).
     */
    public synchronized Message tryReceive(long msgtyp, int flags, long max, int pid, long now) {
        int i;
        if ((flags & MSG_COPY) != 0) {
            if (msgtyp < 0 || msgtyp >= messages.size()) {
                throw Errno.of(42); // ENOMSG
            }
            i = (int) msgtyp;
        } else {
            i = find(msgtyp, flags);
        }
        if (i < 0) {
            return null;
        }
        Message m = messages.get(i);
        if (m.text.length > max && (flags & MSG_NOERROR) == 0) {
            throw Errno.of(Errno.E2BIG);
        }
        if ((flags & MSG_COPY) == 0) {
            messages.remove(i);
            cbytes -= m.text.length;
            lrpid = pid;
            rtime = now;
            changed.wakeAll(); // senders waiting for room
        }
        return m;
    }

    /** @GuardedBy("this") the index of the message msgrcv takes, or -1 (Linux's find_msg). */
    private int find(long msgtyp, int flags) {
        int found = -1;
        long lowest = Long.MAX_VALUE;
        for (int i = 0; i < messages.size(); i++) {
            long t = messages.get(i).type;
            if (msgtyp == 0) {
                return i;
            } else if (msgtyp > 0) {
                if ((flags & MSG_EXCEPT) != 0 ? t != msgtyp : t == msgtyp) {
                    return i;
                }
            } else if (t <= -msgtyp && t < lowest) {
                lowest = t;
                found = i;
                if (t == 1) {
                    break;
                }
            }
        }
        return found;
    }

    /** Drops every message (removal). */
    synchronized void clear() {
        messages.clear();
        cbytes = 0;
    }

    /** All the messages' bytes, for MSG_INFO's msgtql. */
    public synchronized long bytes() {
        return cbytes;
    }

    /** For tests and /proc: the messages now queued. */
    public synchronized Iterator<Message> iterator() {
        return List.copyOf(messages).iterator();
    }
}
