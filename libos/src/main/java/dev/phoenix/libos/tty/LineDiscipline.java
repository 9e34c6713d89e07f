package dev.phoenix.libos.tty;

/**
 * The line discipline of a pseudo-terminal's slave, as Linux's n_tty runs it (termios(3)): input
 * the master writes goes through ISTRIP, IUCLC, IXON's START and STOP, ISIG's INTR, QUIT and SUSP
 * (a signal to the foreground group, the input flushed unless NOFLSH), IGNCR, ICRNL and INLCR,
 * then in canonical mode the editing characters (ERASE, KILL, WERASE, LNEXT, REPRINT) and the
 * line ends (NL, EOL, EOL2, EOF), each echoed as ECHO, ECHOE, ECHOK, ECHOKE, ECHONL and ECHOCTL
 * say; a non-canonical read waits as VMIN and VTIME say. Output the slave writes is processed as
 * OPOST, ONLCR, OCRNL, ONOCR, ONLRET, OLCUC and XTABS say, echoes too. Not kept: parity and
 * break handling (PARMRK, INPCK, BRKINT), ECHOPRT's printed erasure, IMAXBEL, EXTPROC, packet
 * mode. Every method runs under the owning {@link Pty}'s lock.
 */
final class LineDiscipline {
    /** The read buffer (N_TTY_BUF_SIZE): a line longer than this less one is cut. */
    static final int INPUT_SIZE = 4096;
    /** The most bytes one output character becomes (a tab expanded by XTABS). */
    static final int MAX_EXPANSION = 8;
    private static final int SIGINT = 2, SIGQUIT = 3, SIGTSTP = 20;
    private static final int ERASE = 0, WERASE = 1, KILL = 2;

    private final Pty pty;
    private final Termios termios = Termios.ptySlave();

    /**
     * The read buffer, as absolute positions (slot = position % INPUT_SIZE): [head, committed)
     * can be read; [committed, tail) is the canonical line still being edited. A line end is
     * flagged in {@code lineEnd}; an EOF character ends a line as a flagged slot in
     * {@code eofMark}, which a canonical read consumes but does not return.
     */
    private final byte[] buf = new byte[INPUT_SIZE];
    private final boolean[] lineEnd = new boolean[INPUT_SIZE];
    private final boolean[] eofMark = new boolean[INPUT_SIZE];
    private long head, committed, tail;
    /** LNEXT was typed: the next character is taken literally. */
    private boolean lnext;
    /** The output column, and the column where the line being edited began (tab erasure). */
    private int column, canonColumn;

    LineDiscipline(Pty pty) {
        this.pty = pty;
    }

    Termios termios() {
        return termios;
    }

    private boolean canonical() {
        return termios.l(Termios.ICANON);
    }

    private int slot(long position) {
        return (int) (position % INPUT_SIZE);
    }

    private int at(long position) {
        return buf[slot(position)] & 0xff;
    }

    private static boolean isControl(int c) {
        return c < 32 || c == 127;
    }

    private boolean isContinuation(int c) {
        return termios.i(Termios.IUTF8) && (c & 0xc0) == 0x80;
    }

    // ---- settings ----

    /**
     * New settings (TCSETS). Leaving canonical mode makes the line being edited readable;
     * entering it with unread input makes that input one line, as n_tty_set_termios does.
     */
    void setTermios(byte[] t) {
        boolean wasCanonical = canonical();
        termios.set(t);
        if (wasCanonical != canonical()) {
            lnext = false;
            if (!canonical()) {
                committed = tail;
            } else if (tail > head) {
                lineEnd[slot(tail - 1)] = true;
                committed = tail;
            }
        }
    }

    /** Drops all unread input (TCFLSH, TCSETSF, a signal character without NOFLSH). */
    void flush() {
        head = committed = tail;
        lnext = false;
    }

    // ---- input: what the master writes ----

    /** Room for another character of input; a canonical line that fills the buffer drops its characters instead. */
    boolean hasRoom() {
        return tail - head < INPUT_SIZE - 1 || (canonical() && committed == head);
    }

