/* openat2(2) and its RESOLVE_* flags, in an empty directory (argv[1]). Through syscall(2):
 * libcs of this vintage have no wrapper. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

struct how { uint64_t flags, mode, resolve; };
#define NO_XDEV 0x01
#define NO_MAGICLINKS 0x02
#define NO_SYMLINKS 0x04
#define BENEATH 0x08
#define IN_ROOT 0x10
#define CACHED 0x20

static int dir;

static void try(const char *label, const char *path, uint64_t flags, uint64_t mode, uint64_t resolve) {
    struct how h = {flags, mode, resolve};
    long fd = syscall(437, dir, path, &h, sizeof h);
    const char *e = fd >= 0 ? "" : errno == EXDEV ? " EXDEV" : errno == ELOOP ? " ELOOP" : errno == EINVAL ? " EINVAL"
        : errno == ENOENT ? " ENOENT" : errno == EAGAIN ? " EAGAIN" : errno == E2BIG ? " E2BIG" : " E?";
    printf("%s = %s%s\n", label, fd >= 0 ? "ok" : "-1", e);
    if (fd >= 0) {
        close((int) fd);
    }
}

int main(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) != 0) {
        return 2;
    }
    mkdir("d", 0755);
    mkdir("d/sub", 0755);
    close(open("d/file", O_CREAT | O_WRONLY, 0644));
    close(open("top", O_CREAT | O_WRONLY, 0644));
    symlink("file", "d/rel");
    symlink("/top", "d/abs");
    symlink("../top", "d/up");
    dir = open("d", O_RDONLY | O_DIRECTORY);
    try("plain", "file", O_RDONLY, 0, 0);
    try("relative symlink", "rel", O_RDONLY, 0, 0);
    try("NO_SYMLINKS on a symlink", "rel", O_RDONLY, 0, NO_SYMLINKS);
    try("NO_SYMLINKS on a plain file", "file", O_RDONLY, 0, NO_SYMLINKS);
    try("BENEATH inside", "sub/../file", O_RDONLY, 0, BENEATH);
    try("BENEATH with ..", "../top", O_RDONLY, 0, BENEATH);
    try("BENEATH absolute path", "/etc/passwd", O_RDONLY, 0, BENEATH);
    try("BENEATH through an upward symlink", "up", O_RDONLY, 0, BENEATH);
    try("IN_ROOT with ..", "../../file", O_RDONLY, 0, IN_ROOT);
    try("IN_ROOT absolute path", "/file", O_RDONLY, 0, IN_ROOT);
    try("IN_ROOT absolute symlink", "abs", O_RDONLY, 0, IN_ROOT);
    try("NO_MAGICLINKS /proc/self/cwd", "/proc/self/cwd", O_RDONLY, 0, NO_MAGICLINKS);
    try("NO_XDEV into /proc", "/proc/self/status", O_RDONLY, 0, NO_XDEV);
    try("unknown resolve flag", "file", O_RDONLY, 0, 0x400);
    try("mode without O_CREAT", "file", O_RDONLY, 0644, 0);
    try("BENEATH|IN_ROOT", "file", O_RDONLY, 0, BENEATH | IN_ROOT);
    try("CACHED", "file", O_RDONLY, 0, CACHED);
    try("CACHED with O_CREAT", "new", O_RDONLY | O_CREAT, 0600, CACHED);
    struct { struct how h; uint64_t extra; } big = {{O_RDONLY, 0, 0}, 1};
    long r = syscall(437, dir, "file", &big, sizeof big);
    printf("larger struct with a nonzero field = %ld%s\n", r, r < 0 && errno == E2BIG ? " E2BIG" : "");
    struct how small = {O_RDONLY, 0, 0};
    r = syscall(437, dir, "file", &small, 16);
    printf("struct too small = %ld%s\n", r, r < 0 && errno == EINVAL ? " EINVAL" : "");
    return 0;
}
