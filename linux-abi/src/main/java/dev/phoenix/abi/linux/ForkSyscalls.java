package dev.phoenix.abi.linux;

import dev.phoenix.abi.LinuxKernel;
import dev.phoenix.abi.Signals;
import dev.phoenix.abi.signal.SignalDelivery;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.Cpu;
import dev.phoenix.emu.Reg;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FdTable;
import dev.phoenix.libos.mm.AddressSpace;
import dev.phoenix.libos.proc.ExitStatus;
import dev.phoenix.libos.proc.FsContext;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.Task;

/**
 * New processes and waiting for them: fork(2), vfork(2), clone(2) and clone3(2) without
 * CLONE_THREAD, wait4(2) and waitid(2).
 *
 * <p>A forked child gets an engine of its own and a copy of its parent's address space
 * ({@link AddressSpace#forkTo}), and runs on a host thread of its own, in parallel with its
 * parent. A child made with CLONE_VM (vfork, posix_spawn) shares its parent's address space,
 * so it takes turns on its parent's engine, as a thread would, until it execs; with
 * CLONE_VFORK its parent waits for that (or for its exit) meanwhile.
 */
final class ForkSyscalls {
    private ForkSyscalls() {}

    private static final long CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400, CLONE_VFORK = 0x4000,
            CLONE_PARENT = 0x8000, CLONE_SETTLS = 0x80000, CLONE_PARENT_SETTID = 0x100000,
            CLONE_CHILD_CLEARTID = 0x200000, CLONE_CHILD_SETTID = 0x1000000, CLONE_CLEAR_SIGHAND = 0x100000000L;

    /** Implements Linux fork(2) (x86_64): clone with SIGCHLD and nothing shared. */
    static long fork(SyscallContext c, long a0, long a1, long a2, long a3, long a4, long a5) {
        return process(c, 0, 0, 0, 0, 0, Signals.SIGCHLD);
    }

    /** Implements Linux vfork(2) (x86_64): clone with CLONE_VM, CLONE_VFORK and SIGCHLD. */
    static long vfork(SyscallContext c, long a0, long a1, long a2, long a3, long a4, long a5) {
        return process(c, CLONE_VM | CLONE_VFORK, 0, 0, 0, 0, Signals.SIGCHLD);
    }

