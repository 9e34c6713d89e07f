package dev.phoenix.libos.tty;

import dev.phoenix.libos.fs.OpenFile;

/**
 * What job control knows of a terminal (Linux's tty_struct ctrl): the session it is the
 * controlling terminal of and that session's foreground process group, 0 for none. A process
 * holds its controlling terminal in {@link dev.phoenix.libos.proc.Process#ctty}; the rules that
 * read and change these ids are the Linux personality's.
 */
public abstract class Terminal {
    /** @GuardedBy("this") */
    private int session, pgrp;

    /** The session this is the controlling terminal of, or 0. */
    public synchronized int session() {
        return session;
    }

    /** The foreground process group (tty->ctrl.pgrp), or 0. */
    public synchronized int pgrp() {
        return pgrp;
    }

    /** Makes this the controlling terminal of {@code session} with {@code pgrp} in the foreground; 0, 0 for none. */
    public synchronized void setControl(int session, int pgrp) {
        this.session = session;
        this.pgrp = pgrp;
    }

    /** Puts process group {@code pgrp} in the foreground (TIOCSPGRP). */
    public synchronized void setPgrp(int pgrp) {
        this.pgrp = pgrp;
    }

    /**
     * The foreground group TIOCGPGRP reports: {@link #pgrp} here; the host terminal answers
     * with the host's group while Phoenix itself is not in the host's foreground.
     */
    public int reportedPgrp() {
        return pgrp();
    }

    /** True when output by a background process stops it with SIGTTOU (termios TOSTOP). */
    public abstract boolean tostop();

    /** True once the terminal has been hung up (a pty whose master was closed). */
    public boolean hungUp() {
        return false;
    }

    /** The device number, as /proc/PID/stat's tty_nr gives it. */
    public abstract long rdev();

    /** A file open on this terminal, for open("/dev/tty"); EIO when it can no longer be opened. */
    public abstract OpenFile reopen();
}
