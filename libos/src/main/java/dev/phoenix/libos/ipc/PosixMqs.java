package dev.phoenix.libos.ipc;

import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.Mount;
import dev.phoenix.libos.proc.Credentials;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One IPC namespace's POSIX message queues (the root directory of its mqueue file system) and
 * the limits of /proc/sys/fs/mqueue (Linux's mq_init_ns defaults). A queue counts against
 * queues_max and its creator's RLIMIT_MSGQUEUE from its creation until its name is gone and its
 * last descriptor closed (mqueue_evict_inode). Linux charges RLIMIT_MSGQUEUE to the user across
 * namespaces (ucounts); Phoenix charges it per namespace.
 */
public final class PosixMqs {
    /** Defaults and hard limits (ipc/mqueue.c, include/linux/ipc_namespace.h). */
    public static final int DFLT_QUEUESMAX = 256, DFLT_MSGMAX = 10, DFLT_MSGSIZEMAX = 8192, DFLT_MSG = 10,
            DFLT_MSGSIZE = 8192, HARD_MSGMAX = 65536, HARD_MSGSIZEMAX = 16 << 20;
    /** sizeof(struct msg_msg) and of struct posix_msg_tree_node on a 64-bit kernel, which a queue's charge counts. */
    private static final long MSG_MSG = 48, TREE_NODE = 48;
    /** MQ_PRIO_MAX. */
    public static final int MQ_PRIO_MAX = 32768;
    /** Inode numbers of queues (get_next_ino), shared by every namespace. */
    private static final AtomicLong NEXT_INO = new AtomicLong(30000);

    /** The sysctls (/proc/sys/fs/mqueue): queues_max, msg_max, msgsize_max, msg_default, msgsize_default. */
    public volatile int queuesMax = DFLT_QUEUESMAX, msgMax = DFLT_MSGMAX, msgsizeMax = DFLT_MSGSIZEMAX,
            msgDefault = DFLT_MSG, msgsizeDefault = DFLT_MSGSIZE;

    /** st_dev of the namespace's mqueue file system (one superblock per namespace: get_tree_keyed). */
    public final String dev = Mount.anonDev();

    /** @GuardedBy("this") the queues that have a name, in the order made. */
    private final Map<String, PosixMq> byName = new LinkedHashMap<>();
    /** @GuardedBy("this") queues alive (named, or unlinked and still open): mq_queues_count. */
    private int count;
    /** @GuardedBy("this") RLIMIT_MSGQUEUE bytes charged, by real uid. */
    private final Map<Integer, Long> charged = new HashMap<>();

    /** {@link #dev} as st_dev (new_encode_dev of 0:N). */
    public long devNumber() {
        long minor = Long.parseLong(dev.substring(dev.indexOf(':') + 1));
        return (minor & 0xff) | ((minor & ~0xffL) << 12);
    }

    /** The queue named {@code name}, or null. */
    public synchronized PosixMq lookup(String name) {
        return byName.get(name);
    }

    /** Every named queue, in the order made. */
    public synchronized List<PosixMq> all() {
        return new ArrayList<>(byName.values());
    }

    /**
     * Makes queue {@code name} (mqueue_create_attr and mqueue_get_inode): ENOSPC past queues_max
     * without CAP_SYS_RESOURCE; EINVAL for a maxmsg or msgsize not above 0 or above msg_max and
     * msgsize_max (HARD_MSGMAX and HARD_MSGSIZEMAX with CAP_SYS_RESOURCE); EMFILE when its bytes
     * would pass {@code rlimit} (RLIMIT_MSGQUEUE, -1 for none) for the creator's real uid.
     * {@code attr} is {maxmsg, msgsize}, or null for the defaults.
     */
    public synchronized PosixMq create(String name, int mode, Credentials cr, long[] attr, long rlimit, long now) {
        boolean resource = cr.capable(Credentials.CAP_SYS_RESOURCE);
        if (count >= queuesMax && !resource) {
            throw Errno.of(Errno.ENOSPC);
        }
        long maxmsg = attr != null ? attr[0] : Math.min(msgMax, msgDefault);
        long msgsize = attr != null ? attr[1] : Math.min(msgsizeMax, msgsizeDefault);
        if (maxmsg <= 0 || msgsize <= 0 || maxmsg > (resource ? HARD_MSGMAX : msgMax)
                || msgsize > (resource ? HARD_MSGSIZEMAX : msgsizeMax)) {
            throw Errno.of(Errno.EINVAL);
        }
        long bytes = maxmsg * msgsize + maxmsg * MSG_MSG + Math.min(maxmsg, MQ_PRIO_MAX) * TREE_NODE;
        long held = charged.getOrDefault(cr.uid, 0L);
        if (rlimit != -1 && Long.compareUnsigned(held + bytes, rlimit) > 0) {
            throw Errno.of(Errno.EMFILE);
        }
        charged.put(cr.uid, held + bytes);
        count++;
        PosixMq q = new PosixMq(name, NEXT_INO.getAndIncrement(), mode, cr, maxmsg, msgsize, bytes, now);
        byName.put(name, q);
        return q;
    }

    /** mq_unlink(3) of {@code name} once the caller may (the caller checks): its name goes; null when there is none. */
    public synchronized PosixMq unlink(String name) {
        PosixMq q = byName.remove(name);
        if (q != null) {
            synchronized (q) {
                q.unlinked = true;
            }
            forgetIfUnused(q);
        }
        return q;
    }

    /** A descriptor now names {@code q}. */
    public synchronized void opened(PosixMq q) {
        synchronized (q) {
            q.opens++;
        }
    }

    /** A descriptor of {@code q} has gone (its last fd closed): an unlinked queue without any goes. */
    public synchronized void closed(PosixMq q) {
        synchronized (q) {
            q.opens--;
        }
        forgetIfUnused(q);
    }

    /** @GuardedBy("this") */
    private void forgetIfUnused(PosixMq q) {
        synchronized (q) {
            if (!q.unlinked || q.opens > 0) {
                return;
            }
            q.opens = -1; // gone: never counted again
        }
        count--;
        charged.merge(q.chargedUid, -q.chargedBytes, Long::sum);
    }
}
