package dev.phoenix.libos.tty;

import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.FileStatus;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.PollEvents;
import dev.phoenix.libos.proc.Task;
import dev.phoenix.libos.proc.WaitQueue;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A pseudo-terminal pair (pty(7)): the master a program gets from /dev/ptmx and the slave,
 * /dev/pts/N, that a shell or a job runs on. What the master writes is the slave's input, which
 * goes through the line discipline ({@link LineDiscipline}: canonical lines, echo, the signal
 * characters); what the slave writes is output-processed (ONLCR) and read by the master. The
 * slave is a {@link Terminal} with a session and a foreground group. As Linux's pty driver: the
 * slave cannot be opened while the pair is locked (posix_openpt leaves it locked until
 * unlockpt) nor once the master is closed; the master reads EIO once every slave file is
 * closed; closing the master hangs the slave up (its reads end at 0, its writes fail with EIO).
 */
public final class Pty {
    /** What the pair asks of the kernel: signals its line discipline raises, and its hangup. */
    public interface Listener {
        /** Sends {@code sig} to process group {@code pgrp} as the kernel does (si_code SI_KERNEL). */
        void signalGroup(int pgrp, int sig);

        /** {@code terminal} was hung up (the master closed): its session loses it. */
        void hungUp(Terminal terminal);
    }

    /** What the master may hold unread before the slave's writes wait (TTYB_DEFAULT_MEM_LIMIT). */
    static final int OUTPUT_SIZE = 65536;
    private static final int SIGWINCH = 28;

    private final int index;
    private final Listener listener;
    private final Clock clock;
    private final Runnable onClose;
    private final FileStatus masterStatus, slaveStatus;
    private final LineDiscipline ldisc;
    private final byte[] winsize = new byte[8];

    /** Output toward the master: a ring of {@link #OUTPUT_SIZE} bytes. @GuardedBy("this") */
    private final byte[] out = new byte[OUTPUT_SIZE];
    private int outHead, outSize;
    /** Output stopped by the STOP character or TCOOFF (flow control). @GuardedBy("this") */
    private boolean stopped;

    /** unlockpt(3) has not been called. @GuardedBy("this") */
    private boolean locked = true;
    /** The master is closed: the slave is hung up. @GuardedBy("this") */
    private boolean masterClosed;
    /** Every slave file has been closed (Linux's TTY_OTHER_CLOSED on the master). @GuardedBy("this") */
    private boolean slaveClosed;
    private int slaveOpens;
    /** Signals raised under the lock, sent after it is let go. @GuardedBy("this") */
    private final List<int[]> raised = new ArrayList<>();

    /** Woken at every change: input or output in or out, a side closed, flow resumed. */
    private final WaitQueue changed = new WaitQueue();
    private final SlaveTerminal terminal = new SlaveTerminal();
    private final Master master = new Master();

    /**
     * Pair number {@code index}; {@code onClose} runs when the master is closed (the /dev/pts
     * entry goes). {@code clock} times VTIME reads.
     */
    public Pty(int index, FileStatus masterStatus, FileStatus slaveStatus, Clock clock, Listener listener,
            Runnable onClose) {
        this.index = index;
        this.masterStatus = masterStatus;
        this.slaveStatus = slaveStatus;
        this.clock = clock;
        this.listener = listener;
        this.onClose = onClose;
        this.ldisc = new LineDiscipline(this);
    }

    public int index() {
        return index;
    }

    /** The slave's job-control state. */
    public Terminal terminal() {
        return terminal;
    }

    /** The master's open file (the one /dev/ptmx gave). */
    public Master master() {
        return master;
    }

    /** stat(2) of /dev/pts/N. */
    public FileStatus slaveStatus() {
        return slaveStatus;
    }

    /** Opens the slave: EIO while the pair is locked or after the master was closed, as pty_open answers. */
    public synchronized Slave openSlave(boolean nonBlocking) {
        if (locked || masterClosed) {
            throw Errno.of(Errno.EIO);
        }
        slaveOpens++;
        slaveClosed = false;
        return new Slave(nonBlocking);
    }

