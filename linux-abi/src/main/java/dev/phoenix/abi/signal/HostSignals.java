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

    /**
     * Receives a forwarded signal: its number, its si_code (SI_USER from kill(2), SI_KERNEL from
     * the host's terminal: ^C, ^Z, a hangup, a resize) and the sender's pid and uid.
     */
    @FunctionalInterface
    public interface Receiver {
        void signal(int sig, int code, int pid, int uid);
    }

    private static volatile Receiver receiver;
    /** The signalfd (made once, on first use) and the eventfd that tells the thread to end; -1 until then. */
    private static int signals = -1;
    private static int stopBell = -1;
    private static Thread forwarder;

    /**
     * Makes {@code target} the receiver of forwarded signals and starts the forwarding thread;
     * returns false, forwarding nothing, when the signals are not blocked in this thread
     * (Phoenix was not started by its launcher).
     */
    public static synchronized boolean forwardTo(Receiver target) {
        if (signals < 0) {
            if ((HostOs.blockedSignals() & FORWARDED) != FORWARDED) {
                return false;
            }
            try {
                signals = HostOs.signalfd(FORWARDED);
                stopBell = HostOs.eventfd();
            } catch (HostOs.HostError e) {
                return false;
            }
        }
        receiver = target;
        if (forwarder == null) {
            forwarder = new Thread(HostSignals::forward, "phoenix-host-signals");
            forwarder.setDaemon(true);
            forwarder.start();
        }
        return true;
    }

    /**
     * Stops handing signals to {@code target} (its run is over; later ones wait in the host
     * kernel) and ends the forwarding thread, so that no thread is left blocked in a native call
     * when the JVM exits: HotSpot waits up to 300 ms for such threads (measured: a hello world
     * took 460 ms instead of 150).
     */
    public static synchronized void stop(Receiver target) {
        if (receiver != target || forwarder == null) {
            return;
        }
        receiver = null;
        try {
            HostOs.write(stopBell, ONE, 0, 8);
            forwarder.join();
            HostOs.read(stopBell, new byte[8], 0, 8);
        } catch (HostOs.HostError e) {
            throw new IllegalStateException("cannot stop the host signal thread: host errno " + e.errno(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        forwarder = null;
    }

    private static final byte[] ONE = {1, 0, 0, 0, 0, 0, 0, 0};
    /** sizeof(struct signalfd_siginfo); ssi_signo at 0, ssi_code at 8, ssi_pid at 12, ssi_uid at 16. */
    private static final int SIGINFO_SIZE = 128;

    private static void forward() {
        byte[] info = new byte[SIGINFO_SIZE];
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(info).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        while (true) {
            int n;
            try {
                int ready = HostOs.poll2(signals, 1 /* POLLIN */, stopBell);
                if ((ready >>> 16) != 0) {
                    return; // stop() rang
                }
                if ((ready & 0xffff) == 0) {
                    continue;
                }
                n = HostOs.read(signals, info, 0, info.length);
            } catch (HostOs.HostError e) {
                if (e.errno() == 4) { // EINTR
                    continue;
                }
                return;
            }
            Receiver r = receiver;
            if (n == SIGINFO_SIZE && r != null) {
                r.signal(b.getInt(0), b.getInt(8), b.getInt(12), b.getInt(16));
            }
        }
    }
}
