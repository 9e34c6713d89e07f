package dev.phoenix.abi.syscall;

/** How strace output shows a syscall argument or result. */
public enum Arg {
    /** Signed decimal. */
    DEC,
    /** Unsigned decimal (sizes, counts). */
    UDEC,
    /** Hexadecimal (flags, addresses that are values). */
    HEX,
    /** Octal with a leading 0 (modes). */
    OCT,
    /** A file descriptor; AT_FDCWD by name. */
    FD,
    /** A pointer: NULL or hex. */
    PTR,
    /** A NUL-terminated string read from guest memory. */
    STR,
    /** A buffer the syscall reads, whose length is the next argument. */
    BUF_IN,
    /** A buffer the syscall fills, whose length is the return value. */
    BUF_OUT,
    /** An iovec array the syscall reads, whose count is the next argument. */
    IOV_IN,
    /** The result of a syscall that does not return ("= ?"). */
    NORETURN
}
