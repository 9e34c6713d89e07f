package dev.phoenix.abi.linux;

import dev.phoenix.abi.Signals;
import dev.phoenix.abi.syscall.SyscallContext;
import dev.phoenix.emu.host.HostOs;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.proc.Credentials;
import dev.phoenix.libos.proc.Process;
import dev.phoenix.libos.tty.Pty;
import dev.phoenix.libos.tty.Terminal;
import dev.phoenix.libos.tty.Termios;

/**
 * Terminal ioctls (ioctl_tty(2)) on the host terminal Phoenix was given and on the guest's
 * pseudo-terminals. Settings (termios, window size, flushing, flow) of the host terminal are the
 * host's, so the guest changes the terminal the user sees; a pty keeps its own. Job control
 * (TIOCGPGRP, TIOCSPGRP, TIOCGSID, TIOCSCTTY, TIOCNOTTY) is Phoenix's for both, with Linux's
 * rules (tty_jobctrl.c); a background process that changes settings stops with SIGTTOU.
 */
final class TerminalIoctls {
    private TerminalIoctls() {}

    static final int TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TCSBRK = 0x5409,
            TCXONC = 0x540A, TCFLSH = 0x540B, TIOCSCTTY = 0x540E, TIOCGPGRP = 0x540F, TIOCSPGRP = 0x5410,
            TIOCOUTQ = 0x5411, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, FIONREAD = 0x541B, TIOCNOTTY = 0x5422,
            TIOCGETD = 0x5424, TCSBRKP = 0x5425, TIOCGSID = 0x5429, TIOCGPTN = 0x80045430, TIOCSPTLCK = 0x40045431,
            TIOCGPTLCK = 0x80045439, TIOCGPTPEER = 0x5441;
    private static final int WINSIZE = 8;
    private static final int O_NONBLOCK = 04000, O_CLOEXEC = 02000000;

    /** Implements a terminal ioctl {@code request} on {@code f}; ENOTTY for a file that is no terminal. */
    static long ioctl(SyscallContext c, OpenFile f, int request, long arg) {
        Pty pty = f instanceof Pty.End e ? e.pty() : null;
        int host = f.terminalFd();
        if (pty == null && host < 0) {
            return -Errno.ENOTTY;
        }
        if (f instanceof Pty.Slave s && s.hungUp()) {
            return request == TIOCSPGRP ? -Errno.ENOTTY : -Errno.EIO; // hung_up_tty_ioctl
        }
        Terminal t = f.terminal();
        boolean master = f.ptyMaster();
        switch (request) {
            case TIOCGPGRP -> {
                return getPgrp(c, t, master, arg);
            }
            case TIOCSPGRP -> {
                return setPgrp(c, t, arg);
            }
            case TIOCGSID -> {
                if (t == null || (!master && c.process().ctty != t) || t.session() == 0) {
                    return -Errno.ENOTTY;
                }
                c.memory().writeInt(arg, t.session());
                return 0;
            }
            case TIOCSCTTY -> {
                return setControlling(c, f, t, master, arg);
            }
            case TIOCNOTTY -> {
                return noControlling(c, t, master);
            }
            default -> {
                return pty != null ? ptyIoctl(c, pty, master, t, request, arg) : hostIoctl(c, host, t, request, arg);
            }
        }
    }

    /** TIOCGPGRP: the foreground group of the caller's controlling terminal, or of a master's slave (0: none). */
    private static long getPgrp(SyscallContext c, Terminal t, boolean master, long arg) {
        if (t == null || (!master && c.process().ctty != t)) {
            return -Errno.ENOTTY;
        }
        c.memory().writeInt(arg, t.reportedPgrp());
        return 0;
    }

    /**
     * TIOCSPGRP (tiocspgrp): a background caller stops with SIGTTOU first; the terminal must be
     * the caller's controlling terminal, of its session (ENOTTY); the group must exist (ESRCH)
     * in that session (EPERM). As Linux, a pid that leads no group names its process's session.
     */
    private static long setPgrp(SyscallContext c, Terminal t, long arg) {
        if (t == null) {
            return -Errno.ENOTTY;
        }
        int r = JobControl.checkChange(c, t, Signals.SIGTTOU);
        if (r == -Errno.EIO) {
            return -Errno.ENOTTY;
        }
        if (r != 0) {
            return r;
        }
        int pgrp = c.memory().readInt(arg);
        if (pgrp < 0) {
            return -Errno.EINVAL;
        }
        Process self = c.process();
        synchronized (c.kernel().tree()) {
            if (self.ctty != t || t.session() != self.sid) {
                return -Errno.ENOTTY;
            }
            Integer session = sessionOfGroup(c, pgrp);
            if (session == null) {
                return -Errno.ESRCH;
            }
            if (session != self.sid) {
                return -Errno.EPERM;
            }
            t.setPgrp(pgrp);
        }
        return 0;
    }

