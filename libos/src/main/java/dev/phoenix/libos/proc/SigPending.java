package dev.phoenix.libos.proc;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A set of pending signals with the si_code and sender of each (standard signals do not queue:
 * the first sender's stays until delivery). A task has one for signals sent to it; its thread
 * group has one for signals sent to the process. Safe from any thread.
 */
public final class SigPending {
    private final AtomicLong bits = new AtomicLong();
    /** @GuardedBy("this") */
    private final int[] code = new int[65];
    /** @GuardedBy("this") */
    private final long[] sender = new long[65];
    /** si_value of a signal sent by sigqueue(3). @GuardedBy("this") */
    private final long[] value = new long[65];

    /** Marks {@code sig} pending; returns false when it already was (the new one merges into it). */
    synchronized boolean add(int sig, int code, long sender, long value) {
        if ((bits.get() & Task.bit(sig)) != 0) {
            return false;
        }
        this.code[sig] = code;
        this.sender[sig] = sender;
        this.value[sig] = value;
        bits.getAndUpdate(p -> p | Task.bit(sig));
        return true;
    }

    /** The pending set (bit n-1 for signal n). */
    public long bits() {
        return bits.get();
    }

    /** The sender recorded for pending {@code sig}. */
    synchronized long sender(int sig) {
        return sender[sig];
    }

    /** The si_value recorded for pending {@code sig}. */
    synchronized long value(int sig) {
        return value[sig];
    }

    /** Takes {@code sig} off and returns its si_code. */
    synchronized int take(int sig) {
        bits.getAndUpdate(p -> p & ~Task.bit(sig));
        return code[sig];
    }
}
