package dev.phoenix.abi.linux;

import dev.phoenix.abi.Signals;
import dev.phoenix.abi.signal.SigInfo;
import dev.phoenix.abi.signal.SignalDelivery;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.PollEvents;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.libos.proc.WaitQueue;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Taking signals without a handler: rt_sigtimedwait(2) (sigwait, sigwaitinfo, sigtimedwait),
 * signalfd(2) and signalfd4(2); and sending with a siginfo of one's own: rt_sigqueueinfo(2) and
 * rt_tgsigqueueinfo(2) (sigqueue, pthread_sigqueue).
 */
final class SignalWaitSyscalls {
    private SignalWaitSyscalls() {}

    private static final long SIGSET_SIZE = 8;
    /** signalfd4's flags: SFD_CLOEXEC and SFD_NONBLOCK (O_CLOEXEC, O_NONBLOCK). */
    private static final int SFD_CLOEXEC = 02000000, SFD_NONBLOCK = 04000;
    /** sizeof(struct signalfd_siginfo). */
    private static final int SIGNALFD_SIGINFO_SIZE = 128;

    /**
     * Implements Linux rt_sigtimedwait(2): waits for a signal of {@code set}, takes it off the
     * pending set without running its handler and returns its number, with its siginfo at
     * {@code info}. As Linux does, the signals of the set are unblocked while the thread waits,
     * so a signal sent to the process picks this thread. EAGAIN once the relative timeout passes
     * (at once for a zero timeout); EINTR when another signal's handler must run.
     */
    static long rtSigtimedwait(SyscallContext c, long setAddr, long info, long timeout, long size, long a4, long a5) {
        if (size != SIGSET_SIZE) {
            return -Errno.EINVAL;
        }
        Task t = c.task();
        long set = c.memory().readLong(setAddr) & ~SignalDelivery.UNBLOCKABLE;
        long deadline = Long.MAX_VALUE;
        if (!t.resuming()) {
            if (timeout != 0) {
                deadline = TimeSyscalls.deadlineAfter(c.kernel().clock(), TimeSyscalls.timespecNanos(c, timeout));
            }
            t.realBlocked = t.blocked;
            t.blocked &= ~set;
        }
        deadline = t.deadline(deadline); // the first run's, when the wait parked and runs again
        while (true) {
            // A Park leaves the set unblocked while the thread waits, as Linux's real_blocked does.
            Task.Wait w = t.block(deadline, () -> t.nextPending(set) != 0, c.process().signalWaiters());
            if (w == Task.Wait.READY) {
                int sig;
                SigInfo si = null;
                while (si == null && (sig = t.nextPending(set)) != 0) {
                    si = SignalDelivery.dequeue(c, sig); // null: a stale timer's, dropped; or another thread took it
                }
                if (si == null) {
                    continue; // nothing left to take: wait on, to the same deadline
                }
                t.blocked = t.realBlocked;
                t.realBlocked = -1;
                if (info != 0) {
                    c.memory().write(info, si.bytes());
                }
                return si.signo();
            }
            t.blocked = t.realBlocked;
            t.realBlocked = -1;
            return w == Task.Wait.TIMED_OUT ? -Errno.EAGAIN : -Errno.EINTR;
        }
    }

    /** The si_code of the siginfo a sigqueue sends (its si_value is at offset 24). */
    private static int queuedCode(SyscallContext c, long info, int targetPid) {
        int code = c.memory().readInt(info + 8);
        // Only the kernel may send SI_USER-like or SI_TKILL codes to another process (rt_sigqueueinfo(2)).
        if ((code >= 0 || code == SigInfo.SI_TKILL) && Pids.global(c, targetPid) != c.process().pid()) {
            throw Errno.of(Errno.EPERM);
        }
        return code;
    }

