package dev.phoenix.abi.linux;

import static dev.phoenix.abi.syscall.Arg.ACCESS_MODE;
import static dev.phoenix.abi.syscall.Arg.ARCH_PRCTL_CODE;
import static dev.phoenix.abi.syscall.Arg.ARGV;
import static dev.phoenix.abi.syscall.Arg.AT_FLAGS;
import static dev.phoenix.abi.syscall.Arg.BUF_IN;
import static dev.phoenix.abi.syscall.Arg.BUF_OUT;
import static dev.phoenix.abi.syscall.Arg.BUF_OUT_HEX;
import static dev.phoenix.abi.syscall.Arg.CAP_DATA;
import static dev.phoenix.abi.syscall.Arg.CAP_DATA_OUT;
import static dev.phoenix.abi.syscall.Arg.CAP_HEADER;
import static dev.phoenix.abi.syscall.Arg.CLOCK;
import static dev.phoenix.abi.syscall.Arg.DEC;
import static dev.phoenix.abi.syscall.Arg.ENVP;
import static dev.phoenix.abi.syscall.Arg.FACCESSAT_FLAGS;
import static dev.phoenix.abi.syscall.Arg.FALLOCATE_MODE;
import static dev.phoenix.abi.syscall.Arg.FCNTL_CMD;
import static dev.phoenix.abi.syscall.Arg.FD;
import static dev.phoenix.abi.syscall.Arg.FLOCK_OP;
import static dev.phoenix.abi.syscall.Arg.GETDENTS;
import static dev.phoenix.abi.syscall.Arg.GRND_FLAGS;
import static dev.phoenix.abi.syscall.Arg.GROUPS_IN;
import static dev.phoenix.abi.syscall.Arg.GROUPS_OUT;
import static dev.phoenix.abi.syscall.Arg.HEX;
import static dev.phoenix.abi.syscall.Arg.ID;
import static dev.phoenix.abi.syscall.Arg.ID_OUT;
import static dev.phoenix.abi.syscall.Arg.IOCTL_REQ;
import static dev.phoenix.abi.syscall.Arg.IOV_IN;
import static dev.phoenix.abi.syscall.Arg.IOV_OUT;
import static dev.phoenix.abi.syscall.Arg.ITIMERVAL;
import static dev.phoenix.abi.syscall.Arg.ITIMERVAL_OUT;
import static dev.phoenix.abi.syscall.Arg.ITIMER_WHICH;
import static dev.phoenix.abi.syscall.Arg.LOFF_PTR;
import static dev.phoenix.abi.syscall.Arg.MADVISE;
import static dev.phoenix.abi.syscall.Arg.MINCORE_VEC;
import static dev.phoenix.abi.syscall.Arg.MMAP_FLAGS;
import static dev.phoenix.abi.syscall.Arg.MMAP_PROT;
import static dev.phoenix.abi.syscall.Arg.MREMAP_FLAGS;
import static dev.phoenix.abi.syscall.Arg.MSYNC_FLAGS;
import static dev.phoenix.abi.syscall.Arg.NORETURN;
import static dev.phoenix.abi.syscall.Arg.OCT;
import static dev.phoenix.abi.syscall.Arg.OPEN_FLAGS;
import static dev.phoenix.abi.syscall.Arg.OPEN_HOW;
import static dev.phoenix.abi.syscall.Arg.PIPEFDS_OUT;
import static dev.phoenix.abi.syscall.Arg.PIPE_FLAGS;
import static dev.phoenix.abi.syscall.Arg.PRCTL_OPTION;
import static dev.phoenix.abi.syscall.Arg.PTR;
import static dev.phoenix.abi.syscall.Arg.RENAME_FLAGS;
import static dev.phoenix.abi.syscall.Arg.RLIMIT;
import static dev.phoenix.abi.syscall.Arg.RLIMIT_IN;
import static dev.phoenix.abi.syscall.Arg.RLIMIT_OUT;
import static dev.phoenix.abi.syscall.Arg.RUSAGE_OUT;
import static dev.phoenix.abi.syscall.Arg.SIGACTION;
import static dev.phoenix.abi.syscall.Arg.SIGACTION_OUT;
import static dev.phoenix.abi.syscall.Arg.SIGINFO_OUT;
import static dev.phoenix.abi.syscall.Arg.SIGNAL;
import static dev.phoenix.abi.syscall.Arg.SIGRETURN_MASK;
import static dev.phoenix.abi.syscall.Arg.SIGSET;
import static dev.phoenix.abi.syscall.Arg.SIGSET_OUT;
import static dev.phoenix.abi.syscall.Arg.SIG_HOW;
import static dev.phoenix.abi.syscall.Arg.SKIP;
import static dev.phoenix.abi.syscall.Arg.SOCKADDR;
import static dev.phoenix.abi.syscall.Arg.STACK_T;
import static dev.phoenix.abi.syscall.Arg.STACK_T_OUT;
import static dev.phoenix.abi.syscall.Arg.STATX_AT;
import static dev.phoenix.abi.syscall.Arg.FUTEX_OP;
import static dev.phoenix.abi.syscall.Arg.CLONE_ARGS;
import static dev.phoenix.abi.syscall.Arg.CLONE_FLAGS;
import static dev.phoenix.abi.syscall.Arg.SYNC_FILE_RANGE_FLAGS;
import static dev.phoenix.abi.syscall.Arg.STATX_MASK;
import static dev.phoenix.abi.syscall.Arg.STATX_OUT;
import static dev.phoenix.abi.syscall.Arg.STAT_OUT;
import static dev.phoenix.abi.syscall.Arg.STR;
import static dev.phoenix.abi.syscall.Arg.STR_OUT;
import static dev.phoenix.abi.syscall.Arg.TIMER_FLAGS;
import static dev.phoenix.abi.syscall.Arg.TIMESPEC;
import static dev.phoenix.abi.syscall.Arg.TIMESPEC_OUT;
import static dev.phoenix.abi.syscall.Arg.TIMESPEC_REM;
import static dev.phoenix.abi.syscall.Arg.UDEC;
import static dev.phoenix.abi.syscall.Arg.UNLINKAT_FLAGS;
import static dev.phoenix.abi.syscall.Arg.WAIT_OPTIONS;
import static dev.phoenix.abi.syscall.Arg.WAIT_RUSAGE;
import static dev.phoenix.abi.syscall.Arg.WAIT_STATUS;
import static dev.phoenix.abi.syscall.Arg.WAITID_TYPE;
import static dev.phoenix.abi.syscall.Arg.WHENCE;
import static dev.phoenix.abi.syscall.SyscallDef.partial;
import static dev.phoenix.abi.syscall.SyscallDef.supported;
import static dev.phoenix.abi.syscall.SyscallDef.unsupported;

