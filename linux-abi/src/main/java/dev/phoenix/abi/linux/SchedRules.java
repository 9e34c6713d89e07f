package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.Credentials;
import dev.phoenix.libos.proc.PiChains;
import dev.phoenix.libos.proc.RunQueue;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.libos.sched.SchedEntity;

/**
 * Linux's rules for a task's scheduling parameters, shared by the sched_* calls and
 * setpriority(2) (kernel/sched/syscalls.c, kernel/sys.c, sched(7)): which task a pid names, who
 * may change whose parameters (check_same_owner, can_nice, user_check_sched_setscheduler, with
 * RLIMIT_RTPRIO, RLIMIT_NICE and CAP_SYS_NICE taken from the emulated credentials), the change
 * itself, made under the task's run queue lock and told to its scheduling class so that it
 * moves the task and preempts as needed, and what a child inherits (sched_fork).
 *
 * <p>Policy, real-time priority and nice value are per task (per thread), as in Linux.
 */
final class SchedRules {
    private SchedRules() {}

    static final int RLIMIT_NICE = 13, RLIMIT_RTPRIO = 14;
    static final int MIN_NICE = -20, MAX_NICE = 19;
    /** The highest real-time priority, Linux's MAX_RT_PRIO - 1. */
    static final int MAX_RT_PRIORITY = SchedEntity.MAX_RT_PRIO - 1;
    /**
     * SCHED_EXT (Linux 6.12): sched_get_priority_max/min know the number, but Phoenix, like a
     * kernel built without CONFIG_SCHED_CLASS_EXT, has no BPF class to run it (EINVAL to set).
     */
    static final int SCHED_EXT = 7;

    /**
     * Linux's find_process_by_pid: the caller for 0, else the task {@code pid} names in any
     * process (a thread by its tid; ESRCH for none). The caller checks {@code pid < 0} first
     * where Linux answers EINVAL for it.
     */
    static Task find(SyscallContext c, int pid) {
        Task t = pid == 0 ? c.task() : Pids.task(c, pid);
        if (t == null) {
            throw Errno.of(Errno.ESRCH);
        }
        return t;
    }

    /**
     * Linux's check_same_owner (and setpriority's set_one_prio_perm): the caller's effective uid
     * is the target's real or effective uid.
     */
    static boolean sameOwner(Credentials caller, Task t) {
        Credentials it = t.process().credentials();
        return caller.euid == it.euid || caller.euid == it.uid;
    }

    /** CAP_SYS_NICE in the caller's effective set. */
    static boolean capable(SyscallContext c) {
        return c.process().credentials().capable(Credentials.CAP_SYS_NICE);
    }

    /**
     * Linux's is_nice_reduction: {@code nice} is within {@code t}'s RLIMIT_NICE, whose soft limit
     * {@code r} allows nice values down to {@code 20 - r} (setrlimit(2)).
     */
    static boolean niceWithinLimit(Task t, int nice) {
        return 20 - nice <= t.process().rlimitCurOrMax(RLIMIT_NICE);
    }

    /** Linux's can_nice: the caller may give {@code t} the lower nice value {@code nice}. */
    static boolean canNice(SyscallContext c, Task t, int nice) {
        return niceWithinLimit(t, nice) || capable(c);
    }

    static boolean validPolicy(int policy) {
        return switch (policy) {
            case SchedEntity.SCHED_OTHER, SchedEntity.SCHED_FIFO, SchedEntity.SCHED_RR, SchedEntity.SCHED_BATCH,
                    SchedEntity.SCHED_IDLE, SchedEntity.SCHED_DEADLINE -> true;
            default -> false;
        };
    }

    /** Linux's fair_policy: the policies whose tasks' nice value sched_setattr(2) sets. */
    static boolean fairPolicy(int policy) {
        return policy == SchedEntity.SCHED_OTHER || policy == SchedEntity.SCHED_BATCH;
    }

