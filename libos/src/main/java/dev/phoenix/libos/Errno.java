package dev.phoenix.libos;

/**
 * A Linux errno raised inside the LibOS. Preallocated and stackless: throwing one costs no more
 * than a return. Only the syscall dispatcher turns it into {@code -errno} for the guest. The
 * numbers are Linux's (asm-generic/errno-base.h and errno.h), the same on all three arches.
 */
public final class Errno extends RuntimeException {
    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, E2BIG = 7,
            ENOEXEC = 8, EBADF = 9, ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, EFAULT = 14,
            EBUSY = 16, EEXIST = 17, EXDEV = 18, ENODEV = 19, ENOTDIR = 20, EISDIR = 21, EINVAL = 22,
            ENFILE = 23, EMFILE = 24, ENOTTY = 25, ETXTBSY = 26, EFBIG = 27, ENOSPC = 28, ESPIPE = 29, EROFS = 30,
            EMLINK = 31, EPIPE = 32, EDOM = 33, ERANGE = 34, EDEADLK = 35, ENAMETOOLONG = 36, ENOLCK = 37,
            ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, ENODATA = 61, EOVERFLOW = 75, ELIBBAD = 80, ENOTSOCK = 88, ENOTSUP = 95, EAFNOSUPPORT = 97,
            ETIMEDOUT = 110;
    /** The socket errnos (asm-generic/errno.h). */
    public static final int EDESTADDRREQ = 89, EMSGSIZE = 90, EPROTOTYPE = 91, ENOPROTOOPT = 92,
            EPROTONOSUPPORT = 93, ESOCKTNOSUPPORT = 94, EOPNOTSUPP = ENOTSUP, EADDRINUSE = 98, EADDRNOTAVAIL = 99,
            ENETDOWN = 100, ENETUNREACH = 101, ECONNABORTED = 103, ECONNRESET = 104, ENOBUFS = 105, EISCONN = 106,
            ENOTCONN = 107, ETOOMANYREFS = 109, ECONNREFUSED = 111, EHOSTUNREACH = 113, EALREADY = 114,
            EINPROGRESS = 115;

    /**
     * Kernel-internal, never seen by the guest: a blocking call a signal interrupted, to be
     * restarted after the handler when it has SA_RESTART (or when no handler runs), else EINTR.
     */
    public static final int ERESTARTSYS = 512;
    /** Kernel-internal: a call always restarted after a handler, never EINTR (FUTEX_LOCK_PI's wait). */
    public static final int ERESTARTNOINTR = 513;
    /** Kernel-internal: a wait only a handler can end (pause, sigsuspend); EINTR once the handler runs. */
    public static final int ERESTARTNOHAND = 514;
    /** Kernel-internal: an interrupted sleep; EINTR once the handler runs. */
    public static final int ERESTART_RESTARTBLOCK = 516;

    /** True for the kernel-internal restart codes, which the guest never sees. */
    public static boolean isRestart(int errno) {
        return errno == ERESTARTSYS || errno == ERESTARTNOINTR || errno == ERESTARTNOHAND
                || errno == ERESTART_RESTARTBLOCK;
    }

    private static final String[][] NAMES = new String[134][];
    private static final Errno[] CACHE = new Errno[134];
    /** The kernel-internal restart codes, which a blocking wait deep in the LibOS may raise. */
    private static final Errno[] RESTARTS = {new Errno(ERESTARTSYS), new Errno(ERESTARTNOINTR), new Errno(ERESTARTNOHAND), null,
        new Errno(ERESTART_RESTARTBLOCK)};

