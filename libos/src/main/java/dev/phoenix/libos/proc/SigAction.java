package dev.phoenix.libos.proc;

/**
 * One signal's disposition, as rt_sigaction(2) sets it: {@code handler} is SIG_DFL (0), SIG_IGN
 * (1) or a guest address; {@code mask} is blocked while the handler runs.
 */
public record SigAction(long handler, long flags, long restorer, long mask) {
    public static final long SIG_DFL = 0, SIG_IGN = 1;
    public static final long SA_SIGINFO = 4, SA_ONSTACK = 0x08000000L, SA_RESTART = 0x10000000L,
            SA_NODEFER = 0x40000000L, SA_RESETHAND = 0x80000000L, SA_RESTORER = 0x04000000L;
    /** SIGCHLD only: no signal when a child stops or continues; children are reaped without a wait (sigaction(2)). */
    public static final long SA_NOCLDSTOP = 1, SA_NOCLDWAIT = 2;

    public static final SigAction DEFAULT = new SigAction(SIG_DFL, 0, 0, 0);
}
