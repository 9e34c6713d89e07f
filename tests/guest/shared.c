/* MAP_SHARED file mappings: stores reach the file, file writes show in the mapping, pages past
 * the end of the file raise SIGBUS until the file grows; argv[1] is an empty directory. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static sigjmp_buf back;
static volatile int bus_code;
static void *volatile bus_addr;

static void on_bus(int sig, siginfo_t *si, void *uc) {
    (void) sig;
    (void) uc;
    bus_code = si->si_code;
    bus_addr = si->si_addr;
    siglongjmp(back, 1);
}

/* Touches *p (reading, or writing when write is set); returns "ok", or the signal's si_code and
 * whether si_addr named p. */
static const char *touch(volatile char *p, int write) {
    static char out[64];
    bus_code = 0;
    if (sigsetjmp(back, 1) == 0) {
        if (write) {
            *p = 'w';
        } else {
            (void) *p;
        }
        return "ok";
    }
    snprintf(out, sizeof out, "SIGBUS code %s, si_addr %s", bus_code == BUS_ADRERR ? "BUS_ADRERR" : "other",
             bus_addr == (void *) p ? "exact" : "wrong");
    return out;
}

static void show(const char *what, long r) {
    const char *e = r >= 0 ? "" : errno == EINVAL ? " EINVAL" : errno == EACCES ? " EACCES" : errno == EFAULT ? " EFAULT"
        : errno == ENODEV ? " ENODEV" : errno == ENOMEM ? " ENOMEM" : " E?";
    printf("%s = %ld%s\n", what, r, e);
}

static long ok(void *p) {
    return p == MAP_FAILED ? -1 : 0;
}

static long file_size(int fd) {
    struct stat st;
    fstat(fd, &st);
    return st.st_size;
}

/* The /proc/self/maps line of the mapping at p, checked against the file's identity. */
static void maps_line(const char *what, void *p, int fd) {
    struct stat st;
    fstat(fd, &st);
    char want[64], line[512], perms[8];
    snprintf(want, sizeof want, "%lx-", (unsigned long) p);
    FILE *maps = fopen("/proc/self/maps", "r");
    while (fgets(line, sizeof line, maps)) {
        if (strncmp(line, want, strlen(want)) == 0) {
            unsigned long start, end, offset, inode;
            unsigned maj, min;
            sscanf(line, "%lx-%lx %7s %lx %x:%x %lu", &start, &end, perms, &offset, &maj, &min, &inode);
            printf("%s: %s offset %lx pages %lu device %s inode %s name %s", what, perms, offset,
                   (end - start) / sysconf(_SC_PAGESIZE), maj == major(st.st_dev) && min == minor(st.st_dev) ? "same" : "other",
                   inode == st.st_ino ? "same" : "other", strrchr(line, '/') ? strrchr(line, '/') : "none\n");
        }
    }
    fclose(maps);
}

int main(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) != 0) {
        return 2;
    }
    struct sigaction sa = {0};
    sa.sa_sigaction = on_bus;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGBUS, &sa, NULL);
    long page = sysconf(_SC_PAGESIZE);

    int fd = open("shared", O_CREAT | O_RDWR | O_TRUNC, 0644);
    ftruncate(fd, page + 100);
    char *m = mmap(NULL, 3 * page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    show("mmap 3 pages of a 1-page+100 file, MAP_SHARED", ok(m));
    memcpy(m, "stored", 6);
    char buf[16] = {0};
    pread(fd, buf, 6, 0);
    printf("pread sees the store: %s\n", buf);
    pwrite(fd, "written", 7, 10);
    printf("mapping sees pwrite: %.7s\n", m + 10);
    maps_line("maps", m, fd);
    printf("last byte of the file: %s\n", touch(m + page + 99, 1));
    printf("rest of its page: %s, reads %d\n", touch(m + page + 200, 1), m[page + 300]);
    show("file size unchanged by stores past the end", file_size(fd));
    printf("page past the end: %s\n", touch(m + 2 * page + 8, 0));
    int p[2];
    pipe(p);
    show("write(2) from the page past the end", write(p[1], m + 2 * page, 1));
    show("madvise DONTNEED", madvise(m, page, MADV_DONTNEED));
    printf("after DONTNEED: %.6s\n", m);
    ftruncate(fd, 3 * page);
    printf("after growing the file: %s, reads %d\n", touch(m + 2 * page + 8, 0), m[2 * page + 8]);
    m[2 * page] = 'G';
    pread(fd, buf, 1, 2 * page);
    printf("store in the grown page reaches the file: %c\n", buf[0]);
    ftruncate(fd, 100);
    printf("after shrinking the file: %s\n", touch(m + page, 0));
    printf("first page still there: %.6s\n", m);
    show("msync MS_SYNC", msync(m, page, MS_SYNC));
    ftruncate(fd, 2 * page);
    m[page] = 'R';
    char *r = mremap(m, 3 * page, 4 * page, MREMAP_MAYMOVE);
    show("mremap MAYMOVE of the shared mapping", ok(r));
    printf("moved mapping sees the file: %.6s %c\n", r, r[page]);
    r[1] = 'T';
    pread(fd, buf, 2, 0);
    printf("store after the move reaches the file: %.2s\n", buf);
    printf("moved mapping past the end: %s\n", touch(r + 3 * page, 0));
    show("munmap", munmap(r, 4 * page));
    close(p[0]);
    close(p[1]);

    char *c = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    c[2] = 'C';
    int fd2 = open("shared", O_RDONLY);
    pread(fd2, buf, 3, 0);
    printf("mapping outlives its fd: %.3s\n", buf);
    show("munmap", munmap(c, page));
    show("MAP_SHARED PROT_WRITE of an O_RDONLY fd", ok(mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, fd2, 0)));
    char *ro = mmap(NULL, page, PROT_READ, MAP_SHARED, fd2, 0);
    show("MAP_SHARED PROT_READ of an O_RDONLY fd", ok(ro));
    show("mprotect it writable", mprotect(ro, page, PROT_READ | PROT_WRITE));
    int fd3 = open("shared", O_WRONLY);
    pwrite(fd3, "XYZ", 3, 0);
    printf("read-only mapping sees a later write: %.3s\n", ro);
    maps_line("maps", ro, fd2);
    char *beyond = mmap(NULL, page, PROT_READ, MAP_SHARED, fd2, 8 * page);
    show("mmap at an offset past the end", ok(beyond));
    printf("reading it: %s\n", touch(beyond, 0));
    int proc = open("/proc/self/status", O_RDONLY);
    show("MAP_SHARED of a /proc file", ok(mmap(NULL, page, PROT_READ, MAP_SHARED, proc, 0)));
    int zero = open("/dev/zero", O_RDWR);
    char *z = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_SHARED, zero, 0);
    show("MAP_SHARED of /dev/zero", ok(z));
    z[5] = 1;
    printf("/dev/zero mapping: %d %d\n", z[0], z[5]);
    return 0;
}
