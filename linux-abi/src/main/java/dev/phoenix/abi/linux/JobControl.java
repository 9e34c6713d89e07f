package dev.phoenix.abi.linux;

import dev.phoenix.abi.LinuxKernel;
import dev.phoenix.abi.Signals;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.host.HostOs;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.HostFd;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.proc.SigAction;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.libos.tty.HostTerminal;
import dev.phoenix.libos.tty.Pty;
import dev.phoenix.libos.tty.Terminal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Job control (credentials(7), "Sessions and process groups"; Linux's drivers/tty/tty_jobctrl.c
 * and the orphaned-group rules of kernel/exit.c): which process may read, write or set the
 * foreground group of its controlling terminal, the signals a terminal or an exit sends to a
 * group, and when a process group is orphaned. The state lives in {@link Terminal} and
 * {@link Process} ({@code pgid}, {@code sid}, {@code ctty}); the process tree's lock guards
 * every change of it.
 */
public final class JobControl {
    private JobControl() {}

    private static final int O_NOCTTY = 0400, O_ACCMODE = 3, O_WRONLY = 1;

    /** The listener a kernel's pseudo-terminals raise their signals and hangups through. */
    public static Pty.Listener ptyListener(LinuxKernel k) {
        return new Pty.Listener() {
            @Override
            public void signalGroup(int pgrp, int sig) {
                JobControl.signalGroup(k, pgrp, sig);
            }

            @Override
            public void hungUp(Terminal terminal) {
                hangup(k, terminal);
            }
        };
    }

    /**
     * The host terminal Phoenix runs on, when one of the guest's standard descriptors is it
     * (its device is /proc/self/stat's tty_nr): it becomes {@code first}'s controlling terminal,
     * with {@code first}'s session and group in the foreground, and every such descriptor knows
     * it. Null when Phoenix has no controlling terminal among them.
     */
    public static Terminal attachHostTerminal(OpenFile[] stdio, Process first) {
        long[] self = hostStat(Path.of("/proc/self/stat"));
        if (self == null || self[4] == 0) {
            return null;
        }
        HostTerminal tty = null;
        for (OpenFile f : stdio) {
            if (f instanceof HostFd h && h.terminalFd() >= 0) {
                long rdev;
                try {
                    rdev = h.status().rdev();
                } catch (Errno e) {
                    continue;
                }
                if (rdev != self[4]) {
                    continue;
                }
                if (tty == null) {
                    tty = new HostTerminal(h.terminalFd(), h, rdev, (int) self[2]);
                    tty.setControl(first.sid, first.pgid);
                }
                h.setTerminal(tty);
            }
        }
        first.ctty = tty;
        return tty;
    }

    /**
     * Sends {@code sigs} from the kernel (SI_KERNEL) to every live process of group {@code pgrp},
     * as kill_pgrp(pgrp, sig, 1) does, all of them queued to each process at once.
     */
    public static void signalGroup(LinuxKernel k, int pgrp, int... sigs) {
        for (Process p : k.processes()) {
            if (p.pgid == pgrp && !p.zombie) {
                SignalSyscalls.postAllFromKernel(k, p, sigs);
            }
        }
    }

    /**
     * Linux's __tty_check_change: a process in the background of its controlling terminal
     * {@code t} that reads it (SIGTTIN), writes it with TOSTOP set, or changes its settings
     * (SIGTTOU) stops: its group gets the signal and the call restarts once it is continued
     * (ERESTARTSYS). It may go on when it ignores or blocks the signal (SIGTTIN: EIO then), and
     * gets EIO when its group is orphaned (no shell is left to continue it). 0 when it may go on.
     */
    static int checkChange(SyscallContext c, Terminal t, int sig) {
        Process p = c.process();
        if (t == null || p.ctty != t) {
            return 0;
        }
        int foreground = t.pgrp();
        if (foreground == 0 || foreground == p.pgid) {
            return 0;
        }
        SigAction a = p.sigactions[sig];
        if ((c.task().blocked & Task.bit(sig)) != 0 || a.handler() == SigAction.SIG_IGN) {
            return sig == Signals.SIGTTIN ? -Errno.EIO : 0;
        }
        if (orphanedGroup(c.kernel(), p.pgid)) {
            return -Errno.EIO;
        }
        signalGroup(c.kernel(), p.pgid, sig);
        return -Errno.ERESTARTSYS;
    }

    /** Before a read of {@code f}: job control's check for a background reader of its terminal (n_tty's job_control). */
    static void beforeRead(SyscallContext c, OpenFile f) {
        Terminal t = f.terminal();
        if (t != null && !f.ptyMaster()) {
            int r = checkChange(c, t, Signals.SIGTTIN);
            if (r != 0) {
                throw Errno.of(-r);
            }
        }
    }