    /**
     * A new process from clone(2)'s or clone3(2)'s checked arguments (flags without the exit
     * signal, which is {@code exitSignal}). The vfork parent runs this again after its wait
     * parks, and then only waits on.
     */
    static long process(SyscallContext c, long flags, long stack, long parentTid, long childTid, long tls,
            int exitSignal) {
        Task caller = c.task();
        if (caller.vforkChild != null) {
            return awaitVforkChild(c, caller.vforkChild);
        }
        Process parent = c.process();
        LinuxKernel kernel = c.kernel();
        if (caller.runQueue() == null) {
            return -Errno.EAGAIN; // a task a test drives without a runner cannot start others
        }
        if (kernel.processes().size() >= parent.rlimitCurOrMax(6)) { // RLIMIT_NPROC
            return -Errno.EAGAIN;
        }
        dev.phoenix.libos.ns.Namespaces namespaces = NamespaceSyscalls.forClone(c, flags);
        boolean shareVm = (flags & CLONE_VM) != 0;
        // The addresses the kernel writes are checked first: a fault leaves no half-made process.
        if ((flags & CLONE_PARENT_SETTID) != 0) {
            c.memory().writeInt(parentTid, c.memory().readInt(parentTid));
        }
        if ((flags & CLONE_CHILD_SETTID) != 0) {
            c.memory().writeInt(childTid, c.memory().readInt(childTid));
        }
        int pid = kernel.allocateTid();
        if (!namespaces.pidForChildren().attach(pid)) {
            return -Errno.ENOMEM; // the PID namespace's init has died (alloc_pid)
        }
        Cpu cpu = c.cpu();
        Cpu childCpu = cpu;
        AddressSpace childSpace = parent.addressSpace();
        if (!shareVm) {
            childCpu = kernel.openCpu(cpu.arch());
            try {
                childSpace = parent.addressSpace().forkTo(childCpu);
                Vdso.forked(childSpace, parent.vdsoBase, kernel.clock());
            } catch (RuntimeException | Error e) {
                childCpu.close();
                namespaces.pidForChildren().detach(pid);
                throw e;
            }
        }
        FdTable fds = (flags & CLONE_FILES) != 0 ? caller.fds() : caller.fds().copy();
        if ((flags & CLONE_FILES) != 0) {
            fds.hold();
        }
        FsContext fs = (flags & CLONE_FS) != 0 ? caller.fs() : caller.fs().copy();
        Process child = new Process(pid, parent.pid(), childCpu, childSpace, parent.executable(), caller.comm, fds, fs);
        inherit(parent, caller, child, (flags & CLONE_CLEAR_SIGHAND) != 0, kernel.clock().monotonicNanos());
        if (namespaces.user() != parent.namespaces.user()) {
            child.setCredentials(parent.credentials().inNewUserNamespace());
        }
        child.namespaces = namespaces.forChild();
        Process realParent = parent;
        if ((flags & CLONE_PARENT) != 0 && parent.parent() != null) {
            realParent = parent.parent();
        }
        child.setParent(realParent, realParent.pid());
        child.exitSignal = exitSignal;
        ItimerSyscalls.armCpuLimit(kernel.clock(), child); // its inherited RLIMIT_CPU, on its own CPU time
        child.needsExactStops |= parent.needsExactStops && parent.rlimitCur[0] != -1;
        Task t = child.mainTask();
        boolean setTls = (flags & CLONE_SETTLS) != 0;
        if (shareVm) {
            kernel.shareCpu(cpu);
            t.engineContext = cpu.newThreadContext();
            cpu.saveThreadContext(t.engineContext); // the parent's registers, FP and vector state included
            t.startRegisters = new long[] {cpu.get(Reg.PC), stack != 0 ? stack : cpu.get(Reg.SP), tls, setTls ? 1 : 0};
        } else {
            childCpu.restoreContext(cpu.saveContext());
            childCpu.set(Reg.TLS, setTls ? tls : cpu.get(Reg.TLS));
            if (stack != 0) {
                childCpu.set(Reg.SP, stack);
            }
            childCpu.set(Reg.RET, 0);
            kernel.attachCpu(childCpu, child);
        }
        if ((flags & CLONE_CHILD_CLEARTID) != 0) {
            t.clearChildTid = childTid;
        }
        if ((flags & CLONE_PARENT_SETTID) != 0) {
            c.memory().writeInt(parentTid, Pids.nr(c, pid));
        }
        if ((flags & CLONE_CHILD_SETTID) != 0) {
            childSpace.memory().writeInt(childTid, Pids.nr(child, pid));
        }
        boolean vfork = (flags & CLONE_VFORK) != 0;
        child.vforkPending = vfork;
        kernel.startProcess(realParent, child, shareVm);
        if (shareVm) {
            SignalSyscalls.exactStopsFromNowOn(c); // two tasks now take turns on this engine
        } else if (kernel.clock().isVirtual()) {
            // One queue holds every task of a deterministic run: the caller's run so far was not
            // counted (it was alone), and only a counted run ends to let the child have a turn.
            c.cpu().requestStop();
        }
        if (vfork) {
            caller.vforkSavedMask = caller.blocked;
            caller.blocked = ~SignalDelivery.UNBLOCKABLE | Task.bit(Signals.SIGSTOP); // only SIGKILL ends the wait
            caller.vforkChild = child;
            return awaitVforkChild(c, child);
        }
        return Pids.nr(c, pid);
    }

    /**
     * The vfork parent waits until its child execs or exits, as Linux's wait_for_vfork_done does
     * (killable only: every other signal is blocked meanwhile, and delivered after).
     */
    private static long awaitVforkChild(SyscallContext c, Process child) {
        Task caller = c.task();
        caller.block(Long.MAX_VALUE, () -> !child.vforkPending, child.vforkDone); // parks until then
        caller.vforkChild = null;
        caller.blocked = caller.vforkSavedMask;
        return Pids.nr(c, child.pid());
    }

    /** What a child inherits from its parent and the calling thread (fork(2)'s list). */
    private static void inherit(Process parent, Task caller, Process child, boolean clearHandlers, long now) {
        Task t = child.mainTask();
        t.blocked = caller.blocked;
        t.affinity = caller.affinity;
        t.memPolicy = caller.memPolicy;
        t.memPolicyNodes = caller.memPolicyNodes;
        SchedRules.forked(caller.sched, t.sched);
        t.altStackBase = caller.altStackBase;
        t.altStackSize = caller.altStackSize;
        t.altStackFlags = caller.altStackFlags;
        for (int sig = 1; sig < parent.sigactions.length; sig++) {
            dev.phoenix.libos.proc.SigAction a = parent.sigactions[sig];
            boolean caught = a.handler() != dev.phoenix.libos.proc.SigAction.SIG_DFL
                    && a.handler() != dev.phoenix.libos.proc.SigAction.SIG_IGN;
            child.sigactions[sig] = clearHandlers && caught ? dev.phoenix.libos.proc.SigAction.DEFAULT : a;
        }
        child.setLimits(new long[][] {parent.rlimitCur.clone(), parent.rlimitMax.clone()});
        child.setCredentials(parent.credentials());
        child.namespaces = parent.namespaces.forChild();
        child.pgid = parent.pgid;
        child.sid = parent.sid;
        child.ctty = parent.ctty;
        child.ioprio = parent.ioprio;
        child.startData = parent.startData;
        child.endData = parent.endData;
        child.brkStart = parent.brkStart;
        child.brk = parent.brk;
        child.argv = parent.argv;
        child.envp = parent.envp;
        child.auxv = parent.auxv;
        child.vdsoBase = parent.vdsoBase;
        child.noNewPrivs = parent.noNewPrivs;
        child.startNanos = now;
    }

