package dev.phoenix.abi.syscall;

/** How completely Phoenix implements a syscall, as shown by {@code phoenix syscalls}. */
public enum Support {
    /** Implemented as Linux documents it. */
    SUPPORTED,
    /** Implemented in part; the entry's note says what is missing. */
    PARTIAL,
    /** Refused on purpose with the entry's errno; the note says why. */
    UNSUPPORTED
}
