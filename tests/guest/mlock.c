/* Memory locking: mlock, mlock2, munlock, mlockall and munlockall with their errors, as root and
 * then as an unprivileged user with RLIMIT_MEMLOCK 0 and 64 KiB (in a child that drops to 65534). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ttycheck.h"

static void show(const char *what, long v) {
    if (v < 0) {
        say("%s: -1 %s\n", what, err(errno));
    } else {
        say("%s: %ld\n", what, v);
    }
}

int main(void) {
    long page = sysconf(_SC_PAGESIZE);
    char *p = mmap(NULL, 8 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(p + 4 * page, page);
    show("mlock", mlock(p, 2 * page));
    show("mlock unaligned", mlock(p + 10, page));
    show("mlock over a hole", mlock(p, 8 * page));
    show("mlock wrapping", syscall(SYS_mlock, p, -2L * page));
    show("mlock2 onfault", syscall(SYS_mlock2, p, page, 1));
    show("mlock2 bad flags", syscall(SYS_mlock2, p, page, 2));
    show("munlock", munlock(p, 2 * page));
    show("munlock over a hole", munlock(p, 8 * page));
    show("mlockall 0", mlockall(0));
    show("mlockall onfault alone", mlockall(MCL_ONFAULT));
    show("mlockall bad", mlockall(64));
    show("mlockall current|future", mlockall(MCL_CURRENT | MCL_FUTURE));
    show("munlockall", munlockall());
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit zero = {0, 0};
        setrlimit(RLIMIT_MEMLOCK, &zero);
        if (setuid(65534) != 0) {
            perror("setuid");
            _exit(1);
        }
        show("unprivileged, limit 0: mlock", mlock(p, page));
        show("unprivileged, limit 0: mlock over a hole", mlock(p, 8 * page));
        show("unprivileged, limit 0: mlockall", mlockall(MCL_CURRENT));
        show("unprivileged, limit 0: munlock", munlock(p, page));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    pid = fork();
    if (pid == 0) {
        struct rlimit small = {64 << 10, 64 << 10};
        setrlimit(RLIMIT_MEMLOCK, &small);
        if (setuid(65534) != 0) {
            perror("setuid");
            _exit(1);
        }
        show("unprivileged, limit 64 KiB: mlock one page", mlock(p, page));
        char *big = mmap(NULL, 1 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        show("unprivileged, limit 64 KiB: mlock 1 MiB", mlock(big, 1 << 20));
        show("unprivileged, limit 64 KiB: mlockall current", mlockall(MCL_CURRENT));
        show("unprivileged, limit 64 KiB: mlockall future", mlockall(MCL_FUTURE));
        _exit(0);
    }
    waitpid(pid, NULL, 0);
    return 0;
}