    // ---- settings (TCGETS, TCSETS*, TIOCGWINSZ, TIOCSWINSZ, TIOCSPTLCK, TCFLSH, TCXONC) ----

    public synchronized byte[] termios() {
        return ldisc.termios().toBytes();
    }

    /** TCSETS: new settings; {@code flushInput} (TCSETSF) drops unread input first. */
    public void setTermios(byte[] t, boolean flushInput) {
        synchronized (this) {
            if (flushInput) {
                ldisc.flush();
            }
            ldisc.setTermios(t);
            if ((ldisc.termios().iflag & Termios.IXON) == 0) {
                stopped = false; // flow control turned off restarts output
            }
            changed.wakeAll();
        }
    }

    public synchronized byte[] winsize() {
        return winsize.clone();
    }

    /** TIOCSWINSZ: a new window size; the foreground group gets SIGWINCH when it changed (tty_do_resize). */
    public void setWinsize(byte[] ws) {
        synchronized (this) {
            if (java.util.Arrays.equals(ws, winsize)) {
                return;
            }
            System.arraycopy(ws, 0, winsize, 0, winsize.length);
            raise(SIGWINCH);
        }
        sendRaised();
    }

    /** TIOCSPTLCK. */
    public synchronized void setLocked(boolean locked) {
        this.locked = locked;
    }

    /** TIOCGPTLCK. */
    public synchronized boolean locked() {
        return locked;
    }

    /** Bytes the slave can read now (FIONREAD on the slave; a canonical line counts once complete). */
    public synchronized int slaveReadable() {
        return ldisc.readable();
    }

    /** Bytes the master can read now (FIONREAD on the master). */
    public synchronized int masterReadable() {
        return outSize;
    }

    /** TCFLSH: drops the slave's unread input and/or the output the master has not read. */
    public synchronized void flush(boolean input, boolean output) {
        if (input) {
            ldisc.flush();
        }
        if (output) {
            outSize = 0;
        }
        changed.wakeAll();
    }

    /** TCXONC's TCOOFF and TCOON: stops or restarts the slave's output. */
    public synchronized void setStopped(boolean stop) {
        stopped = stop;
        changed.wakeAll();
    }

    // ---- what the line discipline calls, under the lock ----

    /** Output room left toward the master. */
    int outputRoom() {
        return OUTPUT_SIZE - outSize;
    }

    /** Puts raw byte {@code c} in the master's input; dropped when full (an echo with no room). */
    void put(int c) {
        if (outSize < OUTPUT_SIZE) {
            out[(outHead + outSize) % OUTPUT_SIZE] = (byte) c;
            outSize++;
        }
    }

    /** Sends {@code sig} to the foreground group once the lock is let go. */
    void raise(int sig) {
        int pgrp = terminal.pgrp();
        if (pgrp != 0) {
            raised.add(new int[] {pgrp, sig});
        }
    }

    void setStoppedUnlocked(boolean stop) {
        stopped = stop;
    }

    boolean stoppedUnlocked() {
        return stopped;
    }

    private void sendRaised() {
        int[][] signals;
        synchronized (this) {
            if (raised.isEmpty()) {
                return;
            }
            signals = raised.toArray(new int[0][]);
            raised.clear();
        }
        for (int[] s : signals) {
            listener.signalGroup(s[0], s[1]);
        }
    }

    // ---- the two sides ----

    private int masterRead(byte[] buf, int offset, int length, boolean nonBlocking) {
        while (true) {
            synchronized (this) {
                if (outSize > 0) {
                    int n = Math.min(length, outSize);
                    for (int i = 0; i < n; i++) {
                        buf[offset + i] = out[(outHead + i) % OUTPUT_SIZE];
                    }
                    outHead = (outHead + n) % OUTPUT_SIZE;
                    outSize -= n;
                    changed.wakeAll();
                    return n;
                }
                if (slaveClosed) {
                    throw Errno.of(Errno.EIO); // n_tty_read of a master whose slave is gone
                }
                if (nonBlocking) {
                    throw Errno.of(Errno.EAGAIN);
                }
            }
            await(() -> {
                synchronized (this) {
                    return outSize > 0 || slaveClosed;
                }
            }, Long.MAX_VALUE, 0);
        }
    }