    /**
     * Implements Linux rt_sigqueueinfo(2): {@code sig} to process {@code tgid} with the caller's
     * siginfo (si_code, si_pid and si_uid as given, as sigqueue(3) fills them), under kill(2)'s
     * permission check; ESRCH for a pid nobody has.
     */
    static long rtSigqueueinfo(SyscallContext c, long tgid, long sig, long info, long a3, long a4, long a5) {
        int s = checkSignal(sig);
        Process self = c.process();
        Process target = (int) tgid > 0 ? Pids.process(c, (int) tgid) : null;
        if (target == null) {
            return -Errno.ESRCH;
        }
        int code = queuedCode(c, info, (int) tgid);
        long value = c.memory().readLong(info + 24);
        if (!SignalSyscalls.mayKill(self, target, s)) {
            return -Errno.EPERM;
        }
        if (s == 0 || target.zombie) {
            return 0;
        }
        if (target != self) {
            int givenPid = c.memory().readInt(info + 16); // as the caller sees it: kept as the kernel's id
            int pid = Pids.global(c, givenPid) != 0 ? Pids.global(c, givenPid) : givenPid;
            long sender = (pid & 0xffffffffL) | ((long) c.memory().readInt(info + 20) << 32);
            SignalSyscalls.postFromProcess(c.kernel(), target, s, code, sender, value);
        } else if (!SignalDelivery.discarded(self.mainTask(), s)) {
            SignalDelivery.sent(self, s, self.post(s, code, Task.SENDER_SELF, value));
        }
        return 0;
    }

    /** Implements Linux rt_tgsigqueueinfo(2): as rt_sigqueueinfo, to thread {@code tid} of {@code tgid}. */
    static long rtTgsigqueueinfo(SyscallContext c, long tgid, long tid, long sig, long info, long a4, long a5) {
        if ((int) tgid <= 0 || (int) tid <= 0) {
            return -Errno.EINVAL;
        }
        int s = checkSignal(sig);
        Task target = Pids.global(c, (int) tgid) == c.process().pid() ? c.process().task(Pids.global(c, (int) tid)) : null;
        if (target == null) {
            return -Errno.ESRCH;
        }
        int code = queuedCode(c, info, (int) tgid);
        long value = c.memory().readLong(info + 24);
        if (s != 0 && !SignalDelivery.discarded(target, s)) {
            target.post(s, code, Task.SENDER_SELF, value);
            SignalDelivery.sent(c.process(), s, target);
        }
        return 0;
    }

    private static int checkSignal(long sig) {
        if (sig < 0 || sig > Signals.NSIG) {
            throw Errno.of(Errno.EINVAL);
        }
        return (int) sig;
    }

    /** Implements Linux signalfd(2): signalfd4 without flags. */
    static long signalfd(SyscallContext c, long fd, long mask, long size, long a3, long a4, long a5) {
        return signalfd4(c, fd, mask, size, 0, a4, a5);
    }

    /**
     * Implements Linux signalfd4(2): a descriptor that reads the calling thread's pending signals
     * of {@code mask} as struct signalfd_siginfo records, or, with {@code fd} a signalfd already,
     * a new mask for it.
     */
    static long signalfd4(SyscallContext c, long fd, long maskAddr, long size, long flags, long a4, long a5) {
        if (size != SIGSET_SIZE || (flags & ~(SFD_CLOEXEC | SFD_NONBLOCK)) != 0) {
            return -Errno.EINVAL;
        }
        long mask = c.memory().readLong(maskAddr) & ~SignalDelivery.UNBLOCKABLE;
        if ((int) fd != -1) {
            if (!(c.fds().get(fd) instanceof SignalFd s)) {
                return -Errno.EINVAL;
            }
            s.mask = mask;
            return fd;
        }
        SignalFd s = new SignalFd(c.process(), mask, (flags & SFD_NONBLOCK) != 0);
        return c.fds().install(s, 0, (flags & SFD_CLOEXEC) != 0, c.process().fdLimit());
    }

