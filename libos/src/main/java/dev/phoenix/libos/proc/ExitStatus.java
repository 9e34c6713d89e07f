package dev.phoenix.libos.proc;

/**
 * How a process ended: exit code, or the signal that killed it (then {@code code} is 0).
 * {@link #shellStatus()} is what a shell reports: the code, or 128 + signal.
 */
public record ExitStatus(int code, int signal) {
    /** A normal exit with status {@code code & 0xff}. */
    public static ExitStatus exited(int code) {
        return new ExitStatus(code & 0xff, 0);
    }

    /** Death by signal {@code signal}. */
    public static ExitStatus killed(int signal) {
        return new ExitStatus(0, signal);
    }

    /** The status a shell would report: the exit code, or 128 + signal. */
    public int shellStatus() {
        return signal != 0 ? 128 + signal : code;
    }
}