    /** Before a write to {@code f}: with TOSTOP, a background writer to its terminal stops (n_tty_write). */
    static void beforeWrite(SyscallContext c, OpenFile f) {
        Terminal t = f.terminal();
        if (t == null || f.ptyMaster()) {
            return;
        }
        Process p = c.process();
        int foreground = t.pgrp();
        if (p.ctty != t || foreground == 0 || foreground == p.pgid || !t.tostop()) {
            return;
        }
        int r = checkChange(c, t, Signals.SIGTTOU);
        if (r != 0) {
            throw Errno.of(-r);
        }
    }

    /**
     * After open(2) of terminal {@code f} with {@code flags}: a session leader without a
     * controlling terminal that opens, for reading and without O_NOCTTY, a terminal that is no
     * session's gets it as its controlling terminal (tty_open_proc_set_tty).
     */
    static void opened(SyscallContext c, OpenFile f, int flags) {
        Terminal t = f.terminal();
        if (t == null || f.ptyMaster() || (flags & O_NOCTTY) != 0 || (flags & O_ACCMODE) == O_WRONLY
                || (flags & O_ACCMODE) == O_ACCMODE) {
            return;
        }
        Process p = c.process();
        synchronized (c.kernel().tree()) {
            if (p.sid == p.pid() && p.ctty == null && t.session() == 0) {
                t.setControl(p.sid, p.pgid);
                p.ctty = t;
            }
        }
    }

    /**
     * {@code t} was hung up (its pty master closed), as __tty_hangup: every process of its session
     * loses it; the session leader gets SIGHUP and SIGCONT and remembers the foreground group,
     * which gets the same when the leader exits.
     */
    static void hangup(LinuxKernel k, Terminal t) {
        List<Process> leaders = new java.util.ArrayList<>();
        synchronized (k.tree()) {
            int session = t.session();
            int foreground = t.pgrp();
            if (session != 0) {
                for (Process q : k.processes()) {
                    if (q.sid != session) {
                        continue;
                    }
                    if (q.ctty == t) {
                        q.ctty = null;
                    }
                    if (q.pid() == session && !q.zombie) {
                        leaders.add(q);
                        q.ttyOldPgrp = foreground;
                    }
                }
            }
            t.setControl(0, 0);
        }
        for (Process q : leaders) { // outside the tree's lock: a signal may take a process's lock, and it the tree's
            SignalSyscalls.postAllFromKernel(k, q, Signals.SIGHUP, Signals.SIGCONT);
        }
    }

    /**
     * Session leader {@code p} gives up its controlling terminal (disassociate_ctty): the
     * terminal is no session's afterwards, and no process of the session has one. Returns the
     * group to signal, as {pgrp, also SIGCONT (1 or 0)}, or null: the foreground group gets
     * SIGHUP, and SIGCONT too unless the leader is exiting; a leader that lost its terminal to
     * a hangup and exits sends both to the group that was in the foreground. The caller holds
     * the tree's lock.
     */
    static int[] disassociate(LinuxKernel k, Process p, boolean exiting) {
        Terminal t = p.ctty;
        int[] signal = null;
        if (t == null) {
            int old = p.ttyOldPgrp;
            p.ttyOldPgrp = 0;
            if (exiting) {
                return old != 0 ? new int[] {old, 1} : null;
            }
        } else {
            int foreground = t.pgrp();
            if (foreground != 0) {
                signal = new int[] {foreground, exiting ? 0 : 1};
            }
            p.ttyOldPgrp = 0;
            t.setControl(0, 0);
        }
        for (Process q : k.processes()) {
            if (q.sid == p.sid) {
                q.ctty = null;
            }
        }
        return signal;
    }

    /** Sends what {@link #disassociate} asked for: SIGHUP, then SIGCONT when {@code signal[1]} is 1. */
    static void hangUp(LinuxKernel k, int[] signal) {
        if (signal != null) {
            int[] sigs = signal[1] != 0 ? new int[] {Signals.SIGHUP, Signals.SIGCONT} : new int[] {Signals.SIGHUP};
            signalGroup(k, signal[0], sigs);
        }
    }

