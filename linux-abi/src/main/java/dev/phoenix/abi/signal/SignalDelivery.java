package dev.phoenix.abi.signal;

import dev.phoenix.abi.FaultReport;
import dev.phoenix.abi.Signals;
import dev.phoenix.abi.linux.Vdso;
import dev.phoenix.abi.strace.Strace;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.Arch;
import dev.phoenix.emu.Cpu;
import dev.phoenix.emu.CpuContext;
import dev.phoenix.emu.CpuExit;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.ExitStatus;
import dev.phoenix.libos.proc.SigAction;
import dev.phoenix.libos.proc.SigPending;
import dev.phoenix.libos.proc.Task;
import java.io.PrintStream;

/**
 * Signal delivery as Linux's kernel/signal.c does it on the way back to user mode: pending,
 * unblocked signals are taken lowest first; a handler gets a frame (see {@link SignalFrames}) with
 * its mask added to the blocked set; SIG_IGN and default-ignore signals are dropped; other
 * defaults end the process. Faults are forced: a blocked or ignored fault signal is reset to its
 * default, as force_sig_info does, so a guest cannot loop on a fault it ignores.
 */
public final class SignalDelivery {
    private SignalDelivery() {}

    /** Signals that can never be caught, blocked or ignored. */
    public static final long UNBLOCKABLE = Task.bit(Signals.SIGKILL) | Task.bit(Signals.SIGSTOP);
    private static final int SS_ONSTACK = 1, SS_DISABLE = 2;

    /** True when {@code sig}'s default action is to ignore it (sig_kernel_ignore; SIGCONT's continuing is the host's). */
    public static boolean ignoredByDefault(int sig) {
        return switch (sig) {
            case 17, 18, 23, 28 -> true; // CHLD CONT URG WINCH
            default -> false;
        };
    }

    /** True when {@code sig}'s default action is to stop the process (sig_kernel_stop). */
    public static boolean stopsByDefault(int sig) {
        return switch (sig) {
            case 19, 20, 21, 22 -> true; // STOP TSTP TTIN TTOU
            default -> false;
        };
    }

    /** True when a signal sent now would be discarded (ignored and not blocked, nor waited for by sigtimedwait), as sig_ignored() decides. */
    public static boolean discarded(Task task, int sig) {
        long real = task.realBlocked == -1 ? 0 : task.realBlocked; // sigtimedwait's own mask counts (real_blocked)
        return ignores(task.process(), sig) && ((task.blocked | real) & Task.bit(sig)) == 0;
    }

    /** True when {@code p}'s action for {@code sig} is to ignore it: SIG_IGN, or SIG_DFL of a signal ignored by default. */
    public static boolean ignores(dev.phoenix.libos.proc.Process p, int sig) {
        SigAction a = p.sigactions[sig];
        return a.handler() == SigAction.SIG_IGN || (a.handler() == SigAction.SIG_DFL && ignoredByDefault(sig));
    }

    /**
     * At the return of syscall {@code nr} (first argument {@code a0}) with {@code result} in the
     * return register: delivers what is deliverable and returns the value the return register
     * must then hold. A call interrupted with ERESTARTSYS is restarted, as Linux's
     * handle_signal does, unless the handler about to run lacks SA_RESTART (then EINTR): the PC
     * goes back to the syscall instruction and the registers to what it was called with.
     * ERESTARTNOHAND and ERESTART_RESTARTBLOCK become EINTR when a handler runs; ERESTARTNOINTR
     * is always restarted (FUTEX_LOCK_PI never fails with EINTR).
     */
    public static long atSyscallExit(SyscallContext c, long result, long nr, long a0) {
        Task task = c.task();
        if (task.deliverable() == 0 && task.savedMask == -1 && result != -Errno.ERESTARTNOINTR) {
            return Errno.isRestart((int) -result) ? -Errno.EINTR : result;
        }
        Cpu cpu = c.cpu();
        if (Errno.isRestart((int) -result)) {
            int next = task.nextPending(~task.blocked);
            SigAction a = c.process().sigactions[next];
            boolean handled = next != 0 && a.handler() != SigAction.SIG_DFL && a.handler() != SigAction.SIG_IGN;
            if (handled && result != -Errno.ERESTARTNOINTR
                    && (result != -Errno.ERESTARTSYS || (a.flags() & SigAction.SA_RESTART) == 0)) {
                result = -Errno.EINTR;
            } else {
                Arch arch = c.abi().arch();
                cpu.set(dev.phoenix.emu.Reg.PC, cpu.get(dev.phoenix.emu.Reg.PC) - (arch == Arch.X86_64 ? 2 : 4));
                result = arch == Arch.X86_64 ? nr : a0; // rax held the number; x0/a0 the first argument
            }
        }
        cpu.set(dev.phoenix.emu.Reg.RET, result);
        deliverPending(c);
        return cpu.get(dev.phoenix.emu.Reg.RET);
    }