    private int masterWrite(byte[] buf, int offset, int length, boolean nonBlocking) {
        Task task = Task.current();
        int done = task != null ? task.writtenBefore(length) : 0; // what went in before this call parked
        while (true) {
            synchronized (this) {
                while (done < length && ldisc.receive(buf[offset + done] & 0xff)) {
                    done++;
                }
                changed.wakeAll();
            }
            sendRaised();
            if (done == length || !awaitRoom(done, nonBlocking, () -> {
                synchronized (this) {
                    return ldisc.hasRoom();
                }
            })) {
                return done;
            }
        }
    }

    /**
     * A write that has put {@code done} bytes through waits for room ({@code room}); false when
     * it must return {@code done} now instead: a non-blocking write that moved something, or a
     * signal after some bytes went in (a short write). EAGAIN or ERESTARTSYS when nothing moved.
     */
    private boolean awaitRoom(int done, boolean nonBlocking, BooleanSupplier room) {
        if (nonBlocking) {
            if (done > 0) {
                return false;
            }
            throw Errno.of(Errno.EAGAIN);
        }
        try {
            await(room, Long.MAX_VALUE, done);
            return true;
        } catch (Errno e) {
            if (done > 0) {
                return false;
            }
            throw e;
        }
    }

    private int slaveRead(byte[] buf, int offset, int length, boolean nonBlocking) {
        while (true) {
            long deadline = Long.MAX_VALUE;
            synchronized (this) {
                if (masterClosed) {
                    return 0; // hung up
                }
                int n = ldisc.read(buf, offset, length, false);
                if (n >= 0) {
                    changed.wakeAll();
                    return n;
                }
                if (nonBlocking) {
                    throw Errno.of(Errno.EAGAIN);
                }
                long time = ldisc.timeoutNanos();
                if (time > 0) {
                    deadline = clock.monotonicNanos() + time;
                }
            }
            if (await(() -> {
                synchronized (this) {
                    return masterClosed || ldisc.readyToRead(length);
                }
            }, deadline, 0) == Task.Wait.TIMED_OUT) {
                synchronized (this) {
                    int n = ldisc.read(buf, offset, length, true);
                    if (n >= 0) {
                        changed.wakeAll();
                        return n;
                    }
                }
            }
        }
    }

    private int slaveWrite(byte[] buf, int offset, int length, boolean nonBlocking) {
        Task task = Task.current();
        int done = task != null ? task.writtenBefore(length) : 0;
        while (true) {
            synchronized (this) {
                if (masterClosed) {
                    throw Errno.of(Errno.EIO);
                }
                while (done < length && !stopped && ldisc.output(buf[offset + done] & 0xff)) {
                    done++;
                }
                changed.wakeAll();
            }
            if (done == length || !awaitRoom(done, nonBlocking, () -> {
                synchronized (this) {
                    return masterClosed || (!stopped && outputRoom() >= LineDiscipline.MAX_EXPANSION);
                }
            })) {
                return done;
            }
        }
    }

    /**
     * Waits for the other side; a signal for the waiting task ends the wait with ERESTARTSYS, as
     * n_tty_read and n_tty_write return it. {@code done} is what a write has put through so far,
     * kept if the task parks. Without a run queue (a test driving the dispatcher) it sleeps a
     * little in place and lets the caller look again.
     */
    private Task.Wait await(BooleanSupplier ready, long deadline, int done) {
        return dev.phoenix.libos.fs.FileWaits.await(this, changed, ready, deadline, done, clock);
    }

    private void closeMaster() {
        synchronized (this) {
            masterClosed = true;
            changed.wakeAll();
            notifyAll();
        }
        onClose.run();
        listener.hungUp(terminal);
    }

    private synchronized void closeSlave() {
        if (--slaveOpens == 0) {
            slaveClosed = true;
        }
        changed.wakeAll();
        notifyAll();
    }