    /**
     * Process {@code p} has exited and its children ({@code formerChildren}) have new parents;
     * the caller holds the tree's lock. A session leader's exit hangs up its session's
     * terminal for the foreground group ({@link #disassociate}); then, as kill_orphaned_pgrp
     * does in exit_notify, each process group the exit orphans that has a stopped member gets
     * SIGHUP and then SIGCONT: the children's groups, and {@code p}'s own when {@code p} was
     * what linked it to its parent's group.
     */
    public static void exited(LinuxKernel k, Process p, List<Process> formerChildren) {
        if (p.sid == p.pid()) {
            hangUp(k, disassociate(k, p, true));
        }
        for (Process child : formerChildren) {
            if (child.pgid != p.pgid && child.sid == p.sid && orphaned(k, child.pgid, null)
                    && hasStopped(k, child.pgid)) {
                hangUpGroup(k, child.pgid);
            }
        }
        int[] parent = parentGroupAndSession(k, p);
        if (parent != null && parent[0] != p.pgid && parent[1] == p.sid && orphaned(k, p.pgid, p)
                && hasStopped(k, p.pgid)) {
            hangUpGroup(k, p.pgid);
        }
    }

    private static void hangUpGroup(LinuxKernel k, int pgrp) {
        hangUp(k, new int[] {pgrp, 1});
    }

    /** True when process group {@code pgrp} is orphaned now (is_current_pgrp_orphaned). */
    public static boolean orphanedGroup(LinuxKernel k, int pgrp) {
        synchronized (k.tree()) {
            return orphaned(k, pgrp, null);
        }
    }

    /**
     * POSIX's orphaned process group, as Linux's will_become_orphaned_pgrp decides it, leaving
     * {@code ignored} out: no live member has a parent in another group of the same session.
     * A member whose parent is init (an orphan Phoenix took) does not count; the first process's
     * parent is the host's, read from /proc.
     */
    static boolean orphaned(LinuxKernel k, int pgrp, Process ignored) {
        Process first = k.initialProcess();
        for (Process q : k.processes()) {
            if (q.pgid != pgrp || q == ignored || q.zombie) {
                continue;
            }
            int[] parent = parentGroupAndSession(k, q);
            if (q == first && parent != null && parent[0] == -1) {
                return false; // its host group has a member whose parent is in the session
            }
            if (parent != null && parent[0] != pgrp && parent[1] == q.sid) {
                return false;
            }
        }
        return true;
    }

    /** True when a live member of group {@code pgrp} is stopped (has_stopped_jobs). */
    private static boolean hasStopped(LinuxKernel k, int pgrp) {
        for (Process q : k.processes()) {
            if (q.pgid == pgrp && !q.zombie && q.stoppedBy != 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * The process group and session of {@code q}'s parent, or null when that parent is init (or
     * unknown). For the first process the parent is a host process; when the first process is
     * still in Phoenix's own host group, {-1, -1} stands for "a member of the host group links it
     * to the session" and null for "the host group is orphaned".
     */
    private static int[] parentGroupAndSession(LinuxKernel k, Process q) {
        Process parent = q.parent();
        if (parent != null) {
            return new int[] {parent.pgid, parent.sid};
        }
        if (q != k.initialProcess() || k.machine().deterministic()) {
            return null;
        }
        long[] self = hostStat(Path.of("/proc/self/stat"));
        if (self == null) {
            return null;
        }
        if (q.pgid == self[2]) {
            return hostGroupOrphaned() ? null : new int[] {-1, -1};
        }
        long[] host = hostStat(Path.of("/proc/" + self[1] + "/stat"));
        return host == null ? null : new int[] {(int) host[2], (int) host[3]};
    }

    /**
     * True when Phoenix's host process group is orphaned (POSIX; Linux's
     * will_become_orphaned_pgrp): no member has a parent in another group of the same session.
     * Read from /proc.
     */
    public static boolean hostGroupOrphaned() {
        java.util.Map<Long, long[]> procs = new java.util.HashMap<>(); // pid -> stat fields
        try (var dirs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path d : dirs) {
                long[] f = hostStat(d.resolve("stat"));
                if (f != null) { // else the process has gone: it is no longer a member
                    procs.put(Long.parseLong(d.getFileName().toString()), f);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return false;
        }
        long[] self = procs.get(HostOs.getpid());
        if (self == null) {
            return false;
        }
        for (long[] member : procs.values()) {
            long[] parent = member[2] == self[2] ? procs.get(member[1]) : null;
            if (parent != null && parent[2] != self[2] && parent[3] == self[3]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Fields of a host /proc/PID/stat after the parenthesised name (which may hold spaces and
     * parentheses): {0, ppid, pgrp, session, tty_nr}; null when it cannot be read.
     */
    private static long[] hostStat(Path stat) {
        try {
            String s = Files.readString(stat);
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            return new long[] {0, Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4])};
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }
}