import dev.phoenix.abi.syscall.SyscallDef;
import dev.phoenix.libos.Errno;
import java.util.List;

/**
 * Every syscall Phoenix declares, arch-neutral: one row each with its handler, support level
 * and strace format. Numbers come from each arch's numbering data ({@code Numbering}); a
 * syscall Linux has that is not declared here is a "not implemented" row. The compatibility
 * report ({@code phoenix syscalls}) and the dispatcher both read this list, so they cannot drift
 * apart.
 */
public final class LinuxSyscalls {
    private LinuxSyscalls() {}

    private static final List<SyscallDef> DEFINITIONS = List.of(
            // I/O
            supported("read", IoSyscalls::read, DEC, FD, BUF_OUT, UDEC),
            supported("write", IoSyscalls::write, DEC, FD, BUF_IN, UDEC),
            supported("readv", IoSyscalls::readv, DEC, FD, IOV_OUT, DEC),
            supported("writev", IoSyscalls::writev, DEC, FD, IOV_IN, DEC),
            supported("close", IoSyscalls::close, DEC, FD),
            supported("fstat", IoSyscalls::fstat, DEC, FD, STAT_OUT),
            supported("newfstatat", FileSyscalls::newfstatat, DEC, FD, STR, STAT_OUT, AT_FLAGS),
            supported("readlink", FileSyscalls::readlink, DEC, STR, BUF_OUT, UDEC),
            supported("readlinkat", FileSyscalls::readlinkat, DEC, FD, STR, BUF_OUT, UDEC),
            partial("openat", "files, directories and symlinks of the rootfs, /proc, /sys and /dev; O_PATH is EINVAL",
                    FileSyscalls::openat, DEC, FD, STR, OPEN_FLAGS, OCT),
            partial("open", "as openat", FileSyscalls::open, DEC, STR, OPEN_FLAGS, OCT),
            partial("openat2", "as openat, with RESOLVE_NO_XDEV, NO_MAGICLINKS, NO_SYMLINKS, BENEATH, IN_ROOT; "
                    + "RESOLVE_CACHED walks as usual (the host caches)", FileSyscalls::openat2, DEC, FD, STR, OPEN_HOW, UDEC),
            supported("lseek", FileSyscalls::lseek, DEC, FD, DEC, WHENCE),
            supported("stat", FileSyscalls::stat, DEC, STR, STAT_OUT),
            supported("lstat", FileSyscalls::lstat, DEC, STR, STAT_OUT),
            partial("fcntl", "F_DUPFD[_CLOEXEC], F_GETFD/F_SETFD, F_GETFL/F_SETFL, POSIX record locks (never in "
                    + "conflict within one process), F_SETOWN[_EX]/F_SETSIG and their F_GET* (no SIGIO is sent); "
                    + "OFD locks, leases and notifications return EINVAL",
                    FileSyscalls::fcntl, DEC, FD, FCNTL_CMD),
            supported("flock", FileSyscalls::flock, DEC, FD, FLOCK_OP),
            supported("pread64", FileSyscalls::pread64, DEC, FD, BUF_OUT, UDEC, DEC),
            supported("pwrite64", FileSyscalls::pwrite64, DEC, FD, BUF_IN, UDEC, DEC),
            supported("getdents64", FileSyscalls::getdents64, DEC, FD, GETDENTS, UDEC),
            supported("getdents", FileSyscalls::getdents, DEC, FD, GETDENTS, UDEC),
            supported("getcwd", FileSyscalls::getcwd, DEC, STR_OUT, UDEC),
            supported("chdir", FileSyscalls::chdir, DEC, STR),
            supported("fchdir", FileSyscalls::fchdir, DEC, FD),
            supported("access", FileSyscalls::access, DEC, STR, ACCESS_MODE),
            supported("faccessat", FileSyscalls::faccessat, DEC, FD, STR, ACCESS_MODE),
            supported("faccessat2", FileSyscalls::faccessat2, DEC, FD, STR, ACCESS_MODE, FACCESSAT_FLAGS),
            partial("ioctl", "terminals: settings (TCGETS, TCSETS*, TIOCGWINSZ, TIOCSWINSZ, TCFLSH, TCSBRK, TCXONC), "
                    + "job control (TIOCGPGRP, TIOCSPGRP, TIOCGSID, TIOCSCTTY, TIOCNOTTY) and ptys (TIOCGPTN, "
                    + "TIOCSPTLCK, TIOCGPTLCK, TIOCGPTPEER); FIONREAD on pipes, files and terminals; on sockets "
                    + "SIOCINQ, SIOCOUTQ and the interface ioctls (SIOCGIFCONF, SIOCGIFFLAGS, SIOCSIFFLAGS, "
                    + "SIOCGIFINDEX, SIOCGIFNAME, SIOCGIFMTU, SIOCSIFMTU, SIOCGIFADDR, SIOCGIFNETMASK, "
                    + "SIOCGIFHWADDR ...); /dev/vgpu0's VGPU_IOCTL_* (vgpu_uapi.h); ENOTTY otherwise",
                    IoSyscalls::ioctl, DEC, FD, IOCTL_REQ),
            partial("statx", "basic stats; no birth time, attributes or mount id", ExtendedIoSyscalls::statx,
                    DEC, FD, STR, STATX_AT, STATX_MASK, STATX_OUT),
            supported("preadv", ExtendedIoSyscalls::preadv, DEC, FD, IOV_OUT, DEC, DEC, SKIP),
            supported("pwritev", ExtendedIoSyscalls::pwritev, DEC, FD, IOV_IN, DEC, DEC, SKIP),
            partial("preadv2", "RWF_* flags are EOPNOTSUPP", ExtendedIoSyscalls::preadv2, DEC, FD, IOV_OUT, DEC, DEC, SKIP, HEX),
            partial("pwritev2", "RWF_* flags are EOPNOTSUPP", ExtendedIoSyscalls::pwritev2, DEC, FD, IOV_IN, DEC, DEC,
                    SKIP, HEX),
            partial("fallocate", "mode 0 and FALLOC_FL_KEEP_SIZE; hole punching and zeroing are EOPNOTSUPP",
                    ExtendedIoSyscalls::fallocate, DEC, FD, FALLOCATE_MODE, DEC, DEC),
            supported("copy_file_range", ExtendedIoSyscalls::copyFileRange, DEC, FD, LOFF_PTR, FD, LOFF_PTR, UDEC,
                    UDEC),
            // File-system namespace and attributes
            supported("mkdirat", FileTreeSyscalls::mkdirat, DEC, FD, STR, OCT),
            supported("mkdir", FileTreeSyscalls::mkdir, DEC, STR, OCT),
            supported("unlinkat", FileTreeSyscalls::unlinkat, DEC, FD, STR, UNLINKAT_FLAGS),
            supported("unlink", FileTreeSyscalls::unlink, DEC, STR),
            supported("rmdir", FileTreeSyscalls::rmdir, DEC, STR),
            partial("renameat2", "RENAME_NOREPLACE; RENAME_EXCHANGE and RENAME_WHITEOUT return EINVAL",
                    FileTreeSyscalls::renameat2, DEC, FD, STR, FD, STR, RENAME_FLAGS),
            supported("renameat", FileTreeSyscalls::renameat, DEC, FD, STR, FD, STR),
            supported("rename", FileTreeSyscalls::rename, DEC, STR, STR),
            supported("linkat", FileTreeSyscalls::linkat, DEC, FD, STR, FD, STR, AT_FLAGS),
            supported("link", FileTreeSyscalls::link, DEC, STR, STR),
            supported("symlinkat", FileTreeSyscalls::symlinkat, DEC, STR, FD, STR),
            supported("symlink", FileTreeSyscalls::symlink, DEC, STR, STR),
            supported("fchmodat", FileTreeSyscalls::fchmodat, DEC, FD, STR, OCT),
            supported("chmod", FileTreeSyscalls::chmod, DEC, STR, OCT),
            supported("fchmod", FileTreeSyscalls::fchmod, DEC, FD, OCT),
            supported("fchownat", FileTreeSyscalls::fchownat, DEC, FD, STR, ID, ID, AT_FLAGS),
            supported("chown", FileTreeSyscalls::chown, DEC, STR, ID, ID),
            supported("lchown", FileTreeSyscalls::lchown, DEC, STR, ID, ID),
            supported("fchown", FileTreeSyscalls::fchown, DEC, FD, ID, ID),
            supported("truncate", FileTreeSyscalls::truncate, DEC, STR, DEC),
            supported("utimensat", SystemSyscalls::utimensat, DEC, FD, STR, PTR, AT_FLAGS),
            partial("statfs", "f_files and f_ffree are 0: the JDK does not expose inode counts",
                    SystemSyscalls::statfs, DEC, STR, PTR),
            partial("fstatfs", "as statfs", SystemSyscalls::fstatfs, DEC, FD, PTR),
            supported("sendfile", SystemSyscalls::sendfile, DEC, FD, FD, PTR, UDEC),
            // Mounts and the root directory (MountSyscalls, RootSyscalls)
            partial("mount", "tmpfs (size=, mode=, uid=, gid=), proc, sysfs, devtmpfs, devpts, mqueue; MS_BIND "
                    + "(MS_REC), MS_REMOUNT of per-mount flags, MS_MOVE, propagation flags recorded (no events "
                    + "propagate); cgroup2 and other types ENODEV", MountSyscalls::mount, DEC, STR, STR, STR, HEX, STR),
            partial("umount2", "MNT_DETACH, MNT_EXPIRE, UMOUNT_NOFOLLOW; MNT_FORCE as a plain umount",
                    MountSyscalls::umount2, DEC, STR, HEX),
            supported("chroot", RootSyscalls::chroot, DEC, STR),
            supported("pivot_root", RootSyscalls::pivotRoot, DEC, STR, STR),
            partial("splice", "copies through the JVM (at most 64 KiB a call); a socket end is read or written "
                    + "as by read(2) and write(2)", SpliceSyscalls::splice, DEC, FD, PTR, FD, PTR, UDEC, HEX),
            supported("tee", SpliceSyscalls::tee, DEC, FD, FD, UDEC, HEX),
            partial("vmsplice", "copies, as writev and readv do; SPLICE_F_GIFT gives nothing",
                    SpliceSyscalls::vmsplice, DEC, FD, PTR, UDEC, HEX),
            partial("sysinfo", "the machine's memory, load and uptime (the host's, or --deterministic's fixed "
                    + "ones); procs is 1", SystemSyscalls::sysinfo, DEC, PTR),
            partial("wait4", "rusage holds the user time only", ForkSyscalls::wait4, DEC, ID, WAIT_STATUS, WAIT_OPTIONS,
                    WAIT_RUSAGE),
            partial("waitid", "rusage holds the user time only", ForkSyscalls::waitid, DEC, WAITID_TYPE, ID,
                    SIGINFO_OUT, WAIT_OPTIONS, RUSAGE_OUT),
            // Descriptors
            supported("dup", FdSyscalls::dup, DEC, FD),
            supported("dup2", FdSyscalls::dup2, DEC, FD, FD),
            supported("dup3", FdSyscalls::dup3, DEC, FD, FD, PIPE_FLAGS),
            supported("pipe2", FdSyscalls::pipe2, DEC, PIPEFDS_OUT, PIPE_FLAGS),
            supported("pipe", FdSyscalls::pipe, DEC, PIPEFDS_OUT),
            supported("eventfd2", EventSyscalls::eventfd2, DEC, UDEC, HEX),
            supported("eventfd", EventSyscalls::eventfd, DEC, UDEC),
            partial("timerfd_create", "TFD_TIMER_CANCEL_ON_SET never cancels: the guest cannot set the clock",
                    EventSyscalls::timerfdCreate, DEC, DEC, HEX),
            supported("timerfd_settime", EventSyscalls::timerfdSettime, DEC, FD, HEX, PTR, PTR),
            supported("timerfd_gettime", EventSyscalls::timerfdGettime, DEC, FD, PTR),
            supported("close_range", FdSyscalls::closeRange, DEC, FD, FD, HEX),
            supported("ftruncate", FdSyscalls::ftruncate, DEC, FD, DEC),
            supported("fsync", FdSyscalls::fsync, DEC, FD),
            supported("fdatasync", FdSyscalls::fdatasync, DEC, FD),
            supported("sync", FdSyscalls::syncAll, DEC),
            supported("syncfs", FdSyscalls::syncfs, DEC, FD),
            supported("sync_file_range", FdSyscalls::syncFileRange, DEC, FD, DEC, DEC, SYNC_FILE_RANGE_FLAGS),
            supported("umask", FdSyscalls::umask, OCT, OCT),
            supported("fadvise64", FdSyscalls::fadvise64, DEC, FD, DEC, UDEC, DEC),
            // Extended attributes: the host file's own
            supported("getxattr", XattrSyscalls::getxattr, DEC, STR, STR, PTR, UDEC),
            supported("lgetxattr", XattrSyscalls::lgetxattr, DEC, STR, STR, PTR, UDEC),
            supported("fgetxattr", XattrSyscalls::fgetxattr, DEC, FD, STR, PTR, UDEC),
            supported("listxattr", XattrSyscalls::listxattr, DEC, STR, PTR, UDEC),
            supported("llistxattr", XattrSyscalls::llistxattr, DEC, STR, PTR, UDEC),
            supported("flistxattr", XattrSyscalls::flistxattr, DEC, FD, PTR, UDEC),
            supported("setxattr", XattrSyscalls::setxattr, DEC, STR, STR, PTR, UDEC, HEX),
            supported("lsetxattr", XattrSyscalls::lsetxattr, DEC, STR, STR, PTR, UDEC, HEX),
            supported("fsetxattr", XattrSyscalls::fsetxattr, DEC, FD, STR, PTR, UDEC, HEX),
            supported("removexattr", XattrSyscalls::removexattr, DEC, STR, STR),
            supported("lremovexattr", XattrSyscalls::lremovexattr, DEC, STR, STR),
            supported("fremovexattr", XattrSyscalls::fremovexattr, DEC, FD, STR),
            // Memory
            supported("brk", MemorySyscalls::brk, HEX, PTR),
            partial("mmap", "MAP_SHARED file mappings are the host's page cache (SIGBUS past end of file); private "
                    + "file mappings are the host's page cache until written (copy-on-write), with zeros instead of "
                    + "SIGBUS past end of file; MAP_SHARED|MAP_ANONYMOUS is private until fork", MemorySyscalls::mmap, HEX, PTR, UDEC, MMAP_PROT,
                    MMAP_FLAGS, FD, HEX),
            partial("mremap", "MREMAP_MAYMOVE and MREMAP_FIXED; no MREMAP_DONTUNMAP", MemorySyscalls::mremap,
                    HEX, PTR, UDEC, UDEC, MREMAP_FLAGS, PTR),
            partial("madvise", "MADV_DONTNEED drops private pages (anonymous ones read zero again, a private file "
                    + "mapping's the file) and keeps shared file pages; MADV_POPULATE_READ/WRITE fault pages "
                    + "in; other advice is accepted and ignored",
                    MemorySyscalls::madvise, DEC, PTR, UDEC, MADVISE),
            supported("msync", MemorySyscalls::msync, DEC, PTR, UDEC, MSYNC_FLAGS),
            partial("mlock", "checked and recorded, not pinned: guest pages are never paged out by Phoenix",
                    MemoryLockSyscalls::mlock, DEC, PTR, UDEC),
            partial("mlock2", "checked and recorded, not pinned", MemoryLockSyscalls::mlock2, DEC, PTR, UDEC, HEX),
            supported("munlock", MemoryLockSyscalls::munlock, DEC, PTR, UDEC),
            partial("mlockall", "checked and recorded, not pinned", MemoryLockSyscalls::mlockall, DEC, HEX),
            supported("munlockall", MemoryLockSyscalls::munlockall, DEC),
            partial("set_mempolicy", "one NUMA node: the thread's policy is recorded", NumaSyscalls::setMempolicy,
                    DEC, HEX, PTR, UDEC),
            partial("get_mempolicy", "one NUMA node: every page is on node 0", NumaSyscalls::getMempolicy,
                    DEC, PTR, PTR, UDEC, PTR, HEX),
            partial("mbind", "one NUMA node: the range and policy are checked, pages stay on node 0",
                    NumaSyscalls::mbind, DEC, PTR, UDEC, HEX, PTR, UDEC, HEX),
            partial("mincore", "every mapped page is reported resident", MemorySyscalls::mincore, DEC, PTR, UDEC, MINCORE_VEC),
            supported("munmap", MemorySyscalls::munmap, DEC, PTR, UDEC),
            supported("mprotect", MemorySyscalls::mprotect, DEC, PTR, UDEC, MMAP_PROT),
            // Processes and identity
            supported("exit", ThreadSyscalls::exit, NORETURN, DEC),
            partial("clone", "threads and processes; CLONE_NEWTIME and namespace flags with CLONE_THREAD are "
                    + "EINVAL; CLONE_SIGHAND without CLONE_THREAD copies the handlers",
                    ThreadSyscalls::clone, DEC, CLONE_FLAGS),
            // Namespaces
            partial("unshare", "every namespace but time (EINVAL), CLONE_FS, CLONE_FILES; namespaces are per process",
                    NamespaceSyscalls::unshare, DEC, HEX),
            supported("setns", NamespaceSyscalls::setns, DEC, FD, HEX),
            supported("sethostname", NamespaceSyscalls::sethostname, DEC, STR, DEC),
            supported("setdomainname", NamespaceSyscalls::setdomainname, DEC, STR, DEC),
            supported("fork", ForkSyscalls::fork, DEC),
            partial("pidfd_open", "waitid(P_PIDFD) and poll; no pidfd_send_signal or pidfd_getfd yet",
                    ForkSyscalls::pidfdOpen, DEC, DEC, HEX),
            partial("vfork", "the parent waits for the child's exec or exit with every signal but SIGKILL blocked",
                    ForkSyscalls::vfork, DEC),
            partial("execve", "statically linked programs of any of the three arches and #! scripts; a "
                    + "dynamically linked program is ENOENT (issue 16); no ETXTBSY", ExecSyscalls::execve, DEC, STR,
                    ARGV, ENVP),
            partial("execveat", "as execve", ExecSyscalls::execveat, DEC, FD, STR, ARGV, ENVP, AT_FLAGS),
            partial("clone3", "as clone, and CLONE_INTO_CGROUP; set_tid is EPERM", ThreadSyscalls::clone3, DEC, CLONE_ARGS),
            supported("exit_group", ProcessSyscalls::exitGroup, NORETURN, DEC),
            supported("getpid", ProcessSyscalls::getpid, DEC),
            // Signals
            supported("rt_sigaction", SignalSyscalls::rtSigaction, DEC, SIGNAL, SIGACTION, SIGACTION_OUT, UDEC),
            supported("rt_sigprocmask", SignalSyscalls::rtSigprocmask, DEC, SIG_HOW, SIGSET, SIGSET_OUT, UDEC),
            supported("rt_sigpending", SignalSyscalls::rtSigpending, DEC, SIGSET_OUT, UDEC),
            supported("rt_sigreturn", SignalSyscalls::rtSigreturn, DEC, SIGRETURN_MASK),
            supported("rt_sigsuspend", SignalSyscalls::rtSigsuspend, DEC, SIGSET, UDEC),
            supported("sigaltstack", SignalSyscalls::sigaltstack, DEC, STACK_T, STACK_T_OUT),
            partial("kill", "one process: signals to itself (pid, 0, -1, -pgid); others are ESRCH",
                    SignalSyscalls::kill, DEC, DEC, SIGNAL),
            supported("tkill", SignalSyscalls::tkill, DEC, DEC, SIGNAL),
            supported("rt_sigtimedwait", SignalWaitSyscalls::rtSigtimedwait, DEC, SIGSET, PTR, TIMESPEC, UDEC),
            supported("rt_sigqueueinfo", SignalWaitSyscalls::rtSigqueueinfo, DEC, DEC, SIGNAL, PTR),
            partial("rt_tgsigqueueinfo", "threads of the calling process only",
                    SignalWaitSyscalls::rtTgsigqueueinfo, DEC, DEC, DEC, SIGNAL, PTR),
            supported("signalfd4", SignalWaitSyscalls::signalfd4, DEC, FD, SIGSET, UDEC, HEX),
            partial("epoll_create", "pipes, sockets, terminals, signalfds, eventfds, timerfds, pidfds and epolls "
                    + "are pollable; EPOLLEXCLUSIVE wakes every waiter", EpollSyscalls::epollCreate, DEC, DEC),
            partial("epoll_create1", "as epoll_create", EpollSyscalls::epollCreate1, DEC, HEX),
            partial("epoll_ctl", "files without readiness (regular files, directories, /dev/null, Phoenix's own "
                    + "stdio) are EPERM, as Linux's files without a poll method", EpollSyscalls::epollCtl, DEC, FD, DEC,
                    FD, PTR),
            partial("epoll_wait", "as epoll_create", EpollSyscalls::epollWait, DEC, FD, PTR, DEC, DEC),
            partial("epoll_pwait", "as epoll_create", EpollSyscalls::epollPwait, DEC, FD, PTR, DEC, DEC, SIGSET, UDEC),
            partial("epoll_pwait2", "as epoll_create", EpollSyscalls::epollPwait2, DEC, FD, PTR, DEC, TIMESPEC, SIGSET,
                    UDEC),
            supported("signalfd", SignalWaitSyscalls::signalfd, DEC, FD, SIGSET, UDEC),
            supported("tgkill", SignalSyscalls::tgkill, DEC, DEC, DEC, SIGNAL),
            supported("pause", SignalSyscalls::pause, DEC),
            supported("poll", PollSyscalls::poll, DEC, PTR, UDEC, DEC),
            supported("ppoll", PollSyscalls::ppoll, DEC, PTR, UDEC, TIMESPEC, SIGSET, UDEC),
            supported("select", PollSyscalls::select, DEC, DEC, PTR, PTR, PTR, PTR),
            supported("pselect6", PollSyscalls::pselect6, DEC, DEC, PTR, PTR, PTR, PTR, PTR),
            supported("alarm", ItimerSyscalls::alarm, DEC, UDEC),
            supported("setitimer", ItimerSyscalls::setitimer, DEC, ITIMER_WHICH, ITIMERVAL, ITIMERVAL_OUT),
            supported("getitimer", ItimerSyscalls::getitimer, DEC, ITIMER_WHICH, ITIMERVAL_OUT),
            supported("getppid", ProcessSyscalls::getppid, DEC),
            supported("getpgrp", ProcessSyscalls::getpgrp, DEC),
            supported("getpriority", PrioritySyscalls::getpriority, DEC, DEC, DEC),
            supported("setpriority", PrioritySyscalls::setpriority, DEC, DEC, DEC, DEC),
            partial("ioprio_get", "the process itself, its group or its user", PrioritySyscalls::ioprioGet, DEC, DEC,
                    DEC),
            partial("ioprio_set", "recorded: there is no I/O scheduler", PrioritySyscalls::ioprioSet, DEC, DEC, DEC,
                    DEC),
            supported("getpgid", ProcessSyscalls::getpgid, DEC, DEC),
            supported("getsid", ProcessSyscalls::getsid, DEC, DEC),
            supported("setpgid", ProcessSyscalls::setpgid, DEC, DEC, DEC),
            supported("setsid", ProcessSyscalls::setsid, DEC),
            partial("socket", "AF_UNIX (Phoenix's own, abstract names per network namespace); AF_INET and "
                    + "AF_INET6: host sockets, or with --net none and in new network namespaces TCP, UDP and ICMP echo "
                    + "on the namespace's own loopback; AF_NETLINK NETLINK_ROUTE (the host's in host mode); other "
                    + "families (AF_PACKET) are EAFNOSUPPORT", SocketSyscalls::socket, DEC, DEC, DEC, DEC),
            partial("socketpair", "AF_UNIX", SocketSyscalls::socketpair, DEC, DEC, DEC, DEC, PTR),
            supported("bind", SocketSyscalls::bind, DEC, FD, SOCKADDR, DEC),
            supported("listen", SocketSyscalls::listen, DEC, FD, DEC),
            supported("accept", SocketSyscalls::accept, DEC, FD, PTR, PTR),
            supported("accept4", SocketSyscalls::accept4, DEC, FD, PTR, PTR, DEC),
            supported("connect", SocketSyscalls::connect, DEC, FD, SOCKADDR, DEC),
            supported("getsockname", SocketSyscalls::getsockname, DEC, FD, PTR, PTR),
            supported("getpeername", SocketSyscalls::getpeername, DEC, FD, PTR, PTR),
            supported("sendto", SocketSyscalls::sendto, DEC, FD, PTR, UDEC, UDEC, SOCKADDR, DEC),
            supported("recvfrom", SocketSyscalls::recvfrom, DEC, FD, PTR, UDEC, UDEC, PTR, PTR),
            supported("sendmsg", SocketSyscalls::sendmsg, DEC, FD, PTR, HEX),
            supported("recvmsg", SocketSyscalls::recvmsg, DEC, FD, PTR, HEX),
            supported("sendmmsg", SocketSyscalls::sendmmsg, DEC, FD, PTR, UDEC, HEX),
            supported("recvmmsg", SocketSyscalls::recvmmsg, DEC, FD, PTR, UDEC, HEX, PTR),
            supported("shutdown", SocketSyscalls::shutdown, DEC, FD, DEC),
            supported("setsockopt", SocketSyscalls::setsockopt, DEC, FD, DEC, DEC, PTR, DEC),
            supported("getsockopt", SocketSyscalls::getsockopt, DEC, FD, DEC, DEC, PTR, PTR),
            supported("gettid", ProcessSyscalls::gettid, DEC),
            // Credentials
            supported("getuid", CredentialSyscalls::getuid, DEC),
            supported("geteuid", CredentialSyscalls::geteuid, DEC),
            supported("getgid", CredentialSyscalls::getgid, DEC),
            supported("getegid", CredentialSyscalls::getegid, DEC),
            supported("getresuid", CredentialSyscalls::getresuid, DEC, ID_OUT, ID_OUT, ID_OUT),
            supported("getresgid", CredentialSyscalls::getresgid, DEC, ID_OUT, ID_OUT, ID_OUT),
            supported("setuid", CredentialSyscalls::setuid, DEC, ID),
            supported("setgid", CredentialSyscalls::setgid, DEC, ID),
            supported("setreuid", CredentialSyscalls::setreuid, DEC, ID, ID),
            supported("setregid", CredentialSyscalls::setregid, DEC, ID, ID),
            supported("setresuid", CredentialSyscalls::setresuid, DEC, ID, ID, ID),
            supported("setresgid", CredentialSyscalls::setresgid, DEC, ID, ID, ID),
            supported("setfsuid", CredentialSyscalls::setfsuid, DEC, ID),
            supported("setfsgid", CredentialSyscalls::setfsgid, DEC, ID),
            supported("getgroups", CredentialSyscalls::getgroups, DEC, ID, GROUPS_OUT),
            supported("setgroups", CredentialSyscalls::setgroups, DEC, ID, GROUPS_IN),
            supported("capget", CredentialSyscalls::capget, DEC, CAP_HEADER, CAP_DATA_OUT),
            supported("capset", CredentialSyscalls::capset, DEC, CAP_HEADER, CAP_DATA),
            supported("set_tid_address", ProcessSyscalls::setTidAddress, DEC, PTR),
            supported("futex", FutexSyscalls::futex, DEC, PTR, FUTEX_OP),
            supported("futex_waitv", FutexSyscalls::futexWaitv, DEC, PTR, UDEC, HEX, PTR, CLOCK),
            supported("set_robust_list", ProcessSyscalls::setRobustList, DEC, PTR, UDEC),
            supported("get_robust_list", ProcessSyscalls::getRobustList, DEC, DEC, PTR, PTR),
            unsupported("rseq", Errno.ENOSYS, "restartable sequences are optional; glibc carries on without them",
                    PTR, HEX, HEX, HEX),
            partial("arch_prctl", "ARCH_SET_FS and ARCH_GET_FS; other codes return EINVAL",
                    ProcessSyscalls::archPrctl, DEC, ARCH_PRCTL_CODE, HEX),
            partial("prlimit64", "the calling process only; enforced: NOFILE, FSIZE, AS, DATA, STACK, SIGPENDING, NICE, "
                    + "RTPRIO, MEMLOCK and CPU (NPROC, LOCKS, MSGQUEUE and RTTIME are recorded)",
                    ProcessSyscalls::prlimit64, DEC, DEC, RLIMIT, RLIMIT_IN, RLIMIT_OUT),
            supported("uname", ProcessSyscalls::uname, DEC, PTR),
            partial("prctl", "PR_SET_NAME, PR_GET_NAME, PR_GET_DUMPABLE, PR_SET_DUMPABLE, PR_CAPBSET_READ, "
                    + "PR_CAPBSET_DROP, PR_GET/SET_KEEPCAPS, PR_GET/SET_SECUREBITS, PR_CAP_AMBIENT, "
                    + "PR_GET/SET_NO_NEW_PRIVS; others return EINVAL",
                    ProcessSyscalls::prctl, DEC, PRCTL_OPTION),
            supported("getrandom", ProcessSyscalls::getrandom, DEC, BUF_OUT_HEX, UDEC, GRND_FLAGS),
            unsupported("riscv_hwprobe", Errno.ENOSYS, "glibc falls back to AT_HWCAP", PTR, UDEC, UDEC, PTR, HEX),
            unsupported("riscv_flush_icache", Errno.ENOSYS, "not needed yet: no JIT guest has asked for it",
                    PTR, PTR, HEX),
            // System V IPC and POSIX message queues, per IPC namespace
            supported("msgget", SysvMsgSyscalls::msgget, DEC, HEX, OCT),
            supported("msgsnd", SysvMsgSyscalls::msgsnd, DEC, DEC, PTR, UDEC, OCT),
            supported("msgrcv", SysvMsgSyscalls::msgrcv, DEC, DEC, PTR, UDEC, DEC, OCT),
            supported("msgctl", SysvMsgSyscalls::msgctl, DEC, DEC, DEC, PTR),
            supported("semget", SysvSemSyscalls::semget, DEC, HEX, DEC, OCT),
            supported("semop", SysvSemSyscalls::semop, DEC, DEC, PTR, UDEC),
            supported("semtimedop", SysvSemSyscalls::semtimedop, DEC, DEC, PTR, UDEC, TIMESPEC),
            supported("semctl", SysvSemSyscalls::semctl, DEC, DEC, DEC, DEC, HEX),
            partial("shmget", "SHM_HUGETLB and SHM_NORESERVE are ignored", SysvShmSyscalls::shmget, DEC, HEX, UDEC, OCT),
            supported("shmat", SysvShmSyscalls::shmat, HEX, DEC, PTR, OCT),
            supported("shmdt", SysvShmSyscalls::shmdt, DEC, PTR),
            partial("shmctl", "SHM_LOCK and SHM_UNLOCK are recorded, not enforced; SHM_INFO's shm_rss is every page",
                    SysvShmSyscalls::shmctl, DEC, DEC, DEC, PTR),
            partial("mq_open", "RLIMIT_MSGQUEUE is charged per IPC namespace, not per user across them",
                    MqueueSyscalls::mqOpen, DEC, STR, OPEN_FLAGS, OCT, PTR),
            supported("mq_unlink", MqueueSyscalls::mqUnlink, DEC, STR),
            supported("mq_timedsend", MqueueSyscalls::mqTimedsend, DEC, DEC, PTR, UDEC, UDEC, TIMESPEC),
            supported("mq_timedreceive", MqueueSyscalls::mqTimedreceive, DEC, DEC, PTR, UDEC, PTR, TIMESPEC),
            supported("mq_notify", MqueueSyscalls::mqNotify, DEC, DEC, PTR),
            supported("mq_getsetattr", MqueueSyscalls::mqGetsetattr, DEC, DEC, PTR, PTR),
            // Time
            supported("clock_gettime", TimeSyscalls::clockGettime, DEC, CLOCK, TIMESPEC_OUT),
            supported("clock_getres", TimeSyscalls::clockGetres, DEC, CLOCK, TIMESPEC_OUT),
            supported("gettimeofday", TimeSyscalls::gettimeofday, DEC, PTR, PTR),
            supported("time", TimeSyscalls::time, DEC, PTR),
            supported("nanosleep", TimeSyscalls::nanosleep, DEC, TIMESPEC, TIMESPEC_REM),
            partial("clock_nanosleep", "a CPU-time clock's sleep passes with the wall clock",
                    TimeSyscalls::clockNanosleep, DEC, CLOCK, TIMER_FLAGS, TIMESPEC, TIMESPEC_REM),
            supported("times", TimeSyscalls::times, DEC, PTR),
            partial("getrusage", "CPU times, ru_maxrss and context switches; faults, blocks, IPC and signals are 0",
                    TimeSyscalls::getrusage, DEC, DEC, PTR),
            partial("timer_create", "every clock with timers; the _ALARM clocks as on a machine with a real-time "
                    + "clock", TimerSyscalls::timerCreate, DEC, CLOCK, PTR, PTR),
            supported("timer_settime", TimerSyscalls::timerSettime, DEC, DEC, TIMER_FLAGS, PTR, PTR),
            supported("timer_gettime", TimerSyscalls::timerGettime, DEC, DEC, PTR),
            supported("timer_getoverrun", TimerSyscalls::timerGetoverrun, DEC, DEC),
            supported("timer_delete", TimerSyscalls::timerDelete, DEC, DEC),
            partial("getrlimit", "as prlimit64", ProcessSyscalls::getrlimit, DEC, RLIMIT, RLIMIT_OUT),
            partial("setrlimit", "as prlimit64", ProcessSyscalls::setrlimit, DEC, RLIMIT, RLIMIT_IN),
            partial("sched_getaffinity", "a cpumask of 64 CPUs", AffinitySyscalls::schedGetaffinity, DEC, DEC, UDEC,
                    PTR),
            partial("sched_setaffinity", "a cpumask of 64 CPUs; the task's next turn obeys it",
                    AffinitySyscalls::schedSetaffinity, DEC, DEC, UDEC, PTR),
            partial("getcpu", "the virtual CPU of the thread's turn, node 0", AffinitySyscalls::getcpu, DEC, PTR, PTR,
                    PTR),
            supported("sched_setscheduler", SchedSyscalls::schedSetscheduler, DEC, DEC, DEC, PTR),
            supported("sched_getscheduler", SchedSyscalls::schedGetscheduler, DEC, DEC),
            supported("sched_setparam", SchedSyscalls::schedSetparam, DEC, DEC, PTR),
            supported("sched_getparam", SchedSyscalls::schedGetparam, DEC, DEC, PTR),
            partial("sched_setattr", "SCHED_DEADLINE is EBUSY after Linux's checks (no deadline class: admission "
                    + "control has no bandwidth to give); utilization clamps are EOPNOTSUPP, as without "
                    + "CONFIG_UCLAMP_TASK", SchedSyscalls::schedSetattr, DEC, DEC, PTR, HEX),
            partial("sched_getattr", "no utilization clamps (0), as without CONFIG_UCLAMP_TASK",
                    SchedSyscalls::schedGetattr, DEC, DEC, PTR, UDEC, HEX),
            supported("sched_get_priority_max", SchedSyscalls::schedGetPriorityMax, DEC, DEC),
            supported("sched_get_priority_min", SchedSyscalls::schedGetPriorityMin, DEC, DEC),
            supported("sched_rr_get_interval", SchedSyscalls::schedRrGetInterval, DEC, DEC, TIMESPEC_OUT),
            partial("membarrier", "every barrier already holds (the threads of an address space run one at a time); "
                    + "the RSEQ commands are EINVAL (no rseq)", MembarrierSyscalls::membarrier, DEC, DEC, HEX, DEC),
            supported("sched_yield", ThreadSyscalls::schedYield, DEC));

    /** The declarations, in a fixed order. */
    public static List<SyscallDef> definitions() {
        return DEFINITIONS;
    }
}
