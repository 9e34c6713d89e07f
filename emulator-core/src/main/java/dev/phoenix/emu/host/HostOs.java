package dev.phoenix.emu.host;

import dev.phoenix.emu.NativeWords;
import dev.phoenix.emu.Unchecked;
import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The few host libc calls Phoenix needs, bound with FFM: anonymous memory for guest frames, and
 * terminal queries for the guest's stdio. FFM handles stay inside {@code emulator-core}; callers
 * get plain Java values. The host is x86_64 Linux (Unicorn's shared object is amd64).
 */
public final class HostOs {
    private HostOs() {}

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;

    // Each libc function is bound in NativeWords' shapes (one FFM stub for all of them, another for
    // the errno-capturing ones), on first use, in a holder class of its own: a run needs only a few.

    private static MethodHandle handle(String name, Linker.Option... options) {
        return NativeWords.downcall(NativeWords.libc(), name, options);
    }

    private static final class Mmap {
        static final MethodHandle H = handle("mmap");
    }

    private static final class MemfdCreate {
        static final MethodHandle H = handle("memfd_create");
    }

    private static final class Ftruncate {
        static final MethodHandle H = handle("ftruncate");
    }

    private static final class Munmap {
        static final MethodHandle H = handle("munmap");
    }

    private static final class Madvise {
        static final MethodHandle H = handle("madvise");
    }

    private static final class Isatty {
        static final MethodHandle H = handle("isatty");
    }

    /** ioctl(2) is variadic: the request's argument is the one variadic word. */
    private static final class Ioctl {
        static final MethodHandle H = NativeWords.variadic(NativeWords.libc(), "ioctl", 2, 1, CAPTURE_ERRNO);
    }

    private static final class Fstatat {
        static final MethodHandle H = handle("fstatat", CAPTURE_ERRNO);
    }

    private static final class Read {
        static final MethodHandle H = handle("read", CAPTURE_ERRNO);
    }

    private static final class Write {
        static final MethodHandle H = handle("write", CAPTURE_ERRNO);
    }

    private static final class Lseek {
        static final MethodHandle H = handle("lseek", CAPTURE_ERRNO);
    }

    private static final class Fsync {
        static final MethodHandle H = handle("fsync", CAPTURE_ERRNO);
    }

    private static final class Sync {
        static final MethodHandle H = handle("sync");
    }

    private static final class Getrlimit {
        static final MethodHandle H = handle("getrlimit");
    }

    private static final class PthreadSigmask {
        static final MethodHandle H = handle("pthread_sigmask");
    }

    private static final class Signalfd {
        static final MethodHandle H = handle("signalfd", CAPTURE_ERRNO);
    }

    private static final class Eventfd {
        static final MethodHandle H = handle("eventfd", CAPTURE_ERRNO);
    }

    private static final class Poll {
        static final MethodHandle H = handle("poll", CAPTURE_ERRNO);
    }

    private static final class Kill {
        static final MethodHandle H = handle("kill");
    }

    /** open(2) is variadic (the mode): the same shape as ioctl's, so the two share one FFM stub. */
    private static final class Open {
        static final MethodHandle H = NativeWords.variadic(NativeWords.libc(), "open", 2, 1, CAPTURE_ERRNO);
    }

    private static final class Close {
        static final MethodHandle H = handle("close");
    }

    private static final class Mknod {
        static final MethodHandle H = handle("mknod", CAPTURE_ERRNO);
    }

    private static final class Chmod {
        static final MethodHandle H = handle("chmod", CAPTURE_ERRNO);
    }

    private static final class Getpid {
        static final MethodHandle H = handle("getpid");
    }

    private static final class Gettid {
        static final MethodHandle H = handle("gettid");
    }

    private static final class Prctl {
        static final MethodHandle H = handle("prctl");
    }

    /** clock_gettime(2), for thread CPU clocks, with a timespec of each calling thread's own. */
    private static final class ClockGettime {
        static final MethodHandle H = handle("clock_gettime");
        static final ThreadLocal<MemorySegment> TIMESPEC = ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(16, 8));
    }

    /** sizeof(struct stat) on the x86_64 host. */
    private static final int HOST_STAT_SIZE = 144;

    private static final int PROT_READ_WRITE = 3;
    private static final int MAP_PRIVATE_ANONYMOUS_NORESERVE = 0x02 | 0x20 | 0x4000;
    private static final long PAGE = 4096;

    /**
     * Allocates {@code length} bytes (rounded up to pages) of zeroed, page-aligned host memory
     * with mmap, so untouched pages cost nothing. Throws OutOfMemoryError when the host refuses.
     */
    public static MemorySegment allocatePages(long length) {
        long len = (length + PAGE - 1) & -PAGE;
        try {
            long p = NativeWords.call(Mmap.H, 0L, len, PROT_READ_WRITE, MAP_PRIVATE_ANONYMOUS_NORESERVE, -1, 0L);
            if (p == -1L) {
                throw new OutOfMemoryError("host mmap of " + len + " bytes failed");
            }
            return MemorySegment.ofAddress(p).reinterpret(len);
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    private static final int MAP_SHARED = 0x01, MFD_CLOEXEC = 1;

    /**
     * Memory another host process can map too: a memfd of {@code length} bytes (rounded up to
     * pages) named {@code name}, mapped shared here; its pages read zero until written and cost
     * nothing until touched. The file descriptor stays open (close-on-exec) for as long as the
     * memory lives, so a helper process can open it as /proc/PID/fd/FD. Returns null when the host
     * refuses. Freed with {@link #freePages} and {@link #close} of the descriptor.
     */
    public static SharedPages allocateSharedPages(String name, long length) {
        long len = (length + PAGE - 1) & -PAGE;
        try (Arena arena = Arena.ofConfined()) {
            int fd = (int) NativeWords.call(MemfdCreate.H, arena.allocateFrom(name).address(), MFD_CLOEXEC);
            if (fd < 0) {
                return null;
            }
            long p = -1L;
            if (NativeWords.call(Ftruncate.H, fd, len) == 0) {
                p = NativeWords.call(Mmap.H, 0L, len, PROT_READ_WRITE, MAP_SHARED, fd, 0L);
            }
            if (p == -1L) {
                close(fd);
                return null;
            }
            return new SharedPages(MemorySegment.ofAddress(p).reinterpret(len), fd);
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /** Shared memory from {@link #allocateSharedPages}: the mapping and the memfd behind it. */
    public record SharedPages(MemorySegment pages, int fd) { }

    private static final int MAP_PRIVATE = 0x02;

    /**
     * A private copy-on-write mapping of {@code length} bytes (rounded up to pages) of host file
     * descriptor {@code fd} from {@code offset} (page-aligned), readable and writable: the pages
     * are the host's page cache, shared with every other mapping of the file until written, when
     * the host gives the writer a copy. The caller keeps {@code length} within the file (a page
     * wholly past its end faults on the host) and may close {@code fd} at once. Returns null
     * when the host refuses. Unmapped with {@link #freePages}.
     */
    public static MemorySegment mapPrivate(int fd, long offset, long length) {
        long len = (length + PAGE - 1) & -PAGE;
        try {
            long p = NativeWords.call(Mmap.H, 0L, len, PROT_READ_WRITE, MAP_PRIVATE, fd, offset);
            return p == -1L ? null : MemorySegment.ofAddress(p).reinterpret(len);
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    private static final int MADV_DONTNEED = 4;

    /**
     * madvise(MADV_DONTNEED) of host pages {@code pages} (page-aligned): the host drops them, so
     * a private file mapping's written pages read the file again and anonymous ones read zero.
     * Returns false when the host refuses.
     */
    public static boolean dropPages(MemorySegment pages) {
        try {
            return NativeWords.call(Madvise.H, pages.address(), pages.byteSize(), MADV_DONTNEED) == 0;
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    private static final int MADV_POPULATE_READ = 22, MADV_POPULATE_WRITE = 23;

    /**
     * madvise(MADV_POPULATE_WRITE or MADV_POPULATE_READ) of host pages {@code pages}
     * (page-aligned): the host gives them frames now, as a write or a read fault would (a
     * private page written gets its own, one read maps the zero page or the page cache's).
     * Returns false when the host refuses (a kernel before 5.14, or no memory).
     */
    public static boolean populatePages(MemorySegment pages, boolean write) {
        try {
            return NativeWords.call(Madvise.H, pages.address(), pages.byteSize(),
                    write ? MADV_POPULATE_WRITE : MADV_POPULATE_READ) == 0;
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /** Returns memory from {@link #allocatePages} to the host. */
    public static void freePages(MemorySegment pages) {
        try {
            int r = (int) NativeWords.call(Munmap.H, pages.address(), pages.byteSize());
            if (r != 0) {
                throw new IllegalStateException("host munmap failed for " + pages);
            }
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /** A host call failed with {@code errno} (the host is Linux, so the number is Linux's). */
    public static final class HostError extends Exception {
        private final int errno;

        public HostError(int errno) {
            super("host errno " + errno, null, false, false);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }

    /** The fields of the host's {@code struct stat} (x86_64 layout), times in nanoseconds since the epoch. */
    public record Stat(long dev, long ino, long nlink, int mode, int uid, int gid, long rdev, long size, long blksize,
            long blocks, long atimeNs, long mtimeNs, long ctimeNs) {}

    /** stat(2) of host {@code path}, or lstat(2) when {@code follow} is false. */
    public static Stat stat(String path, boolean follow) throws HostError {
        return fstatat(AT_FDCWD, path, follow ? 0 : AT_SYMLINK_NOFOLLOW);
    }

    /** fstat(2) of host file descriptor {@code fd}. */
    public static Stat fstat(int fd) throws HostError {
        return fstatat(fd, "", AT_EMPTY_PATH);
    }

    private static Stat fstatat(int dirfd, String path, int flags) throws HostError {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(HOST_STAT_SIZE, 8);
            MemorySegment state = arena.allocate(CAPTURE);
            int r = (int) NativeWords.call(Fstatat.H, state, dirfd, arena.allocateFrom(path).address(), buf.address(),
                    flags);
            if (r != 0) {
                throw new HostError((int) ERRNO.get(state, 0L));
            }
            return new Stat(buf.get(ValueLayout.JAVA_LONG, 0), buf.get(ValueLayout.JAVA_LONG, 8),
                    buf.get(ValueLayout.JAVA_LONG, 16), buf.get(ValueLayout.JAVA_INT, 24), buf.get(ValueLayout.JAVA_INT, 28),
                    buf.get(ValueLayout.JAVA_INT, 32), buf.get(ValueLayout.JAVA_LONG, 40), buf.get(ValueLayout.JAVA_LONG, 48),
                    buf.get(ValueLayout.JAVA_LONG, 56), buf.get(ValueLayout.JAVA_LONG, 64), nanos(buf, 72), nanos(buf, 88),
                    nanos(buf, 104));
        } catch (HostError e) {
            throw e;
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    private static long nanos(MemorySegment buf, long offset) {
        return buf.get(ValueLayout.JAVA_LONG, offset) * 1_000_000_000L + buf.get(ValueLayout.JAVA_LONG, offset + 8);
    }

    /** read(2) from host fd {@code fd} into {@code buf[offset..offset+length)}. */
    public static int read(int fd, byte[] buf, int offset, int length) throws HostError {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment b = arena.allocate(Math.max(length, 1));
            MemorySegment state = arena.allocate(CAPTURE);
            long n = NativeWords.call(Read.H, state, fd, b.address(), length, 0L);
            if (n < 0) {
                throw new HostError((int) ERRNO.get(state, 0L));
            }
            MemorySegment.copy(b, ValueLayout.JAVA_BYTE, 0, buf, offset, (int) n);
            return (int) n;
        } catch (HostError e) {
            throw e;
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /** write(2) of {@code buf[offset..offset+length)} to host fd {@code fd}. */
    public static int write(int fd, byte[] buf, int offset, int length) throws HostError {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment b = arena.allocate(Math.max(length, 1));
            MemorySegment.copy(buf, offset, b, ValueLayout.JAVA_BYTE, 0, length);
            MemorySegment state = arena.allocate(CAPTURE);
            long n = NativeWords.call(Write.H, state, fd, b.address(), length, 0L);
            if (n < 0) {
                throw new HostError((int) ERRNO.get(state, 0L));
            }
            return (int) n;
        } catch (HostError e) {
            throw e;
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /** lseek(2) on host fd {@code fd}. */
    public static long lseek(int fd, long offset, int whence) throws HostError {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long r = NativeWords.call(Lseek.H, state, fd, offset, whence, 0L);
            if (r < 0) {
                throw new HostError((int) ERRNO.get(state, 0L));
            }
            return r;
        } catch (HostError e) {
            throw e;
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /** fsync(2) on host fd {@code fd}. */
    public static void fsync(int fd) throws HostError {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            if ((int) NativeWords.call(Fsync.H, state, fd, 0L, 0L, 0L) != 0) {
                throw new HostError((int) ERRNO.get(state, 0L));
            }
        } catch (HostError e) {
            throw e;
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /** sync(2): commits the host's dirty file data and metadata to disk; it cannot fail. */
    public static void sync() {
        try {
            long ignored = NativeWords.call(Sync.H, 0L);
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /**
     * getrlimit(2) of this process for {@code resource}: the soft and hard limits, RLIM_INFINITY
     * as -1; null when the host refuses the resource (a kernel older than the guest's ABI).
     */
    public static long[] getrlimit(int resource) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(16, 8);
            if ((int) NativeWords.call(Getrlimit.H, resource, buf.address()) != 0) {
                return null;
            }
            return new long[] {buf.get(ValueLayout.JAVA_LONG, 0), buf.get(ValueLayout.JAVA_LONG, 8)};
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /** sizeof(sigset_t) in glibc: 1024 bits, of which the kernel uses the first 64. */
    private static final int SIGSET_SIZE = 128;
    private static final int SIG_BLOCK = 0;
    private static final int SFD_CLOEXEC = 02000000, EFD_CLOEXEC = 02000000, EFD_NONBLOCK = 04000;

    /** The signals the calling thread blocks, bit n-1 for signal n. */
    public static long blockedSignals() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(SIGSET_SIZE, 8);
            if ((int) NativeWords.call(PthreadSigmask.H, SIG_BLOCK, 0L, set.address()) != 0) {
                throw new IllegalStateException("pthread_sigmask failed");
            }
            return set.get(ValueLayout.JAVA_LONG, 0);
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /** signalfd(2) for the signals in {@code mask} (bit n-1 for signal n), close-on-exec. */
    public static int signalfd(long mask) throws HostError {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(SIGSET_SIZE, 8);
            set.set(ValueLayout.JAVA_LONG, 0, mask);
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) NativeWords.call(Signalfd.H, state, -1L, set.address(), SFD_CLOEXEC, 0L);
            if (fd < 0) {
                throw new HostError((int) ERRNO.get(state, 0L));
            }
            return fd;
        } catch (HostError e) {
            throw e;
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /** A non-blocking, close-on-exec eventfd(2) counting from 0. */
    public static int eventfd() throws HostError {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int fd = (int) NativeWords.call(Eventfd.H, state, 0L, EFD_CLOEXEC | EFD_NONBLOCK, 0L, 0L);
            if (fd < 0) {
                throw new HostError((int) ERRNO.get(state, 0L));
            }
            return fd;
        } catch (HostError e) {
            throw e;
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /**
     * poll(2) on two descriptors, without a timeout: {@code events} on {@code fd}, POLLIN on
     * {@code other}. Returns the revents of each, {@code fd}'s in the low 16 bits.
     */
    public static int poll2(int fd, int events, int other) throws HostError {
        short[] revents = poll(new int[] {fd, other}, new short[] {(short) events, 1 /* POLLIN */}, -1);
        return (revents[0] & 0xffff) | (revents[1] & 0xffff) << 16;
    }

    /**
     * poll(2) on {@code fds} for {@code events} (one per fd), waiting at most {@code timeoutMs}
     * (-1: no limit); returns the revents of each. EINTR is a HostError like any other.
     */
    public static short[] poll(int[] fds, short[] events, int timeoutMs) throws HostError {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment set = arena.allocate(8L * fds.length, 8); // struct pollfd: int fd, short events, short revents
            for (int i = 0; i < fds.length; i++) {
                set.set(ValueLayout.JAVA_INT, 8L * i, fds[i]);
                set.set(ValueLayout.JAVA_SHORT, 8L * i + 4, events[i]);
            }
            MemorySegment state = arena.allocate(CAPTURE);
            int r = (int) NativeWords.call(Poll.H, state, set.address(), (long) fds.length, (long) timeoutMs, 0L);
            if (r < 0) {
                throw new HostError((int) ERRNO.get(state, 0L));
            }
            short[] revents = new short[fds.length];
            for (int i = 0; i < fds.length; i++) {
                revents[i] = set.get(ValueLayout.JAVA_SHORT, 8L * i + 6);
            }
            return revents;
        } catch (HostError e) {
            throw e;
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /** kill(2) of host process {@code pid} with {@code sig}; false when the host refuses. */
    public static boolean kill(long pid, int sig) {
        try {
            return (int) NativeWords.call(Kill.H, pid, sig) == 0;
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    private static final int O_PATH = 010000000, O_NOFOLLOW = 0400000, O_CLOEXEC = 02000000;

    /** An O_PATH descriptor of {@code path} (not following a final symlink), or -1 when the host refuses. */
    public static int openPath(String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            return (int) (long) Open.H.invokeExact(state, arena.allocateFrom(path).address(),
                    (long) (O_PATH | O_NOFOLLOW | O_CLOEXEC), 0L);
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /**
     * mknod(2): makes the host node {@code path} with {@code mode} (its type bits and
     * permissions, which the host's umask still narrows); a socket's name is an S_IFSOCK node.
     */
    public static void mknod(String path, int mode) throws HostError {
        pathCall(Mknod.H, path, mode, 0L);
    }

    /**
     * chmod(2) of host {@code path}: for nodes Java's own setAttribute cannot change, since it
     * opens the file first (ENXIO for a socket).
     */
    public static void chmod(String path, int mode) throws HostError {
        pathCall(Chmod.H, path, mode, 0L);
    }

    /** The xattr functions of libc, bound on first use. */
    private static final java.util.concurrent.ConcurrentHashMap<String, MethodHandle> XATTR =
            new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * One of libc's extended-attribute calls on host {@code path} (getxattr, lgetxattr,
     * listxattr, llistxattr, setxattr, lsetxattr, removexattr, lremovexattr; the l-forms do not
     * follow a final symlink): {@code name} is the attribute (null for the list calls),
     * {@code value} the buffer read into or written from ({@code size} bytes of it; null with
     * size 0 asks for the size), {@code flags} setxattr's XATTR_CREATE or XATTR_REPLACE. Returns
     * the call's result (a size, or 0); throws the host's errno.
     */
    public static long xattr(String function, String path, String name, byte[] value, int size, int flags)
            throws HostError {
        if (!function.matches("l?(get|list|set|remove)xattr")) {
            throw new IllegalArgumentException(function);
        }
        MethodHandle h = XATTR.computeIfAbsent(function, f -> handle(f, CAPTURE_ERRNO));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            long p = arena.allocateFrom(path).address();
            long n = name == null ? 0L : arena.allocateFrom(name).address();
            MemorySegment buf = value == null || size == 0 ? MemorySegment.NULL : arena.allocate(Math.max(1, size));
            if (function.contains("set") && size > 0) {
                MemorySegment.copy(value, 0, buf, ValueLayout.JAVA_BYTE, 0, size);
            }
            boolean noFollow = function.startsWith("l") && !function.startsWith("listx");
            long r = switch (noFollow ? function.substring(1) : function) {
                case "getxattr" -> NativeWords.call(h, state, p, n, buf.address(), size);
                case "listxattr" -> NativeWords.call(h, state, p, buf.address(), size, 0L);
                case "setxattr" -> NativeWords.call(h, state, p, n, buf.address(), size, flags, 0L);
                default -> NativeWords.call(h, state, p, n, 0L, 0L);
            };
            if (r < 0) {
                throw new HostError((int) ERRNO.get(state, 0L));
            }
            if (value != null && size > 0 && !function.contains("set") && r > 0) {
                MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, value, 0, (int) Math.min(r, size));
            }
            return r;
        } catch (HostError e) {
            throw e;
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /** Calls errno-capturing {@code h} with a path and two words; throws the host's errno on failure. */
    private static void pathCall(MethodHandle h, String path, long a, long b) throws HostError {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int r = (int) NativeWords.call(h, state, arena.allocateFrom(path).address(), a, b, 0L);
            if (r != 0) {
                throw new HostError((int) ERRNO.get(state, 0L));
            }
        } catch (HostError e) {
            throw e;
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    private static final int O_RDONLY = 0;

    /** A read-only descriptor of host file {@code path} (following symlinks), or -errno when the host refuses. */
    public static int openReadOnly(String path) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int r = (int) (long) Open.H.invokeExact(state, arena.allocateFrom(path).address(),
                    (long) (O_RDONLY | O_CLOEXEC), 0L);
            return r >= 0 ? r : -(int) ERRNO.get(state, 0L);
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /**
     * A new read-only descriptor of the file O_PATH descriptor {@code pathFd} names, opened
     * through /proc/self/fd (which reaches the file even after it was unlinked or renamed), or
     * -errno when the host refuses.
     */
    public static int reopenReadOnly(int pathFd) {
        return openReadOnly("/proc/self/fd/" + pathFd);
    }

    /** close(2) of a descriptor Phoenix opened itself. */
    public static void close(int fd) {
        try {
            long ignored = NativeWords.call(Close.H, fd);
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /** This process's host pid. */
    public static long getpid() {
        try {
            return (int) NativeWords.call(Getpid.H, 0L);
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /**
     * Sets the calling thread's timer slack (prctl PR_SET_TIMERSLACK) to {@code nanos}: how late
     * the host may end its timed sleeps to batch wake-ups, 50 µs by default for a normal thread
     * (0 for a real-time one). Phoenix's timer thread delivers the guest's timers, so its slack
     * is the guest's. False when the host refuses.
     */
    public static boolean setTimerSlack(long nanos) {
        try {
            return (int) NativeWords.call(Prctl.H, 29 /* PR_SET_TIMERSLACK */, nanos, 0, 0, 0) == 0;
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /** The calling thread's host thread id (gettid(2)). */
    public static int gettid() {
        try {
            return (int) NativeWords.call(Gettid.H, 0L);
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /**
     * The CPU time the host has given thread {@code tid} of this process (0: the calling thread),
     * in ns: clock_gettime(2) on its thread CPU clock (Linux's MAKE_THREAD_CPUCLOCK(tid,
     * CPUCLOCK_SCHED)); 0 when it has no such thread any more.
     */
    public static long threadCpuNanos(int tid) {
        long clock = tid == 0 ? 3 /* CLOCK_THREAD_CPUTIME_ID */ : ((long) ~tid << 3) | 6;
        MemorySegment ts = ClockGettime.TIMESPEC.get();
        try {
            if ((int) NativeWords.call(ClockGettime.H, (int) clock, ts.address()) != 0) {
                return 0;
            }
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
        return ts.get(ValueLayout.JAVA_LONG, 0) * 1_000_000_000L + ts.get(ValueLayout.JAVA_LONG, 8);
    }

    /** True when host file descriptor {@code fd} is a terminal. */
    public static boolean isatty(int fd) {
        try {
            return (int) NativeWords.call(Isatty.H, fd) == 1;
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /**
     * Performs ioctl {@code request} on host fd {@code fd} with an integer argument passed by
     * value (TCFLSH, TCSBRK, TCXONC). Returns the result or -errno.
     */
    public static int ioctlValue(int fd, long request, long value) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int r = (int) (long) Ioctl.H.invokeExact(state, (long) fd, request, value);
            return r < 0 ? -(int) ERRNO.get(state, 0L) : r;
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /**
     * Performs ioctl {@code request} on host fd {@code fd} with a buffer argument of
     * {@code arg.length} bytes, copied in and back out. Returns the result or -errno.
     */
    public static int ioctl(int fd, long request, byte[] arg) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(arg.length, 1));
            MemorySegment.copy(arg, 0, buf, ValueLayout.JAVA_BYTE, 0, arg.length);
            MemorySegment state = arena.allocate(CAPTURE);
            int r = (int) (long) Ioctl.H.invokeExact(state, (long) fd, request, buf.address());
            if (r < 0) {
                return -(int) ERRNO.get(state, 0L);
            }
            MemorySegment.copy(buf, ValueLayout.JAVA_BYTE, 0, arg, 0, arg.length);
            return r;
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }
}
