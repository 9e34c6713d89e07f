package dev.phoenix.emu.host;

import dev.phoenix.emu.Unchecked;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
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

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;

    // Each libc function is bound on first use, in a holder class of its own: a binding costs
    // milliseconds of start-up, and a run needs only a few of them.

    /** mmap(2). */
    private static final class Mmap {
        static final MethodHandle H = handle("mmap", FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                ValueLayout.JAVA_LONG));
    }

    /** munmap(2). */
    private static final class Munmap {
        static final MethodHandle H = handle("munmap", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    }

    /** isatty(2). */
    private static final class Isatty {
        static final MethodHandle H = handle("isatty", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT));
    }

    /** ioctl(2). */
    private static final class Ioctl {
        static final MethodHandle H = handle("ioctl",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                ValueLayout.ADDRESS), Linker.Option.firstVariadicArg(2), CAPTURE_ERRNO);
    }

    /** fstatat(2). */
    private static final class Fstatat {
        static final MethodHandle H = handle("fstatat",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.ADDRESS, ValueLayout.JAVA_INT), CAPTURE_ERRNO);
    }

    /** read(2). */
    private static final class Read {
        static final MethodHandle H = handle("read",
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG), CAPTURE_ERRNO);
    }

    /** write(2). */
    private static final class Write {
        static final MethodHandle H = handle("write",
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG), CAPTURE_ERRNO);
    }

    /** lseek(2). */
    private static final class Lseek {
        static final MethodHandle H = handle("lseek",
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT), CAPTURE_ERRNO);
    }

    /** fsync(2). */
    private static final class Fsync {
        static final MethodHandle H = handle("fsync",
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT), CAPTURE_ERRNO);
    }
    /** sizeof(struct stat) on the x86_64 host. */
    private static final int HOST_STAT_SIZE = 144;

    private static final int PROT_READ_WRITE = 3;
    private static final int MAP_PRIVATE_ANONYMOUS_NORESERVE = 0x02 | 0x20 | 0x4000;
    private static final long PAGE = 4096;

    private static MethodHandle handle(String name, FunctionDescriptor fd, Linker.Option... options) {
        return LINKER.downcallHandle(LINKER.defaultLookup().findOrThrow(name), fd, options);
    }

    /**
     * Allocates {@code length} bytes (rounded up to pages) of zeroed, page-aligned host memory
     * with mmap, so untouched pages cost nothing. Throws OutOfMemoryError when the host refuses.
     */
    public static MemorySegment allocatePages(long length) {
        long len = (length + PAGE - 1) & -PAGE;
        try {
            MemorySegment p = (MemorySegment) Mmap.H.invokeExact(MemorySegment.NULL, len, PROT_READ_WRITE,
                    MAP_PRIVATE_ANONYMOUS_NORESERVE, -1, 0L);
            if (p.address() == -1L) {
                throw new OutOfMemoryError("host mmap of " + len + " bytes failed");
            }
            return p.reinterpret(len);
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /** Returns memory from {@link #allocatePages} to the host. */
    public static void freePages(MemorySegment pages) {
        try {
            int r = (int) Munmap.H.invokeExact(pages, pages.byteSize());
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
            int r = (int) Fstatat.H.invokeExact(state, dirfd, arena.allocateFrom(path), buf, flags);
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
            long n = (long) Read.H.invokeExact(state, fd, b, (long) length);
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
            long n = (long) Write.H.invokeExact(state, fd, b, (long) length);
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
            long r = (long) Lseek.H.invokeExact(state, fd, offset, whence);
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
            if ((int) Fsync.H.invokeExact(state, fd) != 0) {
                throw new HostError((int) ERRNO.get(state, 0L));
            }
        } catch (HostError e) {
            throw e;
        } catch (Throwable t) {
            throw Unchecked.of(t);
        }
    }

    /** True when host file descriptor {@code fd} is a terminal. */
    public static boolean isatty(int fd) {
        try {
            return (int) Isatty.H.invokeExact(fd) == 1;
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
            int r = (int) Ioctl.H.invokeExact(state, fd, request, buf);
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