    /** A signalfd: reads dequeue the reading thread's signals of its mask. */
    static final class SignalFd implements OpenFile {
        private final Process process;
        volatile long mask;
        private volatile boolean nonBlocking;

        SignalFd(Process process, long mask, boolean nonBlocking) {
            this.process = process;
            this.mask = mask;
            this.nonBlocking = nonBlocking;
        }

        @Override
        public int read(byte[] buf, int offset, int length) {
            if (length < SIGNALFD_SIGINFO_SIZE) {
                throw Errno.of(Errno.EINVAL);
            }
            Task t = Task.current();
            if (t == null) {
                throw Errno.of(Errno.EAGAIN);
            }
            while (true) {
                int done = take(t, buf, offset, length);
                if (done > 0) {
                    return done;
                }
                if (nonBlocking) {
                    throw Errno.of(Errno.EAGAIN);
                }
                if (t.block(Long.MAX_VALUE, () -> t.nextPending(mask) != 0, process.signalWaiters())
                        == Task.Wait.SIGNALED) {
                    throw Errno.of(Errno.ERESTARTSYS);
                }
            }
        }

        /** Takes the pending signals of the mask that fit in {@code length} bytes; the bytes written (0: none was there). */
        private int take(Task t, byte[] buf, int offset, int length) {
            int done = 0;
            int sig;
            while (done + SIGNALFD_SIGINFO_SIZE <= length && (sig = t.nextPending(mask)) != 0) {
                SigInfo si = SignalDelivery.dequeueFor(t, sig);
                if (si == null) {
                    continue; // a stale timer's signal, dropped (or another thread took it)
                }
                ByteBuffer b = ByteBuffer.wrap(buf, offset + done, SIGNALFD_SIGINFO_SIZE).order(ByteOrder.LITTLE_ENDIAN);
                java.util.Arrays.fill(buf, offset + done, offset + done + SIGNALFD_SIGINFO_SIZE, (byte) 0);
                b.putInt(offset + done, sig); // ssi_signo
                b.putInt(offset + done + 8, si.code()); // ssi_code
                if (si.code() == SigInfo.SI_TIMER) { // signalfd_copyinfo's SIL_TIMER
                    b.putInt(offset + done + 24, (int) si.word()); // ssi_tid: the timer's id
                    b.putInt(offset + done + 32, (int) (si.word() >>> 32)); // ssi_overrun
                } else if (si.code() != SigInfo.SI_KERNEL) {
                    b.putInt(offset + done + 12, (int) si.word()); // ssi_pid
                    b.putInt(offset + done + 16, (int) (si.word() >>> 32)); // ssi_uid
                }
                b.putLong(offset + done + 48, si.value()); // ssi_ptr (and ssi_int, its low half, at 44)
                b.putInt(offset + done + 44, (int) si.value());
                done += SIGNALFD_SIGINFO_SIZE;
            }
            return done;
        }

        @Override
        public int write(byte[] buf, int offset, int length) {
            throw Errno.of(Errno.EINVAL);
        }

        @Override
        public int pollEvents() {
            Task t = Task.current();
            return t != null && t.nextPending(mask) != 0 ? PollEvents.POLLIN | PollEvents.POLLRDNORM : 0;
        }

        @Override
        public WaitQueue readiness() {
            return process.signalWaiters();
        }


        @Override
        public boolean openedByPath() {
            return false;
        }

        @Override
        public int statusFlags() {
            return 2 | (nonBlocking ? SFD_NONBLOCK : 0); // O_RDWR, as anon_inode files are opened
        }

        @Override
        public void setStatusFlags(int flags) {
            nonBlocking = (flags & SFD_NONBLOCK) != 0;
        }

        @Override
        public FileStatus status() {
            // anon_inode: a regular-looking file of mode 0600 on the anon inode fs (st_mode 0600, no type bits)
            return new FileStatus(0xe, 1, 0600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0);
        }
    }
}
