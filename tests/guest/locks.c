/* fcntl F_SETFL and record locks, and flock(2), in an empty directory (argv[1]). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

static void show(const char *what, long r) {
    const char *e = r >= 0 ? "" : errno == EINVAL ? " EINVAL" : errno == EAGAIN ? " EAGAIN" : errno == EBADF ? " EBADF" : " E?";
    printf("%s = %ld%s\n", what, r, e);
}

int main(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) != 0) {
        return 2;
    }
    int fd = open("log", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "one\n", 4);
    lseek(fd, 0, SEEK_SET);
    show("F_SETFL O_APPEND", fcntl(fd, F_SETFL, O_APPEND));
    show("F_GETFL has O_APPEND", (fcntl(fd, F_GETFL) & O_APPEND) != 0);
    write(fd, "two\n", 4);
    char buf[16] = {0};
    pread(fd, buf, 8, 0);
    show("appended, not overwritten", strcmp(buf, "one\ntwo\n") == 0);
    show("F_SETFL 0", fcntl(fd, F_SETFL, 0));
    show("F_GETFL access mode", fcntl(fd, F_GETFL) & O_ACCMODE);
    int p[2];
    pipe(p);
    show("F_SETFL O_NONBLOCK on a pipe", fcntl(p[0], F_SETFL, O_NONBLOCK));
    show("read of an empty nonblocking pipe", read(p[0], buf, 1));
    struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
    show("F_SETLK write lock", fcntl(fd, F_SETLK, &lk));
    struct flock q = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 10};
    show("F_GETLK", fcntl(fd, F_GETLK, &q));
    show("F_GETLK finds no conflict (own lock)", q.l_type == F_UNLCK);
    int ro = open("log", O_RDONLY);
    show("F_SETLK write lock on read-only fd", fcntl(ro, F_SETLK, &lk));
    struct flock bad = {.l_type = 42, .l_whence = SEEK_SET};
    show("F_SETLK bad type", fcntl(fd, F_SETLK, &bad));
    lk.l_type = F_UNLCK;
    show("F_SETLK unlock", fcntl(fd, F_SETLK, &lk));
    show("flock LOCK_EX", flock(fd, LOCK_EX));
    show("flock LOCK_EX again, same description", flock(fd, LOCK_EX));
    show("flock LOCK_SH|LOCK_NB, other description", flock(ro, LOCK_SH | LOCK_NB));
    show("flock LOCK_UN", flock(fd, LOCK_UN));
    show("flock LOCK_SH|LOCK_NB now", flock(ro, LOCK_SH | LOCK_NB));
    show("flock LOCK_SH, first description too", flock(fd, LOCK_SH | LOCK_NB));
    show("flock bad operation", flock(fd, 16));
    close(ro);
    show("flock LOCK_EX|LOCK_NB after the other closed", flock(fd, LOCK_EX | LOCK_NB));
    return 0;
}