    /** Takes input character {@code c}; false when there is no room for it yet (the master's write waits). */
    boolean receive(int c) {
        if (termios.i(Termios.ISTRIP)) {
            c &= 0x7f;
        }
        if (termios.i(Termios.IUCLC) && termios.l(Termios.IEXTEN) && c >= 'A' && c <= 'Z') {
            c += 'a' - 'A';
        }
        if (lnext) {
            if (!hasRoom()) {
                return false;
            }
            lnext = false;
            ordinary(c);
            return true;
        }
        if (termios.i(Termios.IXON)) {
            if (c == termios.special(Termios.VSTART)) {
                pty.setStoppedUnlocked(false);
                return true;
            }
            if (c == termios.special(Termios.VSTOP)) {
                pty.setStoppedUnlocked(true);
                return true;
            }
        }
        if (termios.l(Termios.ISIG)) {
            int sig = c == termios.special(Termios.VINTR) ? SIGINT : c == termios.special(Termios.VQUIT) ? SIGQUIT
                    : c == termios.special(Termios.VSUSP) ? SIGTSTP : 0;
            if (sig != 0) {
                signal(sig, c);
                return true;
            }
        }
        if (pty.stoppedUnlocked() && termios.i(Termios.IXON) && termios.i(Termios.IXANY)) {
            pty.setStoppedUnlocked(false);
        }
        if (c == '\r') {
            if (termios.i(Termios.IGNCR)) {
                return true;
            }
            if (termios.i(Termios.ICRNL)) {
                c = '\n';
            }
        } else if (c == '\n' && termios.i(Termios.INLCR)) {
            c = '\r';
        }
        if (canonical()) {
            return canonicalChar(c);
        }
        if (tail - head >= INPUT_SIZE - 1) {
            return false;
        }
        ordinary(c);
        return true;
    }

    /** ISIG: the foreground group gets {@code sig}; unread input goes unless NOFLSH; the character is echoed. */
    private void signal(int sig, int c) {
        pty.raise(sig);
        if (!termios.l(Termios.NOFLSH)) {
            flush();
        }
        if (termios.i(Termios.IXON)) {
            pty.setStoppedUnlocked(false);
        }
        if (termios.l(Termios.ECHO)) {
            echo(c);
        }
    }

    private boolean canonicalChar(int c) {
        boolean extended = termios.l(Termios.IEXTEN);
        boolean echo = termios.l(Termios.ECHO);
        if (c == termios.special(Termios.VERASE)) {
            erase(ERASE, c);
            return true;
        }
        if (c == termios.special(Termios.VKILL)) {
            erase(KILL, c);
            return true;
        }
        if (extended && c == termios.special(Termios.VWERASE)) {
            erase(WERASE, c);
            return true;
        }
        if (extended && c == termios.special(Termios.VLNEXT)) {
            lnext = true;
            if (echo && termios.l(Termios.ECHOCTL)) {
                emit('^');
                emit('\b');
            }
            return true;
        }
        if (extended && echo && c == termios.special(Termios.VREPRINT)) {
            echo(c);
            emit('\n');
            for (long p = committed; p < tail; p++) {
                echo(at(p));
            }
            return true;
        }
        boolean eof = c == termios.special(Termios.VEOF);
        boolean eol = c == '\n' || c == termios.special(Termios.VEOL) || (extended && c == termios.special(Termios.VEOL2));
        if (eof || eol) {
            if (tail - head >= INPUT_SIZE) {
                return false;
            }
            if (c == '\n') {
                if (echo || termios.l(Termios.ECHONL)) {
                    emit('\n');
                }
            } else if (echo && !eof) {
                if (tail == committed) {
                    canonColumn = column;
                }
                echo(c);
            }
            int s = slot(tail);
            buf[s] = (byte) (eof ? 0 : c);
            lineEnd[s] = true;
            eofMark[s] = eof;
            tail++;
            committed = tail;
            return true;
        }
        if (tail - head >= INPUT_SIZE - 1) {
            if (committed == head) {
                return true; // the line fills the buffer: the character is dropped (no reader could take it)
            }
            return false;
        }
        ordinary(c);
        return true;
    }

