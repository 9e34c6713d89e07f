/* Memory syscalls and their errors; argv[1] is an empty directory for the file mapping. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

static void show(const char *what, long r) {
    const char *e = r >= 0 ? "" : errno == EINVAL ? " EINVAL" : errno == ENOMEM ? " ENOMEM" : errno == EEXIST ? " EEXIST"
        : errno == EACCES ? " EACCES" : errno == ENODEV ? " ENODEV" : errno == EBADF ? " EBADF" : " E?";
    printf("%s = %ld%s\n", what, r, e);
}

static long ok(void *p) {
    return p == MAP_FAILED ? -1 : 0;
}

int main(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) != 0) {
        return 2;
    }
    long page = sysconf(_SC_PAGESIZE);
    char *a = mmap(NULL, 4 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    show("mmap anon 4 pages", ok(a));
    show("fresh pages are zero", a[0] == 0 && a[4 * page - 1] == 0);
    memset(a, 'x', 4 * page);
    show("munmap middle page", munmap(a + page, page));
    show("mprotect unmapped page", mprotect(a + page, page, PROT_READ));
    show("mprotect last two pages read-only", mprotect(a + 2 * page, 2 * page, PROT_READ));
    show("still readable", a[3 * page] == 'x');
    show("MAP_FIXED_NOREPLACE over a mapping",
         ok(mmap(a, page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0)));
    show("MAP_FIXED_NOREPLACE into the hole",
         ok(mmap(a + page, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0)));
    show("mmap length 0", ok(mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
    show("mmap without PRIVATE or SHARED", ok(mmap(NULL, page, PROT_READ, MAP_ANONYMOUS, -1, 0)));
    show("mmap unaligned offset", ok(mmap(NULL, page, PROT_READ, MAP_PRIVATE, 0, 1)));
    show("munmap unaligned", munmap(a + 1, page));
    char *b = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    strcpy(b, "moved data");
    char *c = mremap(b, page, 8 * page, MREMAP_MAYMOVE);
    show("mremap grow MAYMOVE", ok(c));
    show("contents kept", strcmp(c, "moved data") == 0);
    show("grown part zero", c[7 * page] == 0);
    show("mremap shrink", ok(mremap(c, 8 * page, 2 * page, 0)));
    show("madvise DONTNEED", madvise(c, page, MADV_DONTNEED));
    show("zero after DONTNEED", c[0] == 0);
    show("msync", msync(c, page, MS_SYNC));
    show("msync unaligned", msync(c + 1, page, MS_SYNC));
    unsigned char vec[2] = {9, 9};
    c[page] = 1;
    show("mincore", mincore(c, 2 * page, vec));
    show("touched page resident", vec[1] & 1);
    int fd = open("data", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, "file contents!", 14);
    char *f = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    show("mmap file private", ok(f));
    show("sees the file", memcmp(f, "file contents!", 14) == 0 && f[14] == 0);
    f[0] = 'F';
    char back[16] = {0};
    pread(fd, back, 14, 0);
    show("private write leaves the file alone", strcmp(back, "file contents!") == 0);
    pwrite(fd, "X", 1, 1);
    show("a written page misses a later write to the file", f[1] != 'X');
    madvise(f, page, MADV_DONTNEED);
    show("DONTNEED gives the file's page back", f[0] == 'f' && f[1] == 'X');
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[512];
    int listed = 0;
    while (fgets(line, sizeof line, maps)) {
        listed |= strstr(line, "/data") != NULL;
    }
    fclose(maps);
    show("listed in /proc/self/maps", listed);
    int wo = open("data", O_WRONLY);
    show("mmap of a write-only fd", ok(mmap(NULL, page, PROT_READ, MAP_PRIVATE, wo, 0)));
    int p[2];
    pipe(p);
    show("mmap of a pipe", ok(mmap(NULL, page, PROT_READ, MAP_PRIVATE, p[0], 0)));
    show("mmap of a bad fd", ok(mmap(NULL, page, PROT_READ, MAP_PRIVATE, 99, 0)));
    return 0;
}
