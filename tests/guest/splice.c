/* splice(2), tee(2) and vmsplice(2) between pipes, files and memory: file to pipe at an offset
 * (the offset moves, the file position does not), pipe to file, pipe to pipe, tee's copy that
 * leaves the data in place, vmsplice both ways, end of file, and the errors Linux gives. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ttycheck.h"

static const char *res(long r) {
    return r >= 0 ? "ok" : err(errno);
}

static void pipe_or_exit(int p[2]) {
    if (pipe(p) != 0) {
        exit(2);
    }
}

static int drain(int fd, char *b, int max) {
    int n = (int) read(fd, b, max - 1);
    b[n < 0 ? 0 : n] = 0;
    return n;
}

int main(void) {
    char path[] = "/tmp/phoenix-splice-XXXXXX";
    int f = mkstemp(path);
    if (f < 0 || write(f, "0123456789abcdef", 16) != 16) {
        return 2;
    }
    unlink(path);
    lseek(f, 2, SEEK_SET);
    int p[2], q[2];
    pipe_or_exit(p);
    pipe_or_exit(q);
    char b[128];

    loff_t off = 4;
    long n = splice(f, &off, p[1], NULL, 6, 0);
    say("file to pipe from offset 4: %ld, offset now %lld, file position %lld\n", n, (long long) off,
        (long long) lseek(f, 0, SEEK_CUR));
    n = splice(f, NULL, p[1], NULL, 3, 0);
    say("file to pipe at the position: %ld, position now %lld\n", n, (long long) lseek(f, 0, SEEK_CUR));
    n = tee(p[0], q[1], 100, 0);
    say("tee of the pipe: %ld\n", n);
    drain(q[0], b, sizeof b);
    say("  the copy: \"%s\"\n", b);
    n = splice(p[0], NULL, q[1], NULL, 4, 0);
    drain(q[0], b, sizeof b);
    say("pipe to pipe, 4: %ld \"%s\"\n", n, b);
    loff_t at = 14;
    n = splice(p[0], NULL, f, &at, 100, 0);
    pread(f, b, 16, 0);
    b[16] = 0;
    say("pipe to file at offset 14: %ld, offset %lld, the file \"%s\", size %lld\n", n, (long long) at, b,
        (long long) lseek(f, 0, SEEK_END));

    struct iovec w[2] = {{"vm", 2}, {"splice", 6}};
    n = vmsplice(p[1], w, 2, 0);
    char r1[4] = {0}, r2[8] = {0};
    struct iovec r[2] = {{r1, 3}, {r2, 5}};
    long m = vmsplice(p[0], r, 2, 0);
    say("vmsplice in: %ld, out: %ld \"%s\" \"%s\"\n", n, m, r1, r2);

    say("SPLICE_F_NONBLOCK on an empty pipe: %s; tee: %s\n", res(splice(p[0], NULL, q[1], NULL, 10, SPLICE_F_NONBLOCK)),
        res(tee(p[0], q[1], 10, SPLICE_F_NONBLOCK)));
    int f2 = open("/dev/null", O_WRONLY);
    say("neither a pipe: %s; an offset for a pipe: %s; a pipe into itself: %s\n", res(splice(f, NULL, f2, NULL, 4, 0)),
        res(splice(p[0], &off, f2, NULL, 4, 0)), res(splice(p[0], NULL, p[1], NULL, 4, 0)));
    say("tee of a file: %s; of a pipe into itself: %s; vmsplice of a file: %s; flag 0x100: %s\n",
        res(tee(f, q[1], 4, 0)), res(tee(p[0], p[1], 4, 0)), res(vmsplice(f, w, 1, 0)),
        res(splice(p[0], NULL, q[1], NULL, 4, 0x100)));
    char apath[] = "/tmp/phoenix-splice-append-XXXXXX";
    int af = mkstemp(apath);
    unlink(apath);
    fcntl(af, F_SETFL, O_APPEND);
    if (write(p[1], "x", 1) != 1) {
        return 2;
    }
    say("into an O_APPEND file: %s; from a write end: %s; a length of 0: %ld\n", res(splice(p[0], NULL, af, NULL, 1, 0)),
        res(splice(p[1], NULL, q[1], NULL, 1, 0)), (long) splice(p[0], NULL, q[1], NULL, 0, 0));
    int s[2], t[2];
    pipe_or_exit(s);
    pipe_or_exit(t);
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        usleep(50000);
        _exit(write(s[1], "late", 4) == 4 ? 0 : 1);
    }
    n = splice(s[0], NULL, t[1], NULL, 100, 0);
    waitpid(child, NULL, 0);
    drain(t[0], b, sizeof b);
    say("a blocking splice, woken by a child's write: %ld \"%s\"\n", n, b);
    close(p[1]);
    n = splice(p[0], NULL, q[1], NULL, 10, 0);
    long e = splice(p[0], NULL, q[1], NULL, 10, 0);
    say("the last byte: %ld; then, no writer left: %ld\n", n, e);
    return 0;
}