    /**
     * The session of process group {@code pgrp} (session_of_pgrp): a member's, else the session
     * of the process with that pid; 0 when the id is only a session's; null when no process uses
     * it at all (ESRCH).
     */
    private static Integer sessionOfGroup(SyscallContext c, int pgrp) {
        Process byPid = null;
        boolean asSession = false;
        for (Process q : c.kernel().processes()) {
            if (q.pgid == pgrp) {
                return q.sid;
            }
            if (q.pid() == pgrp) {
                byPid = q;
            }
            asSession |= q.sid == pgrp;
        }
        return byPid != null ? Integer.valueOf(byPid.sid) : asSession ? Integer.valueOf(0) : null;
    }

    /**
     * TIOCSCTTY (tiocsctty): a session leader without a controlling terminal takes {@code t},
     * which must be no other session's (unless {@code arg} is 1 and the caller has
     * CAP_SYS_ADMIN: it is taken from that session) and open for reading. A pty master never
     * becomes a controlling terminal here: EPERM.
     */
    private static long setControlling(SyscallContext c, OpenFile f, Terminal t, boolean master, long arg) {
        if (t == null || master) {
            return -Errno.EPERM;
        }
        Process p = c.process();
        boolean admin = p.credentials().capable(Credentials.CAP_SYS_ADMIN);
        synchronized (c.kernel().tree()) {
            if (p.sid == p.pid() && t.session() == p.sid) {
                return 0;
            }
            if (p.sid != p.pid() || p.ctty != null) {
                return -Errno.EPERM;
            }
            int other = t.session();
            if (other != 0) {
                if ((int) arg != 1 || !admin) {
                    return -Errno.EPERM;
                }
                for (Process q : c.kernel().processes()) {
                    if (q.sid == other) {
                        q.ctty = null;
                    }
                }
            }
            int mode = f.statusFlags() & 3;
            if (mode != 0 && mode != 2 && !admin) {
                return -Errno.EPERM; // only a reader may take it (tty_open_proc_set_tty's rule)
            }
            t.setControl(p.sid, p.pgid);
            p.ctty = t;
        }
        return 0;
    }

    /**
     * TIOCNOTTY: the caller gives up its controlling terminal; a session leader gives it up for
     * the whole session, and its foreground group gets SIGHUP and SIGCONT.
     */
    private static long noControlling(SyscallContext c, Terminal t, boolean master) {
        Process p = c.process();
        if (t == null || master || p.ctty != t) {
            return -Errno.ENOTTY;
        }
        int[] signal = null;
        synchronized (c.kernel().tree()) {
            if (p.sid == p.pid()) {
                signal = JobControl.disassociate(c.kernel(), p, false);
            }
            p.ctty = null;
        }
        JobControl.hangUp(c.kernel(), signal);
        return 0;
    }

