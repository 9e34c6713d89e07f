/* Scheduling and I/O priorities of the process itself: getpriority/setpriority and
 * ioprio_get/ioprio_set, with their errors. Printed relative to the nice value the process
 * started with, which its parent decides. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

static void show(const char *what, long r) {
    printf("%s = %ld%s\n", what, r, r < 0 ? (errno == EINVAL ? " EINVAL" : errno == ESRCH ? " ESRCH"
                                               : errno == EACCES ? " EACCES" : " E?") : "");
}

int main(void) {
    errno = 0;
    int start = getpriority(PRIO_PROCESS, 0);
    show("getpriority ok", errno == 0);
    show("same by pid", getpriority(PRIO_PROCESS, getpid()) == start);
    show("setpriority +3", setpriority(PRIO_PROCESS, 0, start + 3));
    show("now 3 nicer", getpriority(PRIO_PROCESS, 0) - start);
    show("setpriority 100 clamps", setpriority(PRIO_PROCESS, 0, 100));
    show("nice is 19", getpriority(PRIO_PROCESS, 0));
    show("no such pid", setpriority(PRIO_PROCESS, 0x0fffffff, 0));
    errno = 0;
    long r = getpriority(PRIO_PROCESS, 0x0fffffff);
    show("getpriority no such pid", r == -1 && errno == ESRCH ? -1 : 0);
    show("bad which", setpriority(7, 0, 0));
    show("ioprio_get", syscall(SYS_ioprio_get, 1, 0));
    show("ioprio_set best-effort 3", syscall(SYS_ioprio_set, 1, 0, (2 << 13) | 3));
    show("ioprio_get again", syscall(SYS_ioprio_get, 1, 0));
    show("ioprio_set class 5", syscall(SYS_ioprio_set, 1, 0, 5 << 13));
    show("ioprio_get bad which", syscall(SYS_ioprio_get, 9, 0));
    return 0;
}
