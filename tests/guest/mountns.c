/*
 * Mount namespaces (run as root): a child in a new mount namespace (unshare(CLONE_NEWNS), then
 * mount --make-rprivate /) mounts a tmpfs that its parent does not see, then pivots its root
 * into another tmpfs (pivot_root's errors first), drops the old root with MNT_DETACH and
 * mounts proc in the new root, whose mountinfo then lists only the new root and proc.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "mountcheck.h"

static int exists(const char *path) {
    struct stat st;
    return stat(path, &st) == 0;
}

static long pivot(const char *newRoot, const char *putOld) {
    return syscall(SYS_pivot_root, newRoot, putOld);
}

/* The child, in a namespace of its own: its tmpfs, then pivot_root into another. */
static void child(int ready, int done) {
    result("unshare CLONE_NEWNS", unshare(CLONE_NEWNS));
    result("make-rprivate /", mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL));
    result("mount tmpfs in the child", mount("childtmp", at("t"), "tmpfs", 0, NULL));
    int fd = open(at("t/mine"), O_WRONLY | O_CREAT, 0644);
    close(fd);
    say("child sees its file: %s\n", exists(at("t/mine")) ? "yes" : "no");
    char c = 1;
    if (write(ready, &c, 1) != 1 || read(done, &c, 1) != 1) {
        _exit(2);
    }
    mkdir(at("plain"), 0755);
    mkdir(at("plain/old"), 0755);
    result("pivot_root to a plain directory", pivot(at("plain"), at("plain/old")));
    result("mount tmpfs for the new root", mount("newroot", at("n"), "tmpfs", 0, NULL));
    mkdir(at("n/old"), 0755);
    mkdir(at("n/proc"), 0755);
    fd = open(at("n/marker"), O_WRONLY | O_CREAT, 0644);
    if (write(fd, "new root\n", 9) != 9) {
        _exit(3);
    }
    close(fd);
    result("pivot_root with put_old outside", pivot(at("n"), at("plain/old")));
    result("pivot_root", pivot(at("n"), at("n/old")));
    char cwd[256];
    say("cwd after pivot_root under /old: %s\n",
        getcwd(cwd, sizeof cwd) && strncmp(cwd, "/old/", 5) == 0 ? "yes" : "no");
    result("chdir /", chdir("/"));
    say("marker at /: %s, old root's base under /old: %s\n", exists("/marker") ? "yes" : "no",
        exists(at("../old/tmp")) || exists("/old/tmp") ? "yes" : "no");
    result("umount2 /old MNT_DETACH", umount2("/old", MNT_DETACH));
    say("/old/tmp after detach: %s\n", exists("/old/tmp") ? "yes" : "no");
    result("mount proc", mount("proc", "/proc", "proc", 0, NULL));
    FILE *f = fopen("/proc/self/mountinfo", "r");
    char line[512];
    while (f && fgets(line, sizeof line, f)) {
        char point[256];
        char *dash = strstr(line, " - ");
        char type[32];
        if (dash && sscanf(line, "%*d %*d %*s %*s %255s", point) == 1 && sscanf(dash + 3, "%31s", type) == 1) {
            say("mountinfo: %s %s\n", point, type);
        }
    }
    if (f) {
        fclose(f);
    }
    _exit(0);
}

int main(void) {
    strcpy(base, "/tmp/mntnsXXXXXX");
    if (!mkdtemp(base)) {
        return 1;
    }
    mkdir(at("t"), 0755);
    mkdir(at("n"), 0755);
    int ready[2], done[2];
    if (pipe(ready) || pipe(done)) {
        return 1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        child(ready[1], done[0]);
    }
    char c;
    if (read(ready[0], &c, 1) != 1) {
        say("child failed\n");
    }
    say("parent sees the child's file: %s\n", exists(at("t/mine")) ? "yes" : "no");
    if (write(done[1], &c, 1) != 1) {
        return 1;
    }
    int status;
    waitpid(pid, &status, 0);
    say("child exit: %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    say("parent sees the new root's marker: %s\n", exists(at("n/marker")) ? "yes" : "no");
    rmdir(at("plain/old"));
    rmdir(at("plain"));
    rmdir(at("t"));
    rmdir(at("n"));
    say("cleanup: %s\n", rmdir(base) == 0 ? "ok" : merr(errno));
    return 0;
}