    /** The settings and pty ioctls of a pseudo-terminal (the master's reach its slave's). */
    private static long ptyIoctl(SyscallContext c, Pty pty, boolean master, Terminal t, int request, long arg) {
        switch (request) {
            case TCGETS -> {
                c.memory().write(arg, pty.termios());
                return 0;
            }
            case TCSETS, TCSETSW, TCSETSF -> {
                int r = JobControl.checkChange(c, t, Signals.SIGTTOU);
                if (r != 0) {
                    return r;
                }
                pty.setTermios(c.memory().read(arg, Termios.SIZE), request == TCSETSF);
                return 0;
            }
            case TIOCGWINSZ -> {
                c.memory().write(arg, pty.winsize());
                return 0;
            }
            case TIOCSWINSZ -> {
                pty.setWinsize(c.memory().read(arg, WINSIZE));
                return 0;
            }
            case FIONREAD -> {
                c.memory().writeInt(arg, master ? pty.masterReadable() : pty.slaveReadable());
                return 0;
            }
            case TIOCOUTQ -> {
                c.memory().writeInt(arg, 0); // a pty's output goes straight to the other side
                return 0;
            }
            case TIOCGETD -> {
                c.memory().writeInt(arg, 0); // N_TTY
                return 0;
            }
            case TCFLSH -> {
                int r = master ? 0 : JobControl.checkChange(c, t, Signals.SIGTTOU);
                if (r != 0) {
                    return r;
                }
                if (arg < 0 || arg > 2) {
                    return -Errno.EINVAL;
                }
                // TCIFLUSH 0, TCOFLUSH 1, TCIOFLUSH 2; a master's input is what its slave wrote
                if (master) {
                    pty.flush(false, arg != 1);
                } else {
                    pty.flush(arg != 1, arg != 0);
                }
                return 0;
            }
            case TCSBRK, TCSBRKP -> {
                return master ? 0 : JobControl.checkChange(c, t, Signals.SIGTTOU); // nothing to drain, no line to break
            }
            case TCXONC -> {
                int r = master ? 0 : JobControl.checkChange(c, t, Signals.SIGTTOU);
                if (r != 0) {
                    return r;
                }
                switch ((int) arg) {
                    case 0, 1 -> { // TCOOFF, TCOON: the slave's output; a master's goes to the line discipline unstopped
                        if (!master) {
                            pty.setStopped(arg == 0);
                        }
                    }
                    case 2, 3 -> { } // TCIOFF, TCION: a START or STOP character to a side without flow control
                    default -> {
                        return -Errno.EINVAL;
                    }
                }
                return 0;
            }
            case TIOCGPTN -> {
                if (!master) {
                    return -Errno.ENOTTY;
                }
                c.memory().writeInt(arg, pty.index());
                return 0;
            }
            case TIOCSPTLCK -> {
                if (!master) {
                    return -Errno.ENOTTY;
                }
                pty.setLocked(c.memory().readInt(arg) != 0);
                return 0;
            }
            case TIOCGPTLCK -> {
                if (!master) {
                    return -Errno.ENOTTY;
                }
                c.memory().writeInt(arg, pty.locked() ? 1 : 0);
                return 0;
            }
            case TIOCGPTPEER -> {
                if (!master) {
                    return -Errno.ENOTTY;
                }
                int flags = (int) arg;
                OpenFile slave = pty.openSlave((flags & O_NONBLOCK) != 0);
                int fd;
                try {
                    fd = c.fds().install(slave, 0, (flags & O_CLOEXEC) != 0, c.process().fdLimit());
                } catch (Errno e) {
                    slave.release();
                    throw e;
                }
                JobControl.opened(c, slave, flags);
                return fd;
            }
            default -> {
                return -Errno.ENOTTY;
            }
        }
    }

    /** The host terminal's settings ioctls, passed to it; changing them from the background stops with SIGTTOU. */
    private static long hostIoctl(SyscallContext c, int host, Terminal t, int request, long arg) {
        int size;
        boolean in;
        switch (request) {
            case TCGETS -> { size = Termios.SIZE; in = false; } // struct termios (asm-generic/termbits.h), all three arches
            case TCSETS, TCSETSW, TCSETSF -> { size = Termios.SIZE; in = true; }
            case TIOCGWINSZ -> { size = WINSIZE; in = false; } // struct winsize
            case TIOCSWINSZ -> { size = WINSIZE; in = true; }
            case FIONREAD, TIOCOUTQ -> { size = 4; in = false; }
            case TCFLSH, TCSBRK, TCSBRKP, TCXONC -> {
                int r = JobControl.checkChange(c, t, Signals.SIGTTOU);
                return r != 0 ? r : HostOs.ioctlValue(host, request, arg);
            }
            default -> {
                return -Errno.ENOTTY;
            }
        }
        if (request == TCSETS || request == TCSETSW || request == TCSETSF) {
            int r = JobControl.checkChange(c, t, Signals.SIGTTOU);
            if (r != 0) {
                return r;
            }
        }
        byte[] b = in ? c.memory().read(arg, size) : new byte[size];
        int r = HostOs.ioctl(host, request & 0xffffffffL, b);
        if (r < 0) {
            return r;
        }
        if (!in) {
            c.memory().write(arg, b);
        }
        return r;
    }
}
