/*
 * Resource limits are enforced (getrlimit(2)): RLIMIT_NOFILE on every call that makes a
 * descriptor, RLIMIT_FSIZE on writes and growth of regular files (SIGXFSZ, then EFBIG),
 * RLIMIT_AS and RLIMIT_DATA on mmap, mremap and brk (ENOMEM), and RLIMIT_STACK on the stack.
 * With argument "xfsz" the program writes past RLIMIT_FSIZE with SIGXFSZ's default action.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

static void result(const char *what, long r) {
    if (r == -1) {
        const char *e = errno == EMFILE ? "EMFILE" : errno == EBADF ? "EBADF" : errno == EINVAL ? "EINVAL"
                        : errno == EFBIG ? "EFBIG" : errno == ENOMEM ? "ENOMEM" : errno == EPERM ? "EPERM"
                        : strerror(errno);
        printf("%s = -1 %s\n", what, e);
    } else {
        printf("%s = %ld\n", what, r);
    }
}

static volatile int xfsz;
static volatile int xfsz_code;

static void on_xfsz(int sig, siginfo_t *si, void *ctx) {
    (void) sig;
    (void) ctx;
    xfsz++;
    xfsz_code = si->si_code;
}

static long status_kb(const char *key) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    long v = -1;
    while (f && fgets(line, sizeof line, f)) {
        if (!strncmp(line, key, strlen(key))) {
            v = atol(line + strlen(key));
        }
    }
    if (f) fclose(f);
    return v;
}

static void nofile(void) {
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    struct rlimit ten = {10, rl.rlim_max};
    result("setrlimit(NOFILE, 10)", setrlimit(RLIMIT_NOFILE, &ten));
    int opened = 0;
    int last = 0;
    while ((last = open("/dev/null", O_RDONLY)) >= 0) {
        opened++;
    }
    printf("opened until the limit: %d more, then %s\n", opened, errno == EMFILE ? "EMFILE" : strerror(errno));
    result("open(nonexistent) when full", open("/nonexistent/file", O_RDONLY));
    int p[2];
    result("pipe when full", pipe(p));
    result("dup when full", dup(0));
    close(9);
    result("dup into the last free fd", dup(0));
    result("dup2(0, 10)", dup2(0, 10));
    result("dup3(0, 12, 0)", dup3(0, 12, 0));
    result("fcntl(F_DUPFD, 10)", fcntl(0, F_DUPFD, 10));
    result("fcntl(F_DUPFD, -1)", syscall(SYS_fcntl, 0, F_DUPFD, -1L));
    close(9);
    result("fcntl(F_DUPFD, 5)", fcntl(0, F_DUPFD, 5));
    for (int fd = 3; fd < 10; fd++) close(fd);
    struct rlimit huge = {16, 1048577};
    result("setrlimit(NOFILE, hard past nr_open)", setrlimit(RLIMIT_NOFILE, &huge));
    result("setrlimit(NOFILE, back)", setrlimit(RLIMIT_NOFILE, &rl));
}

static void fsize(void) {
    char path[] = "/tmp/phoenix-rlimits-XXXXXX";
    int fd = mkstemp(path);
    struct sigaction sa = {0};
    sa.sa_sigaction = on_xfsz;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGXFSZ, &sa, NULL);
    struct rlimit hundred = {100, RLIM_INFINITY};
    result("setrlimit(FSIZE, 100)", setrlimit(RLIMIT_FSIZE, &hundred));
    char buf[150];
    memset(buf, 'x', sizeof buf);
    result("write 150 bytes", write(fd, buf, 150));
    printf("SIGXFSZ so far: %d\n", xfsz);
    result("write at the limit", write(fd, buf, 10));
    printf("SIGXFSZ so far: %d, si_code SI_USER: %d\n", xfsz, xfsz_code == SI_USER);
    result("write of 0 bytes at the limit", write(fd, buf, 0));
    result("pwrite 20 at 90", pwrite(fd, buf, 20, 90));
    result("pwrite at 100", pwrite(fd, buf, 1, 100));
    struct iovec iov[2] = {{buf, 60}, {buf, 60}};
    result("pwritev 120 at 0", pwritev(fd, iov, 2, 0));
    lseek(fd, 50, SEEK_SET);
    result("writev 120 at 50", writev(fd, iov, 2));
    result("ftruncate(200)", ftruncate(fd, 200));
    result("ftruncate(40)", ftruncate(fd, 40));
    result("ftruncate(100)", ftruncate(fd, 100));
    result("fallocate(0, 150)", fallocate(fd, 0, 0, 150));
    printf("SIGXFSZ in all: %d\n", xfsz);
    signal(SIGXFSZ, SIG_IGN);
    result("write at the limit, SIGXFSZ ignored", pwrite(fd, buf, 5, 100));
    int out[2];
    pipe(out);
    result("write 150 to a pipe", write(out[1], buf, 150));
    close(out[0]);
    close(out[1]);
    struct rlimit inf = {RLIM_INFINITY, RLIM_INFINITY};
    setrlimit(RLIMIT_FSIZE, &inf);
    close(fd);
    unlink(path);
}

static void memory(void) {
    long vm = status_kb("VmSize:");
    long data = status_kb("VmData:");
    printf("VmSize and VmData known: %d\n", vm > 0 && data > 0);
    struct rlimit as = {(vm + 4096) * 1024, RLIM_INFINITY};
    result("setrlimit(AS, VmSize + 4 MiB)", setrlimit(RLIMIT_AS, &as));
    void *small = mmap(NULL, 2 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap 2 MiB = %s\n", small == MAP_FAILED ? strerror(errno) : "ok");
    void *big = mmap(NULL, 8 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap 8 MiB = %s\n", big == MAP_FAILED ? (errno == ENOMEM ? "ENOMEM" : strerror(errno)) : "ok");
    void *grown = mremap(small, 2 << 20, 16 << 20, MREMAP_MAYMOVE);
    printf("mremap to 16 MiB = %s\n", grown == MAP_FAILED ? (errno == ENOMEM ? "ENOMEM" : strerror(errno)) : "ok");
    void *fixed = mmap(small, 2 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    printf("MAP_FIXED over its own 2 MiB = %s\n", fixed == MAP_FAILED ? strerror(errno) : "ok");
    munmap(small, 2 << 20);
    struct rlimit inf = {RLIM_INFINITY, RLIM_INFINITY};
    setrlimit(RLIMIT_AS, &inf);

    data = status_kb("VmData:");
    struct rlimit dl = {(data + 1024) * 1024, RLIM_INFINITY};
    result("setrlimit(DATA, VmData + 1 MiB)", setrlimit(RLIMIT_DATA, &dl));
    void *rw = mmap(NULL, 2 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap 2 MiB private writable = %s\n", rw == MAP_FAILED ? (errno == ENOMEM ? "ENOMEM" : strerror(errno)) : "ok");
    void *ro = mmap(NULL, 2 << 20, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap 2 MiB read-only = %s\n", ro == MAP_FAILED ? strerror(errno) : "ok");
    void *sh = mmap(NULL, 2 << 20, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    printf("mmap 2 MiB shared writable = %s\n", sh == MAP_FAILED ? strerror(errno) : "ok");
    void *rw2 = mmap(NULL, 256 << 10, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    printf("mmap 256 KiB private writable = %s\n", rw2 == MAP_FAILED ? strerror(errno) : "ok");
    /* The raw brk(2): musl's sbrk only reports the break. */
    long brk0 = syscall(SYS_brk, 0);
    long brk1 = syscall(SYS_brk, brk0 + (4 << 20));
    printf("brk +4 MiB refused = %d\n", brk1 == brk0);
    setrlimit(RLIMIT_DATA, &inf);
    brk1 = syscall(SYS_brk, brk0 + (4 << 20));
    printf("brk +4 MiB without the limit = %d\n", brk1 == brk0 + (4 << 20));
}

/* Recurses through `depth` frames of 1 MiB each: the stack must grow that far. */
static int deep(int depth) {
    volatile char frame[1 << 20];
    frame[0] = (char) depth;
    frame[sizeof frame - 1] = 1;
    return depth == 0 ? frame[0] : deep(depth - 1) + frame[sizeof frame - 1];
}

int main(int argc, char **argv) {
    if (argc > 2 && !strcmp(argv[1], "stack")) {
        /* Grows the stack by N MiB: needs RLIMIT_STACK and the room Linux keeps below the stack. */
        int n = atoi(argv[2]);
        printf("stack of %d MiB: %d\n", n, deep(n));
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "xfsz")) {
        struct rlimit ten = {10, RLIM_INFINITY};
        setrlimit(RLIMIT_FSIZE, &ten);
        char path[] = "/tmp/phoenix-rlimits-XXXXXX";
        int fd = mkstemp(path);
        unlink(path);
        write(fd, "0123456789", 10);
        write(fd, "x", 1);
        printf("not reached\n");
        return 0;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    nofile();
    fsize();
    memory();
    return 0;
}
