/*
 * mount(2), umount2(2) and chroot(2) in the caller's mount namespace (run as root): a read-only
 * bind mount (EROFS), a tmpfs with size=1M (ENOSPC at the limit, statfs), mounts stacked inside
 * mounts (EBUSY), a working directory keeping a mount busy, MNT_EXPIRE, MS_BIND|MS_REC, MS_MOVE,
 * noexec, proc, the mountinfo lines of the test's own mounts, and chroot into a prepared
 * directory. Everything happens under a fresh directory in /tmp, which is removed at the end.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include "mountcheck.h"

static void put(const char *path, const char *text) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t) strlen(text)) {
        say("put %s: %s\n", path, merr(errno));
    }
    close(fd);
}

static void show(const char *what, const char *path) {
    char b[64] = "";
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        say("%s: %s\n", what, merr(errno));
        return;
    }
    ssize_t n = read(fd, b, sizeof b - 1);
    close(fd);
    b[n > 0 ? n : 0] = 0;
    say("%s: %s\n", what, b);
}

/*
 * The mountinfo lines of mounts under base: mount point (relative to base), per-mount options,
 * whether the parent is another of ours, and after "-" the type, source and super options
 * (those of bind mounts are the host's file system's, so only their options are shown).
 */
static void mountinfo(const char *when) {
    FILE *f = fopen("/proc/self/mountinfo", "r");
    char line[1024];
    int ids[32], n = 0;
    say("mountinfo %s:\n", when);
    while (f && fgets(line, sizeof line, f)) {
        int id, parent;
        char dev[32], root[256], point[256], opts[256];
        if (sscanf(line, "%d %d %31s %255s %255s %255s", &id, &parent, dev, root, point, opts) != 6) {
            continue;
        }
        size_t len = strlen(base);
        if (strncmp(point, base, len) != 0 || point[len] != '/') {
            continue;
        }
        int ours = 0;
        for (int i = 0; i < n; i++) {
            ours |= ids[i] == parent;
        }
        if (n < 32) {
            ids[n++] = id;
        }
        char *dash = strstr(line, " - ");
        char type[64] = "", source[64] = "", super[256] = "";
        if (dash) {
            sscanf(dash + 3, "%63s %63s %255s", type, source, super);
        }
        int bind = strcmp(type, "tmpfs") != 0 && strcmp(type, "proc") != 0;
        say("  %s %s%s parent=%s%s%s%s%s%s%s\n", point + len + 1, opts, strstr(line, " shared:") ? " shared" : "",
            ours ? "ours" : "other",
            bind ? "" : " - ", bind ? "" : type, bind ? "" : " ", bind ? "" : source, bind ? "" : " ",
            bind ? "" : super);
    }
    if (f) {
        fclose(f);
    }
}

static void readonlyBind(void) {
    mkdir(at("src"), 0755);
    mkdir(at("ro"), 0755);
    put(at("src/f"), "hello");
    result("bind src ro", mount(at("src"), at("ro"), NULL, MS_BIND, NULL));
    result("remount ro", mount(NULL, at("ro"), NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL));
    show("read through ro", at("ro/f"));
    result("open for writing through ro", open(at("ro/f"), O_WRONLY));
    result("create through ro", open(at("ro/new"), O_WRONLY | O_CREAT, 0644));
    result("mkdir through ro", mkdir(at("ro/d"), 0755));
    result("unlink through ro", unlink(at("ro/f")));
    result("chmod through ro", chmod(at("ro/f"), 0600));
    put(at("src/f"), "changed");
    show("source changed, seen through ro", at("ro/f"));
    struct statfs s;
    statfs(at("ro"), &s);
    say("statfs ro flag: %s\n", (s.f_flags & ST_RDONLY) ? "yes" : "no");
    result("rename across mounts", rename(at("src/f"), at("ro/g")));
    result("rmdir a mount point", rmdir(at("ro")));
}

static void sizedTmpfs(void) {
    mkdir(at("t"), 0755);
    result("mount tmpfs size=1M", mount("phxtmp", at("t"), "tmpfs", 0, "size=1M,mode=0750"));
    struct stat st;
    stat(at("t"), &st);
    say("tmpfs root mode: %o\n", st.st_mode & 07777);
    struct statfs s;
    statfs(at("t"), &s);
    say("statfs tmpfs magic: %s, blocks %ld\n", s.f_type == 0x01021994 ? "TMPFS_MAGIC" : "other",
        (long) (s.f_blocks * s.f_bsize / 4096));
    static char chunk[65536];
    memset(chunk, 'x', sizeof chunk);
    int fd = open(at("t/big"), O_WRONLY | O_CREAT, 0644);
    long total = 0;
    int e = 0;
    for (int i = 0; i < 40; i++) {
        ssize_t n = write(fd, chunk, sizeof chunk);
        if (n < 0) {
            e = errno;
            break;
        }
        total += n;
    }
    close(fd);
    say("written before the limit: %ld, then %s\n", total, merr(e));
    unlink(at("t/big"));
    fd = open(at("t/again"), O_WRONLY | O_CREAT, 0644);
    say("after unlink a write fits: %s\n", write(fd, chunk, sizeof chunk) == sizeof chunk ? "yes" : "no");
    close(fd);
    result("mount tmpfs bad option", mount("x", at("t"), "tmpfs", 0, "bogus=1"));
    result("mount unknown type", mount("x", at("t"), "nosuchfs", 0, NULL));
}

