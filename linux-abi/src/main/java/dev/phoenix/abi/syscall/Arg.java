package dev.phoenix.abi.syscall;

/**
 * How strace output shows a syscall argument or result. The kinds after {@link #NORETURN}
 * decode a value as strace(1) does: flags by name, structs by field (what the call reads as it
 * was at syscall entry, what it fills at exit; the _OUT kinds only when the call succeeded).
 */
public enum Arg {
    /** Signed decimal. */
    DEC,
    /** A 32-bit id (uid, gid, pid): -1 shows as -1. */
    ID,
    /** A pointer to a 32-bit id the call fills (getresuid): [0]. */
    ID_OUT,
    /** setgroups(2)'s list of gids, whose count is the previous argument: [4, 27]. */
    GROUPS_IN,
    /** getgroups(2)'s list, filled with as many gids as the result says. */
    GROUPS_OUT,
    /** capget(2)/capset(2)'s header: {version=_LINUX_CAPABILITY_VERSION_3, pid=0}. */
    CAP_HEADER,
    /** capset(2)'s data: {effective=..., permitted=..., inheritable=...}. */
    CAP_DATA,
    /** capget(2)'s data, shown when the call succeeded. */
    CAP_DATA_OUT,
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
    /** A NUL-terminated string the syscall fills (getcwd), shown when it succeeded. */
    STR_OUT,
    /** A buffer the syscall reads, whose length is the next argument. */
    BUF_IN,
    /** A buffer the syscall fills, whose length is the return value. */
    BUF_OUT,
    /** A binary buffer the syscall fills (getrandom): every byte as \\xNN. */
    BUF_OUT_HEX,
    /** An iovec array the syscall reads, whose count is the next argument. */
    IOV_IN,
    /** An iovec array the syscall fills, whose count is the next argument; the result says how much. */
    IOV_OUT,
    /** getdents' and getdents64's buffer: its address and how many entries the call returned. */
    GETDENTS,
    /** The result of a syscall that does not return ("= ?"). */
    NORETURN,
    /** rt_sigreturn's {mask=[...]}: the mask the frame restored (no register). */
    SIGRETURN_MASK,
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
    /** statx(2) flags: AT_STATX_SYNC_AS_STAT|AT_EMPTY_PATH. */
    STATX_AT,
    /** statx(2) mask: STATX_BASIC_STATS. */
    STATX_MASK,
    /** A pointer to a struct statx the call fills. */
    STATX_OUT,
    /** fallocate(2) mode: FALLOC_FL_KEEP_SIZE. */
    FALLOCATE_MODE,
    /** renameat2(2) flags: RENAME_NOREPLACE. */
    RENAME_FLAGS,
    /** openat2(2)'s struct open_how. */
    OPEN_HOW,
    /** A pointer to a 64-bit file offset the call reads and updates: [3]. */
    LOFF_PTR,
    /** pipe(2)'s two descriptors: [3, 4]. */
    PIPEFDS_OUT,
    /** wait4(2) options: WNOHANG. */
    WAIT_OPTIONS,
    /** wait4(2)'s status, filled when it reports a child: [{WIFEXITED(s) && WEXITSTATUS(s) == 3}]. */
    WAIT_STATUS,
    /** wait4(2)'s struct rusage, filled when it reports a child: {ru_utime=..., ru_stime=..., ...}. */
    WAIT_RUSAGE,
    /** waitid(2) idtype: P_PID. */
    WAITID_TYPE,
    /** A siginfo_t the call fills (waitid): {si_signo=SIGCHLD, si_code=CLD_EXITED, ...}. */
    SIGINFO_OUT,
    /** A struct rusage the call fills: {ru_utime={tv_sec=0, tv_usec=12}, ru_stime=..., ...}. */
    RUSAGE_OUT,
    /** execve(2)'s argv: ["ls", "-l"]. */
    ARGV,
    /** execve(2)'s envp: its address and a comment saying how many variables it holds (strace without -v). */
    ENVP,
    /** mincore(2)'s vector, one byte per page of the length before it. */
    MINCORE_VEC,
    /** prctl(2) option and the arguments it uses (consumes the rest). */
    PRCTL_OPTION,
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
    /** sync_file_range(2) flags: SYNC_FILE_RANGE_WAIT_BEFORE|SYNC_FILE_RANGE_WRITE. */
    SYNC_FILE_RANGE_FLAGS,
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
    /** A pointer to a stack_t the call reads (sigaltstack). */
    STACK_T,
    /** A pointer to a stack_t the call fills. */
    STACK_T_OUT,
    /** A pointer to a struct itimerval the call reads. */
    ITIMERVAL,
    /** A pointer to a struct itimerval the call fills. */
    ITIMERVAL_OUT,
    /** A clock id: CLOCK_MONOTONIC. */
    CLOCK,
    /** A pointer to a struct timespec the call reads. */
    TIMESPEC,
    /** A pointer to a struct timespec the call fills. */
    TIMESPEC_OUT,
    /** A sleep's remaining time: shown when a signal cut the sleep short. */
    TIMESPEC_REM,
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
    /** futex(2) operation, then the arguments that operation takes (strace's futex decoding). */
    FUTEX_OP,
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
    PIPE_FLAGS,
    /**
     * clone(2)'s stack and flags, then the addresses its flags use, labelled as strace prints
     * them (consumes the rest, read in the arch's register order).
     */
    CLONE_FLAGS,
    /** clone3(2)'s struct clone_args, whose size is the next argument (consumes it). */
    CLONE_ARGS
}
