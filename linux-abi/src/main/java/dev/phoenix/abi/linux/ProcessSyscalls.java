package dev.phoenix.abi.linux;

import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.Reg;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.proc.Credentials;
import dev.phoenix.libos.proc.ExitStatus;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.Task;
import java.nio.charset.StandardCharsets;

/** Process identity, exit, limits and thread-pointer syscalls. */
final class ProcessSyscalls {
    private ProcessSyscalls() {}

    private static final int ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003;
    private static final int UTS_FIELD = 65;
    private static final int PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2, PR_SET_CHILD_SUBREAPER = 36,
            PR_GET_CHILD_SUBREAPER = 37;
    private static final int PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4, PR_SET_NAME = 15, PR_GET_NAME = 16;
    /** TASK_COMM_LEN: thread names are 15 bytes and a NUL. */
    private static final int COMM_LEN = 16;

    /** Implements Linux exit_group(2). */
    static long exitGroup(SyscallContext c, long status, long a1, long a2, long a3, long a4, long a5) {
        c.process().exit(ExitStatus.exited((int) status));
        c.cpu().requestStop();
        return 0;
    }

    /** Implements Linux getpid(2). */
    static long getpid(SyscallContext c, long a0, long a1, long a2, long a3, long a4, long a5) {
        return Pids.nr(c, c.process().pid());
    }

    /** The process {@code pid} names for getpgid/getsid/setpgid: the caller for 0, else any live or zombie process; ESRCH for none. */
    private static Process target(SyscallContext c, long pid) {
        int id = (int) pid;
        if (id == 0) {
            return c.process();
        }
        Process p = id > 0 ? Pids.process(c, id) : null;
        if (p == null) {
            throw Errno.of(Errno.ESRCH);
        }
        return p;
    }

    /** Implements Linux getpgrp(2). */
    static long getpgrp(SyscallContext c, long a0, long a1, long a2, long a3, long a4, long a5) {
        return Pids.nr(c, c.process().pgid);
    }

    /** Implements Linux getpgid(2). */
    static long getpgid(SyscallContext c, long pid, long a1, long a2, long a3, long a4, long a5) {
        return Pids.nr(c, target(c, pid).pgid);
    }

    /** Implements Linux getsid(2). */
    static long getsid(SyscallContext c, long pid, long a1, long a2, long a3, long a4, long a5) {
        return Pids.nr(c, target(c, pid).sid);
    }

    /**
     * Implements Linux setpgid(2): the caller or one of its children (ESRCH otherwise), which has
     * not exec'd (EACCES) and is in the caller's session and not its leader (EPERM), joins group
     * {@code pgid} (0: its own pid), which must be its own or one existing in that session (EPERM).
     */
    static long setpgid(SyscallContext c, long pid, long pgid, long a2, long a3, long a4, long a5) {
        if ((int) pgid < 0) {
            return -Errno.EINVAL;
        }
        Process self = c.process();
        synchronized (c.kernel().tree()) {
            Process p = (int) pid == 0 ? self : Pids.process(c, (int) pid);
            if (p == null || (p != self && p.parent() != self)) {
                return -Errno.ESRCH;
            }
            if (p != self && p.didExec) {
                return -Errno.EACCES;
            }
            if (p.sid == p.pid() || (p != self && p.sid != self.sid)) {
                return -Errno.EPERM;
            }
            int target = (int) pgid == 0 ? p.pid() : Pids.global(c, (int) pgid);
            if (target == 0) {
                return -Errno.EPERM; // no such group in the caller's PID namespace
            }
            if (target != p.pid() && target != p.pgid) {
                boolean exists = false;
                for (Process q : c.kernel().processes()) {
                    exists |= q.pgid == target && q.sid == p.sid && !q.zombie;
                }
                if (!exists) {
                    return -Errno.EPERM;
                }
            }
            p.pgid = target;
        }
        return 0;
    }

    /**
     * Implements Linux setsid(2): a new session and group led by the process, without a
     * controlling terminal, unless it already leads a group (EPERM).
     */
    static long setsid(SyscallContext c, long a0, long a1, long a2, long a3, long a4, long a5) {
        Process p = c.process();
        synchronized (c.kernel().tree()) {
            for (Process q : c.kernel().processes()) {
                if (q.pgid == p.pid() && !q.zombie) {
                    return -Errno.EPERM; // it leads a group, or its pid names one
                }
            }
            p.sid = p.pgid = p.pid();
            p.ctty = null; // a new session has no controlling terminal
        }
        return Pids.nr(c, p.pid());
    }

