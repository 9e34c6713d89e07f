/* statx, preadv/pwritev, fallocate, copy_file_range and FIONREAD, in an empty directory (argv[1]).
 * statx and copy_file_range go through syscall(2): older libcs lack the wrappers. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

struct sx { /* struct statx, include/uapi/linux/stat.h */
    uint32_t mask, blksize;
    uint64_t attributes;
    uint32_t nlink, uid, gid;
    uint16_t mode, pad1;
    uint64_t ino, size, blocks, attributes_mask;
    struct { int64_t sec; uint32_t nsec; int32_t pad; } atime, btime, ctime, mtime;
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
    uint64_t rest[14];
};

static void show(const char *what, long r) {
    const char *e = r >= 0 ? "" : errno == EINVAL ? " EINVAL" : errno == EOPNOTSUPP ? " EOPNOTSUPP"
        : errno == ENOENT ? " ENOENT" : errno == EBADF ? " EBADF" : " E?";
    printf("%s = %ld%s\n", what, r, e);
}

int main(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) != 0) {
        return 2;
    }
    int fd = open("f", O_CREAT | O_RDWR | O_TRUNC, 0640);
    struct iovec w[2] = {{"hello ", 6}, {"vectors", 7}};
    show("pwritev at 3", pwritev(fd, w, 2, 3));
    char a[4] = {0}, b[16] = {0};
    struct iovec r[2] = {{a, 3}, {b, 10}};
    show("preadv at 3", preadv(fd, r, 2, 3));
    printf("read: '%s' '%s'\n", a, b);
    struct sx x;
    struct stat st;
    memset(&x, 0, sizeof x);
    show("statx", syscall(SYS_statx, AT_FDCWD, "f", 0, 0x7ff, &x));
    stat("f", &st);
    printf("statx agrees with stat: size %d mode %d nlink %d ino %d blocks %d mtime %d\n", x.size == (uint64_t) st.st_size,
           x.mode == st.st_mode, x.nlink == st.st_nlink, x.ino == st.st_ino, x.blocks == (uint64_t) st.st_blocks,
           x.mtime.sec == st.st_mtim.tv_sec && x.mtime.nsec == st.st_mtim.tv_nsec);
    printf("statx mask has basic stats %d, size %llu\n", (x.mask & 0x7ff) == 0x7ff, (unsigned long long) x.size);
    show("statx bad flags", syscall(SYS_statx, AT_FDCWD, "f", 0x6000, 0x7ff, &x));
    show("statx missing", syscall(SYS_statx, AT_FDCWD, "missing", 0, 0x7ff, &x));
    show("statx AT_EMPTY_PATH", syscall(SYS_statx, fd, "", AT_EMPTY_PATH, 0x7ff, &x));
    show("fallocate to 4096", fallocate(fd, 0, 0, 4096));
    fstat(fd, &st);
    printf("size after fallocate = %lld\n", (long long) st.st_size);
    show("fallocate KEEP_SIZE", fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 8192));
    fstat(fd, &st);
    printf("size after KEEP_SIZE = %lld\n", (long long) st.st_size);
    show("fallocate bad len", fallocate(fd, 0, 0, 0));
    int out = open("g", O_CREAT | O_RDWR | O_TRUNC, 0600);
    loff_t in_off = 3, out_off = 0;
    show("copy_file_range 13", syscall(SYS_copy_file_range, fd, &in_off, out, &out_off, 13, 0));
    printf("offsets %lld %lld\n", (long long) in_off, (long long) out_off);
    memset(b, 0, sizeof b);
    pread(out, b, 13, 0);
    printf("copied '%s'\n", b);
    show("copy_file_range bad flags", syscall(SYS_copy_file_range, fd, NULL, out, NULL, 1, 1));
    int p[2];
    pipe(p);
    write(p[1], "12345", 5);
    int avail = -1;
    show("FIONREAD pipe", ioctl(p[0], FIONREAD, &avail));
    printf("available = %d\n", avail);
    lseek(fd, 4000, SEEK_SET);
    show("FIONREAD file", ioctl(fd, FIONREAD, &avail));
    printf("left in file = %d\n", avail);
    return 0;
}
