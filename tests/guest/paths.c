/* Opens paths as the arguments say and prints the first line of each, or the error:
 *   cat PATH        open(PATH) and read
 *   cd DIR          chdir(DIR)
 *   at DIR PATH     open DIR, chdir("/"), then openat(dirfd, PATH) and read
 *   link PATH       readlink(PATH)
 *   hard OLD NEW    linkat(OLD, NEW) following a symlink OLD (AT_SYMLINK_FOLLOW)
 * Used to check that no path leads out of --rootfs. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *errname(int e) {
    switch (e) {
    case ENOENT: return "ENOENT";
    case ENOTDIR: return "ENOTDIR";
    case ELOOP: return "ELOOP";
    case EACCES: return "EACCES";
    case EISDIR: return "EISDIR";
    case EINVAL: return "EINVAL";
    default: return "E?";
    }
}

static void show(const char *label, int fd) {
    if (fd < 0) {
        printf("%s: -1 %s\n", label, errname(errno));
        return;
    }
    char buf[128] = {0};
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n < 0) {
        printf("%s: read -1 %s\n", label, errname(errno));
        return;
    }
    buf[strcspn(buf, "\n")] = 0;
    printf("%s: %s\n", label, buf);
}

int main(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "cat") == 0 && i + 1 < argc) {
            show(argv[i + 1], open(argv[i + 1], O_RDONLY));
            i += 1;
        } else if (strcmp(argv[i], "cd") == 0 && i + 1 < argc) {
            int r = chdir(argv[i + 1]);
            printf("cd %s: %d %s\n", argv[i + 1], r, r < 0 ? errname(errno) : "");
            i += 1;
        } else if (strcmp(argv[i], "at") == 0 && i + 2 < argc) {
            int dirfd = open(argv[i + 1], O_RDONLY | O_DIRECTORY);
            if (chdir("/") != 0) {
                return 1;
            }
            char label[256];
            snprintf(label, sizeof label, "%s + %s", argv[i + 1], argv[i + 2]);
            show(label, dirfd < 0 ? dirfd : openat(dirfd, argv[i + 2], O_RDONLY));
            i += 2;
        } else if (strcmp(argv[i], "link") == 0 && i + 1 < argc) {
            char buf[256] = {0};
            ssize_t n = readlink(argv[i + 1], buf, sizeof buf - 1);
            printf("link %s: %s\n", argv[i + 1], n < 0 ? errname(errno) : buf);
            i += 1;
        } else if (strcmp(argv[i], "hard") == 0 && i + 2 < argc) {
            int r = linkat(AT_FDCWD, argv[i + 1], AT_FDCWD, argv[i + 2], AT_SYMLINK_FOLLOW);
            printf("hard %s %s: %s\n", argv[i + 1], argv[i + 2], r < 0 ? errname(errno) : "0");
            i += 2;
        } else {
            fprintf(stderr, "paths: bad argument %s\n", argv[i]);
            return 2;
        }
    }
    return 0;
}
