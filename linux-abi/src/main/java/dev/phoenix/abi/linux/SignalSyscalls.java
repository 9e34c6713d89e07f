package dev.phoenix.abi.linux;

import dev.phoenix.abi.Signals;
import dev.phoenix.abi.signal.SigInfo;
import dev.phoenix.abi.signal.SignalDelivery;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.Arch;
import dev.phoenix.emu.Reg;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.SigAction;
import dev.phoenix.libos.proc.Task;

/**
 * Signals: dispositions, masks, the alternate stack, sending to oneself and between processes,
 * waiting, and posting the signals of timers and of the host. Delivery itself is
 * {@link SignalDelivery}'s.
 */
public final class SignalSyscalls {
    private SignalSyscalls() {}

    private static final int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
    private static final int SS_ONSTACK = 1, SS_DISABLE = 2;
    private static final long SS_AUTODISARM = 1L << 31;
    /** The kernel's sigset_t: 64 signals in 8 bytes on every 64-bit arch. */
    private static final long SIGSET_SIZE = 8;

    private static int signal(long sig) {
        if (sig < 1 || sig > Signals.NSIG) {
            throw Errno.of(Errno.EINVAL);
        }
        return (int) sig;
    }

    /** Implements Linux rt_sigaction(2). */
    static long rtSigaction(SyscallContext c, long sig, long act, long oldact, long size, long a4, long a5) {
        if (size != SIGSET_SIZE) {
            return -Errno.EINVAL;
        }
        int s = signal(sig);
        if (act != 0 && (s == Signals.SIGKILL || s == Signals.SIGSTOP)) {
            return -Errno.EINVAL;
        }
        int words = c.abi().hasSaRestorer() ? 4 : 3;
        SigAction next = null;
        if (act != 0) {
            long handler = c.memory().readLong(act);
            long flags = c.memory().readLong(act + 8);
            long restorer = c.abi().hasSaRestorer() ? c.memory().readLong(act + 16) : 0;
            long mask = c.memory().readLong(act + 8L * (words - 1));
            next = new SigAction(handler, flags & 0xffffffffL, restorer, mask & ~SignalDelivery.UNBLOCKABLE);
        }
        SigAction old = c.process().sigactions[s];
        if (oldact != 0) {
            c.memory().writeLong(oldact, old.handler());
            c.memory().writeLong(oldact + 8, old.flags());
            if (c.abi().hasSaRestorer()) {
                c.memory().writeLong(oldact + 16, old.restorer());
            }
            c.memory().writeLong(oldact + 8L * (words - 1), old.mask());
        }
        if (next != null) {
            boolean wasIgnored = SignalDelivery.ignores(c.process(), s);
            c.process().sigactions[s] = next;
            if (SignalDelivery.ignores(c.process(), s)) {
                // POSIX: an action that ignores discards the pending signal, every instance,
                // blocked or not (Linux's do_sigaction flushes the shared set and every thread's)
                c.process().discardPending(s);
            } else if (wasIgnored) {
                // Periodic POSIX timers parked while their signal was ignored send it again
                // (Linux's posixtimer_sig_unignore).
                for (dev.phoenix.libos.proc.PosixTimer t : c.process().timers.posixTimers()) {
                    if (t.signo() == s) {
                        t.unignored();
                    }
                }
            }
        }
        return 0;
    }

    /**
     * The process has made a second thread or armed a timer, whose stops come from other host
     * threads (see {@link Process#needsExactStops}): the engine stops after this syscall,
     * exactly, and the runner turns its preemption switch on before the guest runs on. Until
     * then such a stop was Unicorn's asynchronous one, which ran part of a block twice and
     * resumed at a stale PC (Go's runtime, which makes threads early, crashed in mallocgc about
     * 1 run in 10 with 200 µs slices) until the engine's ExactStops made it exact; the switch
     * stops the engine at the next block instead of 50 ms later. On a virtual clock stops come
     * at syscalls and counted instructions, so the stop is not needed there.
     */
    static void exactStopsFromNowOn(SyscallContext c) {
        Process p = c.process();
        if (!p.needsExactStops) {
            p.needsExactStops = true;
            if (!c.kernel().clock().isVirtual()) {
                c.cpu().requestStop();
            }
        }
    }