    /** Delivers every deliverable signal (nesting handler frames), or ends the process. */
    public static void deliverPending(SyscallContext c) {
        Task task = c.task();
        int sig;
        while (c.process().exitStatus() == null && (sig = task.nextPending(~task.blocked)) != 0) {
            SigInfo info = dequeueFor(task, sig);
            if (info != null) { // null: another thread took the process's signal first
                deliver(c, sig, info, 0);
            }
        }
        if (task.savedMask != -1) {
            task.blocked = task.savedMask; // rt_sigsuspend's mask ends when no handler took it over
            task.savedMask = -1;
        }
    }

    /**
     * After {@code sig} was sent to {@code target} (a thread that does not block it, or null when
     * every thread blocks it): a signal whose action is to terminate ends the whole process at
     * once, as Linux's complete_signal makes it, before any thread could take it another way
     * (a signalfd, sigwaitinfo in a thread that blocks it).
     */
    public static void sent(dev.phoenix.libos.proc.Process p, int sig, Task target) {
        if (target == null) {
            return;
        }
        SigAction a = p.sigactions[sig];
        if (a.handler() == SigAction.SIG_DFL && !ignoredByDefault(sig) && !stopsByDefault(sig)
                && (target.blocked & Task.bit(sig)) == 0 && target.realBlocked == -1) {
            p.exit(ExitStatus.killed(sig));
            p.cpu().requestStop();
        }
    }

    /** Takes pending {@code sig} off the calling thread's sets and returns its siginfo (sigtimedwait). */
    public static SigInfo dequeue(SyscallContext c, int sig) {
        return dequeueFor(c.task(), sig);
    }

    /**
     * Takes the oldest pending instance of {@code sig} off {@code task}'s sets (its own first) and
     * returns its siginfo (signalfd), or null when no instance is pending, or when the one taken
     * is a POSIX timer's that is dropped (the timer was set again or deleted since it was
     * queued: Linux's dequeue_signal then looks for the next). Taking a timer's signal re-arms a
     * periodic timer and reports its overrun; taking SIGALRM re-arms a periodic ITIMER_REAL,
     * as Linux's dequeue_signal does.
     */
    public static SigInfo dequeueFor(Task task, int sig) {
        SigPending.Queued q = task.takePending(sig);
        if (q == null) {
            return null;
        }
        if (q.timer() != null) {
            long overrun = q.timer().delivered();
            return overrun < 0 ? null : SigInfo.timer(sig, q.timer().id(), (int) overrun, q.value());
        }
        if (sig == Signals.SIGALRM) {
            dev.phoenix.abi.linux.ItimerSyscalls.rearmReal(task.process());
        }
        SigInfo base = queued(task, sig, q.code(), q.sender());
        return new SigInfo(base.signo(), base.code(), base.word(), q.value());
    }

    /**
     * A CPU fault raised {@code sig}: runs the guest's handler, or ends the process with the
     * one-line report. Returns true when the guest goes on running.
     */
    public static boolean fault(SyscallContext c, CpuExit exit, int sig, PrintStream warnings) {
        Task task = c.task();
        SigAction a = c.process().sigactions[sig];
        if ((task.blocked & Task.bit(sig)) != 0 || a.handler() == SigAction.SIG_IGN) {
            c.process().sigactions[sig] = SigAction.DEFAULT;
            task.blocked &= ~Task.bit(sig);
            a = SigAction.DEFAULT;
        }
        if (a.handler() == SigAction.SIG_DFL) {
            traceSignal(c, faultInfo(exit, sig));
            warnings.println(FaultReport.describe(c.cpu(), exit, sig));
            c.process().exit(ExitStatus.killed(sig));
            return false;
        }
        deliver(c, sig, faultInfo(exit, sig), exit.trap().isMemoryFault() ? exit.address() : 0);
        return c.process().exitStatus() == null;
    }