static void busyAndStacked(void) {
    mkdir(at("t/sub"), 0755);
    result("mount tmpfs inside tmpfs", mount("inner", at("t/sub"), "tmpfs", 0, NULL));
    put(at("t/sub/inner"), "inner");
    result("umount outer with inner mounted", umount(at("t")));
    result("umount2 bad flags", umount2(at("t/sub"), 0x100));
    result("umount not a mount point", umount(at("src")));
    result("MS_BIND|MS_REC t to r", (mkdir(at("r"), 0755), mount(at("t"), at("r"), NULL, MS_BIND | MS_REC, NULL)));
    show("inner through recursive bind", at("r/sub/inner"));
    mountinfo("after recursive bind");
    result("umount2 r MNT_DETACH", umount2(at("r"), MNT_DETACH));
    show("inner after detach", at("r/sub/inner"));
    result("umount inner", umount(at("t/sub")));
    result("chdir into t", chdir(at("t")));
    result("umount t while cwd", umount(at("t")));
    result("chdir /", chdir("/"));
    result("umount2 MNT_EXPIRE first", umount2(at("t"), MNT_EXPIRE));
    result("umount2 MNT_EXPIRE second", umount2(at("t"), MNT_EXPIRE));
    show("t after umount", at("t/again"));
}

static void moveAndNoexec(void) {
    mkdir(at("m"), 0755);
    mkdir(at("m2"), 0755);
    result("mount tmpfs noexec", mount("moved", at("m"), "tmpfs", MS_NOEXEC | MS_NOSUID, NULL));
    put(at("m/script"), "#!/bin/sh\nexit 0\n");
    chmod(at("m/script"), 0755);
    char *argv[] = {"script", NULL};
    result("execve on noexec", execve(at("m/script"), argv, argv + 1));
    result("MS_MOVE m to m2", mount(at("m"), at("m2"), NULL, MS_MOVE, NULL));
    struct stat st;
    say("script at m2: %s, at m: %s\n", stat(at("m2/script"), &st) == 0 ? "yes" : "no",
        stat(at("m/script"), &st) == 0 ? "yes" : "no");
    mkdir(at("p"), 0755);
    result("mount proc", mount("proc", at("p"), "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL));
    struct statfs s;
    statfs(at("p"), &s);
    say("proc magic: %s, self: %s\n", s.f_type == 0x9fa0 ? "PROC_SUPER_MAGIC" : "other",
        lstat(at("p/self"), &st) == 0 && S_ISLNK(st.st_mode) ? "link" : "missing");
    result("make-private ro", mount(NULL, at("ro"), NULL, MS_PRIVATE, NULL));
    result("make-shared m2", mount(NULL, at("m2"), NULL, MS_SHARED, NULL));
    result("propagation with other flags", mount(NULL, at("m2"), NULL, MS_SHARED | MS_PRIVATE, NULL));
    mountinfo("of all");
}

static void jail(void) {
    mkdir(at("jail"), 0755);
    mkdir(at("jail/dir"), 0755);
    put(at("jail/marker"), "inside");
    put(at("marker"), "outside");
    pid_t pid = fork();
    if (pid == 0) {
        result("chroot", chroot(at("jail")));
        char cwd[256];
        say("getcwd outside the new root: %s\n", getcwd(cwd, sizeof cwd) ? "a path" : merr(errno));
        result("chdir /dir", chdir("/dir"));
        say("cwd: %s\n", getcwd(cwd, sizeof cwd) ? cwd : merr(errno));
        show("/marker", "/marker");
        show("../../../marker", "../../../marker");
        show("/proc/self/root", "/proc/self/root/marker");
        result("chroot /dir", chroot("/dir"));
        show("/marker from /dir", "/marker");
        _exit(0);
    }
    int status;
    waitpid(pid, &status, 0);
    say("child: %d\n", WEXITSTATUS(status));
    show("parent still sees", at("marker"));
}

int main(void) {
    strcpy(base, "/tmp/mntXXXXXX");
    if (!mkdtemp(base)) {
        say("mkdtemp: %s\n", merr(errno));
        return 1;
    }
    readonlyBind();
    sizedTmpfs();
    busyAndStacked();
    moveAndNoexec();
    jail();
    umount(at("ro"));
    umount(at("m2"));
    umount(at("p"));
    const char *files[] = {"src/f", "marker", "jail/marker", NULL};
    const char *dirs[] = {"jail/dir", "jail", "src", "ro", "t", "r", "m", "m2", "p", NULL};
    int bad = 0;
    for (int i = 0; files[i]; i++) {
        bad |= unlink(at(files[i]));
    }
    for (int i = 0; dirs[i]; i++) {
        bad |= rmdir(at(dirs[i]));
    }
    bad |= rmdir(base);
    say("cleanup: %s\n", bad ? merr(errno) : "ok");
    return 0;
}
