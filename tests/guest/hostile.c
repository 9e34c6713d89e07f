/*
 * Arguments at the edges, where the syscall fuzzer (SyscallFuzzTest) found handlers that threw:
 * ranges that wrap or pass the end of the address space, "negative" sizes that are huge size_t
 * values, int arguments with garbage in the high half, timestamps beyond any calendar. Each call
 * prints its result and errno, to compare with the host kernel's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

static const char *name(int e) {
    return e == ENOMEM ? "ENOMEM" : e == EINVAL ? "EINVAL" : e == EFAULT ? "EFAULT" : e == EPERM ? "EPERM"
           : e == EEXIST ? "EEXIST" : e == ENOENT ? "ENOENT" : strerror(e);
}

static void result(const char *what, long r) {
    printf("%s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? name(errno) : "");
}

int main(void) {
    long page = 4096;
    char *m = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(m + page, page);
    result("mprotect over an unmapped page", syscall(SYS_mprotect, m, 2 * page, PROT_READ));
    result("mprotect wrapping", syscall(SYS_mprotect, m, -page, PROT_READ));
    result("munmap wrapping", syscall(SYS_munmap, m, -page));
    result("munmap past the address space", syscall(SYS_munmap, 1L << 62, page));
    result("madvise wrapping", syscall(SYS_madvise, m, -page, MADV_DONTNEED));
    result("madvise length 0", syscall(SYS_madvise, m, 0, MADV_DONTNEED));
    unsigned char vec[2];
    result("mincore huge", syscall(SYS_mincore, m, 1L << 62, vec));
    result("mincore one page", syscall(SYS_mincore, m, page, vec));
    result("msync wrapping", syscall(SYS_msync, m, -2 * page, MS_ASYNC));
    result("mremap wrapping new length", syscall(SYS_mremap, m, page, -page, 0, 0));
    result("mremap shrink to itself", syscall(SYS_mremap, m, page, page, 0, 0) == (long) m);
    result("mmap length -1", (long) syscall(SYS_mmap, 0, -1L, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    result("mmap fixed past the end", (long) syscall(SYS_mmap, (1L << 62), page, PROT_READ,
                                                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
    unsigned long set;
    result("rt_sigpending size -1", syscall(SYS_rt_sigpending, &set, -1L));
    result("rt_sigpending size 4", syscall(SYS_rt_sigpending, &set, 4L));
    char buf[16];
    result("getrandom of a huge length into one page", syscall(SYS_getrandom, m, 16L | (1L << 32), 0));
    symlink("target-name", "/tmp/phoenix-hostile-link");
    result("readlink bufsiz 16 with a high half", syscall(SYS_readlinkat, AT_FDCWD, "/tmp/phoenix-hostile-link", buf,
                                                          16L | (0xee35L << 32)));
    result("readlink bufsiz with only a high half", syscall(SYS_readlinkat, AT_FDCWD, "/tmp/phoenix-hostile-link",
                                                            buf, 1L << 32));
    unlink("/tmp/phoenix-hostile-link");
    int fd = open("/tmp/phoenix-hostile-file", O_CREAT | O_WRONLY, 0600);
    struct timespec far[2] = {{0x7fffffffffffffffL, 0}, {-0x7fffffffffffffffL, 0}};
    result("utimensat beyond any calendar", syscall(SYS_utimensat, fd, NULL, far, 0));
    struct timespec bad[2] = {{0, 1000000000}, {0, 0}};
    result("utimensat nsec 1e9", syscall(SYS_utimensat, fd, NULL, bad, 0));
    result("utimensat no path, AT_FDCWD", syscall(SYS_utimensat, AT_FDCWD, NULL, NULL, 0));
    close(fd);
    unlink("/tmp/phoenix-hostile-file");
    return 0;
}
