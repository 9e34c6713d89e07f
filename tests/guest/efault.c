/* Bad pointers are EFAULT, with no side effect; argv[1] is an empty directory. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <unistd.h>

#define BAD ((void *) 16)

static void show(const char *what, long r) {
    printf("%s = %ld%s\n", what, r, r < 0 ? (errno == EFAULT ? " EFAULT" : " E?") : "");
}

int main(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) != 0) {
        return 2;
    }
    int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "0123456789", 10);
    lseek(fd, 0, SEEK_SET);
    show("write(NULL)", syscall(SYS_write, fd, NULL, 5));
    show("write(bad)", syscall(SYS_write, fd, BAD, 5));
    show("read into NULL", syscall(SYS_read, fd, NULL, 5));
    show("offset unchanged", lseek(fd, 0, SEEK_CUR));
    show("read into bad", syscall(SYS_read, fd, BAD, 5));
    struct iovec v[2] = {{"ok", 2}, {BAD, 4}};
    show("writev with a bad second buffer", writev(fd, v, 2));
    struct iovec w[1] = {{BAD, 4}};
    show("writev with a bad first buffer", writev(fd, w, 1));
    show("writev with a bad iovec array", syscall(SYS_writev, fd, BAD, 1));
    show("open(bad path)", syscall(SYS_openat, AT_FDCWD, BAD, O_RDONLY));
    show("stat into bad buffer", syscall(SYS_newfstatat, AT_FDCWD, "f", BAD, 0));
    show("uname(bad)", syscall(SYS_uname, BAD));
    show("readlink into bad", syscall(SYS_readlinkat, AT_FDCWD, "/proc/self/exe", BAD, 10));
    show("getcwd into bad", syscall(SYS_getcwd, BAD, 100));
    show("pipe2(bad)", syscall(SYS_pipe2, BAD, 0));
    show("clock_gettime into bad", syscall(SYS_clock_gettime, 1, BAD));
    show("nanosleep(bad)", syscall(SYS_nanosleep, BAD, NULL));
    char buf[4];
    show("bytes past offset 10 (none: the writev wrote at 0)", pread(fd, buf, 4, 10));
    return 0;
}
