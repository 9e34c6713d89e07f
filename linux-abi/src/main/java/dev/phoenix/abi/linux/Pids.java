package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.ns.PidNamespace;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.Task;

/**
 * Pids as a process sees them (pid_namespaces(7)): the kernel keeps every task by its kernel-wide
 * id, and every pid that crosses the system call boundary, in either direction, goes through the
 * caller's PID namespace here (Linux's task_pid_vnr and find_task_by_vpid). In the initial
 * namespace both directions are the identity.
 */
public final class Pids {
    private Pids() {}

    /** The number the task or process with kernel-wide id {@code global} has for {@code viewer}; 0 when it cannot see it. */
    public static int nr(Process viewer, int global) {
        return viewer.namespaces.pid().nr(global);
    }

    /** {@link #nr(Process, int)} for the calling process. */
    static int nr(SyscallContext c, int global) {
        return nr(c.process(), global);
    }

    /** The kernel-wide id of what the caller calls {@code nr} (positive), 0 when no such task is visible to it. */
    static int global(SyscallContext c, int nr) {
        return c.process().namespaces.pid().global(nr);
    }

    /** The task the caller names {@code nr}, as find_task_by_vpid finds it, or null. */
    static Task task(SyscallContext c, int nr) {
        int g = global(c, nr);
        return g <= 0 ? null : c.kernel().task(g);
    }

    /** The process the caller names {@code nr}, or null. */
    static Process process(SyscallContext c, int nr) {
        int g = global(c, nr);
        return g <= 0 ? null : c.kernel().process(g);
    }

    /** Whether {@code q} is visible from {@code viewer}'s PID namespace (in it or below it). */
    static boolean visible(Process viewer, Process q) {
        return q.namespaces.pid().isWithin(viewer.namespaces.pid());
    }

    /**
     * A queued signal's sender word (pid in the low half, kernel uid in the high) as
     * {@code viewer} sees it: the pid translated, 0 for a sender outside its namespace (a host
     * process, an ancestor namespace); the uid through its user namespace, the overflow uid when
     * unmapped (userns_fixup_signal_uid).
     */
    public static long sender(Process viewer, long sender) {
        PidNamespace ns = viewer.namespaces.pid();
        boolean sameUsers = viewer.namespaces.user().isInitial();
        if (ns.isInitial() && sameUsers) {
            return sender;
        }
        int pid = ns.isInitial() ? (int) sender : ns.nr((int) sender);
        long uid = sameUsers ? sender >>> 32 : Integer.toUnsignedLong(UserIds.uid(viewer, (int) (sender >>> 32)));
        return (uid << 32) | (pid & 0xffffffffL);
    }

    /** Whether {@code p} is the init (pid 1) of a PID namespace below the initial one. */
    static boolean isNamespaceInit(Process p) {
        PidNamespace ns = p.namespaces.pid();
        return !ns.isInitial() && ns.initGlobal() == p.pid();
    }
}