    /** An ordinary character: echoed, then stored (readable at once outside canonical mode). */
    private void ordinary(int c) {
        if (termios.l(Termios.ECHO)) {
            if (c == '\n') {
                emit('\n');
            } else {
                if (tail == committed) {
                    canonColumn = column;
                }
                echo(c);
            }
        }
        int s = slot(tail);
        buf[s] = (byte) c;
        lineEnd[s] = false;
        eofMark[s] = false;
        tail++;
        if (!canonical()) {
            committed = tail;
        }
    }

    /**
     * ERASE, WERASE and KILL in canonical mode, as n_tty's eraser: the characters of the line
     * being edited go (a UTF-8 character whole under IUTF8), and with ECHOE (ECHOKE for KILL) the
     * screen is rubbed out: "\b \b" for each column, backspaces alone for a tab.
     */
    private void erase(int kind, int c) {
        if (tail == committed) {
            return;
        }
        boolean echo = termios.l(Termios.ECHO);
        if (kind == KILL) {
            if (!echo) {
                tail = committed;
                return;
            }
            if (!termios.l(Termios.ECHOK) || !termios.l(Termios.ECHOKE) || !termios.l(Termios.ECHOE)) {
                tail = committed;
                echo(c);
                if (termios.l(Termios.ECHOK)) {
                    emit('\n');
                }
                return;
            }
        }
        boolean seenWord = false;
        while (tail > committed) {
            long start = tail;
            int ch;
            do {
                start--;
                ch = at(start);
            } while (isContinuation(ch) && start > committed);
            if (kind == WERASE) {
                boolean word = Character.isLetterOrDigit(ch) && ch < 128 || ch == '_';
                if (word) {
                    seenWord = true;
                } else if (seenWord) {
                    break;
                }
            }
            tail = start;
            if (echo) {
                if (kind == ERASE && !termios.l(Termios.ECHOE)) {
                    echo(termios.special(Termios.VERASE));
                } else if (ch == '\t') {
                    eraseTab();
                } else {
                    if (isControl(ch) && termios.l(Termios.ECHOCTL)) {
                        rubOut();
                    }
                    if (!isControl(ch) || termios.l(Termios.ECHOCTL)) {
                        rubOut();
                    }
                }
            }
            if (kind == ERASE) {
                break;
            }
        }
    }

    private void rubOut() {
        emit('\b');
        emit(' ');
        emit('\b');
    }

    /** Backspaces over an erased tab: its width, from the columns the line's characters since the previous tab take. */
    private void eraseTab() {
        int chars = 0;
        boolean afterTab = false;
        for (long p = tail; p > committed; ) {
            int ch = at(--p);
            if (ch == '\t') {
                afterTab = true;
                break;
            } else if (isControl(ch)) {
                if (termios.l(Termios.ECHOCTL)) {
                    chars += 2;
                }
            } else if (!isContinuation(ch)) {
                chars++;
            }
        }
        if (!afterTab) {
            chars += canonColumn;
        }
        int back = Math.min(8 - (chars & 7), column);
        for (int i = 0; i < back; i++) {
            emit('\b');
        }
    }

    // ---- reading ----

    /** The VTIME wait of a non-canonical read, in ns, or 0 for none. */
    long timeoutNanos() {
        int time = termios.cc[Termios.VTIME] & 0xff;
        return canonical() || time == 0 ? 0 : time * 100_000_000L;
    }

    /** True when a read of {@code length} bytes can return now (what its wait waits for). */
    boolean readyToRead(int length) {
        if (canonical()) {
            return committed > head;
        }
        int min = termios.cc[Termios.VMIN] & 0xff;
        return committed - head >= Math.max(1, Math.min(min, length));
    }

    /** POLLIN as n_tty_poll gives it: a whole line, or VMIN bytes when there is no VTIME. */
    boolean readyToPoll() {
        if (canonical()) {
            return committed > head;
        }
        int min = termios.cc[Termios.VMIN] & 0xff;
        int time = termios.cc[Termios.VTIME] & 0xff;
        return committed - head >= (time == 0 && min > 0 ? min : 1);
    }

    /** FIONREAD: readable bytes, EOF marks not counted. */
    int readable() {
        if (!canonical()) {
            return (int) (committed - head);
        }
        int n = 0;
        for (long p = head; p < committed; p++) {
            n += eofMark[slot(p)] ? 0 : 1;
        }
        return n;
    }