    static {
        def(EPERM, "EPERM", "Operation not permitted");
        def(ENOENT, "ENOENT", "No such file or directory");
        def(ESRCH, "ESRCH", "No such process");
        def(EINTR, "EINTR", "Interrupted system call");
        def(EIO, "EIO", "Input/output error");
        def(ENXIO, "ENXIO", "No such device or address");
        def(E2BIG, "E2BIG", "Argument list too long");
        def(ENOEXEC, "ENOEXEC", "Exec format error");
        def(EBADF, "EBADF", "Bad file descriptor");
        def(ECHILD, "ECHILD", "No child processes");
        def(EAGAIN, "EAGAIN", "Resource temporarily unavailable");
        def(ENOMEM, "ENOMEM", "Cannot allocate memory");
        def(EACCES, "EACCES", "Permission denied");
        def(EFAULT, "EFAULT", "Bad address");
        def(EBUSY, "EBUSY", "Device or resource busy");
        def(EEXIST, "EEXIST", "File exists");
        def(EXDEV, "EXDEV", "Invalid cross-device link");
        def(ENODEV, "ENODEV", "No such device");
        def(ENOTDIR, "ENOTDIR", "Not a directory");
        def(EISDIR, "EISDIR", "Is a directory");
        def(EINVAL, "EINVAL", "Invalid argument");
        def(ENFILE, "ENFILE", "Too many open files in system");
        def(EMFILE, "EMFILE", "Too many open files");
        def(ENOTTY, "ENOTTY", "Inappropriate ioctl for device");
        def(ETXTBSY, "ETXTBSY", "Text file busy");
        def(EFBIG, "EFBIG", "File too large");
        def(ENOSPC, "ENOSPC", "No space left on device");
        def(ESPIPE, "ESPIPE", "Illegal seek");
        def(EROFS, "EROFS", "Read-only file system");
        def(EMLINK, "EMLINK", "Too many links");
        def(EPIPE, "EPIPE", "Broken pipe");
        def(EDOM, "EDOM", "Numerical argument out of domain");
        def(ERANGE, "ERANGE", "Numerical result out of range");
        def(EDEADLK, "EDEADLK", "Resource deadlock avoided");
        def(ENAMETOOLONG, "ENAMETOOLONG", "File name too long");
        def(ENOLCK, "ENOLCK", "No locks available");
        def(ENOSYS, "ENOSYS", "Function not implemented");
        def(ENOTEMPTY, "ENOTEMPTY", "Directory not empty");
        def(ELOOP, "ELOOP", "Too many levels of symbolic links");
        def(ENODATA, "ENODATA", "No data available");
        def(EOVERFLOW, "EOVERFLOW", "Value too large for defined data type");
        def(ENOTSUP, "EOPNOTSUPP", "Operation not supported");
        def(ETIMEDOUT, "ETIMEDOUT", "Connection timed out");
        // The rest of Linux's errnos, for strace and for host errors mapped as they are.
        def(15, "ENOTBLK", "Block device required");
        def(26, "ETXTBSY", "Text file busy");
        def(42, "ENOMSG", "No message of desired type");
        def(43, "EIDRM", "Identifier removed");
        def(44, "ECHRNG", "Channel number out of range");
        def(45, "EL2NSYNC", "Level 2 not synchronized");
        def(46, "EL3HLT", "Level 3 halted");
        def(47, "EL3RST", "Level 3 reset");
        def(48, "ELNRNG", "Link number out of range");
        def(49, "EUNATCH", "Protocol driver not attached");
        def(50, "ENOCSI", "No CSI structure available");
        def(51, "EL2HLT", "Level 2 halted");
        def(52, "EBADE", "Invalid exchange");
        def(53, "EBADR", "Invalid request descriptor");
        def(54, "EXFULL", "Exchange full");
        def(55, "ENOANO", "No anode");
        def(56, "EBADRQC", "Invalid request code");
        def(57, "EBADSLT", "Invalid slot");
        def(59, "EBFONT", "Bad font file format");
        def(60, "ENOSTR", "Device not a stream");
        def(62, "ETIME", "Timer expired");
        def(63, "ENOSR", "Out of streams resources");
        def(64, "ENONET", "Machine is not on the network");
        def(65, "ENOPKG", "Package not installed");
        def(66, "EREMOTE", "Object is remote");
        def(67, "ENOLINK", "Link has been severed");
        def(68, "EADV", "Advertise error");
        def(69, "ESRMNT", "Srmount error");
        def(70, "ECOMM", "Communication error on send");
        def(71, "EPROTO", "Protocol error");
        def(72, "EMULTIHOP", "Multihop attempted");
        def(73, "EDOTDOT", "RFS specific error");
        def(74, "EBADMSG", "Bad message");
        def(76, "ENOTUNIQ", "Name not unique on network");
        def(77, "EBADFD", "File descriptor in bad state");
        def(78, "EREMCHG", "Remote address changed");
        def(79, "ELIBACC", "Can not access a needed shared library");
        def(80, "ELIBBAD", "Accessing a corrupted shared library");
        def(81, "ELIBSCN", ".lib section in a.out corrupted");
        def(82, "ELIBMAX", "Attempting to link in too many shared libraries");
        def(83, "ELIBEXEC", "Cannot exec a shared library directly");
        def(84, "EILSEQ", "Invalid or incomplete multibyte or wide character");
        def(85, "ERESTART", "Interrupted system call should be restarted");
        def(86, "ESTRPIPE", "Streams pipe error");
        def(87, "EUSERS", "Too many users");
        def(88, "ENOTSOCK", "Socket operation on non-socket");
        def(89, "EDESTADDRREQ", "Destination address required");
        def(90, "EMSGSIZE", "Message too long");
        def(91, "EPROTOTYPE", "Protocol wrong type for socket");
        def(92, "ENOPROTOOPT", "Protocol not available");
        def(93, "EPROTONOSUPPORT", "Protocol not supported");
        def(94, "ESOCKTNOSUPPORT", "Socket type not supported");
        def(96, "EPFNOSUPPORT", "Protocol family not supported");
        def(97, "EAFNOSUPPORT", "Address family not supported by protocol");
        def(98, "EADDRINUSE", "Address already in use");
        def(99, "EADDRNOTAVAIL", "Cannot assign requested address");
        def(100, "ENETDOWN", "Network is down");
        def(101, "ENETUNREACH", "Network is unreachable");
        def(102, "ENETRESET", "Network dropped connection on reset");
        def(103, "ECONNABORTED", "Software caused connection abort");
        def(104, "ECONNRESET", "Connection reset by peer");
        def(105, "ENOBUFS", "No buffer space available");
        def(106, "EISCONN", "Transport endpoint is already connected");
        def(107, "ENOTCONN", "Transport endpoint is not connected");
        def(108, "ESHUTDOWN", "Cannot send after transport endpoint shutdown");
        def(109, "ETOOMANYREFS", "Too many references: cannot splice");
        def(111, "ECONNREFUSED", "Connection refused");
        def(112, "EHOSTDOWN", "Host is down");
        def(113, "EHOSTUNREACH", "No route to host");
        def(114, "EALREADY", "Operation already in progress");
        def(115, "EINPROGRESS", "Operation now in progress");
        def(116, "ESTALE", "Stale file handle");
        def(117, "EUCLEAN", "Structure needs cleaning");
        def(118, "ENOTNAM", "Not a XENIX named type file");
        def(119, "ENAVAIL", "No XENIX semaphores available");
        def(120, "EISNAM", "Is a named type file");
        def(121, "EREMOTEIO", "Remote I/O error");
        def(122, "EDQUOT", "Disk quota exceeded");
        def(123, "ENOMEDIUM", "No medium found");
        def(124, "EMEDIUMTYPE", "Wrong medium type");
        def(125, "ECANCELED", "Operation canceled");
        def(126, "ENOKEY", "Required key not available");
        def(127, "EKEYEXPIRED", "Key has expired");
        def(128, "EKEYREVOKED", "Key has been revoked");
        def(129, "EKEYREJECTED", "Key was rejected by service");
        def(130, "EOWNERDEAD", "Owner died");
        def(131, "ENOTRECOVERABLE", "State not recoverable");
        def(132, "ERFKILL", "Operation not possible due to RF-kill");
    }

