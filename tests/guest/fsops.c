/* Namespace and descriptor syscalls with their errors, run in an empty directory (argv[1]). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE 1
#endif

static const char *errname(int e) {
    switch (e) {
    case EBADF: return "EBADF";
    case EEXIST: return "EEXIST";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ENOTEMPTY: return "ENOTEMPTY";
    case EPERM: return "EPERM";
    case EFAULT: return "EFAULT";
    case ESPIPE: return "ESPIPE";
    default: return "E?";
    }
}

static void check(const char *what, long r) {
    if (r < 0) {
        printf("%s = -1 %s\n", what, errname(errno));
    } else {
        printf("%s = %ld\n", what, r);
    }
}

static long size_of(const char *p) {
    struct stat st;
    return stat(p, &st) == 0 ? (long) st.st_size : -1;
}

static int mode_of(const char *p) {
    struct stat st;
    return lstat(p, &st) == 0 ? (int) (st.st_mode & 07777) : -1;
}

int main(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) != 0) {
        return 2;
    }
    check("umask(022)", umask(022) >= 0 ? 0 : -1);
    check("mkdir(d, 0755)", mkdir("d", 0755));
    check("mkdir(d) again", mkdir("d", 0755));
    check("mkdir(missing/x)", mkdir("missing/x", 0755));
    printf("mode d = %o\n", mode_of("d"));
    int fd = open("d/f", O_CREAT | O_WRONLY, 0666);
    check("write d/f", write(fd, "0123456789", 10));
    check("ftruncate 4", ftruncate(fd, 4));
    printf("size = %ld\n", size_of("d/f"));
    check("ftruncate 8192", ftruncate(fd, 8192));
    printf("size = %ld\n", size_of("d/f"));
    check("fsync", fsync(fd));
    check("fdatasync", fdatasync(fd));
    close(fd);
    printf("mode d/f (umask 022) = %o\n", mode_of("d/f"));
    check("truncate d/f 3", truncate("d/f", 3));
    printf("size = %ld\n", size_of("d/f"));
    check("truncate(d)", truncate("d", 0));
    check("chmod d/f 0600", chmod("d/f", 0600));
    printf("mode d/f = %o\n", mode_of("d/f"));
    check("chmod missing", chmod("missing", 0600));
    check("chown d/f -1 -1", chown("d/f", -1, -1));
    check("rmdir(d) not empty", rmdir("d"));
    check("unlink(d)", unlink("d"));
    check("rmdir(d/f)", rmdir("d/f"));
    check("link d/f d/g", link("d/f", "d/g"));
    check("link d/f d/g again", link("d/f", "d/g"));
    check("link d d2", link("d", "d2"));
    struct stat st;
    stat("d/f", &st);
    printf("nlink = %ld\n", (long) st.st_nlink);
    check("symlink f d/s", symlink("f", "d/s"));
    check("symlink again", symlink("f", "d/s"));
    char buf[64] = {0};
    check("readlink d/s", readlink("d/s", buf, sizeof buf));
    printf("target = %s\n", buf);
    printf("size via symlink = %ld\n", size_of("d/s"));
    check("readlink d/f (not a link)", readlink("d/f", buf, sizeof buf));
    check("rename d/g d/h", rename("d/g", "d/h"));
    check("rename missing", rename("d/nope", "d/x"));
    check("mkdir e", mkdir("e", 0700));
    check("rename d e (e empty)", rename("d", "e"));
    check("rename e/h e/s (replace)", rename("e/h", "e/s"));
    check("mkdir e/sub", mkdir("e/sub", 0700));
    check("rename e into itself", rename("e", "e/sub/e"));
    check("renameat2 NOREPLACE", syscall(SYS_renameat2, AT_FDCWD, "e/f", AT_FDCWD, "e/s", RENAME_NOREPLACE));
    check("unlink e/s", unlink("e/s"));
    check("unlink e/s again", unlink("e/s"));
    check("unlinkat(e/sub, AT_REMOVEDIR)", unlinkat(AT_FDCWD, "e/sub", AT_REMOVEDIR));
    /* descriptors */
    fd = open("e/f", O_RDONLY);
    int d1 = dup(fd);
    check("dup", d1 > fd ? 0 : -1);
    check("dup2 to 50", dup2(fd, 50));
    check("dup2 same", dup2(fd, fd) == fd ? 0 : -1);
    check("dup3 same", dup3(fd, fd, 0));
    check("dup3 bad flags", dup3(fd, 51, 1));
    check("dup3 cloexec", dup3(fd, 51, O_CLOEXEC));
    check("F_GETFD 51", fcntl(51, F_GETFD));
    check("F_GETFD 50", fcntl(50, F_GETFD));
    check("dup(bad)", dup(99));
    check("close_range 50..51", syscall(SYS_close_range, 50, 51, 0));
    check("close 50", close(50));
    int p[2];
    check("pipe", pipe(p));
    check("write pipe", write(p[1], "through the pipe", 16));
    memset(buf, 0, sizeof buf);
    check("read pipe", read(p[0], buf, sizeof buf));
    printf("got = %s\n", buf);
    check("write to read end", write(p[0], "x", 1));
    close(p[1]);
    check("read at EOF", read(p[0], buf, sizeof buf));
    close(p[0]);
    check("pipe2 nonblock", pipe2(p, O_NONBLOCK | O_CLOEXEC));
    check("read empty nonblocking", read(p[0], buf, 1) < 0 && errno == EAGAIN ? 0 : -1);
    check("pipe2 bad flags", pipe2(p, 1));
    check("pipe(NULL)", pipe(NULL));
    check("sync", syscall(SYS_sync));
    int f = open("synced", O_RDWR | O_CREAT, 0644);
    check("write synced", write(f, "durable", 7));
    check("syncfs", syncfs(f));
    check("syncfs pipe", syncfs(p[0]));
    check("syncfs bad fd", syncfs(99));
    check("sync_file_range write", sync_file_range(f, 0, 0, SYNC_FILE_RANGE_WRITE));
    check("sync_file_range bad flags", sync_file_range(f, 0, 0, 8));
    check("sync_file_range negative offset", sync_file_range(f, -1, 0, 0));
    check("sync_file_range pipe", sync_file_range(p[0], 0, 0, 0));
    int null = open("/dev/null", O_WRONLY);
    check("sync_file_range /dev/null", sync_file_range(null, 0, 0, 0));
    close(null);
    close(f);
    return 0;
}
