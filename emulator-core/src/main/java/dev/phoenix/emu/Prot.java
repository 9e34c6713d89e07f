package dev.phoenix.emu;

/** Page protection bits, with the values of Linux's PROT_READ, PROT_WRITE and PROT_EXEC. */
public final class Prot {
    private Prot() {}

    public static final int NONE = 0;
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int EXEC = 4;
    public static final int ALL = READ | WRITE | EXEC;

    /** Formats protections as in /proc/PID/maps ("r-x"). */
    public static String toString(int prot) {
        return ((prot & READ) != 0 ? "r" : "-") + ((prot & WRITE) != 0 ? "w" : "-") + ((prot & EXEC) != 0 ? "x" : "-");
    }
}