    private static SigInfo faultInfo(CpuExit exit, int sig) {
        return switch (exit.trap()) {
            case READ_UNMAPPED, WRITE_UNMAPPED, FETCH_UNMAPPED -> SigInfo.fault(sig,
                    sig == Signals.SIGBUS ? SigInfo.BUS_ADRERR : SigInfo.SEGV_MAPERR, exit.address());
            case READ_PROT, WRITE_PROT, FETCH_PROT -> SigInfo.fault(sig, SigInfo.SEGV_ACCERR, exit.address());
            case MISALIGNED -> SigInfo.fault(sig, SigInfo.BUS_ADRALN, exit.address());
            case GENERAL_PROTECTION -> SigInfo.fault(sig, SigInfo.SI_KERNEL, 0);
            case ILLEGAL_INSTRUCTION, OTHER -> SigInfo.fault(sig, SigInfo.ILL_ILLOPC, exit.pc());
            case DIVIDE_ERROR -> SigInfo.fault(sig, SigInfo.FPE_INTDIV, exit.pc());
            case BREAKPOINT -> SigInfo.fault(sig, SigInfo.TRAP_BRKPT, exit.pc());
            case STOP_REQUESTED -> throw new IllegalArgumentException("not a fault");
        };
    }

    /**
     * A signal sent to oneself and discarded because it is ignored: a ptrace-traced task would
     * have dequeued it, so strace shows it, and so does --strace.
     */
    public static void traceDiscarded(SyscallContext c, int sig, int code) {
        Strace strace = strace(c);
        if (strace != null) {
            strace.signalAfterCall(c.task().tid(), queued(c, sig, code, Task.SENDER_SELF));
        }
    }

    /** strace shows every signal the tracee dequeues, ignored ones too (a traced task keeps them). */
    private static void traceSignal(SyscallContext c, SigInfo info) {
        Strace strace = strace(c);
        if (strace != null) {
            strace.signal(c.task().tid(), info);
        }
    }

    /** The run's --strace printer, or null (also for a context without a kernel, as unit tests make). */
    private static Strace strace(SyscallContext c) {
        return c.kernel() != null ? c.kernel().strace() : null;
    }

    /**
     * The siginfo of a signal queued with {@code code}: the kernel's, kill's/tgkill's from this
     * process, or a host process's ({@code sender}: its pid and uid, see {@link Task#post(int, int, long)}).
     */
    private static SigInfo queued(SyscallContext c, int sig, int code, long sender) {
        return queued(c.task(), sig, code, sender);
    }

    /** SI_MESGQ: a POSIX message queue's notification, which carries the sender's pid. */
    private static final int SI_MESGQ = -3;

    private static SigInfo queued(Task task, int sig, int code, long sender) {
        if (code == SigInfo.SI_KERNEL) {
            return new SigInfo(sig, code, 0);
        }
        if (sender == Task.SENDER_SELF) {
            return SigInfo.sent(sig, code, dev.phoenix.abi.linux.Pids.nr(task.process(), task.process().pid()),
                    task.process().credentials().uid);
        }
        boolean carriesPid = code == SigInfo.SI_USER || code == SigInfo.SI_QUEUE || code == SigInfo.SI_TKILL
                || code == SI_MESGQ || (sig == dev.phoenix.abi.Signals.SIGCHLD && code > 0);
        return new SigInfo(sig, code, carriesPid ? dev.phoenix.abi.linux.Pids.sender(task.process(), sender) : sender);
    }