    /** Implements Linux getppid(2): 0 when the parent is outside the caller's PID namespace. */
    static long getppid(SyscallContext c, long a0, long a1, long a2, long a3, long a4, long a5) {
        return Pids.nr(c, c.process().ppid());
    }

    /** Implements Linux gettid(2). */
    static long gettid(SyscallContext c, long a0, long a1, long a2, long a3, long a4, long a5) {
        return Pids.nr(c, c.task().tid());
    }

    /** Implements Linux set_tid_address(2). */
    static long setTidAddress(SyscallContext c, long tidptr, long a1, long a2, long a3, long a4, long a5) {
        c.task().clearChildTid = tidptr;
        return Pids.nr(c, c.task().tid());
    }

    /** Implements Linux set_robust_list(2). */
    static long setRobustList(SyscallContext c, long head, long len, long a2, long a3, long a4, long a5) {
        // sizeof(struct robust_list_head) on 64-bit arches.
        if (len != 24) {
            return -Errno.EINVAL;
        }
        c.task().robustListHead = head;
        c.task().robustListLength = len;
        return 0;
    }

    /**
     * Implements Linux get_robust_list(2): the robust list head and length of thread {@code pid}
     * (0: the caller) of the calling process; ESRCH for any other. musl asks it once to learn
     * whether robust mutexes work at all.
     */
    static long getRobustList(SyscallContext c, long pid, long headPtr, long lenPtr, long a3, long a4, long a5) {
        Task t = (int) pid == 0 ? c.task() : c.process().task((int) pid);
        if (t == null) {
            return -Errno.ESRCH;
        }
        c.memory().writeLong(headPtr, t.robustListHead);
        c.memory().writeLong(lenPtr, t.robustListHead == 0 ? 0 : t.robustListLength);
        return 0;
    }

