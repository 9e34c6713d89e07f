package dev.phoenix.abi.syscall;

/**
 * How strace output shows a syscall argument or result. The kinds after {@link #NORETURN}
 * decode a value as strace(1) does: flags by name, structs by field (read at syscall exit;
 * the _OUT kinds only when the call succeeded).
 */
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
    NORETURN,
    /** A register strace does not show: the high half of an offset that 64-bit arches pass whole. */
    SKIP,
    /** open(2) flags: O_RDONLY|O_CLOEXEC. */
    OPEN_FLAGS,
    /** *at(2) flags: AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH. */
    AT_FLAGS,
    /** unlinkat(2) flags: AT_REMOVEDIR. */
    UNLINKAT_FLAGS,
    /** faccessat2(2) flags: AT_EACCESS|AT_SYMLINK_NOFOLLOW. */
    FACCESSAT_FLAGS,
    /** access(2) mode: F_OK or R_OK|W_OK|X_OK. */
    ACCESS_MODE,
    /** mmap(2) protection: PROT_READ|PROT_WRITE. */
    MMAP_PROT,
    /** mmap(2) flags: MAP_PRIVATE|MAP_ANONYMOUS. */
    MMAP_FLAGS,
    /** mremap(2) flags: MREMAP_MAYMOVE. */
    MREMAP_FLAGS,
    /** msync(2) flags: MS_SYNC. */
    MSYNC_FLAGS,
    /** madvise(2) advice: MADV_DONTNEED. */
    MADVISE,
    /** A signal number: SIGINT. */
    SIGNAL,
    /** sigprocmask(2) how: SIG_BLOCK. */
    SIG_HOW,
    /** A pointer to a signal set: [INT TERM]. */
    SIGSET,
    /** A pointer to a signal set the call fills. */
    SIGSET_OUT,
    /** A pointer to a struct sigaction the call reads. */
    SIGACTION,
    /** A pointer to a struct sigaction the call fills. */
    SIGACTION_OUT,
    /** A clock id: CLOCK_MONOTONIC. */
    CLOCK,
    /** A pointer to a struct timespec the call reads. */
    TIMESPEC,
    /** A pointer to a struct timespec the call fills. */
    TIMESPEC_OUT,
    /** A pointer to a struct stat the call fills. */
    STAT_OUT,
    /** A pointer to a struct sockaddr whose length is the next argument. */
    SOCKADDR,
    /** fcntl(2) command and its argument (consumes the next argument). */
    FCNTL_CMD,
    /** An ioctl(2) request: TCGETS. */
    IOCTL_REQ,
    /** lseek(2) whence: SEEK_SET. */
    WHENCE,
    /** flock(2) operation: LOCK_EX|LOCK_NB. */
    FLOCK_OP,
    /** A resource limit: RLIMIT_STACK. */
    RLIMIT,
    /** A pointer to a struct rlimit the call reads. */
    RLIMIT_IN,
    /** A pointer to a struct rlimit the call fills. */
    RLIMIT_OUT,
    /** getrandom(2) flags: GRND_NONBLOCK. */
    GRND_FLAGS,
    /** arch_prctl(2) code: ARCH_SET_FS. */
    ARCH_PRCTL_CODE,
    /** setitimer(2) which: ITIMER_REAL. */
    ITIMER_WHICH,
    /** clock_nanosleep(2) flags: TIMER_ABSTIME. */
    TIMER_FLAGS,
    /** pipe2(2) and dup3(2) flags: O_CLOEXEC|O_NONBLOCK. */
    PIPE_FLAGS
}
