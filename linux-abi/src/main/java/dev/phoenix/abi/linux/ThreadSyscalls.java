package dev.phoenix.abi.linux;

import dev.phoenix.abi.ArchAbi;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.Cpu;
import dev.phoenix.emu.Reg;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.mm.GuestMemory;
import dev.phoenix.libos.proc.ExitStatus;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.Task;

/**
 * clone(2), clone3(2) and exit(2) for threads: a new task of the calling process that shares
 * its address space and engine (the runner switches the engine between them), its signal
 * handlers, and, as asked, its fd table and fs context. A clone without CLONE_THREAD makes a
 * process ({@link ForkSyscalls}).
 */
final class ThreadSyscalls {
    private ThreadSyscalls() {}

    static final long CSIGNAL = 0xff, CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_SIGHAND = 0x800,
            CLONE_PIDFD = 0x1000, CLONE_VFORK = 0x4000, CLONE_PARENT = 0x8000, CLONE_THREAD = 0x10000,
            CLONE_NEWNS = 0x20000, CLONE_SYSVSEM = 0x40000, CLONE_SETTLS = 0x80000, CLONE_PARENT_SETTID = 0x100000,
            CLONE_CHILD_CLEARTID = 0x200000, CLONE_DETACHED = 0x400000, CLONE_CHILD_SETTID = 0x1000000,
            CLONE_NEWUSER = 0x10000000, CLONE_NEWPID = 0x20000000, CLONE_CLEAR_SIGHAND = 0x100000000L,
            CLONE_INTO_CGROUP = 0x200000000L;
    /** clone3's struct clone_args: the first version's size, and what this kernel knows (up to cgroup). */
    private static final int CLONE_ARGS_SIZE_VER0 = 64, CLONE_ARGS_SIZE_KNOWN = 88;

    /**
     * Implements Linux clone(2). The argument order differs by arch ({@link ArchAbi#cloneOrder}):
     * x86_64 passes (flags, stack, parent_tid, child_tid, tls), the generic ABI of aarch64 and
     * riscv64 (flags, stack, parent_tid, tls, child_tid).
     */
    static long clone(SyscallContext c, long flags, long stack, long parentTid, long a3, long a4, long a5) {
        ArchAbi.CloneOrder order = c.abi().cloneOrder();
        long childTid = order.childTid() == 3 ? a3 : a4;
        long tls = order.tls() == 3 ? a3 : a4;
        if ((flags & CLONE_PIDFD) != 0 && (flags & CLONE_PARENT_SETTID) != 0) {
            return -Errno.EINVAL; // clone(2) returns the pidfd through parent_tid
        }
        return create(c, flags & 0xffffffffL & ~CSIGNAL, stack, parentTid, childTid, tls, (int) (flags & CSIGNAL));
    }

    /** Implements Linux clone3(2): the arguments in a struct clone_args of {@code size} bytes. */
    static long clone3(SyscallContext c, long args, long size, long a2, long a3, long a4, long a5) {
        if (size < CLONE_ARGS_SIZE_VER0) {
            return -Errno.EINVAL;
        }
        if (size > 4096) {
            return -Errno.E2BIG;
        }
        GuestMemory mem = c.memory();
        byte[] raw = mem.read(args, (int) size); // EFAULT when not all readable
        for (int i = CLONE_ARGS_SIZE_KNOWN; i < raw.length; i++) {
            if (raw[i] != 0) {
                return -Errno.E2BIG; // a newer struct asking for something this kernel lacks
            }
        }
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(java.util.Arrays.copyOf(raw, CLONE_ARGS_SIZE_KNOWN))
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        long flags = b.getLong(0), pidfd = b.getLong(8), childTid = b.getLong(16), parentTid = b.getLong(24),
                exitSignal = b.getLong(32), stack = b.getLong(40), stackSize = b.getLong(48), tls = b.getLong(56),
                setTid = b.getLong(64), setTidSize = b.getLong(72);
        if ((flags & ~0x3ffffff00L & ~CSIGNAL) != 0 || (flags & CSIGNAL) != 0 || exitSignal > 64
                || (stack == 0) != (stackSize == 0) || (setTid == 0) != (setTidSize == 0)
                || ((flags & (CLONE_THREAD | CLONE_PARENT)) != 0 && exitSignal != 0)
                || ((flags & CLONE_CLEAR_SIGHAND) != 0 && (flags & CLONE_SIGHAND) != 0)) {
            return -Errno.EINVAL;
        }
        if (setTidSize != 0) {
            return -Errno.EPERM; // choosing the child's pid needs CAP_SYS_ADMIN over the pid namespace
        }
        return create(c, flags, stack == 0 ? 0 : stack + stackSize, parentTid, childTid, tls, (int) exitSignal);
    }