    private static void def(int n, String name, String message) {
        NAMES[n] = new String[] {name, message};
        CACHE[n] = new Errno(n);
    }

    private final int errno;

    private Errno(int errno) {
        super(null, null, false, false);
        this.errno = errno;
    }

    /** The preallocated exception for {@code errno}. */
    public static Errno of(int errno) {
        Errno e = errno > 0 && errno < CACHE.length ? CACHE[errno] : isRestart(errno) ? RESTARTS[errno - ERESTARTSYS] : null;
        if (e == null) {
            throw new IllegalArgumentException("unknown errno " + errno);
        }
        return e;
    }

    /** The errno number. */
    public int errno() {
        return errno;
    }

    /** The symbolic name ("ENOENT"), or "E" + number when unknown. */
    public static String name(int errno) {
        switch (errno) {
            case ERESTARTSYS:
                return "ERESTARTSYS";
            case ERESTARTNOINTR:
                return "ERESTARTNOINTR";
            case ERESTARTNOHAND:
                return "ERESTARTNOHAND";
            case ERESTART_RESTARTBLOCK:
                return "ERESTART_RESTARTBLOCK";
            default:
                break;
        }
        return errno > 0 && errno < NAMES.length && NAMES[errno] != null ? NAMES[errno][0] : "E" + errno;
    }

    /** The strerror(3) text, or "Unknown error N". */
    public static String message(int errno) {
        switch (errno) {
            case ERESTARTSYS:
                return "To be restarted if SA_RESTART is set";
            case ERESTARTNOINTR:
                return "To be restarted";
            case ERESTARTNOHAND:
                return "To be restarted if no handler";
            case ERESTART_RESTARTBLOCK:
                return "Interrupted by signal";
            default:
                break;
        }
        return errno > 0 && errno < NAMES.length && NAMES[errno] != null ? NAMES[errno][1] : "Unknown error " + errno;
    }

    @Override
    public String getMessage() {
        return name(errno) + " (" + message(errno) + ")";
    }
}
