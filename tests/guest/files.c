/* File syscalls through libc, with their errors: run in an empty directory given as argv[1].
 * Prints one line per check so a difference shows exactly where. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Names of the errno values checked here (musl has no strerrorname_np). */
static const char *errname(int e) {
    switch (e) {
    case EBADF: return "EBADF";
    case EEXIST: return "EEXIST";
    case EINVAL: return "EINVAL";
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case EISDIR: return "EISDIR";
    case ERANGE: return "ERANGE";
    case ESPIPE: return "ESPIPE";
    case EACCES: return "EACCES";
    case ELOOP: return "ELOOP";
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

static int cmp(const void *a, const void *b) {
    return strcmp(*(char *const *) a, *(char *const *) b);
}

int main(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) != 0) {
        fprintf(stderr, "usage: files EMPTY-DIR\n");
        return 2;
    }
    char buf[64];
    int fd = open("a.txt", O_CREAT | O_WRONLY | O_TRUNC, 0644);
    check("open(a.txt, O_CREAT|O_WRONLY)", fd >= 0 ? 0 : -1);
    check("write", write(fd, "hello, files\n", 13));
    check("pwrite at 7", pwrite(fd, "FILES", 5, 7));
    check("read on O_WRONLY", read(fd, buf, 4));
    check("close", close(fd));
    check("close again", close(fd));
    check("open(a.txt, O_CREAT|O_EXCL)", open("a.txt", O_CREAT | O_EXCL | O_RDONLY, 0644));
    fd = open("a.txt", O_RDONLY);
    memset(buf, 0, sizeof buf);
    check("read", read(fd, buf, sizeof buf - 1));
    printf("content: %s", buf);
    check("lseek SEEK_SET 7", lseek(fd, 7, SEEK_SET));
    memset(buf, 0, sizeof buf);
    check("read after seek", read(fd, buf, 5));
    printf("content: %s\n", buf);
    check("lseek SEEK_END", lseek(fd, 0, SEEK_END));
    check("lseek negative", lseek(fd, -100, SEEK_SET));
    check("lseek bad whence", lseek(fd, 0, 42));
    memset(buf, 0, sizeof buf);
    check("pread at 0", pread(fd, buf, 5, 0));
    printf("content: %s\n", buf);
    check("write on O_RDONLY", write(fd, "x", 1));
    struct stat st;
    check("fstat", fstat(fd, &st));
    printf("size=%lld regular=%d mode=%o\n", (long long) st.st_size, S_ISREG(st.st_mode), st.st_mode & 0777);
    check("close", close(fd));
    check("open(missing)", open("missing", O_RDONLY));
    check("open(a.txt/x)", open("a.txt/x", O_RDONLY));
    check("open(a.txt, O_DIRECTORY)", open("a.txt", O_RDONLY | O_DIRECTORY));
    check("open(new, O_CREAT|O_DIRECTORY)", open("new", O_RDONLY | O_CREAT | O_DIRECTORY, 0644));
    check("stat(new)", stat("new", &st));
    check("open(., O_WRONLY)", open(".", O_WRONLY));
    fd = open("a.txt", O_WRONLY | O_RDWR); /* access mode 3: ioctl-only, neither read nor write */
    check("open access mode 3", fd >= 0 ? 0 : -1);
    check("read on mode 3", read(fd, buf, 1));
    check("write on mode 3", write(fd, buf, 1));
    check("close", close(fd));
    check("stat(a.txt)", stat("a.txt", &st));
    check("stat(missing)", stat("missing", &st));
    check("lstat(a.txt/)", lstat("a.txt/", &st));
    check("access(a.txt, R_OK|W_OK)", access("a.txt", R_OK | W_OK));
    check("access(missing, F_OK)", access("missing", F_OK));
    check("access bad mode", access("a.txt", 0100));
    check("fstat(bad fd)", fstat(99, &st));
    check("read(bad fd)", read(-1, buf, 1));
    char cwd[256];
    check("getcwd small buffer", getcwd(cwd, 2) == NULL ? -1 : 0);
    check("getcwd", getcwd(cwd, sizeof cwd) == NULL ? -1 : 0);
    printf("cwd ends with argv[1] basename: %d\n", strcmp(strrchr(cwd, '/'), strrchr(argv[1], '/')) == 0);
    check("chdir(a.txt)", chdir("a.txt"));
    check("chdir(missing)", chdir("missing"));
    DIR *d = opendir(".");
    char *names[16];
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL && n < 16) {
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp);
    for (int i = 0; i < n; i++) {
        printf("dirent: %s\n", names[i]);
    }
    fd = open("..", O_RDONLY | O_DIRECTORY);
    check("open(.., O_DIRECTORY)", fd >= 0 ? 0 : -1);
    check("read on a directory", read(fd, buf, 1));
    check("fchdir(..)", fchdir(fd));
    check("getcwd after fchdir", getcwd(cwd, sizeof cwd) == NULL ? -1 : 0);
    printf("cwd is parent: %d\n", strncmp(cwd, argv[1], strlen(cwd)) == 0 && strlen(cwd) < strlen(argv[1]));
    return 0;
}
