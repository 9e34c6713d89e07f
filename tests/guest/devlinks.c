/* /dev as programs expect it: stdin, stdout, stderr and fd are symlinks into /proc/self/fd,
 * followed to the open file itself (a pipe has no path to walk); /dev/pts is a directory and
 * /dev/ptmx the pseudo-terminal multiplexer, character device 5:2. With no argument it reports
 * on its standard streams, which the caller makes pipes; with "tty" it reports what ttyname(3)
 * and isatty(3) say of fds 0-2, for a run on a terminal. Each call is made before its printf. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static const char *err(void) {
    return errno == ENOENT ? "ENOENT" : errno == ENOTDIR ? "ENOTDIR" : errno == ELOOP ? "ELOOP"
         : errno == ENOTTY ? "ENOTTY" : errno == EINVAL ? "EINVAL" : "E?";
}

static void link_of(const char *path) {
    char target[256];
    struct stat st;
    ssize_t n = readlink(path, target, sizeof target - 1);
    if (n < 0) {
        printf("readlink %s = -1 %s\n", path, err());
        return;
    }
    target[n] = 0;
    int l = lstat(path, &st);
    printf("%s -> %s, lstat %d: symlink %d, size %lld\n", path, target, l, S_ISLNK(st.st_mode), (long long) st.st_size);
}

static void on_a_terminal(void) {
    for (int fd = 0; fd <= 2; fd++) {
        char *name = ttyname(fd);
        if (!name) {
            const char *e = err();
            printf("fd %d: isatty %d, ttyname NULL %s\n", fd, isatty(fd), e);
            continue;
        }
        struct stat a, b;
        int same = stat(name, &a) == 0 && fstat(fd, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino
                   && a.st_rdev == b.st_rdev && S_ISCHR(a.st_mode);
        printf("fd %d: isatty %d, ttyname %s, a pts %d, stat of it is fstat's %d\n", fd, isatty(fd), name,
               strncmp(name, "/dev/pts/", 9) == 0, same);
    }
    char *name = ttyname(0);
    DIR *d = name ? opendir("/dev/pts") : NULL;
    int listed = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        listed |= strcmp(e->d_name, name + 9) == 0;
    }
    printf("/dev/pts lists it %d\n", listed);
    int fd = open("/dev/tty", O_RDWR);
    printf("open /dev/tty %s\n", fd >= 0 ? "ok" : err());
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "tty") == 0) {
        on_a_terminal();
        return 0;
    }
    link_of("/dev/stdin");
    link_of("/dev/stdout");
    link_of("/dev/stderr");
    link_of("/dev/fd");
    struct stat a, b;
    printf("stat /dev/stdout is fstat(1) %d\n", stat("/dev/stdout", &a) == 0 && fstat(1, &b) == 0
           && a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_mode == b.st_mode);
    printf("a pipe %d\n", S_ISFIFO(a.st_mode));
    int fd = open("/dev/stdout", O_WRONLY);
    printf("open /dev/stdout %s\n", fd >= 0 ? "ok" : err());
    close(fd);
    fd = open("/proc/self/fd/1", O_WRONLY);
    printf("open /proc/self/fd/1 %s\n", fd >= 0 ? "ok" : err());
    close(fd);
    fd = open("/dev/stdin", O_RDONLY);
    char c;
    printf("read /dev/stdin = %zd\n", fd >= 0 ? read(fd, &c, 1) : -2);
    close(fd);
    fd = open("/dev/stdout", O_WRONLY | O_NOFOLLOW);
    printf("open /dev/stdout O_NOFOLLOW = %d %s\n", fd, fd < 0 ? err() : "opened");
    fd = open("/dev/stdout", O_RDONLY | O_DIRECTORY);
    printf("open /dev/stdout O_DIRECTORY = %d %s\n", fd, fd < 0 ? err() : "opened");
    int r = stat("/dev/stdout/x", &a);
    printf("stat /dev/stdout/x = %d %s\n", r, err());
    r = stat("/dev/fd/99", &a);
    printf("stat /dev/fd/99 = %d %s\n", r, err());

    DIR *d = opendir("/dev/fd/");
    int seen[4] = {0, 0, 0, 0}, own = d ? dirfd(d) : -1;
    for (struct dirent *e; d && (e = readdir(d));) {
        int fd = e->d_name[0] == '.' ? -1 : atoi(e->d_name);
        for (int i = 0; i < 4; i++) {
            seen[i] |= fd == (i < 3 ? i : own);
        }
    }
    closedir(d);
    printf("/dev/fd/ lists 0 %d, 1 %d, 2 %d, and the listing's own fd %d\n", seen[0], seen[1], seen[2], seen[3]);

    r = stat("/dev/pts", &a);
    printf("stat /dev/pts = %d, directory %d\n", r, S_ISDIR(a.st_mode));
    r = stat("/dev/ptmx", &a);
    printf("stat /dev/ptmx = %d, char %d, %u:%u, mode %o\n", r, S_ISCHR(a.st_mode), major(a.st_rdev),
           minor(a.st_rdev), a.st_mode & 07777);
    r = lstat("/dev/pts/ptmx", &a);
    printf("lstat /dev/pts/ptmx = %d, char %d, %u:%u\n", r, S_ISCHR(a.st_mode), major(a.st_rdev), minor(a.st_rdev));
    char *name = ttyname(0);
    printf("ttyname(0) %s %s\n", name ? "names a terminal" : "NULL", err());
    return 0;
}