    /** Implements Linux arch_prctl(2) for the FS base (x86_64 TLS). */
    static long archPrctl(SyscallContext c, long code, long addr, long a2, long a3, long a4, long a5) {
        switch ((int) code) {
            case ARCH_SET_FS -> {
                c.cpu().set(Reg.TLS, addr);
                return 0;
            }
            case ARCH_GET_FS -> {
                c.memory().writeLong(addr, c.cpu().get(Reg.TLS));
                return 0;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    /** fs.nr_open: Linux's default ceiling of RLIMIT_NOFILE. */
    private static final long NR_OPEN = 1 << 20;

    /**
     * Implements Linux prlimit64(2), for the caller or another process: that one only when the
     * caller's real uid is its real, effective and saved uid (and likewise the gids), or it has
     * CAP_SYS_RESOURCE (Linux's check_prlimit_permission).
     */
    static long prlimit64(SyscallContext c, long pid, long resource, long newLimit, long oldLimit, long a4, long a5) {
        Process target = c.process();
        if ((int) pid != 0 && Pids.global(c, (int) pid) != target.pid()) {
            target = Pids.process(c, (int) pid);
            if (target == null || target.zombie || (int) pid < 0) {
                return -Errno.ESRCH;
            }
            Credentials me = c.process().credentials();
            Credentials it = target.credentials();
            if (!(me.uid == it.uid && me.uid == it.euid && me.uid == it.suid && me.gid == it.gid && me.gid == it.egid
                    && me.gid == it.sgid) && !me.capable(Credentials.CAP_SYS_RESOURCE)) {
                return -Errno.EPERM;
            }
        }
        return prlimit(c, target, resource, newLimit, oldLimit);
    }

    private static long prlimit(SyscallContext c, Process p, long resource, long newLimit, long oldLimit) {
        if (resource < 0 || resource >= p.rlimitCur.length) {
            return -Errno.EINVAL;
        }
        int r = (int) resource;
        long cur = 0;
        long max = 0;
        if (newLimit != 0) {
            cur = c.memory().readLong(newLimit);
            max = c.memory().readLong(newLimit + 8);
            if (Long.compareUnsigned(cur, max) > 0) {
                return -Errno.EINVAL;
            }
            if (r == dev.phoenix.libos.proc.Process.RLIMIT_NOFILE && Long.compareUnsigned(max, NR_OPEN) > 0) {
                return -Errno.EPERM; // fs.nr_open bounds the descriptor table
            }
            if (Long.compareUnsigned(max, p.rlimitMax[r]) > 0
                    && !p.credentials().capable(Credentials.CAP_SYS_RESOURCE)) {
                return -Errno.EPERM;
            }
        }
        if (oldLimit != 0) {
            c.memory().writeLong(oldLimit, p.rlimitCur[r]);
            c.memory().writeLong(oldLimit + 8, p.rlimitMax[r]);
        }
        if (newLimit != 0) {
            p.rlimitCur[r] = cur;
            p.rlimitMax[r] = max;
            if (r == 0) { // RLIMIT_CPU: its timer follows the new limits
                if (p == c.process() && cur != -1) {
                    SignalSyscalls.exactStopsFromNowOn(c); // its signal must stop a task that spins
                }
                ItimerSyscalls.armCpuLimit(c.kernel().clock(), p);
            }
        }
        return 0;
    }

    /** Implements Linux prctl(2) for thread names, the dumpable flag, capabilities and privileges. */
    static long prctl(SyscallContext c, long option, long arg2, long a2, long a3, long a4, long a5) {
        if (CredentialSyscalls.isCredentialPrctl((int) option)) {
            return CredentialSyscalls.prctl(c, (int) option, arg2, a2, a3, a4);
        }
        switch ((int) option) {
            case PR_SET_NAME -> {
                byte[] raw = c.memory().read(arg2, COMM_LEN);
                int n = 0;
                while (n < COMM_LEN - 1 && raw[n] != 0) {
                    n++;
                }
                c.task().comm = new String(raw, 0, n, StandardCharsets.UTF_8);
                return 0;
            }
            case PR_GET_NAME -> {
                byte[] out = new byte[COMM_LEN];
                byte[] name = c.task().comm.getBytes(StandardCharsets.UTF_8);
                System.arraycopy(name, 0, out, 0, Math.min(name.length, COMM_LEN - 1));
                c.memory().write(arg2, out);
                return 0;
            }
            case PR_GET_DUMPABLE -> {
                return 1;
            }
            case PR_SET_PDEATHSIG -> {
                if (arg2 < 0 || arg2 > 64) {
                    return -Errno.EINVAL;
                }
                c.process().parentDeathSignal = (int) arg2;
                return 0;
            }
            case PR_GET_PDEATHSIG -> {
                c.memory().writeInt(arg2, c.process().parentDeathSignal);
                return 0;
            }
            case PR_SET_CHILD_SUBREAPER -> {
                c.process().childSubreaper = arg2 != 0;
                return 0;
            }
            case PR_GET_CHILD_SUBREAPER -> {
                c.memory().writeInt(arg2, c.process().childSubreaper ? 1 : 0);
                return 0;
            }
            case PR_SET_DUMPABLE -> {
                return arg2 == 0 || arg2 == 1 ? 0 : -Errno.EINVAL;
            }
            default -> {
                return -Errno.EINVAL;
            }
        }
    }

    /** Implements Linux getrlimit(2). */
    static long getrlimit(SyscallContext c, long resource, long rlim, long a2, long a3, long a4, long a5) {
        return prlimit64(c, 0, resource, 0, rlim, 0, 0);
    }

    /** Implements Linux setrlimit(2). */
    static long setrlimit(SyscallContext c, long resource, long rlim, long a2, long a3, long a4, long a5) {
        return prlimit64(c, 0, resource, rlim, 0, 0, 0);
    }

    /** Implements Linux uname(2). */
    static long uname(SyscallContext c, long buf, long a1, long a2, long a3, long a4, long a5) {
        byte[] uts = new byte[UTS_FIELD * 6];
        dev.phoenix.libos.ns.UtsNamespace names = c.process().namespaces.uts();
        String[] fields = {"Linux", names.hostname(), c.kernel().release(), c.kernel().version(),
            c.abi().arch().unameMachine(), names.domainname()};
        for (int i = 0; i < fields.length; i++) {
            byte[] f = fields[i].getBytes(StandardCharsets.UTF_8);
            System.arraycopy(f, 0, uts, i * UTS_FIELD, Math.min(f.length, UTS_FIELD - 1));
        }
        c.memory().write(buf, uts);
        return 0;
    }

    /** Implements Linux getrandom(2). */
    static long getrandom(SyscallContext c, long buf, long len, long flags, long a3, long a4, long a5) {
        // GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE; RANDOM and INSECURE together are invalid.
        if ((flags & ~7L) != 0 || (flags & 6L) == 6L) {
            return -Errno.EINVAL;
        }
        // len is a size_t; Linux fills at most INT_MAX bytes, Phoenix at most 32 MiB a call (a short read).
        int n = (int) (Long.compareUnsigned(len, 1 << 25) > 0 ? 1 << 25 : len);
        byte[] bytes = new byte[n];
        c.kernel().random().nextBytes(bytes);
        c.memory().write(buf, bytes);
        return n;
    }
}
