package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.mm.GuestMemory;
import dev.phoenix.libos.proc.RunQueue;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.libos.sched.RoundRobin;
import dev.phoenix.libos.sched.SchedEntity;
import dev.phoenix.libos.sched.Scheduler;
import dev.phoenix.sched.ClassScheduler;

/**
 * The scheduling-policy syscalls of Linux's kernel/sched/syscalls.c: sched_setscheduler,
 * sched_setparam, sched_setattr and their getters, the priority range of each policy and
 * sched_rr_get_interval, on any task of any guest process, with Linux's permission rules
 * ({@link SchedRules}) and errors.
 *
 * <p>SCHED_DEADLINE is refused after Linux's own checks of its parameters and permission: a
 * valid request gets EBUSY, the answer of Linux's admission control (sched_dl_overflow) when the
 * bandwidth asked for is not available, as Phoenix has no deadline class to give any. Utilization
 * clamping (SCHED_FLAG_UTIL_CLAMP_MIN/MAX) is EOPNOTSUPP, as on a kernel built without
 * CONFIG_UCLAMP_TASK, and sched_getattr reports no clamps.
 */
final class SchedSyscalls {
    private SchedSyscalls() {}

    /** sched_setscheduler(2)'s flag in the policy argument (and sched_getscheduler's answer). */
    static final int SCHED_RESET_ON_FORK = 0x40000000;
    /** sched_attr's flags (include/uapi/linux/sched.h). */
    static final long SCHED_FLAG_RESET_ON_FORK = 0x01, SCHED_FLAG_KEEP_POLICY = 0x08, SCHED_FLAG_KEEP_PARAMS = 0x10,
            SCHED_FLAG_UTIL_CLAMP = 0x60, SCHED_FLAG_ALL = 0x7f, SCHED_FLAG_SUGOV = 0x10000000;
    /** sched_setparam's policy: keep the task's (Linux's SETPARAM_POLICY). */
    private static final int SETPARAM_POLICY = -1;
    /** What a task without a run queue (one a test drives) reports as its slices: the kernel's classes. */
    private static final Scheduler NO_QUEUE = new ClassScheduler(RoundRobin.SLICE_NANOS);

    /** Implements Linux sched_setscheduler(2); SCHED_RESET_ON_FORK may be or'ed into the policy. */
    static long schedSetscheduler(SyscallContext c, long pid, long policy, long param, long a3, long a4, long a5) {
        if ((int) policy < 0) {
            return -Errno.EINVAL;
        }
        return setscheduler(c, (int) pid, (int) policy, param);
    }

    /** Implements Linux sched_setparam(2): the real-time priority, the policy kept. */
    static long schedSetparam(SyscallContext c, long pid, long param, long a2, long a3, long a4, long a5) {
        return setscheduler(c, (int) pid, SETPARAM_POLICY, param);
    }

    /** Linux's do_sched_setscheduler and _sched_setscheduler: the nice value stays the task's. */
    private static long setscheduler(SyscallContext c, int pid, int policy, long param) {
        if (param == 0 || pid < 0) {
            return -Errno.EINVAL;
        }
        int priority = c.memory().readInt(param);
        Task t = SchedRules.find(c, pid);
        long flags = 0;
        if (policy != SETPARAM_POLICY && (policy & SCHED_RESET_ON_FORK) != 0) {
            flags = SCHED_FLAG_RESET_ON_FORK;
            policy &= ~SCHED_RESET_ON_FORK;
        }
        return set(c, t, new SchedAttr(policy, flags, t.sched.nice, priority, 0, 0, 0));
    }

    /**
     * Implements Linux sched_setattr(2): struct sched_attr read by its size ({@link SchedAttr#read}),
     * SCHED_FLAG_KEEP_POLICY and SCHED_FLAG_KEEP_PARAMS filled in from the task.
     */
    static long schedSetattr(SyscallContext c, long pid, long uattr, long flags, long a3, long a4, long a5) {
        if (uattr == 0 || (int) pid < 0 || (int) flags != 0) {
            return -Errno.EINVAL;
        }
        SchedAttr attr = SchedAttr.read(c.memory(), uattr);
        if (attr.policy() < 0) {
            return -Errno.EINVAL;
        }
        if ((attr.flags() & SCHED_FLAG_KEEP_POLICY) != 0) {
            attr = attr.withPolicy(SETPARAM_POLICY);
        }
        Task t = SchedRules.find(c, (int) pid);
        if ((attr.flags() & SCHED_FLAG_KEEP_PARAMS) != 0) {
            attr = SchedEntity.isRealTimePolicy(t.sched.policy) ? attr.withPriority(t.sched.rtPriority)
                    : attr.withNice(t.sched.nice); // Linux's get_params
        }
        return set(c, t, attr);
    }