    private synchronized int masterPoll() {
        int events = 0;
        if (outSize > 0) {
            events |= PollEvents.POLLIN | PollEvents.POLLRDNORM;
        }
        if (slaveClosed) {
            events |= PollEvents.POLLHUP;
        }
        if (ldisc.hasRoom()) {
            events |= PollEvents.POLLOUT | PollEvents.POLLWRNORM;
        }
        return events;
    }

    private synchronized int slavePoll() {
        if (masterClosed) { // hung_up_tty_poll
            return PollEvents.POLLIN | PollEvents.POLLOUT | PollEvents.POLLERR | PollEvents.POLLHUP
                    | PollEvents.POLLRDNORM | PollEvents.POLLWRNORM;
        }
        int events = 0;
        if (ldisc.readyToPoll()) {
            events |= PollEvents.POLLIN | PollEvents.POLLRDNORM;
        }
        if (!stopped && outputRoom() >= LineDiscipline.MAX_EXPANSION) {
            events |= PollEvents.POLLOUT | PollEvents.POLLWRNORM;
        }
        return events;
    }

    /** A file open on one side; O_NONBLOCK is its own. */
    public abstract sealed class End implements OpenFile permits Master, Slave {
        private volatile boolean nonBlocking;

        End(boolean nonBlocking) {
            this.nonBlocking = nonBlocking;
        }

        boolean nonBlocking() {
            return nonBlocking;
        }

        /** The pair this file is a side of. */
        public Pty pty() {
            return Pty.this;
        }

        /** The slave's terminal: for the master too, whose settings ioctls reach the slave's (real_tty). */
        @Override
        public Terminal terminal() {
            return terminal;
        }


        @Override
        public int statusFlags() {
            return 2 | (nonBlocking ? 04000 : 0);
        }

        @Override
        public void setStatusFlags(int flags) {
            nonBlocking = (flags & 04000) != 0;
        }

        @Override
        public WaitQueue readiness() {
            return changed;
        }
    }

    /** The master side (/dev/ptmx). */
    public final class Master extends End {
        Master() {
            super(false);
        }

        @Override
        public int read(byte[] buf, int offset, int length) {
            return masterRead(buf, offset, length, nonBlocking());
        }

        @Override
        public int write(byte[] buf, int offset, int length) {
            return masterWrite(buf, offset, length, nonBlocking());
        }

        @Override
        public FileStatus status() {
            return masterStatus;
        }

        @Override
        public int pollEvents() {
            return masterPoll();
        }

        @Override
        public boolean ptyMaster() {
            return true;
        }

        @Override
        public String guestPath() {
            return "/dev/ptmx";
        }

        @Override
        public void release() {
            closeMaster();
        }
    }

    /** A slave file (/dev/pts/N). */
    public final class Slave extends End {
        Slave(boolean nonBlocking) {
            super(nonBlocking);
        }

        @Override
        public int read(byte[] buf, int offset, int length) {
            return slaveRead(buf, offset, length, nonBlocking());
        }

        @Override
        public int write(byte[] buf, int offset, int length) {
            return slaveWrite(buf, offset, length, nonBlocking());
        }

        /** True once the master is closed: the file is hung up. */
        public boolean hungUp() {
            synchronized (Pty.this) {
                return masterClosed;
            }
        }

        @Override
        public FileStatus status() {
            return slaveStatus;
        }

        @Override
        public int pollEvents() {
            return slavePoll();
        }

        @Override
        public String guestPath() {
            return "/dev/pts/" + index;
        }

        @Override
        public void release() {
            closeSlave();
        }
    }

    /** The slave as a terminal: job-control ids, TOSTOP, its number, and reopening (/dev/tty). */
    private final class SlaveTerminal extends Terminal {
        @Override
        public boolean tostop() {
            synchronized (Pty.this) {
                return (ldisc.termios().lflag & Termios.TOSTOP) != 0;
            }
        }

        @Override
        public boolean hungUp() {
            synchronized (Pty.this) {
                return masterClosed;
            }
        }

        @Override
        public long rdev() {
            return slaveStatus.rdev();
        }

        @Override
        public OpenFile reopen() {
            return openSlave(false);
        }
    }
}
