/* UTS namespaces: sethostname and setdomainname in a new namespace, invisible outside it;
   setns back through an nsfs descriptor and through a pidfd; Linux's errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ttycheck.h"

static const char *uts_name(void) {
    static struct utsname u;
    uname(&u);
    return u.nodename;
}

int main(void) {
    setvbuf(stdout, NULL, _IONBF, 0);
    char original[65];
    snprintf(original, sizeof original, "%s", uts_name());
    int oldns = open("/proc/self/ns/uts", O_RDONLY | O_CLOEXEC);
    printf("open ns file: %d\n", oldns >= 0);
    struct stat before, after;
    fstat(oldns, &before);
    printf("ns file is a regular file: %d\n", S_ISREG(before.st_mode));
    int ready[2], done[2];
    pipe(ready);
    pipe(done);
    pid_t outside = fork();
    if (outside == 0) { /* stays in the first namespace */
        char b;
        read(ready[0], &b, 1);
        printf("other process sees the old name: %d\n", strcmp(uts_name(), original) == 0);
        write(done[1], "d", 1);
        _exit(0);
    }
    printf("unshare: %d\n", unshare(CLONE_NEWUTS));
    printf("name kept at unshare: %d\n", strcmp(uts_name(), original) == 0);
    printf("sethostname: %d\n", sethostname("phoenix-box", 11));
    printf("setdomainname: %d\n", setdomainname("example.org", 11));
    struct utsname u;
    uname(&u);
    printf("uname: %s %s\n", u.nodename, u.domainname);
    char longname[80];
    memset(longname, 'x', sizeof longname);
    int r = sethostname(longname, 65);
    printf("too long: %d %s\n", r, err(errno));
    int newns = open("/proc/self/ns/uts", O_RDONLY);
    fstat(newns, &after);
    printf("different inode: %d\n", before.st_ino != after.st_ino);
    write(ready[1], "r", 1);
    char b;
    read(done[0], &b, 1);
    waitpid(outside, NULL, 0);
    /* a child made now inherits the new names */
    pid_t child = fork();
    if (child == 0) {
        printf("child: %s\n", uts_name());
        _exit(0);
    }
    waitpid(child, NULL, 0);
    r = setns(oldns, CLONE_NEWNET);
    printf("setns wrong type: %d %s\n", r, err(errno));
    r = setns(1, 0);
    printf("setns not a namespace: %d %s\n", r, err(errno));
    printf("setns back: %d\n", setns(oldns, CLONE_NEWUTS));
    printf("name restored: %d\n", strcmp(uts_name(), original) == 0);
    /* a pidfd of a process in the second namespace takes us there again */
    int go[2];
    pipe(go);
    pid_t holder = fork();
    if (holder == 0) {
        setns(newns, 0);
        write(ready[1], "r", 1);
        read(go[0], &b, 1);
        _exit(0);
    }
    read(ready[0], &b, 1);
    int pidfd = syscall(SYS_pidfd_open, holder, 0);
    printf("setns pidfd: %d\n", setns(pidfd, CLONE_NEWUTS));
    printf("after pidfd setns: %s\n", uts_name());
    write(go[1], "g", 1);
    waitpid(holder, NULL, 0);
    return 0;
}