    /** copy_process's checks of the flags, then a new thread. */
    private static long create(SyscallContext c, long flags, long stack, long parentTid, long childTid, long tls,
            int exitSignal) {
        if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS)
                || (flags & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS)
                || ((flags & CLONE_THREAD) != 0 && (flags & CLONE_SIGHAND) == 0)
                || ((flags & CLONE_SIGHAND) != 0 && (flags & CLONE_VM) == 0)
                || ((flags & CLONE_THREAD) != 0 && (flags & (CLONE_NEWUSER | CLONE_NEWPID)) != 0)) {
            return -Errno.EINVAL;
        }
        if ((flags & CLONE_INTO_CGROUP) != 0) {
            return -Errno.EINVAL; // cgroups come with the containers issue
        }
        if ((flags & CLONE_THREAD) != 0 && (flags & dev.phoenix.libos.ns.NsKind.ALL_FLAGS) != 0) {
            return -Errno.EINVAL; // Phoenix keeps namespaces per process: a thread cannot have its own
        }
        if ((flags & CLONE_THREAD) == 0) {
            if (exitSignal > 64) {
                return -Errno.EINVAL;
            }
            return ForkSyscalls.process(c, flags, stack, parentTid, childTid, tls, exitSignal);
        }
        if ((flags & CLONE_VFORK) != 0) {
            return -Errno.EINVAL; // vfork makes processes
        }
        Process p = c.process();
        Task parent = c.task();
        if (parent.runQueue() == null) {
            return -Errno.EAGAIN; // a task a test drives without a runner cannot start others
        }
        if (p.liveThreads() >= p.rlimitCurOrMax(6)) { // RLIMIT_NPROC counts threads too
            return -Errno.EAGAIN;
        }
        GuestMemory mem = c.memory();
        // The addresses the kernel writes are checked first: a fault leaves no half-made thread.
        if ((flags & CLONE_PARENT_SETTID) != 0) {
            mem.writeInt(parentTid, mem.readInt(parentTid));
        }
        if ((flags & CLONE_CHILD_SETTID) != 0) {
            mem.writeInt(childTid, mem.readInt(childTid));
        }
        int tid = c.kernel().allocateTid();
        if (!p.namespaces.pid().attach(tid)) {
            return -Errno.ENOMEM; // the PID namespace's init has died
        }
        Task child = p.newThread(parent, tid, (flags & CLONE_FILES) != 0, (flags & CLONE_FS) != 0);
        SchedRules.forked(parent.sched, child.sched);
        Cpu cpu = c.cpu();
        child.engineContext = cpu.newThreadContext();
        cpu.saveThreadContext(child.engineContext); // the parent's registers, FP and vector state included
        boolean setTls = (flags & CLONE_SETTLS) != 0;
        child.startRegisters = new long[] {cpu.get(Reg.PC), stack != 0 ? stack : cpu.get(Reg.SP), tls, setTls ? 1 : 0};
        if ((flags & CLONE_CHILD_CLEARTID) != 0) {
            child.clearChildTid = childTid;
        }
        if ((flags & CLONE_PARENT_SETTID) != 0) {
            mem.writeInt(parentTid, Pids.nr(c, tid));
        }
        if ((flags & CLONE_CHILD_SETTID) != 0) {
            mem.writeInt(childTid, Pids.nr(c, tid));
        }
        child.setFallbackClock(c.kernel().clock());
        parent.runQueue().start(child);
        SignalSyscalls.exactStopsFromNowOn(c); // the ticker and the new thread's signals stop the engine from now on
        return Pids.nr(c, tid);
    }

    /**
     * Implements Linux exit(2): ends the calling thread. The last thread's exit ends the process,
     * with the status of its leader (which may have exited earlier, as pthread_exit in main does).
     */
    static long exit(SyscallContext c, long status, long a1, long a2, long a3, long a4, long a5) {
        Task t = c.task();
        Process p = c.process();
        t.exitCode = (int) status & 0xff;
        if (p.liveThreads() <= 1) {
            Task leader = p.mainTask();
            p.exit(ExitStatus.exited(leader == t || !leader.exited ? t.exitCode : leader.exitCode));
        }
        t.exited = true;
        c.cpu().requestStop();
        return 0;
    }

    /** Implements Linux sched_yield(2): the caller goes behind the other runnable threads. */
    static long schedYield(SyscallContext c, long a0, long a1, long a2, long a3, long a4, long a5) {
        Task t = c.task();
        if (t.runQueue() != null && t.runQueue().anyWaiting()) {
            t.yielded = true;
            c.cpu().requestStop();
        }
        return 0;
    }
}
