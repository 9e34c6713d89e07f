package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.Task;

/**
 * CPU affinity (kernel/sched/syscalls.c): sched_setaffinity(2), sched_getaffinity(2) and
 * getcpu(2). The CPUs are the kernel's {@link dev.phoenix.abi.LinuxKernel#cpuCount}, at most 64
 * (Phoenix's cpumask is one 64-bit word, 8 bytes, the size the calls report). A runner takes
 * only a CPU the task's mask allows for each of its turns.
 */
final class AffinitySyscalls {
    private AffinitySyscalls() {}

    /** The guest's CPUs as an affinity mask. */
    private static long allCpus(SyscallContext c) {
        int cpus = Math.min(c.kernel().cpuCount(), 64);
        return cpus == 64 ? -1L : (1L << cpus) - 1;
    }

    /**
     * Implements Linux sched_getaffinity(2): the CPUs task {@code pid} (0: the caller; any
     * thread of any process) may run on. {@code len} (an unsigned int) must be a multiple of 8
     * that holds every CPU; the answer is the kernel's cpumask size, 8 bytes here.
     */
    static long schedGetaffinity(SyscallContext c, long pid, long len, long mask, long a3, long a4, long a5) {
        long size = Integer.toUnsignedLong((int) len);
        if (size < 8 || (size & 7) != 0) {
            return -Errno.EINVAL;
        }
        Task t = SchedRules.find(c, (int) pid);
        c.memory().writeLong(mask, t.affinity & allCpus(c));
        return 8;
    }

    /**
     * Implements Linux sched_setaffinity(2) for task {@code pid} (0: the caller), which the
     * caller must own or have CAP_SYS_NICE for (EPERM, check_same_owner). As get_user_cpu_mask
     * reads it, a mask shorter than the kernel's cpumask is zero-extended and a longer one cut;
     * the mask kept is what the guest's CPUs have of it, and EINVAL when that is no CPU at all.
     */
    static long schedSetaffinity(SyscallContext c, long pid, long len, long mask, long a3, long a4, long a5) {
        int n = (int) Math.min(Integer.toUnsignedLong((int) len), 8);
        byte[] raw = n == 0 ? new byte[0] : c.memory().read(mask, n); // EFAULT before ESRCH, as Linux copies first
        long bits = 0;
        for (int i = 0; i < n; i++) {
            bits |= (raw[i] & 0xffL) << (8 * i);
        }
        Task t = SchedRules.find(c, (int) pid);
        if (!SchedRules.sameOwner(c.process().credentials(), t) && !SchedRules.capable(c)) {
            return -Errno.EPERM;
        }
        long allowed = bits & allCpus(c);
        if (allowed == 0) {
            return -Errno.EINVAL;
        }
        t.affinity = allowed;
        return 0;
    }

    /**
     * Implements Linux getcpu(2): the virtual CPU the calling thread's turn runs on
     * ({@link Task#onCpu}), or, when its mask no longer allows that one (Linux would have moved
     * it at once) or it never took one (a deterministic run has no pool), the lowest CPU it may
     * run on; and node 0.
     */
    static long getcpu(SyscallContext c, long cpu, long node, long cache, long a3, long a4, long a5) {
        if (cpu != 0) {
            long allowed = c.task().affinity & allCpus(c);
            int on = c.task().onCpu;
            boolean there = on >= 0 && on < 64 && (allowed & (1L << on)) != 0;
            c.memory().writeInt(cpu, there ? on : Long.numberOfTrailingZeros(allowed));
        }
        if (node != 0) {
            c.memory().writeInt(node, 0);
        }
        return 0;
    }
}