    private static void deliver(SyscallContext c, int sig, SigInfo info, long faultAddress) {
        traceSignal(c, info);
        Task task = c.task();
        SigAction a = c.process().sigactions[sig];
        if (a.handler() == SigAction.SIG_IGN || (a.handler() == SigAction.SIG_DFL && ignoredByDefault(sig))) {
            return;
        }
        if (a.handler() == SigAction.SIG_DFL && stopsByDefault(sig)) {
            if (c.kernel() != null) {
                c.kernel().stopProcess(c.process(), sig); // the first process: returns once the host continues Phoenix
            }
            return;
        }
        if (a.handler() == SigAction.SIG_DFL) {
            terminate(c, sig);
            return;
        }
        Arch arch = c.abi().arch();
        Cpu cpu = c.cpu();
        CpuContext ctx = cpu.saveContext();
        long[] g = ctx.gprs().clone();
        long sp = g[CpuContext.spIndex(arch)];
        boolean onAlt = onAltStack(task, sp);
        boolean switchToAlt = (a.flags() & SigAction.SA_ONSTACK) != 0 && task.altStackFlags != SS_DISABLE && !onAlt;
        if (switchToAlt) {
            sp = task.altStackBase + task.altStackSize;
        }
        long[] stack = {task.altStackBase, onAlt ? SS_ONSTACK : task.altStackFlags, task.altStackSize};
        long restorer = restorer(c, a);
        long oldMask = task.savedMask != -1 ? task.savedMask : task.blocked;
        task.savedMask = -1;
        SignalFrames.Pushed frame;
        try {
            if (restorer == 0) {
                throw Errno.of(Errno.EFAULT); // x86_64 without SA_RESTORER: nowhere to return
            }
            frame = SignalFrames.push(arch, c.memory(), ctx, sp, switchToAlt || onAlt, info, oldMask, stack, restorer,
                    faultAddress);
        } catch (Errno e) {
            terminate(c, Signals.SIGSEGV); // force_sigsegv: the frame could not be written
            return;
        }
        g[CpuContext.spIndex(arch)] = frame.frame();
        g[CpuContext.pcIndex(arch)] = a.handler();
        switch (arch) {
            case X86_64 -> {
                g[8] = sig; // rdi
                g[9] = frame.info(); // rsi
                g[12] = frame.ucontext(); // rdx
                g[13] = 0; // rax
                g[17] &= ~0x500L; // DF, TF
            }
            case AARCH64 -> {
                g[0] = sig;
                g[1] = frame.info();
                g[2] = frame.ucontext();
                g[29] = (sp - 16) & -16L; // the frame record
                g[30] = restorer;
            }
            case RISCV64 -> {
                g[10] = sig;
                g[11] = frame.info();
                g[12] = frame.ucontext();
                g[1] = restorer; // ra
            }
        }
        cpu.restoreContext(new CpuContext(g, ctx.fp()));
        task.blocked |= (a.mask() | ((a.flags() & SigAction.SA_NODEFER) != 0 ? 0 : Task.bit(sig))) & ~UNBLOCKABLE;
        if ((a.flags() & SigAction.SA_RESETHAND) != 0) {
            // Linux resets only the handler: sa_flags, sa_mask and sa_restorer stay (rt_sigaction shows them).
            c.process().sigactions[sig] = new SigAction(SigAction.SIG_DFL, a.flags(), a.restorer(), a.mask());
        }
    }

    private static long restorer(SyscallContext c, SigAction a) {
        if ((a.flags() & SigAction.SA_RESTORER) != 0 && c.abi().hasSaRestorer()) {
            return a.restorer();
        }
        String symbol = Vdso.sigreturnSymbol(c.abi().arch());
        return symbol == null ? 0 : c.process().vdsoBase + Vdso.image(c.abi().arch()).symbol(symbol);
    }

    /** True when {@code sp} lies in the task's alternate signal stack. */
    public static boolean onAltStack(Task task, long sp) {
        return task.altStackFlags != SS_DISABLE && sp - task.altStackBase <= task.altStackSize
                && sp > task.altStackBase;
    }

    private static void terminate(SyscallContext c, int sig) {
        c.process().exit(ExitStatus.killed(sig));
        c.cpu().requestStop();
    }

    /** rt_sigreturn: restores the registers and mask from the frame at the stack pointer; returns the return register. */
    public static long sigreturn(SyscallContext c) {
        Cpu cpu = c.cpu();
        CpuContext current = cpu.saveContext();
        SignalFrames.Popped popped;
        try {
            popped = SignalFrames.pop(c.abi().arch(), c.memory(), cpu.get(dev.phoenix.emu.Reg.SP), current);
        } catch (Errno e) {
            terminate(c, Signals.SIGSEGV);
            return 0;
        }
        c.task().blocked = popped.mask() & ~UNBLOCKABLE;
        cpu.restoreContext(popped.context());
        long[] g = popped.context().gprs();
        return switch (c.abi().arch()) {
            case X86_64 -> g[13];
            case AARCH64 -> g[0];
            case RISCV64 -> g[10];
        };
    }
}
