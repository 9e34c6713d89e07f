/* /dev: memory devices, descriptor aliases, and their errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static void show(const char *what, long r) {
    const char *e = r >= 0 ? "" : errno == ENOSPC ? " ENOSPC" : errno == ENOENT ? " ENOENT" : errno == EISDIR ? " EISDIR"
        : errno == ENOTDIR ? " ENOTDIR" : errno == EBADF ? " EBADF" : " E?";
    printf("%s = %ld%s\n", what, r, e);
}

int main(void) {
    char buf[32];
    int fd = open("/dev/null", O_RDWR);
    show("open /dev/null", fd >= 0 ? 0 : -1);
    show("write /dev/null", write(fd, "discarded", 9));
    show("read /dev/null", read(fd, buf, sizeof buf));
    close(fd);
    fd = open("/dev/zero", O_RDONLY);
    memset(buf, 'x', sizeof buf);
    show("read /dev/zero", read(fd, buf, sizeof buf));
    int zeros = 1;
    for (size_t i = 0; i < sizeof buf; i++) {
        zeros &= buf[i] == 0;
    }
    show("all zero", zeros);
    close(fd);
    fd = open("/dev/full", O_WRONLY);
    show("write /dev/full", write(fd, "x", 1));
    close(fd);
    fd = open("/dev/urandom", O_RDONLY);
    memset(buf, 0, sizeof buf);
    show("read /dev/urandom", read(fd, buf, 16));
    int nonzero = 0;
    for (int i = 0; i < 16; i++) {
        nonzero |= buf[i];
    }
    show("random bytes not all zero", nonzero != 0);
    close(fd);
    struct stat st;
    show("stat /dev/null", stat("/dev/null", &st));
    printf("char device %d, major %u, minor %u, mode %o\n", S_ISCHR(st.st_mode), major(st.st_rdev), minor(st.st_rdev),
           st.st_mode & 0777);
    stat("/dev/urandom", &st);
    printf("urandom major %u minor %u\n", major(st.st_rdev), minor(st.st_rdev));
    show("stat /dev/nope", stat("/dev/nope", &st));
    show("open /dev/nope", open("/dev/nope", O_RDONLY));
    show("open /dev/null O_DIRECTORY", open("/dev/null", O_RDONLY | O_DIRECTORY));
    show("open /dev for writing", open("/dev", O_WRONLY));
    fd = open("/dev/stdout", O_WRONLY);
    show("write via /dev/stdout", write(fd, "via /dev/stdout\n", 16));
    close(fd);
    fd = open("/dev/fd/1", O_WRONLY);
    show("write via /dev/fd/1", write(fd, "via /dev/fd/1\n", 14));
    close(fd);
    show("open /dev/fd/77", open("/dev/fd/77", O_RDONLY));
    show("access /dev/null R_OK|W_OK", access("/dev/null", R_OK | W_OK));
    return 0;
}
