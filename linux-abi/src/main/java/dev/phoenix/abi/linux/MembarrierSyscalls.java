package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.Process;

/**
 * membarrier(2). Every barrier it asks for already holds: the threads of an address space take
 * turns on one engine, so no other thread of the process is running while the caller is (and
 * each switch saves and restores the whole CPU state); other processes share no memory yet, and
 * the engine notices writes to translated code by itself, which is what the SYNC_CORE commands
 * ask of a core. What is left is Linux's bookkeeping: which commands exist, the flags they take,
 * and that a private expedited barrier needs its registration first.
 */
final class MembarrierSyscalls {
    private MembarrierSyscalls() {}

    static final int QUERY = 0, GLOBAL = 1, GLOBAL_EXPEDITED = 2, REGISTER_GLOBAL_EXPEDITED = 4,
            PRIVATE_EXPEDITED = 8, REGISTER_PRIVATE_EXPEDITED = 16, PRIVATE_EXPEDITED_SYNC_CORE = 32,
            REGISTER_PRIVATE_EXPEDITED_SYNC_CORE = 64, PRIVATE_EXPEDITED_RSEQ = 128,
            REGISTER_PRIVATE_EXPEDITED_RSEQ = 256;
    /** MEMBARRIER_CMD_FLAG_CPU: the one flag, for PRIVATE_EXPEDITED_RSEQ only. */
    private static final int FLAG_CPU = 1;
    /**
     * What QUERY answers: every command but the RSEQ ones (rseq(2) is ENOSYS here, as in a kernel
     * without CONFIG_RSEQ) and GET_REGISTRATIONS, which came after the 6.1 Phoenix reports.
     */
    static final int SUPPORTED = GLOBAL | GLOBAL_EXPEDITED | REGISTER_GLOBAL_EXPEDITED | PRIVATE_EXPEDITED
            | REGISTER_PRIVATE_EXPEDITED | PRIVATE_EXPEDITED_SYNC_CORE | REGISTER_PRIVATE_EXPEDITED_SYNC_CORE;

    /** Implements Linux membarrier(2) (kernel/sched/membarrier.c). */
    static long membarrier(SyscallContext c, long cmd, long flags, long cpuId, long a3, long a4, long a5) {
        int command = (int) cmd;
        int f = (int) flags;
        if (command == PRIVATE_EXPEDITED_RSEQ ? f != 0 && f != FLAG_CPU : f != 0) {
            return -Errno.EINVAL;
        }
        Process p = c.process();
        return switch (command) {
            case QUERY -> SUPPORTED;
            case GLOBAL, GLOBAL_EXPEDITED -> 0;
            case REGISTER_GLOBAL_EXPEDITED, REGISTER_PRIVATE_EXPEDITED, REGISTER_PRIVATE_EXPEDITED_SYNC_CORE -> {
                register(p, command);
                yield 0;
            }
            case PRIVATE_EXPEDITED -> (p.membarrierRegistered & REGISTER_PRIVATE_EXPEDITED) != 0 ? 0 : -Errno.EPERM;
            case PRIVATE_EXPEDITED_SYNC_CORE ->
                (p.membarrierRegistered & REGISTER_PRIVATE_EXPEDITED_SYNC_CORE) != 0 ? 0 : -Errno.EPERM;
            default -> -Errno.EINVAL; // the RSEQ commands (no rseq), GET_REGISTRATIONS (Linux 6.3) and unknown ones
        };
    }

    private static synchronized void register(Process p, int command) {
        p.membarrierRegistered |= command;
    }
}
