/* Process groups and sessions as one process sees them, and socket calls on descriptors that
 * are not sockets. Started by a process that is not a group leader (a test harness or make), as
 * most programs are; results are printed as relations, since the ids differ from run to run. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

static const char *errname(int e) {
    switch (e) {
    case EPERM: return "EPERM";
    case ESRCH: return "ESRCH";
    case EINVAL: return "EINVAL";
    case EBADF: return "EBADF";
    case ENOTSOCK: return "ENOTSOCK";
    default: return "E?";
    }
}

static void show(const char *what, long r) {
    printf("%s = %ld%s%s\n", what, r, r < 0 ? " " : "", r < 0 ? errname(errno) : "");
}

int main(void) {
    pid_t pid = getpid();
    show("getpgrp() == getpgid(0)", getpgrp() == getpgid(0));
    show("getpgid(getpid()) == getpgrp()", getpgid(pid) == getpgrp());
    show("getsid(0) == getsid(getpid())", getsid(0) == getsid(pid));
    show("leads its group at start", getpgrp() == pid);
    show("getpgid(no such pid)", getpgid(0x0fffffff));
    show("getsid(no such pid)", getsid(0x0fffffff));
    show("setpgid(0, -1)", setpgid(0, -1));
    show("setpgid(no such pid, 0)", setpgid(0x0fffffff, 0));
    show("setsid() == getpid()", setsid() == pid);
    show("now leads its session", getsid(0) == pid);
    show("and its group", getpgrp() == pid);
    show("setsid() again", setsid());
    show("setpgid(0, 0) as session leader", setpgid(0, 0));
    struct sockaddr_storage sa;
    socklen_t len = sizeof sa;
    show("getpeername(stdout)", getpeername(1, (struct sockaddr *) &sa, &len));
    show("getsockname(stdout)", getsockname(1, (struct sockaddr *) &sa, &len));
    show("getpeername(bad fd)", getpeername(99, (struct sockaddr *) &sa, &len));
    return 0;
}