    /**
     * Reads into {@code dst}: in canonical mode at most one line (an EOF mark ends it unread, so
     * a line of only EOF reads 0); otherwise as VMIN and VTIME say ({@code timedOut}: VTIME has
     * run out). Returns the count, or -1 when the read must wait.
     */
    int read(byte[] dst, int offset, int length, boolean timedOut) {
        if (length == 0) {
            return 0;
        }
        long avail = committed - head;
        if (canonical()) {
            return avail == 0 ? -1 : readLine(dst, offset, length);
        }
        int min = termios.cc[Termios.VMIN] & 0xff;
        int time = termios.cc[Termios.VTIME] & 0xff;
        if (min == 0) {
            if (avail > 0 || time == 0 || timedOut) {
                return copy(dst, offset, (int) Math.min(avail, length));
            }
            return -1;
        }
        if (avail >= Math.min(min, length) || (time > 0 && timedOut && avail > 0)) {
            return copy(dst, offset, (int) Math.min(avail, length));
        }
        return -1;
    }

    private int readLine(byte[] dst, int offset, int length) {
        long limit = Math.min(committed - head, (long) length + 1);
        for (int i = 0; i < limit; i++) {
            int s = slot(head + i);
            if (!lineEnd[s]) {
                continue;
            }
            if (eofMark[s]) {
                int n = copy(dst, offset, i);
                consume(1);
                return n;
            }
            return copy(dst, offset, Math.min(i + 1, length));
        }
        return copy(dst, offset, length);
    }

    private int copy(byte[] dst, int offset, int n) {
        for (int i = 0; i < n; i++) {
            dst[offset + i] = buf[slot(head + i)];
        }
        consume(n);
        return n;
    }

    private void consume(int n) {
        for (int i = 0; i < n; i++) {
            int s = slot(head + i);
            lineEnd[s] = false;
            eofMark[s] = false;
        }
        head += n;
    }

    // ---- output ----

    /** Writes output character {@code c} as the slave wrote it; false when the master's side has no room yet. */
    boolean output(int c) {
        if (pty.outputRoom() < MAX_EXPANSION) {
            return false;
        }
        emit(c);
        return true;
    }

    /** Echoes {@code c}: a control character other than tab as ^X under ECHOCTL (DEL as ^?). */
    private void echo(int c) {
        if (termios.l(Termios.ECHOCTL) && isControl(c) && c != '\t') {
            emit('^');
            emit(c ^ 0100);
        } else {
            emit(c);
        }
    }

    /** One character out, processed as OPOST and its flags say (Linux's do_output_char). */
    private void emit(int c) {
        if (!termios.o(Termios.OPOST)) {
            pty.put(c);
            return;
        }
        switch (c) {
            case '\n' -> {
                if (termios.o(Termios.ONLRET)) {
                    column = 0;
                }
                if (termios.o(Termios.ONLCR)) {
                    column = canonColumn = 0;
                    pty.put('\r');
                    pty.put('\n');
                    return;
                }
                canonColumn = column;
            }
            case '\r' -> {
                if (termios.o(Termios.ONOCR) && column == 0) {
                    return;
                }
                if (termios.o(Termios.OCRNL)) {
                    c = '\n';
                    if (termios.o(Termios.ONLRET)) {
                        column = canonColumn = 0;
                    }
                } else {
                    column = canonColumn = 0;
                }
            }
            case '\t' -> {
                int spaces = 8 - (column & 7);
                column += spaces;
                if ((termios.oflag & Termios.TABDLY) == Termios.XTABS) {
                    for (int i = 0; i < spaces; i++) {
                        pty.put(' ');
                    }
                    return;
                }
            }
            case '\b' -> {
                if (column > 0) {
                    column--;
                }
            }
            default -> {
                if (!isControl(c)) {
                    if (termios.o(Termios.OLCUC) && c >= 'a' && c <= 'z') {
                        c -= 'a' - 'A';
                    }
                    if (!isContinuation(c)) {
                        column++;
                    }
                }
            }
        }
        pty.put(c);
    }
}