    /** Implements Linux rt_sigprocmask(2). */
    static long rtSigprocmask(SyscallContext c, long how, long set, long oldset, long size, long a4, long a5) {
        if (size != SIGSET_SIZE) {
            return -Errno.EINVAL;
        }
        Task t = c.task();
        long old = t.blocked;
        if (set != 0) {
            long mask = c.memory().readLong(set);
            long next = switch ((int) how) {
                case SIG_BLOCK -> old | mask;
                case SIG_UNBLOCK -> old & ~mask;
                case SIG_SETMASK -> mask;
                default -> throw Errno.of(Errno.EINVAL);
            };
            t.blocked = next & ~SignalDelivery.UNBLOCKABLE;
        }
        if (oldset != 0) {
            c.memory().writeLong(oldset, old);
        }
        return 0;
    }

    /** Implements Linux rt_sigpending(2). */
    static long rtSigpending(SyscallContext c, long set, long size, long a2, long a3, long a4, long a5) {
        if (Long.compareUnsigned(size, SIGSET_SIZE) > 0) { // a size_t: "negative" sizes are huge
            return -Errno.EINVAL;
        }
        byte[] b = new byte[(int) size];
        long pending = c.task().pending() & c.task().blocked;
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (pending >>> (8 * i));
        }
        c.memory().write(set, b);
        return 0;
    }

    /** Implements Linux rt_sigreturn(2). */
    static long rtSigreturn(SyscallContext c, long a0, long a1, long a2, long a3, long a4, long a5) {
        return SignalDelivery.sigreturn(c);
    }

    /** Implements Linux sigaltstack(2). */
    static long sigaltstack(SyscallContext c, long ss, long oldSs, long a2, long a3, long a4, long a5) {
        Task t = c.task();
        boolean on = SignalDelivery.onAltStack(t, c.cpu().get(Reg.SP));
        long base = 0;
        long flags = 0;
        long size = 0;
        if (ss != 0) {
            base = c.memory().readLong(ss);
            flags = c.memory().readInt(ss + 8) & 0xffffffffL;
            size = c.memory().readLong(ss + 16);
            long mode = flags & ~SS_AUTODISARM;
            if (mode != 0 && mode != SS_DISABLE && mode != SS_ONSTACK) {
                return -Errno.EINVAL;
            }
            if (on) {
                return -Errno.EPERM;
            }
            if (mode != SS_DISABLE && size < minSigStackSize(c.abi().arch())) {
                return -Errno.ENOMEM;
            }
        }
        if (oldSs != 0) {
            c.memory().writeLong(oldSs, t.altStackBase);
            c.memory().writeInt(oldSs + 8, on ? SS_ONSTACK : t.altStackFlags);
            c.memory().writeInt(oldSs + 12, 0);
            c.memory().writeLong(oldSs + 16, t.altStackSize);
        }
        if (ss != 0) {
            if ((flags & ~SS_AUTODISARM) == SS_DISABLE) {
                t.altStackBase = 0;
                t.altStackSize = 0;
                t.altStackFlags = SS_DISABLE;
            } else {
                t.altStackBase = base;
                t.altStackSize = size;
                t.altStackFlags = (int) (flags & SS_AUTODISARM);
            }
        }
        return 0;
    }

    /** MINSIGSTKSZ: 2048 on x86_64 and riscv64, 5120 on arm64. */
    private static long minSigStackSize(Arch arch) {
        return arch == Arch.AARCH64 ? 5120 : 2048;
    }

    /** Posts {@code sig} to the calling thread unless it would be discarded (which strace still shows). */
    static void sendToSelf(SyscallContext c, int sig, int code) {
        if (!SignalDelivery.discarded(c.task(), sig)) {
            c.task().post(sig, code);
        } else {
            SignalDelivery.traceDiscarded(c, sig, code);
        }
    }

    /**
     * Implements Linux kill(2): pid > 0 is that process, 0 the caller's process group, -1 every
     * process the caller may signal but init and itself, below -1 the group -pid; signal 0 only
     * checks. ESRCH when no process matched, EPERM when none could be signalled (Linux's
     * kill_ok_by_cred: the sender's real or effective uid is the target's real or saved uid, or
     * it has CAP_KILL; SIGCONT within a session is always allowed).
     */
    static long kill(SyscallContext c, long pid, long sig, long a2, long a3, long a4, long a5) {
        int p = (int) pid;
        if (sig != 0) {
            signal(sig);
        }
        if (p == Integer.MIN_VALUE) {
            return -Errno.ESRCH; // -INT_MIN overflows: Linux refuses it
        }
        Process self = c.process();
        java.util.List<Process> targets = new java.util.ArrayList<>();
        if (p > 0) {
            Process t = Pids.process(c, p);
            if (t != null) {
                targets.add(t);
            }
        } else {
            int group = p == 0 ? self.pgid : p == -1 ? -1 : Pids.global(c, -p);
            dev.phoenix.libos.ns.PidNamespace mine = self.namespaces.pid();
            for (Process t : c.kernel().processes()) {
                if (!Pids.visible(self, t)) {
                    continue;
                }
                // kill(-1): every process but the caller and the init of its namespace
                if (p == -1 ? t != self && Pids.nr(self, t.pid()) > 1 && (!mine.isInitial() || t.pid() > 1)
                        : t.pgid == group) {
                    targets.add(t);
                }
            }
        }
        int sent = 0;
        boolean denied = false;
        for (Process t : targets) {
            if (t.zombie && p < 0) {
                continue;
            }
            if (!mayKill(self, t, (int) sig)) {
                denied = true;
                continue;
            }
            sent++;
            if (sig == 0 || t.zombie || initIgnores(self, t, (int) sig)) {
                continue;
            }
            int s = (int) sig;
            if (t == self) {
                if (SignalDelivery.discarded(self.mainTask(), s)) {
                    SignalDelivery.traceDiscarded(c, s, SigInfo.SI_USER);
                } else {
                    if (continueOrStop(self, s)) {
                        c.kernel().stoppedOrContinued(self, 0);
                    }
                    SignalDelivery.sent(self, s, self.post(s, SigInfo.SI_USER, Task.SENDER_SELF));
                }
            } else {
                long sender = (self.pid() & 0xffffffffL) | ((long) self.credentials().uid << 32);
                postFromProcess(c.kernel(), t, s, SigInfo.SI_USER, sender, 0);
            }
        }
        if (sent == 0) {
            return denied ? -Errno.EPERM : -Errno.ESRCH;
        }
        return 0;
    }

    /**
     * Whether {@code target}, the init of a PID namespace, ignores {@code sig} from {@code sender}
     * (Linux's sig_task_ignored with SIGNAL_UNKILLABLE): a signal whose action is the default
     * never reaches it, except SIGKILL and SIGSTOP from a process outside its namespace.
     */
    static boolean initIgnores(Process sender, Process target, int sig) {
        if (!Pids.isNamespaceInit(target) || target.sigactions[sig].handler() != dev.phoenix.libos.proc.SigAction.SIG_DFL) {
            return false;
        }
        boolean fromOutside = Pids.nr(target, sender.pid()) == 0;
        return !(fromOutside && (sig == Signals.SIGKILL || sig == Signals.SIGSTOP));
    }

    /** Linux's check_kill_permission for {@code sender} signalling {@code target}. */
    static boolean mayKill(Process sender, Process target, int sig) {
        if (sender == target) {
            return true;
        }
        dev.phoenix.libos.proc.Credentials s = sender.credentials();
        dev.phoenix.libos.proc.Credentials t = target.credentials();
        if (s.euid == t.suid || s.euid == t.uid || s.uid == t.suid || s.uid == t.uid) {
            return true;
        }
        if (sig == Signals.SIGCONT && sender.sid == target.sid) {
            return true;
        }
        return s.capable(dev.phoenix.libos.proc.Credentials.CAP_KILL);
    }

    /**
     * What sending {@code sig} does at once, with its queueing (Linux's prepare_signal): a stop
     * signal discards a pending SIGCONT; SIGCONT (and SIGKILL) discards pending stop signals and
     * continues a stopped process. Returns true when SIGCONT continued it: the caller then tells
     * its parent (LinuxKernel.stoppedOrContinued) holding no process's lock, since that takes the
     * process tree's lock, which an exit holds while it signals the parent.
     */
    static boolean continueOrStop(Process p, int sig) {
        if (SignalDelivery.stopsByDefault(sig)) {
            p.discardPending(Signals.SIGCONT);
        } else if (sig == Signals.SIGCONT || sig == Signals.SIGKILL) {
            for (int stop : new int[] {Signals.SIGSTOP, Signals.SIGTSTP, Signals.SIGTTIN, Signals.SIGTTOU}) {
                p.discardPending(stop);
            }
            if (p.stoppedBy != 0) {
                p.stoppedBy = 0;
                p.stopUnreported = false;
                p.continueUnreported = sig == Signals.SIGCONT;
                for (Task t : p.tasks()) {
                    if (t.runQueue() != null) {
                        t.runQueue().wake(t);
                    }
                }
                p.continued.wakeAll();
                return sig == Signals.SIGCONT;
            }
        }
        return false;
    }

    /**
     * Sends {@code sig} to process {@code p} from another process (kill(2), a child's exit
     * signal, a parent's death signal): posted unless discarded, with si_code {@code code}, the
     * sender's pid and uid, and {@code value} (si_status for SIGCHLD). A thread that takes it is
     * woken; one running is stopped at its next syscall, or, after 50 ms without one, at once.
     * SIGCHLD waits for the next syscall: it mostly finds its parent waiting.
     */
    public static void postFromProcess(dev.phoenix.abi.LinuxKernel k, Process p, int sig, int code, long sender,
            long value) {
        if (post(k, p, sig, code, sender, value)) {
            k.stoppedOrContinued(p, 0);
        }
    }

    /**
     * Sends {@code sigs} in order to {@code p} from the kernel (SI_KERNEL), all queued under one
     * hold of its lock, as Linux queues a hangup's SIGHUP and SIGCONT under the target's
     * siglock: a process that takes the first finds the others already pending.
     */
    public static void postAllFromKernel(dev.phoenix.abi.LinuxKernel k, Process p, int... sigs) {
        boolean continued = false;
        synchronized (p) {
            for (int sig : sigs) {
                continued |= post(k, p, sig, SigInfo.SI_KERNEL, 0, 0);
            }
        }
        if (continued) {
            k.stoppedOrContinued(p, 0);
        }
    }

    /** {@link #postFromProcess} under the process's lock; true when it continued a stopped process. */
    private static boolean post(dev.phoenix.abi.LinuxKernel k, Process p, int sig, int code, long sender, long value) {
        boolean continued;
        synchronized (p) {
            if (p.timersStopped || p.exitStatus() != null || p.zombie) {
                return false;
            }
            Task taker = null;
            boolean queued = !SignalDelivery.discarded(p.mainTask(), sig);
            if (queued) {
                try {
                    taker = p.post(sig, code, sender, value);
                } catch (Errno e) {
                    queued = false; // the queue is full: a standard signal is already pending, a real-time one is dropped
                }
            }
            // After the signal is queued, as Linux decides both under one lock: a process this
            // continues finds it pending with the signals sent while it was stopped (a hangup's
            // SIGHUP before its SIGCONT), and takes them all, lowest first, when it runs again.
            continued = continueOrStop(p, sig);
            if (!queued) {
                return continued;
            }
            SignalDelivery.sent(p, sig, taker);
            if (taker == null || sig == Signals.SIGCHLD) {
                return continued;
            }
            Clock clock = k.clock();
            if (p.needsExactStops) {
                p.cpu().requestStop();
                if (!clock.isVirtual()) {
                    clock.schedule(clock.monotonicNanos() + NUDGE_NS, () -> nudge(clock, p, sig, 1));
                }
            } else {
                // Without the preemption switch only the asynchronous stop (stopNow, which hides
                // x86_64's MXCSR hooks for a moment) stops a running engine: the next syscall
                // stops it for free, so only a task that makes none for 50 ms gets stopNow.
                dev.phoenix.libos.proc.RunQueue q = taker.runQueue();
                if (q != null) {
                    q.preemptAtSyscall = true;
                }
                if (!clock.isVirtual()) {
                    clock.schedule(clock.monotonicNanos() + NUDGE_NS * NUDGES_BEFORE_STOP_NOW,
                            () -> nudge(clock, p, sig, NUDGES_BEFORE_STOP_NOW));
                }
            }
        }
        return continued;
    }

    /** Implements Linux tgkill(2). */
    static long tgkill(SyscallContext c, long tgid, long tid, long sig, long a3, long a4, long a5) {
        if ((int) tgid <= 0 || (int) tid <= 0) {
            return -Errno.EINVAL;
        }
        if (Pids.global(c, (int) tgid) != c.process().pid()) {
            return -Errno.ESRCH;
        }
        return tkill(c, tid, sig, 0, 0, 0, 0);
    }

    /** Implements Linux tkill(2). */
    static long tkill(SyscallContext c, long tid, long sig, long a2, long a3, long a4, long a5) {
        if ((int) tid <= 0) {
            return -Errno.EINVAL;
        }
        if (sig != 0) {
            signal(sig);
        }
        Task target = c.process().task(Pids.global(c, (int) tid));
        if (target == null) {
            return -Errno.ESRCH;
        }
        if (sig != 0) {
            if (target == c.task()) {
                sendToSelf(c, (int) sig, SigInfo.SI_TKILL);
            } else if (!SignalDelivery.discarded(target, (int) sig)) {
                target.post((int) sig, SigInfo.SI_TKILL);
                SignalDelivery.sent(c.process(), (int) sig, target);
            }
        }
        return 0;
    }

    /** Implements Linux rt_sigsuspend(2): waits with {@code mask} blocked until a signal is delivered. */
    static long rtSigsuspend(SyscallContext c, long mask, long size, long a2, long a3, long a4, long a5) {
        if (size != SIGSET_SIZE) {
            return -Errno.EINVAL;
        }
        Task t = c.task();
        long m = c.memory().readLong(mask);
        if (!t.resuming()) { // parked and running again: the mask is in force already
            t.savedMask = t.blocked;
            t.blocked = m & ~SignalDelivery.UNBLOCKABLE;
        }
        t.sleepUntil(Long.MAX_VALUE);
        return -Errno.ERESTARTNOHAND;
    }

    /** Implements Linux pause(2). */
    static long pause(SyscallContext c, long a0, long a1, long a2, long a3, long a4, long a5) {
        c.task().sleepUntil(Long.MAX_VALUE);
        return -Errno.ERESTARTNOHAND;
    }

    private static final long NUDGE_NS = 2_000_000;

    /**
     * A stop requested just before the engine started running is lost; while {@code sig} is
     * still pending for the process and undelivered, ask again, so a guest spinning without
     * syscalls still gets it.
     */
    private static void nudge(Clock clock, Process p, int sig, int tries) {
        nudge(clock, p, null, sig, tries);
    }

    /** As {@link #nudge(Clock, Process, int, int)} for a signal pending for thread {@code target} (null: for the process). */
    private static void nudge(Clock clock, Process p, Task target, int sig, int tries) {
        synchronized (p) {
            boolean waiting = target == null
                    ? (p.sharedPending().bits() & Task.bit(sig)) != 0 && p.taker(sig) != null
                    : !target.exited && (target.privatePending() & ~target.blocked & Task.bit(sig)) != 0;
            if (!p.timersStopped && p.exitStatus() == null && waiting) { // while every thread blocks it, the unblocking syscall delivers it
                if (tries < NUDGES_BEFORE_STOP_NOW) {
                    p.cpu().requestStop();
                } else {
                    p.cpu().stopNow(); // spinning in code translated before the preemption switch
                }
                clock.schedule(clock.monotonicNanos() + NUDGE_NS, () -> nudge(clock, p, target, sig, tries + 1));
            }
        }
    }

    /** 50 ms of nudges between two blocks before the stop that also reaches code translated earlier. */
    private static final int NUDGES_BEFORE_STOP_NOW = 25;

    /**
     * Sends {@code sig} to the process from outside its threads (a timer, or a host process whose
     * pid and uid are {@code sender}, see {@link Task#post(int, int, long)}): posted to the process
     * unless it would be discarded, and the running guest stopped to take it. The caller holds
     * the process's lock.
     */
    static void postFromOutside(Clock clock, Process p, int sig, int code, long sender) {
        if (!SignalDelivery.discarded(p.mainTask(), sig) && p.post(sig, code, sender) != null) {
            // A thread takes it (none does while all block it: it waits for the unblocking syscall)
            p.cpu().requestStop();
            if (!clock.isVirtual()) { // in virtual time the guest is at a syscall or clock read: no race
                clock.schedule(clock.monotonicNanos() + NUDGE_NS, () -> nudge(clock, p, sig, 1));
            }
        }
    }

    /**
     * Posts POSIX timer {@code t}'s signal (Linux's posixtimer_send_sigqueue), the timer's lock
     * held: to its thread for SIGEV_THREAD_ID (nothing when that thread has exited), else to the
     * process; not when the signal would be discarded (ignored and not blocked), nor again while
     * the timer's signal is still pending. A thread that takes it is woken and the running guest
     * stopped to take it, as {@link #postFromOutside} does.
     */
    static dev.phoenix.libos.proc.PosixTimer.Sent postTimer(Clock clock, dev.phoenix.libos.proc.PosixTimer t) {
        Process p = t.owner();
        int sig = t.signo();
        Task target = t.thread();
        synchronized (p) {
            if (p.timersStopped || p.exitStatus() != null || p.zombie || (target != null && target.exited)) {
                return dev.phoenix.libos.proc.PosixTimer.Sent.GONE;
            }
            if (SignalDelivery.discarded(target != null ? target : p.mainTask(), sig)) {
                return dev.phoenix.libos.proc.PosixTimer.Sent.IGNORED;
            }
            if (!(target != null ? target.postTimer(t) : p.postTimer(t))) {
                return dev.phoenix.libos.proc.PosixTimer.Sent.ALREADY_PENDING;
            }
            boolean taken = target != null ? (target.blocked & Task.bit(sig)) == 0 : p.taker(sig) != null;
            if (taken) {
                p.cpu().requestStop();
                if (!clock.isVirtual()) {
                    clock.schedule(clock.monotonicNanos() + NUDGE_NS, () -> nudge(clock, p, target, sig, 1));
                }
            }
            return dev.phoenix.libos.proc.PosixTimer.Sent.QUEUED;
        }
    }

    /**
     * A signal sent to Phoenix from the host, for the guest process {@code p}, with si_code
     * {@code code} (SI_USER from a host process whose pid and uid are {@code sender}, SI_KERNEL
     * from the host's terminal); see {@link #postFromOutside}.
     */
    public static void fromHost(Clock clock, Process p, int sig, int code, long sender) {
        synchronized (p) {
            if (!p.timersStopped && p.exitStatus() == null) {
                postFromOutside(clock, p, sig, code, sender);
            }
        }
    }
}