    private static final int WNOHANG = 1, WUNTRACED = 2, WEXITED = 4, WCONTINUED = 8, WNOWAIT = 0x01000000,
            WNOTHREAD = 0x20000000, WCLONE = 0x80000000, WALL = 0x40000000;
    private static final int P_ALL = 0, P_PID = 1, P_PGID = 2, P_PIDFD = 3;

    private static final int PIDFD_NONBLOCK = 04000;

    /**
     * Implements Linux pidfd_open(2): a close-on-exec descriptor naming process {@code pid},
     * which must be a thread-group leader (EINVAL for another thread, ESRCH for none).
     */
    static long pidfdOpen(SyscallContext c, long pid, long flags, long a2, long a3, long a4, long a5) {
        if ((flags & ~(long) PIDFD_NONBLOCK) != 0 || (int) pid <= 0) {
            return -Errno.EINVAL;
        }
        Process p = Pids.process(c, (int) pid);
        if (p == null) {
            Task t = Pids.task(c, (int) pid);
            for (Process q : c.kernel().processes()) {
                if (t != null && q.task(t.tid()) != null) {
                    return -Errno.EINVAL; // a thread, not a process
                }
            }
            return -Errno.ESRCH;
        }
        return c.fds().install(new PidFd(p, (flags & PIDFD_NONBLOCK) != 0), 0, true, c.process().fdLimit());
    }

    /** Implements Linux wait4(2): pid > 0 that child, 0 the caller's group, -1 any, below -1 the group -pid. */
    static long wait4(SyscallContext c, long pid, long status, long options, long rusage, long a4, long a5) {
        int opts = (int) options;
        if ((opts & ~(WNOHANG | WUNTRACED | WCONTINUED | WNOTHREAD | WCLONE | WALL)) != 0) {
            return -Errno.EINVAL;
        }
        int p = (int) pid;
        if (p == Integer.MIN_VALUE) {
            return -Errno.ESRCH;
        }
        int which = p > 0 ? P_PID : p == -1 ? P_ALL : P_PGID;
        int id = p > 0 ? Pids.global(c, p) : p == 0 ? c.process().pgid : p == -1 ? -1 : Pids.global(c, -p);
        Found f = waitFor(c, which, id, opts | WEXITED);
        if (f == null) {
            return 0; // WNOHANG and nothing to report
        }
        if (status != 0) {
            c.memory().writeInt(status, f.status);
        }
        if (rusage != 0) {
            f.usage.write(c, rusage);
        }
        return f.pid;
    }

