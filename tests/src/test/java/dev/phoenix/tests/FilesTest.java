package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * File syscalls with their errno values on every target, the same as a native x86_64 run of
 * the same program (built with musl for the musl target, glibc for the others: libc wrappers
 * differ, as musl's dup3 does).
 */
class FilesTest {
    @TempDir
    Path tmp;

    private static final String BIG_IO = """
            pwrite 3 MiB at 100: 3145728
            pread 3 MiB at 100: 3145728
            same bytes: yes
            pread from 3 MiB: 100
            pread at -1: -1 EINVAL
            pwrite at -1: -1 EINVAL
            offset untouched: 0
            """;

    /** tests/guest/bigio.c: a regular file's pread64 and pwrite64 move a whole 3 MiB buffer in one call. */
    @ParameterizedTest
    @EnumSource(Target.class)
    void largePreadAndPwriteMoveEverything(Target t) throws Exception {
        Guests.runsAsExpected(t, "bigio", new Result(0, BIG_IO, ""));
    }

    /** Runs guest {@code name} in a fresh directory under Phoenix and natively; both must agree. */
    private Result sameAsNative(Target t, String name) throws Exception {
        Path underPhoenix = Files.createDirectories(tmp.resolve("phoenix/work"));
        Path nativeDir = Files.createDirectories(tmp.resolve("native/work"));
        Result r = Guests.phoenix("run", "-i", Guests.binary(t, name).toString(), underPhoenix.toString());
        Target reference = t == Target.X86_64_MUSL ? Target.X86_64_MUSL : Target.X86_64_GLIBC;
        Result nativeRun = Guests.host(List.of(Guests.binary(reference, name).toString(), nativeDir.toString()),
                List.of());
        assertEquals(0, nativeRun.exit(), nativeRun.err());
        assertEquals(nativeRun, r);
        return r;
    }

    private static void assertLines(String out, String... lines) {
        for (String line : lines) {
            assertEquals(true, out.contains(line + "\n"), "missing '" + line + "' in:\n" + out);
        }
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void fileSyscallsBehaveAsOnLinux(Target t) throws Exception {
        Result r = sameAsNative(t, "files");
        // Spot checks, so the test does not rest on the host alone.
        assertLines(r.out(), "pwrite at 7 = 5", "content: hello, FILES", "open(a.txt, O_CREAT|O_EXCL) = -1 EEXIST",
                "open(a.txt/x) = -1 ENOTDIR", "open(., O_WRONLY) = -1 EISDIR", "lseek bad whence = -1 EINVAL",
                "fstat(bad fd) = -1 EBADF", "getcwd small buffer = -1 ERANGE", "dirent: a.txt", "cwd is parent: 1",
                "open(new, O_CREAT|O_DIRECTORY) = -1 EINVAL", "stat(new) = -1 ENOENT");
        assertEquals("hello, FILES\n", Files.readString(tmp.resolve("phoenix/work/a.txt")));
    }

    /**
     * x86_64's legacy getdents(2) (d_type the last byte of each record) reads what getdents64
     * reads; aarch64 and riscv64 have only getdents64, and the same checks run on it there.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void getdentsRecordsResumeAndErrors(Target t) throws Exception {
        Result r = sameAsNative(t, "getdents");
        assertEquals("""
                first call: 6 entries, bytes returned
                .: DT_DIR reclen 24, NUL-terminated 1, d_ino is lstat's 1
                ..: DT_DIR reclen 24, NUL-terminated 1, d_ino is lstat's 1
                a-name-of-twenty-nine-letters: DT_REG reclen 56, NUL-terminated 1, d_ino is lstat's 1
                file: DT_REG reclen 24, NUL-terminated 1, d_ino is lstat's 1
                link: DT_LNK reclen 24, NUL-terminated 1, d_ino is lstat's 1
                sub: DT_DIR reclen 24, NUL-terminated 1, d_ino is lstat's 1
                second call = 0
                resumed at the second record's d_off: the third comes next 1
                exact fit for the first record = 1
                one byte short = -1 EINVAL
                count 0 = -1 EINVAL
                and the record was kept for the next call = 1
                bad fd = -1 EBADF
                regular file = -1 ENOTDIR
                unmapped buffer = -1 EFAULT
                getdents64 reads the same records 1
                """, r.out());
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void namespaceAndDescriptorSyscallsBehaveAsOnLinux(Target t) throws Exception {
        Result r = sameAsNative(t, "fsops");
        assertLines(r.out(), "mode d = 755", "size = 8192", "rmdir(d) not empty = -1 ENOTEMPTY", "link d d2 = -1 EPERM",
                "nlink = 2", "target = f", "rename e into itself = -1 EINVAL", "renameat2 NOREPLACE = -1 EEXIST",
                "dup3 cloexec = 51", "F_GETFD 51 = 1", "close 50 = -1 EBADF", "got = through the pipe",
                "read at EOF = 0", "pipe(NULL) = -1 EFAULT");
        assertEquals(false, Files.exists(tmp.resolve("phoenix/work/e/s"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertEquals("012", Files.readString(tmp.resolve("phoenix/work/e/f")));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void statxVectoredIoFallocateCopyRangeAndFionread(Target t) throws Exception {
        Result r = sameAsNative(t, "moreio");
        assertLines(r.out(), "read: 'hel' 'lo vectors'",
                "statx agrees with stat: size 1 mode 1 nlink 1 ino 1 blocks 1 mtime 1", "statx bad flags = -1 EINVAL",
                "size after fallocate = 4096", "size after KEEP_SIZE = 4096", "copied 'hello vectors'", "offsets 16 13",
                "available = 5", "left in file = 96");
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void memorySyscallsBehaveAsOnLinux(Target t) throws Exception {
        Result r = sameAsNative(t, "mem");
        assertLines(r.out(), "mprotect unmapped page = -1 ENOMEM", "MAP_FIXED_NOREPLACE over a mapping = -1 EEXIST",
                "MAP_FIXED_NOREPLACE into the hole = 0", "contents kept = 1", "zero after DONTNEED = 1",
                "sees the file = 1", "private write leaves the file alone = 1", "listed in /proc/self/maps = 1",
                "a written page misses a later write to the file = 1", "DONTNEED gives the file's page back = 1",
                "mmap of a write-only fd = -1 EACCES", "mmap of a pipe = -1 ENODEV");
    }

    /**
     * Another guest process may not shrink a file one process maps from the page cache (ETXTBSY):
     * on Linux the mapper would get SIGBUS at its next touch, under Phoenix the host's SIGBUS
     * would end the JVM (tests/guest/truncmapped.c; Phoenix's rule, so no native run).
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void anotherProcessCannotShrinkAMappedFile(Target t) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("truncmapped"));
        assertEquals(new Result(0, """
                mapped: a a
                child truncate to 4096: ETXTBSY
                child ftruncate to 0: ETXTBSY
                child ftruncate to 16384: ok
                child open O_TRUNC: ETXTBSY
                still mapped: a a
                own ftruncate to 8192: ok
                """, ""), Guests.phoenix("run", Guests.binary(t, "truncmapped").toString(), dir.toString()));
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void sharedFileMappingsAreThePageCache(Target t) throws Exception {
        Result r = sameAsNative(t, "shared");
        assertLines(r.out(), "pread sees the store: stored", "mapping sees pwrite: written",
                "maps: rw-s offset 0 pages 3 device same inode same name /shared",
                "file size unchanged by stores past the end = 4196",
                "page past the end: SIGBUS code BUS_ADRERR, si_addr exact",
                "write(2) from the page past the end = -1 EFAULT", "after DONTNEED: stored",
                "after growing the file: ok, reads 0", "store in the grown page reaches the file: G",
                "after shrinking the file: SIGBUS code BUS_ADRERR, si_addr exact",
                "moved mapping sees the file: stored R", "store after the move reaches the file: sT",
                "moved mapping past the end: SIGBUS code BUS_ADRERR, si_addr exact", "mapping outlives its fd: sTC",
                "MAP_SHARED PROT_WRITE of an O_RDONLY fd = -1 EACCES", "mprotect it writable = -1 EACCES",
                "read-only mapping sees a later write: XYZ", "reading it: SIGBUS code BUS_ADRERR, si_addr exact",
                "MAP_SHARED of a /proc file = -1 ENODEV", "/dev/zero mapping: 0 1");
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void statusFlagsRecordLocksAndFlock(Target t) throws Exception {
        Result r = sameAsNative(t, "locks");
        assertLines(r.out(), "appended, not overwritten = 1", "read of an empty nonblocking pipe = -1 EAGAIN",
                "F_GETLK finds no conflict (own lock) = 1", "F_SETLK write lock on read-only fd = -1 EBADF",
                "flock LOCK_SH|LOCK_NB, other description = -1 EAGAIN", "flock LOCK_SH|LOCK_NB now = 0",
                "flock LOCK_EX|LOCK_NB after the other closed = 0",
                "blocking flock, interrupted without SA_RESTART = -1 EINTR",
                "blocking flock, restarted after the holder closed = 0", "handler ran again = 2");
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void badPointersAreEfaultWithoutSideEffects(Target t) throws Exception {
        Result r = sameAsNative(t, "efault");
        assertLines(r.out(), "write(NULL) = -1 EFAULT", "read into NULL = -1 EFAULT", "offset unchanged = 0",
                "writev with a bad second buffer = 2", "writev with a bad iovec array = -1 EFAULT",
                "open(bad path) = -1 EFAULT", "uname(bad) = -1 EFAULT", "clock_gettime into bad = -1 EFAULT");
    }
}