    /**
     * Linux's __sched_setscheduler for a user's request: the policy, flags and priority checked
     * (EINVAL), then the permission (EPERM), then what Phoenix cannot do (utilization clamps,
     * SCHED_DEADLINE), then the change.
     */
    private static long set(SyscallContext c, Task t, SchedAttr attr) {
        SchedEntity e = t.sched;
        int policy = attr.policy();
        boolean resetOnFork;
        if (policy == SETPARAM_POLICY) {
            resetOnFork = e.resetOnFork;
            policy = e.policy;
        } else {
            resetOnFork = (attr.flags() & SCHED_FLAG_RESET_ON_FORK) != 0;
            if (!SchedRules.validPolicy(policy)) {
                return -Errno.EINVAL;
            }
        }
        if ((attr.flags() & ~(SCHED_FLAG_ALL | SCHED_FLAG_SUGOV)) != 0) {
            return -Errno.EINVAL;
        }
        // sched_priority is unsigned: 1..99 for the real-time policies, 0 for the others.
        long priority = Integer.toUnsignedLong(attr.priority());
        if (priority > SchedRules.MAX_RT_PRIORITY) {
            return -Errno.EINVAL;
        }
        if ((policy == SchedEntity.SCHED_DEADLINE && !attr.validDeadline())
                || SchedEntity.isRealTimePolicy(policy) != (priority != 0)) {
            return -Errno.EINVAL;
        }
        SchedRules.checkPermission(c, t, policy, (int) priority, attr.nice(), resetOnFork);
        if ((attr.flags() & SCHED_FLAG_SUGOV) != 0) {
            return -Errno.EINVAL; // the kernel's own cpufreq threads only
        }
        if ((attr.flags() & SCHED_FLAG_UTIL_CLAMP) != 0) {
            return -Errno.EOPNOTSUPP; // uclamp_validate without CONFIG_UCLAMP_TASK
        }
        if (policy == SchedEntity.SCHED_DEADLINE) {
            return -Errno.EBUSY; // no deadline class: admission control has no bandwidth to give
        }
        if ((attr.flags() & SCHED_FLAG_KEEP_PARAMS) != 0) {
            SchedRules.setResetOnFork(t, resetOnFork);
        } else {
            SchedRules.setScheduler(t, policy, (int) priority, attr.nice(), resetOnFork);
        }
        return 0;
    }

    /** Implements Linux sched_getscheduler(2): the policy, with SCHED_RESET_ON_FORK when set. */
    static long schedGetscheduler(SyscallContext c, long pid, long a1, long a2, long a3, long a4, long a5) {
        if ((int) pid < 0) {
            return -Errno.EINVAL;
        }
        SchedEntity e = SchedRules.find(c, (int) pid).sched;
        return e.policy | (e.resetOnFork ? SCHED_RESET_ON_FORK : 0);
    }

    /** Implements Linux sched_getparam(2): the real-time priority, 0 for the other policies. */
    static long schedGetparam(SyscallContext c, long pid, long param, long a2, long a3, long a4, long a5) {
        if (param == 0 || (int) pid < 0) {
            return -Errno.EINVAL;
        }
        SchedEntity e = SchedRules.find(c, (int) pid).sched;
        c.memory().writeInt(param, SchedEntity.isRealTimePolicy(e.policy) ? e.rtPriority : 0);
        return 0;
    }

    /**
     * Implements Linux sched_getattr(2): the policy, SCHED_FLAG_RESET_ON_FORK, and the real-time
     * priority or the nice value, written by the size protocol of {@link SchedAttr#write}.
     */
    static long schedGetattr(SyscallContext c, long pid, long uattr, long usize, long flags, long a4, long a5) {
        long size = Integer.toUnsignedLong((int) usize);
        if (uattr == 0 || (int) pid < 0 || size > SchedAttr.PAGE_SIZE || size < SchedAttr.SIZE_VER0
                || (int) flags != 0) {
            return -Errno.EINVAL;
        }
        SchedEntity e = SchedRules.find(c, (int) pid).sched;
        boolean rt = SchedEntity.isRealTimePolicy(e.policy);
        SchedAttr attr = new SchedAttr(e.policy, e.resetOnFork ? SCHED_FLAG_RESET_ON_FORK : 0, rt ? 0 : e.nice,
                rt ? e.rtPriority : 0, 0, 0, 0);
        attr.write(c.memory(), uattr, size);
        return 0;
    }

    /** Implements Linux sched_get_priority_max(2): 99 for SCHED_FIFO and SCHED_RR, 0 for the others. */
    static long schedGetPriorityMax(SyscallContext c, long policy, long a1, long a2, long a3, long a4, long a5) {
        return priorityRange((int) policy, SchedRules.MAX_RT_PRIORITY);
    }

    /** Implements Linux sched_get_priority_min(2): 1 for SCHED_FIFO and SCHED_RR, 0 for the others. */
    static long schedGetPriorityMin(SyscallContext c, long policy, long a1, long a2, long a3, long a4, long a5) {
        return priorityRange((int) policy, 1);
    }

    private static long priorityRange(int policy, int realTime) {
        if (SchedEntity.isRealTimePolicy(policy)) {
            return realTime;
        }
        return SchedRules.validPolicy(policy) || policy == SchedRules.SCHED_EXT ? 0 : -Errno.EINVAL;
    }

    /**
     * Implements Linux sched_rr_get_interval(2): the time slice the task's scheduling class
     * gives it ({@link Scheduler#rrIntervalNanos}: 0 for SCHED_FIFO, RR_TIMESLICE (100 ms) for
     * SCHED_RR, the fair slice for the others), as a timespec.
     */
    static long schedRrGetInterval(SyscallContext c, long pid, long interval, long a2, long a3, long a4, long a5) {
        if ((int) pid < 0) {
            return -Errno.EINVAL;
        }
        Task t = SchedRules.find(c, (int) pid);
        RunQueue q = t.runQueue();
        long nanos;
        if (q == null) {
            nanos = NO_QUEUE.rrIntervalNanos(t.sched);
        } else {
            synchronized (q) { // a class is called under its run queue's lock
                nanos = q.scheduler().rrIntervalNanos(t.sched);
            }
        }
        GuestMemory m = c.memory();
        if (m.accessible(interval, 16, dev.phoenix.emu.Prot.WRITE) < 16) {
            return -Errno.EFAULT;
        }
        m.writeLong(interval, nanos / 1_000_000_000L);
        m.writeLong(interval + 8, nanos % 1_000_000_000L);
        return 0;
    }
}
