package dev.phoenix.abi.signal;

import dev.phoenix.abi.Signals;
import dev.phoenix.emu.host.HostOs;
import dev.phoenix.libos.proc.Task;

/**
 * Signals sent to the phoenix process, forwarded to the guest as that signal: SIGHUP, SIGINT,
 * SIGQUIT, SIGUSR1, SIGUSR2, SIGTERM, SIGCONT, SIGTSTP and SIGWINCH. The launcher starts the JVM
 * with them blocked in every thread (env --block-signal, inherited by each thread the JVM makes)
 * and with -Xrs, so that the JVM installs no handler of its own (no shutdown on SIGINT, no thread
 * dump on SIGQUIT); they wait in the host kernel until one daemon thread takes them from a
 * signalfd(2), with the sender's pid and uid, and hands them to the running kernel. Run any other
 * way (in-process tests, java -jar), the signals are not blocked and the JVM keeps them.
 */
public final class HostSignals {
    private HostSignals() {}

    /** The forwarded signals, bit n-1 for signal n. */
    public static final long FORWARDED = Task.bit(Signals.SIGHUP) | Task.bit(Signals.SIGINT) | Task.bit(Signals.SIGQUIT)
            | Task.bit(Signals.SIGUSR1) | Task.bit(Signals.SIGUSR2) | Task.bit(Signals.SIGTERM)
            | Task.bit(Signals.SIGCONT) | Task.bit(Signals.SIGTSTP) | Task.bit(Signals.SIGWINCH);

    /** Receives a forwarded signal: its number, and the sender's pid and uid. */
    @FunctionalInterface
    public interface Receiver {
        void signal(int sig, int pid, int uid);
    }

    private static volatile Receiver receiver;
    private static boolean started;

    /**
     * Makes {@code target} the receiver of forwarded signals, starting the forwarding thread on
     * first use; returns false, forwarding nothing, when the signals are not blocked in this
     * thread (Phoenix was not started by its launcher).
     */
    public static synchronized boolean forwardTo(Receiver target) {
        if (!started) {
            if ((HostOs.blockedSignals() & FORWARDED) != FORWARDED) {
                return false;
            }
            int fd;
            try {
                fd = HostOs.signalfd(FORWARDED);
            } catch (HostOs.HostError e) {
                return false;
            }
            Thread t = new Thread(() -> forward(fd), "phoenix-host-signals");
            t.setDaemon(true);
            t.start();
            started = true;
        }
        receiver = target;
        return true;
    }

    /** Stops handing signals to the receiver (its run is over); later ones are dropped. */
    public static void stop(Receiver target) {
        if (receiver == target) {
            receiver = null;
        }
    }

    /** sizeof(struct signalfd_siginfo); ssi_signo at 0, ssi_pid at 12, ssi_uid at 16. */
    private static final int SIGINFO_SIZE = 128;

    private static void forward(int fd) {
        byte[] info = new byte[SIGINFO_SIZE];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(info).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        while (true) {
            int n;
            try {
                n = HostOs.read(fd, info, 0, info.length);
            } catch (HostOs.HostError e) {
                if (e.errno() == 4) { // EINTR
                    continue;
                }
                return;
            }
            Receiver r = receiver;
            if (n == SIGINFO_SIZE && r != null) {
                r.signal(b.getInt(0), b.getInt(12), b.getInt(16));
            }
        }
    }
}
