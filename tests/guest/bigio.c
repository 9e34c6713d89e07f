/* Large pread64 and pwrite64 of a regular file: Linux moves all of a 3 MiB buffer in one call (a
 * regular file gives no short transfer short of its end), and refuses a negative offset. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "ttycheck.h"

int main(void) {
    char path[] = "/tmp/bigio-XXXXXX";
    int fd = mkstemp(path);
    unlink(path);
    size_t n = 3 << 20;
    char *b = malloc(n), *r = calloc(1, n);
    for (size_t i = 0; i < n; i++) {
        b[i] = (char) (i * 7 + i / 4096);
    }
    ssize_t w = pwrite(fd, b, n, 100);
    say("pwrite 3 MiB at 100: %zd\n", w);
    ssize_t got = pread(fd, r, n, 100);
    say("pread 3 MiB at 100: %zd\n", got);
    say("same bytes: %s\n", memcmp(b, r, n) == 0 ? "yes" : "no");
    got = pread(fd, r, n, n);
    say("pread from 3 MiB: %zd\n", got);
    errno = 0;
    got = pread(fd, r, 10, -1);
    say("pread at -1: %zd %s\n", got, err(errno));
    errno = 0;
    w = pwrite(fd, r, 10, -1);
    say("pwrite at -1: %zd %s\n", w, err(errno));
    say("offset untouched: %ld\n", (long) lseek(fd, 0, SEEK_CUR));
    return 0;
}
