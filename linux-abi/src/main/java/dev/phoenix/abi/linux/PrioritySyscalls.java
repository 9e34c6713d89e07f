package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.Credentials;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * The calls that name their targets as a process, a process group or a user (kernel/sys.c):
 * getpriority(2) and setpriority(2) for the nice value, which is per thread as in Linux (a pid
 * names one thread, the leader's by the pid, a group or a user every thread in it), and
 * ioprio_get(2) and ioprio_set(2), which Phoenix keeps per process.
 */
final class PrioritySyscalls {
    private PrioritySyscalls() {}

    private static final int PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2;

    /**
     * The threads ({@code which}, {@code who}) names, as setpriority's loops walk them: the task
     * a pid names (0: the caller), every thread of every process in a group (0: the caller's),
     * or every thread whose real uid is {@code who} (0: the caller's), a zombie leader included
     * as Linux's thread lists keep it; empty for none.
     */
    private static List<Task> targets(SyscallContext c, int which, int who) {
        List<Task> out = new ArrayList<>();
        if (which == PRIO_PROCESS) {
            Task t = who == 0 ? c.task() : Pids.task(c, who);
            if (t != null) {
                out.add(t);
            }
            return out;
        }
        int id = which == PRIO_PGRP ? (who != 0 ? Pids.global(c, who) : c.process().pgid)
                : who != 0 ? who : c.process().credentials().uid;
        for (Process p : c.kernel().processes()) {
            if (which == PRIO_PGRP ? p.pgid != id : p.credentials().uid != id) {
                continue;
            }
            for (Task t : p.tasks()) {
                if (t == p.mainTask() || !t.exited) {
                    out.add(t);
                }
            }
        }
        return out;
    }

    /**
     * Implements Linux getpriority(2): the best nice value of the threads named, as the raw
     * syscall returns it, {@code 20 - nice} (1..40), which libc turns back; ESRCH for none.
     */
    static long getpriority(SyscallContext c, long which, long who, long a2, long a3, long a4, long a5) {
        int w = (int) which;
        if (w < PRIO_PROCESS || w > PRIO_USER) {
            return -Errno.EINVAL;
        }
        long best = -Errno.ESRCH;
        for (Task t : targets(c, w, (int) who)) {
            best = Math.max(best, 20 - t.sched.nice);
        }
        return best;
    }

    /**
     * Implements Linux setpriority(2): the nice value, clamped to -20..19, of every thread named.
     * Each needs the caller to own it or have CAP_SYS_NICE (EPERM), and a lower value to be
     * within its RLIMIT_NICE or CAP_SYS_NICE (EACCES); as Linux's loop does, the others are
     * still changed and the last refusal is the answer; ESRCH for no thread.
     */
    static long setpriority(SyscallContext c, long which, long who, long niceval, long a3, long a4, long a5) {
        int w = (int) which;
        if (w < PRIO_PROCESS || w > PRIO_USER) {
            return -Errno.EINVAL;
        }
        int nice = Math.max(SchedRules.MIN_NICE, Math.min(SchedRules.MAX_NICE, (int) niceval));
        Credentials me = c.process().credentials();
        long error = -Errno.ESRCH;
        for (Task t : targets(c, w, (int) who)) {
            if (!SchedRules.sameOwner(me, t) && !SchedRules.capable(c)) {
                error = -Errno.EPERM;
            } else if (nice < t.sched.nice && !SchedRules.canNice(c, t, nice)) {
                error = -Errno.EACCES;
            } else {
                if (error == -Errno.ESRCH) {
                    error = 0;
                }
                SchedRules.setNice(t, nice);
            }
        }
        return error;
    }

    private static final int IOPRIO_WHO_PROCESS = 1, IOPRIO_WHO_USER = 3;

    /**
     * True when ({@code which}, {@code who}) names the calling process, as ioprio_get/ioprio_set
     * read them: its pid, its group or its user, 0 meaning the caller's; EINVAL for another
     * which. Phoenix keeps one I/O priority per process.
     */
    private static boolean ioprioTarget(SyscallContext c, long which, long who) {
        int w = (int) which;
        if (w < IOPRIO_WHO_PROCESS || w > IOPRIO_WHO_USER) {
            throw Errno.of(Errno.EINVAL);
        }
        Process p = c.process();
        int id = (int) who;
        return switch (w - 1) { // the same three kinds of target as PRIO_*, numbered from 1
            case PRIO_PROCESS -> id == 0 || Pids.global(c, id) == p.pid();
            case PRIO_PGRP -> id == 0 || Pids.global(c, id) == p.pgid;
            default -> id == 0 || id == p.credentials().uid;
        };
    }

    /** Implements Linux ioprio_get(2): what ioprio_set stored (0, class none, until then). */
    static long ioprioGet(SyscallContext c, long which, long who, long a2, long a3, long a4, long a5) {
        return ioprioTarget(c, which, who) ? c.process().ioprio : -Errno.ESRCH;
    }

    /**
     * Implements Linux ioprio_set(2): class (13 bits up) NONE, RT, BE or IDLE and a level below 8
     * for RT and BE; RT needs CAP_SYS_ADMIN or CAP_SYS_NICE. The value is checked before the
     * target, as ioprio_check_cap runs first. Phoenix records it (there is no I/O scheduler).
     */
    static long ioprioSet(SyscallContext c, long which, long who, long ioprio, long a3, long a4, long a5) {
        int value = (int) ioprio;
        int cls = (value >>> 13) & 7, level = value & 0x1fff;
        Credentials k = c.process().credentials();
        boolean valid = switch (cls) {
            case 0 -> level == 0;
            case 1 -> {
                if (!k.capable(Credentials.CAP_SYS_ADMIN) && !k.capable(Credentials.CAP_SYS_NICE)) {
                    throw Errno.of(Errno.EPERM);
                }
                yield level < 8;
            }
            case 2 -> level < 8;
            case 3 -> true;
            default -> false;
        };
        if (!valid) {
            return -Errno.EINVAL;
        }
        if (!ioprioTarget(c, which, who)) {
            return -Errno.ESRCH;
        }
        c.process().ioprio = value;
        return 0;
    }
}
