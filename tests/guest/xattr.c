/* Extended attributes on a file in the working directory: set, get, list and remove a user.
 * attribute with the plain, l- and f- calls, and Linux's errors (a missing attribute, an empty or
 * overlong name, a short buffer, bad flags, XATTR_CREATE and XATTR_REPLACE, files of /proc and
 * pipes, which take none). Prints one line per check; the test compares them with a native run. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/xattr.h>
#include <unistd.h>
#include "ttycheck.h"

static void show(const char *what, long r) {
    if (r < 0) {
        say("%s: -1 %s\n", what, err(errno));
    } else {
        say("%s: %ld\n", what, r);
    }
}

int main(void) {
    char name[64], buf[256], big[300];
    snprintf(name, sizeof name, "xattr-test-%d", (int) getpid());
    int fd = open(name, O_CREAT | O_RDWR | O_TRUNC, 0644);
    if (fd < 0) {
        say("open: %s\n", err(errno));
        return 1;
    }
    long r = setxattr(name, "user.phoenix", "hello", 5, 0);
    if (r < 0 && errno == ENOTSUP) {
        say("setxattr: the file system takes no user attributes\n");
        unlink(name);
        return 0;
    }
    show("setxattr", r);
    show("getxattr size", getxattr(name, "user.phoenix", NULL, 0));
    memset(buf, 0, sizeof buf);
    show("getxattr", getxattr(name, "user.phoenix", buf, sizeof buf));
    say("value: %s\n", buf);
    show("getxattr short buffer", getxattr(name, "user.phoenix", buf, 2));
    show("lgetxattr", lgetxattr(name, "user.phoenix", buf, sizeof buf));
    show("fgetxattr", fgetxattr(fd, "user.phoenix", buf, sizeof buf));
    show("getxattr missing", getxattr(name, "user.none", buf, sizeof buf));
    show("getxattr empty name", getxattr(name, "", buf, sizeof buf));
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = 0;
    memcpy(big, "user.", 5);
    show("getxattr long name", getxattr(name, big, buf, sizeof buf));
    show("setxattr create existing", setxattr(name, "user.phoenix", "x", 1, XATTR_CREATE));
    show("setxattr replace missing", setxattr(name, "user.other", "x", 1, XATTR_REPLACE));
    show("setxattr bad flags", setxattr(name, "user.other", "x", 1, 4));
    show("fsetxattr", fsetxattr(fd, "user.second", "2", 1, XATTR_CREATE));
    long n = listxattr(name, buf, sizeof buf);
    show("listxattr", n);
    int users = 0;
    for (long i = 0; i < n; i += (long) strlen(buf + i) + 1) {
        users += strncmp(buf + i, "user.", 5) == 0;
    }
    say("user attributes listed: %d\n", users);
    show("llistxattr size", llistxattr(name, NULL, 0) >= 25);
    show("flistxattr short", flistxattr(fd, buf, 1));
    show("removexattr", removexattr(name, "user.phoenix"));
    show("fremovexattr", fremovexattr(fd, "user.second"));
    show("removexattr missing", removexattr(name, "user.phoenix"));
    show("getxattr no file", getxattr("no-such-file", "user.phoenix", buf, sizeof buf));
    show("getxattr /proc", getxattr("/proc/self/status", "user.phoenix", buf, sizeof buf));
    show("setxattr /proc", setxattr("/proc/self/status", "user.phoenix", "x", 1, 0));
    int p[2];
    pipe(p);
    show("fgetxattr pipe", fgetxattr(p[0], "user.phoenix", buf, sizeof buf));
    show("fsetxattr pipe", fsetxattr(p[1], "user.phoenix", "x", 1, 0));
    show("flistxattr pipe", flistxattr(p[0], buf, sizeof buf));
    show("fgetxattr bad fd", fgetxattr(99, "user.phoenix", buf, sizeof buf));
    close(fd);
    unlink(name);
    return 0;
}
