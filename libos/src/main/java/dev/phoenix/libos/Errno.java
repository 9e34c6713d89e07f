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
            ENFILE = 23, EMFILE = 24, ENOTTY = 25, EFBIG = 27, ENOSPC = 28, ESPIPE = 29, EROFS = 30,
            EMLINK = 31, EPIPE = 32, EDOM = 33, ERANGE = 34, EDEADLK = 35, ENAMETOOLONG = 36, ENOLCK = 37,
            ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, ENODATA = 61, EOVERFLOW = 75, ENOTSUP = 95,
            ETIMEDOUT = 110;

    /**
     * Kernel-internal, never seen by the guest: a blocking call a signal interrupted, to be
     * restarted after the handler when it has SA_RESTART (or when no handler runs), else EINTR.
     */
    public static final int ERESTARTSYS = 512;

    private static final String[][] NAMES = new String[134][];
    private static final Errno[] CACHE = new Errno[134];

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
        Errno e = errno > 0 && errno < CACHE.length ? CACHE[errno] : null;
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
        if (errno == ERESTARTSYS) {
            return "ERESTARTSYS";
        }
        return errno > 0 && errno < NAMES.length && NAMES[errno] != null ? NAMES[errno][0] : "E" + errno;
    }

    /** The strerror(3) text, or "Unknown error N". */
    public static String message(int errno) {
        if (errno == ERESTARTSYS) {
            return "To be restarted if SA_RESTART is set";
        }
        return errno > 0 && errno < NAMES.length && NAMES[errno] != null ? NAMES[errno][1] : "Unknown error " + errno;
    }

    @Override
    public String getMessage() {
        return name(errno) + " (" + message(errno) + ")";
    }
}
