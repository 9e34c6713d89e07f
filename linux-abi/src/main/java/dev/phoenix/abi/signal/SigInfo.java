package dev.phoenix.abi.signal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A siginfo_t as the kernel fills it (include/uapi/asm-generic/siginfo.h, 128 bytes on every
 * 64-bit arch): number, code, and the first union word: the sender's pid and uid for kill, the
 * faulting address for SIGSEGV/SIGBUS/SIGILL/SIGFPE/SIGTRAP, a POSIX timer's id and overrun.
 */
public record SigInfo(int signo, int code, long word, long value) {
    /** A siginfo without si_value (all but sigqueue's). */
    public SigInfo(int signo, int code, long word) {
        this(signo, code, word, 0);
    }

    public static final int SIZE = 128;
    public static final int SI_USER = 0, SI_KERNEL = 0x80, SI_QUEUE = -1, SI_TIMER = -2, SI_TKILL = -6;
    public static final int SEGV_MAPERR = 1, SEGV_ACCERR = 2, BUS_ADRALN = 1, BUS_ADRERR = 2, ILL_ILLOPC = 1, FPE_INTDIV = 1,
            TRAP_BRKPT = 1;
    /** SIGCHLD's si_code values (asm-generic/siginfo.h). */
    public static final int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_TRAPPED = 4, CLD_STOPPED = 5,
            CLD_CONTINUED = 6;

    /** From kill(2) or tgkill(2) by {@code pid} running as {@code uid}. */
    public static SigInfo sent(int signo, int code, int pid, int uid) {
        return new SigInfo(signo, code, (pid & 0xffffffffL) | ((long) uid << 32));
    }

    /** POSIX timer {@code timerId}'s signal with its overrun count and si_value (si_timerid, si_overrun, si_value). */
    public static SigInfo timer(int signo, int timerId, int overrun, long value) {
        return new SigInfo(signo, SI_TIMER, (timerId & 0xffffffffL) | ((long) overrun << 32), value);
    }

    /** A fault at {@code address}. */
    public static SigInfo fault(int signo, int code, long address) {
        return new SigInfo(signo, code, address);
    }

    /** The 128 bytes of the siginfo_t. */
    public byte[] bytes() {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, signo).putInt(8, code).putLong(16, word).putLong(24, value);
        return b.array();
    }
}
