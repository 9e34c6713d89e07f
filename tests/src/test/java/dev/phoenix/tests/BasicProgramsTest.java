package dev.phoenix.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Hello world, argv/envp echo and exit codes on every target, with exact output. On x86_64 each
 * program also runs natively and Phoenix's output must match it byte for byte.
 */
class BasicProgramsTest {
    private static final List<String> ENV = List.of("PHOENIX_TEST=1", "LANG=C", "EMPTY=");

    @ParameterizedTest
    @EnumSource(Target.class)
    void helloWorld(Target t) throws Exception {
        Path hello = Guests.binary(t, "hello");
        Result r = Guests.phoenix(Guests.runArgs(hello, List.of()));
        assertEquals(new Result(0, "hello, world\n", ""), r);
        Guests.assertSameAsNative(t, hello, r, List.of());
    }

    /** The benchmark kernel computes the right digest (Python's hashlib gives the same for this stream). */
    @ParameterizedTest
    @EnumSource(Target.class)
    void sha256OfTheBenchmarkStream(Target t) throws Exception {
        Path sha = Guests.binary(t, "sha256");
        Result r = Guests.phoenix(Guests.runArgs(sha, List.of(), "1"));
        assertEquals(new Result(0, "sha256(1 MiB): b7f7ba5ce5463b3c84a283f779d7a652cbf99122de5923ba51627607ff1497d5\n", ""), r);
        Guests.assertSameAsNative(t, sha, r, List.of(), "1");
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void argvAndEnvpReachTheGuest(Target t) throws Exception {
        Path args = Guests.binary(t, "args");
        String[] argv = {"one", "two words", "", "ünïcödé", "--not-an-option"};
        Result r = Guests.phoenix(Guests.runArgs(args, ENV, argv));
        String expected = "argc=6\n" + "argv[0]=" + args + "\n" + "argv[1]=one\n" + "argv[2]=two words\n"
                + "argv[3]=\n" + "argv[4]=ünïcödé\n" + "argv[5]=--not-an-option\n"
                + "envp[0]=PHOENIX_TEST=1\n" + "envp[1]=LANG=C\n" + "envp[2]=EMPTY=\n";
        assertEquals(new Result(0, expected, ""), r);
        Guests.assertSameAsNative(t, args, r, ENV, argv);
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void exitCodesPassThrough(Target t) throws Exception {
        Path exit = Guests.binary(t, "exitcode");
        for (String code : List.of("0", "1", "7", "42", "255")) {
            Result r = Guests.phoenix(Guests.runArgs(exit, List.of(), code));
            assertEquals(new Result(Integer.parseInt(code), "", ""), r, "exit code " + code);
        }
        assertEquals(42, Guests.phoenix(Guests.runArgs(exit, List.of())).exit(), "default exit code");
        // exit(256) is exit status 0: only the low 8 bits survive, as on Linux.
        assertEquals(0, Guests.phoenix(Guests.runArgs(exit, List.of(), "256")).exit());
        Guests.assertSameAsNative(t, exit, Guests.phoenix(Guests.runArgs(exit, List.of(), "7")), List.of(), "7");
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void argv0CanBeReplaced(Target t) {
        Path args = Guests.binary(t, "args");
        Result r = Guests.phoenix("run", "-i", "-0", "custom-name", args.toString());
        assertEquals(new Result(0, "argc=1\nargv[0]=custom-name\n", ""), r);
    }

    @ParameterizedTest
    @EnumSource(value = Target.class, names = {"X86_64_GLIBC", "AARCH64"})
    void staticPieRuns(Target t) throws Exception {
        Path pie = Guests.binary(t, "hello-pie");
        Result r = Guests.phoenix(Guests.runArgs(pie, List.of()));
        assertEquals(new Result(0, "hello, world\n", ""), r);
        Guests.assertSameAsNative(t, pie, r, List.of());
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void auxiliaryVectorIsWhatLinuxGives(Target t) throws Exception {
        String expected = "AT_PAGESZ=4096\nAT_PHENT=56\nAT_PHNUM>0=1\nAT_PHDR_is_elf_phdrs=1\nAT_ENTRY_is__start=1\n"
                + "AT_EXECFN_is_argv0=1\nAT_PLATFORM_set=1\nAT_SECURE=0\nAT_UID_is_getuid=1\nAT_GID_is_getgid=1\n"
                + "AT_CLKTCK=100\nAT_RANDOM_nonzero=1\nAT_HWCAP_nonzero=1\nstack_aligned=1\n";
        runsAsExpectedAndAsNative(t, "auxv", expected);
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void timeLimitsAndCpuSyscalls(Target t) throws Exception {
        String expected = "nanosleep 20 ms = 0\nslept at least 20 ms = 1\nnanosleep(nsec=1e9) = -1 EINVAL\n"
                + "clock_nanosleep abstime in the past = 0\nclock_nanosleep(THREAD_CPUTIME) = 22\n"
                + "clock_getres(MONOTONIC) = 0\nresolution at most 1 ms = 1\nclock_gettime(99) = -1 EINVAL\n"
                + "realtime after 2020 = 1\ntimes > 0 = 1\ngetrusage(SELF) = 0\ngetrusage(42) = -1 EINVAL\n"
                + "getrusage(CHILDREN) = 0\nno children: no time = 1\n"
                + "process CPU time > 0 = 1\nclock_getcpuclockid(getpid()) = 0\nits id is negative = 1\n"
                + "its CPU time > 0 = 1\nclock_getcpuclockid(0) = 0\nclock_getcpuclockid(no such pid) = "
                // the kernel says EINVAL; glibc turns it into ESRCH, musl passes it on
                + (t == Target.X86_64_MUSL ? 22 : 3) + "\n"
                + "pthread_getcpuclockid(self) = 0\nthread CPU time > 0 = 1\nclock_getres(thread clock) = 0\n"
                + "clock_gettime(PROF, pid 0) = 0\nclock_gettime(kind 3) = -1 EINVAL\n"
                + "clock_gettime(thread of tid 0x0fffffff) = -1 EINVAL\ngetrlimit(NOFILE) = 0\nsoft <= hard = 1\nsetrlimit(NOFILE, 64) = 0\n"
                + "NOFILE soft now = 64\nMSGQUEUE = 819200 819200\nNICE = 0 0\nRTPRIO = 0 0\n"
                + "setrlimit(soft > hard) = -1 EINVAL\nsched_getaffinity = 0\n"
                + "CPUs in the mask = " + Runtime.getRuntime().availableProcessors() + "\nsched_yield = 0\n"
                + "getcpu = 0\ncpu and node filled = 1\n";
        runsAsExpectedAndAsNative(t, "timeid", expected);
    }

    /**
     * A new image starts with Linux's FP controls (x87 0x37F, MXCSR 0x1F80; FPCR and fcsr 0):
     * doubles and long doubles print at full precision, flags start clear, and arithmetic raises
     * them (on x86_64 through MxcsrFlags: Unicorn 2.1.1 does not put SSE's into MXCSR).
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void floatingPointEnvironmentAtStart(Target t) throws Exception {
        boolean x86 = t.isHostArch();
        String expected = (x86 ? "fpu control = 0x37f\nfpu status = 0x1f80\n" : "fpu control = 0x0\nfpu status = 0x0\n")
                + "rounding to nearest = 1\nno flags raised at start = 1\npi %f = 3.141593\n"
                + "pi %.17g = 3.1415926535897931\n1/3 %.17g = 0.33333333333333331\n"
                + (x86 ? "long double 1/3 %.21Lg = 0.333333333333333333342\nlong double mantissa digits = 64\n"
                        : "long double 1/3 %.21Lg = 0.333333333333333333333\nlong double mantissa digits = 113\n")
                + "long double 1/0 = inf, FE_DIVBYZERO raised = 1\ncleared = 1\n"
                + "double 1/0 = inf, FE_DIVBYZERO raised = 1\n1/3 raises FE_INEXACT = 1, not FE_DIVBYZERO = 1\n"
                + "0/0 raises FE_INVALID = 1\nupward 1/3 = 0.33333333333333338\n";
        runsAsExpectedAndAsNative(t, "fpenv", expected);
    }

    /**
     * Credentials under Linux's rules: set*id, setgroups, capset and the capability prctls, from
     * the host's own credentials. The program's output is the same on every arch, so each
     * target is compared with the host kernel's answer: the x86_64 glibc build run natively.
     */
    @ParameterizedTest
    @EnumSource(Target.class)
    void credentialsFollowLinuxRules(Target t) throws Exception {
        Result r = Guests.phoenix(Guests.runArgs(Guests.binary(t, "creds"), List.of()));
        Path reference = Guests.binary(Target.X86_64_GLIBC, "creds");
        assertEquals(Guests.host(List.of(reference.toString()), List.of()), r);
    }

    /** The arguments at the edges where the syscall fuzzer found handlers that threw, against native. */
    @ParameterizedTest
    @EnumSource(Target.class)
    void argumentsAtTheEdgesGetLinuxsAnswers(Target t) throws Exception {
        String expected = "mprotect over an unmapped page = -1 ENOMEM\nmprotect wrapping = -1 ENOMEM\n"
                + "munmap wrapping = -1 EINVAL\nmunmap past the address space = -1 EINVAL\nmadvise wrapping = -1 EINVAL\n"
                + "madvise length 0 = 0\nmincore huge = -1 ENOMEM\nmincore one page = 0\nmsync wrapping = -1 ENOMEM\n"
                + "mremap wrapping new length = -1 EINVAL\nmremap shrink to itself = 1\nmmap length -1 = -1 ENOMEM\n"
                + "mmap fixed past the end = -1 ENOMEM\nrt_sigpending size -1 = -1 EINVAL\nrt_sigpending size 4 = 0\n"
                + "getrandom of a huge length into one page = -1 EFAULT\nreadlink bufsiz 16 with a high half = 11\n"
                + "readlink bufsiz with only a high half = -1 EINVAL\nutimensat beyond any calendar = 0\n"
                + "utimensat nsec 1e9 = -1 EINVAL\nutimensat no path, AT_FDCWD = -1 EFAULT\n";
        runsAsExpectedAndAsNative(t, "hostile", expected);
    }

    /** fstat and ftruncate of a file whose name was unlinked or renamed, and of tmpfile(3)'s, against native. */
    @ParameterizedTest
    @EnumSource(Target.class)
    void openFilesOutliveTheirNames(Target t) throws Exception {
        runsAsExpectedAndAsNative(t, "unlinked", "fstat after unlink = 0, size 5, links 0\n"
                + "ftruncate after unlink = 0, size 100\nfstat after rename = 0, size 3\ntmpfile fstat = 0, size 4\n");
    }

    /** Runs guest {@code name} under Phoenix: exit 0, {@code expected} on stdout, nothing on stderr, and natively the same. */
    private static void runsAsExpectedAndAsNative(Target t, String name, String expected) throws Exception {
        Path program = Guests.binary(t, name);
        Result r = Guests.phoenix(Guests.runArgs(program, List.of()));
        assertEquals(new Result(0, expected, ""), r);
        Guests.assertSameAsNative(t, program, r, List.of());
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void schedulingAndIoPriorities(Target t) throws Exception {
        String expected = "getpriority ok = 1\nsame by pid = 1\nsetpriority +3 = 0\nnow 3 nicer = 3\n"
                + "setpriority 100 clamps = 0\nnice is 19 = 19\nno such pid = -1 ESRCH\n"
                + "getpriority no such pid = -1 ESRCH\nbad which = -1 EINVAL\nioprio_get = 0\n"
                + "ioprio_set best-effort 3 = 0\nioprio_get again = 16387\nioprio_set class 5 = -1 EINVAL\n"
                + "ioprio_get bad which = -1 EINVAL\n";
        runsAsExpectedAndAsNative(t, "priority", expected);
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void selectAndPselectOnPipes(Target t) throws Exception {
        String expected = "empty pipe: write end only = 1\nread end set 0, write end set 1\n"
                + "after a write: read end = 1\nread end set 1, time left is most of 5 s 1\n"
                + "20 ms on an empty pipe = 0\nset cleared 1, time left "
                // The kernel writes the time left back; musl passes it a copy of the timeval.
                + (t == Target.X86_64_MUSL ? "0.020000" : "0.000000") + "\nclosed fd in a set = -1 EBADF\n"
                + "negative nfds = -1 EINVAL\nnegative timeout = -1 EINVAL\npselect 10 ms with a mask = 0\n"
                + "pselect write end = 1\nselect until a signal = -1 EINTR\n";
        runsAsExpectedAndAsNative(t, "select", expected);
    }

    /** pipe_poll in Linux's fs/pipe.c: POLLHUP without writers, POLLERR without readers, page-sized room. */
    @ParameterizedTest
    @EnumSource(Target.class)
    void pipeReadinessOnceAnEndIsClosed(Target t) throws Exception {
        String expected = """
                both ends open, empty: read end POLLIN: poll = 0 0
                read end asked POLLIN|POLLOUT: poll = 0 0
                write end POLLOUT: poll = 1 POLLOUT
                write end asked POLLIN: poll = 0 0
                read end: select = 0 read 0 write 0 except 0
                write end: select = 1 read 0 write 1 except 0
                two bytes waiting: read end POLLIN|POLLRDNORM: poll = 1 POLLIN|POLLRDNORM
                writer closed, bytes waiting: read end POLLIN: poll = 1 POLLIN|POLLHUP
                read end asked nothing: poll = 1 POLLHUP
                read end: select = 1 read 1 write 0 except 0
                read = 2
                writer closed, drained: read end POLLIN: poll = 1 POLLHUP
                read end asked nothing: poll = 1 POLLHUP
                read end: select = 1 read 1 write 0 except 0
                poll without timeout returns at once = 1 POLLHUP
                read at end of file = 0
                reader closed: write end POLLOUT: poll = 1 POLLOUT|POLLERR
                write end asked nothing: poll = 1 POLLERR
                write end asked POLLIN: poll = 1 POLLERR
                write end: select = 2 read 1 write 1 except 0
                write = -1 EPIPE
                filled with 65536 bytes, then EAGAIN
                full: write end POLLOUT: poll = 0 0
                full: write end: select = 0 read 0 write 0 except 0
                full: read end POLLIN: poll = 1 POLLIN
                read = 1
                one byte read: write end POLLOUT: poll = 0 0
                read = 4095
                a page read: write end POLLOUT: poll = 1 POLLOUT
                full, reader closed: write end POLLOUT: poll = 1 POLLERR
                full, reader closed: write end: select = 2 read 1 write 1 except 0
                closed fd: poll = 1 POLLNVAL
                """;
        runsAsExpectedAndAsNative(t, "pipepoll", expected);
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void futexInAProcessOfOneThread(Target t) throws Exception {
        String expected = "pthread_once ran the init 1 time(s)\nmutex lock = 0\n"
                + "cond_timedwait = ETIMEDOUT, waited at least 20 ms = 1\nmutex unlock = 0\n"
                + "sem_timedwait on 0 = -1 ETIMEDOUT\nFUTEX_WAKE = 0\nFUTEX_WAKE shared = 0\n"
                + "FUTEX_WAIT value differs = -1 EAGAIN\nFUTEX_WAIT 10 ms = -1 ETIMEDOUT\nwaited at least 10 ms = 1\n"
                + "FUTEX_WAIT_BITSET absolute = -1 ETIMEDOUT\nFUTEX_WAIT_BITSET bitset 0 = -1 EINVAL\n"
                + "FUTEX_WAIT bad timeout = -1 EINVAL\nFUTEX_WAKE_OP = 0\nword after FUTEX_OP_ADD 3 = 8\n"
                + "FUTEX_WAKE_OP shifted OR = 0\nword after FUTEX_OP_OR 1<<4 = 24\n"
                + "FUTEX_CMP_REQUEUE mismatch = -1 EAGAIN\nFUTEX_CMP_REQUEUE match = 0\n"
                + "FUTEX_REQUEUE negative count = -1 EINVAL\nunaligned word = -1 EINVAL\n"
                + "unknown operation = -1 ENOSYS\nFUTEX_WAKE with CLOCK_REALTIME = -1 ENOSYS\n"
                + "FUTEX_WAIT unmapped = -1 EFAULT\nFUTEX_WAIT until a signal = -1 EINTR\n";
        runsAsExpectedAndAsNative(t, "futex", expected);
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void processGroupsSessionsAndDescriptorsThatAreNotSockets(Target t) throws Exception {
        String expected = "getpgrp() == getpgid(0) = 1\ngetpgid(getpid()) == getpgrp() = 1\n"
                + "getsid(0) == getsid(getpid()) = 1\nleads its group at start = 0\ngetpgid(no such pid) = -1 ESRCH\n"
                + "getsid(no such pid) = -1 ESRCH\nsetpgid(0, -1) = -1 EINVAL\nsetpgid(no such pid, 0) = -1 ESRCH\n"
                + "setsid() == getpid() = 1\nnow leads its session = 1\nand its group = 1\nsetsid() again = -1 EPERM\n"
                + "setpgid(0, 0) as session leader = -1 EPERM\ngetpeername(stdout) = -1 ENOTSOCK\n"
                + "getsockname(stdout) = -1 ENOTSOCK\ngetpeername(bad fd) = -1 EBADF\n";
        runsAsExpectedAndAsNative(t, "session", expected);
    }

    @ParameterizedTest
    @EnumSource(Target.class)
    void devicesInDev(Target t) throws Exception {
        Path devices = Guests.binary(t, "devices");
        Result r = Guests.phoenix(Guests.runArgs(devices, List.of()));
        // Lines compared as a set: where the direct writes land among printf's buffered output
        // depends on the libc (the native comparison checks the order).
        String expected = "via /dev/stdout\nvia /dev/fd/1\nopen /dev/null = 0\nwrite /dev/null = 9\nread /dev/null = 0\nread /dev/zero = 32\n"
                + "all zero = 1\nwrite /dev/full = -1 ENOSPC\nread /dev/urandom = 16\nrandom bytes not all zero = 1\n"
                + "stat /dev/null = 0\nchar device 1, major 1, minor 3, mode 666\nurandom major 1 minor 9\n"
                + "stat /dev/nope = -1 ENOENT\nopen /dev/nope = -1 ENOENT\nopen /dev/null O_DIRECTORY = -1 ENOTDIR\n"
                + "open /dev for writing = -1 EISDIR\nwrite via /dev/stdout = 16\n"
                + "write via /dev/fd/1 = 14\nopen /dev/fd/77 = -1 ENOENT\naccess /dev/null R_OK|W_OK = 0\n";
        assertEquals(new Result(0, sortedLines(expected), ""), new Result(r.exit(), sortedLines(r.out()), r.err()));
        Guests.assertSameAsNative(t, devices, r, List.of());
    }

    /** /dev/stdin, stdout, stderr and fd are links into /proc/self/fd that reach pipes; /dev/pts and /dev/ptmx exist. */
    @ParameterizedTest
    @EnumSource(Target.class)
    void devLinksIntoProcSelfFdAndPseudoTerminals(Target t) throws Exception {
        String expected = """
                /dev/stdin -> /proc/self/fd/0, lstat 0: symlink 1, size 15
                /dev/stdout -> /proc/self/fd/1, lstat 0: symlink 1, size 15
                /dev/stderr -> /proc/self/fd/2, lstat 0: symlink 1, size 15
                /dev/fd -> /proc/self/fd, lstat 0: symlink 1, size 13
                stat /dev/stdout is fstat(1) 1
                a pipe 1
                open /dev/stdout ok
                open /proc/self/fd/1 ok
                read /dev/stdin = 0
                open /dev/stdout O_NOFOLLOW = -1 ELOOP
                open /dev/stdout O_DIRECTORY = -1 ENOTDIR
                stat /dev/stdout/x = -1 ENOTDIR
                stat /dev/fd/99 = -1 ENOENT
                /dev/fd/ lists 0 1, 1 1, 2 1, and the listing's own fd 1
                stat /dev/pts = 0, directory 1
                stat /dev/ptmx = 0, char 1, 5:2, mode 666
                lstat /dev/pts/ptmx = 0, char 1, 5:2
                ttyname(0) NULL ENOTTY
                """;
        runsAsExpectedAndAsNative(t, "devlinks", expected);
    }

    private static String sortedLines(String s) {
        return String.join("\n", s.lines().sorted().toList());
    }
}