    /** Implements Linux waitid(2): the child's details in a siginfo_t (zeroed when WNOHANG finds none). */
    static long waitid(SyscallContext c, long idtype, long id, long infop, long options, long rusage, long a5) {
        int opts = (int) options;
        if ((opts & ~(WNOHANG | WUNTRACED | WEXITED | WCONTINUED | WNOWAIT | WNOTHREAD | WCLONE | WALL)) != 0
                || (opts & (WEXITED | WUNTRACED | WCONTINUED)) == 0) {
            return -Errno.EINVAL;
        }
        int which = (int) idtype;
        int target = (int) id;
        switch (which) {
            case P_ALL -> target = 0;
            case P_PID -> {
                if (target <= 0) {
                    return -Errno.EINVAL;
                }
                target = Pids.global(c, target);
            }
            case P_PGID -> {
                if (target < 0) {
                    return -Errno.EINVAL;
                }
                target = target == 0 ? c.process().pgid : Pids.global(c, target);
            }
            case P_PIDFD -> {
                if (!(c.fds().get(target) instanceof PidFd pidfd)) {
                    return -Errno.EINVAL; // EBADF when not open (get); another kind of file is EINVAL
                }
                which = P_PID;
                target = pidfd.process().pid();
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
        Found f = waitFor(c, which, target, opts);
        if (infop != 0) {
            byte[] info = new byte[128];
            if (f != null) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(info).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                b.putInt(0, Signals.SIGCHLD);
                b.putInt(8, f.code);
                b.putInt(16, f.pid);
                b.putInt(20, f.uid);
                b.putInt(24, f.siStatus);
            }
            c.memory().write(infop, info);
        }
        if (rusage != 0 && f != null) {
            f.usage.write(c, rusage);
        }
        return 0;
    }

    /** What a wait found: the child (its pid in the caller's namespace), its wait(2) status word, and the siginfo fields waitid reports. */
    private record Found(int pid, int uid, int status, int code, int siStatus, Rusage usage) {}

    /**
     * The wait both calls make (Linux's do_wait): the first child matching ({@code which},
     * {@code id}) with something to report for {@code opts}: an exit (reaped unless WNOWAIT), a
     * stop not yet reported (WUNTRACED), a continue not yet reported (WCONTINUED). ECHILD when no
     * child matches at all; null with WNOHANG when none has anything yet; otherwise it waits
     * (a signal ends the wait with ERESTARTSYS).
     */
    private static Found waitFor(SyscallContext c, int which, int id, int opts) {
        Process self = c.process();
        LinuxKernel kernel = c.kernel();
        Found[] found = new Found[1];
        boolean[] any = new boolean[1];
        java.util.function.BooleanSupplier ready = () -> {
            synchronized (kernel.tree()) {
                any[0] = false;
                for (Process child : self.children) {
                    if (!matches(child, which, id, opts)) {
                        continue;
                    }
                    any[0] = true;
                    Found f = report(child, opts);
                    if (f != null) {
                        // the pid as the caller sees it, taken before a reap forgets the number
                        f = new Found(Pids.nr(self, f.pid), f.uid, f.status, f.code, f.siStatus, f.usage);
                        found[0] = f;
                        if ((opts & WNOWAIT) == 0) {
                            consume(kernel, child, f);
                        }
                        return true;
                    }
                }
                return !any[0] || (opts & WNOHANG) != 0;
            }
        };
        Task.Wait w = c.task().block(Long.MAX_VALUE, ready, self.childEvents);
        if (w == Task.Wait.SIGNALED) {
            throw Errno.of(Errno.ERESTARTSYS);
        }
        if (found[0] == null && !any[0]) {
            throw Errno.of(Errno.ECHILD);
        }
        return found[0];
    }

    /** True when {@code child} is one the wait asks for: by id, and by kind (__WCLONE, __WALL). */
    private static boolean matches(Process child, int which, int id, int opts) {
        boolean byId = switch (which) {
            case P_PID -> child.pid() == id;
            case P_PGID -> child.pgid == id;
            default -> true;
        };
        if (!byId) {
            return false;
        }
        if ((opts & WALL) != 0) {
            return true;
        }
        boolean cloneChild = child.exitSignal != Signals.SIGCHLD; // a "clone" child: another signal, or none
        return ((opts & WCLONE) != 0) == cloneChild;
    }

    /** What {@code child} has to report for {@code opts}, or null. The caller holds the tree's lock. */
    private static Found report(Process child, int opts) {
        int uid = child.credentials().uid;
        if (child.zombie && (opts & WEXITED) != 0) {
            ExitStatus s = child.exitStatus();
            Rusage usage = Rusage.ofZombie(child);
            if (s.signal() != 0) {
                return new Found(child.pid(), uid, s.signal(), 2 /* CLD_KILLED */, s.signal(), usage);
            }
            return new Found(child.pid(), uid, (s.code() & 0xff) << 8, 1 /* CLD_EXITED */, s.code(), usage);
        }
        if (child.zombie) {
            return null;
        }
        if ((opts & WUNTRACED) != 0 && child.stoppedBy != 0 && child.stopUnreported) {
            return new Found(child.pid(), uid, (child.stoppedBy << 8) | 0x7f, 5 /* CLD_STOPPED */, child.stoppedBy,
                    NO_USAGE);
        }
        if ((opts & WCONTINUED) != 0 && child.continueUnreported) {
            return new Found(child.pid(), uid, 0xffff, 6 /* CLD_CONTINUED */, Signals.SIGCONT, NO_USAGE);
        }
        return null;
    }

    /** The report was taken (no WNOWAIT): a zombie is reaped, a stop or continue is reported only once. */
    private static void consume(LinuxKernel kernel, Process child, Found f) {
        switch (f.code) {
            case 1, 2 -> kernel.reap(child);
            case 5 -> child.stopUnreported = false;
            default -> child.continueUnreported = false;
        }
    }

    /** What a wait reports of a stop or a continue: nothing (Linux's wait_task_stopped and wait_task_continued). */
    private static final Rusage NO_USAGE = new Rusage(dev.phoenix.libos.proc.CpuTimes.ZERO, 0, 0, 0);
}