    /**
     * Linux's user_check_sched_setscheduler: EPERM, unless the caller has CAP_SYS_NICE, when the
     * change lowers {@code t}'s nice value beyond its RLIMIT_NICE, makes it real-time without
     * RLIMIT_RTPRIO or raises its real-time priority above both its own and that limit (an
     * unprivileged task may always lower its priority), asks for SCHED_DEADLINE, takes it out of
     * SCHED_IDLE when RLIMIT_NICE would not allow its nice value, changes another user's task,
     * or clears SCHED_RESET_ON_FORK.
     */
    static void checkPermission(SyscallContext c, Task t, int policy, int priority, int nice, boolean resetOnFork) {
        SchedEntity e = t.sched;
        boolean needed = false;
        if (fairPolicy(policy) && nice < e.nice && !niceWithinLimit(t, nice)) {
            needed = true;
        }
        if (SchedEntity.isRealTimePolicy(policy)) {
            long limit = t.process().rlimitCurOrMax(RLIMIT_RTPRIO);
            needed |= policy != e.policy && limit == 0;
            needed |= priority > e.rtPriority && priority > limit;
        }
        needed |= policy == SchedEntity.SCHED_DEADLINE;
        needed |= e.policy == SchedEntity.SCHED_IDLE && policy != SchedEntity.SCHED_IDLE
                && !niceWithinLimit(t, e.nice);
        needed |= !sameOwner(c.process().credentials(), t);
        needed |= e.resetOnFork && !resetOnFork;
        if (needed && !capable(c)) {
            throw Errno.of(Errno.EPERM);
        }
    }

    /**
     * Sets {@code t}'s policy, real-time priority and, for the fair policies, nice value, as
     * Linux's __setscheduler_params (SCHED_IDLE and the real-time policies keep the nice value
     * for later), and its reset-on-fork flag.
     */
    static void setScheduler(Task t, int policy, int priority, int nice, boolean resetOnFork) {
        change(t, e -> {
            e.resetOnFork = resetOnFork;
            e.policy = policy;
            if (fairPolicy(policy)) {
                e.nice = nice;
            }
            e.rtPriority = priority;
        });
    }

    /** Sets {@code t}'s reset-on-fork flag alone (sched_setattr with SCHED_FLAG_KEEP_PARAMS). */
    static void setResetOnFork(Task t, boolean resetOnFork) {
        t.sched.resetOnFork = resetOnFork;
    }

    /**
     * Linux's set_user_nice: the nice value of {@code t}, whatever its policy (a real-time task
     * keeps it for when it returns to a fair policy).
     */
    static void setNice(Task t, int nice) {
        change(t, e -> e.nice = nice);
    }

    /**
     * Makes {@code change} to {@code t}'s scheduling entity under its run queue's lock and tells
     * the queue, whose class moves the task and preempts the running one when the change calls
     * for it (Linux changes the parameters under the rq lock and calls prio_changed). Then,
     * outside that lock, the owners of a PI lock {@code t} is blocked on inherit its new
     * priority along their chain (Linux's rt_mutex_adjust_pi).
     */
    private static void change(Task t, java.util.function.Consumer<SchedEntity> change) {
        RunQueue q = t.runQueue();
        if (q == null) {
            change.accept(t.sched);
        } else {
            synchronized (q) {
                change.accept(t.sched);
                if (t.state() != RunQueue.State.DEAD && t.state() != RunQueue.State.NEW) {
                    q.priorityChanged(t);
                }
            }
        }
        PiChains.priorityChanged(t);
    }

    /**
     * Linux's sched_fork: a new thread or process starts with the policy, real-time priority
     * and nice value of the task that made it, not with a priority it inherits through a lock;
     * when that task has SCHED_RESET_ON_FORK, a real-time child is SCHED_OTHER with nice 0, a
     * negative nice value becomes 0, and the child does not keep the flag.
     */
    static void forked(SchedEntity parent, SchedEntity child) {
        int policy = parent.policy;
        int priority = parent.rtPriority;
        int nice = parent.nice;
        if (parent.resetOnFork) {
            if (SchedEntity.isRealTimePolicy(policy) || policy == SchedEntity.SCHED_DEADLINE) {
                policy = SchedEntity.SCHED_OTHER;
                priority = 0;
                nice = 0;
            } else if (nice < 0) {
                nice = 0;
            }
        }
        child.policy = policy;
        child.rtPriority = priority;
        child.nice = nice;
        child.resetOnFork = false;
    }
}
