/* getdents(2), x86_64's legacy directory call: struct linux_dirent is d_ino, d_off, d_reclen and
 * the name, with d_type as the record's last byte (getdents64 puts it before the name). Checks
 * the records of a directory of known files, resuming at a d_off, EINVAL for a buffer too small
 * for one record, the errors, and that getdents64 reads the same. aarch64 and riscv64 have only
 * getdents64 (asm-generic numbering): there the same checks run on it, so every target prints
 * the same lines. Works in a new directory under argv[1]. Each call is made before its printf. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef SYS_getdents
#define GETDENTS SYS_getdents
#define NAME_AT 18                        /* d_ino, d_off, d_reclen, then d_name */
#define TYPE_AT(reclen) ((reclen) - 1)    /* the last byte of the record */
#else
#define GETDENTS SYS_getdents64
#define NAME_AT 19                        /* d_ino, d_off, d_reclen, d_type, then d_name */
#define TYPE_AT(reclen) 18
#endif

struct entry {
    char name[64];
    int type, reclen, nul;
    uint64_t ino;
    int64_t off;
};

static char dir[4096];

/* Parses n bytes of records in the given layout into e; returns how many. */
static int parse(const char *buf, long n, struct entry *e, int max, int name_at, int legacy) {
    int count = 0;
    for (long pos = 0; pos < n && count < max; count++) {
        const char *rec = buf + pos;
        struct entry *x = &e[count];
        memcpy(&x->ino, rec, 8);
        memcpy(&x->off, rec + 8, 8);
        uint16_t reclen;
        memcpy(&reclen, rec + 16, 2);
        x->reclen = reclen;
        snprintf(x->name, sizeof x->name, "%s", rec + name_at);
        x->nul = rec[name_at + strlen(rec + name_at)] == 0 && name_at + (int) strlen(rec + name_at) < reclen;
        x->type = (unsigned char) rec[legacy ? reclen - 1 : 18];
        pos += reclen;
    }
    return count;
}

static int by_name(const void *a, const void *b) {
    return strcmp(((const struct entry *) a)->name, ((const struct entry *) b)->name);
}

static const char *type_name(int t) {
    switch (t) {
    case DT_DIR: return "DT_DIR";
    case DT_REG: return "DT_REG";
    case DT_LNK: return "DT_LNK";
    case DT_UNKNOWN: return "DT_UNKNOWN";
    default: return "other";
    }
}

static void show(const char *what, long r) {
    printf("%s = %ld%s\n", what, r, r >= 0 ? "" : errno == EINVAL ? " EINVAL" : errno == EBADF ? " EBADF"
                                           : errno == ENOTDIR ? " ENOTDIR" : errno == EFAULT ? " EFAULT" : " E?");
}

static void make(const char *name, const char *link_to, int is_dir) {
    char path[4200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    if (is_dir) {
        mkdir(path, 0755);
    } else if (link_to) {
        symlink(link_to, path);
    } else {
        close(open(path, O_CREAT | O_WRONLY, 0644));
    }
}

int main(int argc, char **argv) {
    static char buf[4096], buf64[4096];
    static struct entry e[16], sorted[16], e64[16];
    if (argc < 2 || snprintf(dir, sizeof dir, "%s/getdents", argv[1]) >= (int) sizeof dir - 64 || mkdir(dir, 0755) != 0) {
        perror("usage: getdents WORKDIR");
        return 1;
    }
    make("file", NULL, 0);
    make("a-name-of-twenty-nine-letters", NULL, 0);
    make("sub", NULL, 1);
    make("link", "file", 0);
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    long n = syscall(GETDENTS, fd, buf, sizeof buf);
    int count = parse(buf, n, e, 16, NAME_AT, GETDENTS != SYS_getdents64);
    printf("first call: %d entries, %s\n", count, n > 0 ? "bytes returned" : "nothing");
    memcpy(sorted, e, sizeof e);
    qsort(sorted, count, sizeof sorted[0], by_name);
    for (int i = 0; i < count; i++) {
        char path[4200];
        struct stat st;
        if (snprintf(path, sizeof path, "%s/%s", dir, sorted[i].name) >= (int) sizeof path || lstat(path, &st) != 0) {
            printf("%s: cannot lstat\n", sorted[i].name);
            continue;
        }
        printf("%s: %s reclen %d, NUL-terminated %d, d_ino is lstat's %d\n", sorted[i].name,
               type_name(sorted[i].type), sorted[i].reclen, sorted[i].nul, sorted[i].ino == (uint64_t) st.st_ino);
    }
    show("second call", syscall(GETDENTS, fd, buf, sizeof buf));

    lseek(fd, e[1].off, SEEK_SET);
    static char again[4096];
    struct entry next;
    n = syscall(GETDENTS, fd, again, sizeof again);
    parse(again, n, &next, 1, NAME_AT, GETDENTS != SYS_getdents64);
    printf("resumed at the second record's d_off: the third comes next %d\n", strcmp(next.name, e[2].name) == 0);

    lseek(fd, 0, SEEK_SET);
    show("exact fit for the first record", syscall(GETDENTS, fd, again, e[0].reclen) == e[0].reclen);
    lseek(fd, 0, SEEK_SET);
    show("one byte short", syscall(GETDENTS, fd, again, e[0].reclen - 1));
    show("count 0", syscall(GETDENTS, fd, again, 0));
    show("and the record was kept for the next call", syscall(GETDENTS, fd, again, sizeof again) == n + e[0].reclen + e[1].reclen);
    show("bad fd", syscall(GETDENTS, 99, again, sizeof again));
    char path[4200];
    snprintf(path, sizeof path, "%s/file", dir);
    int file = open(path, O_RDONLY);
    show("regular file", syscall(GETDENTS, file, again, sizeof again));
    close(file);
    lseek(fd, 0, SEEK_SET);
    show("unmapped buffer", syscall(GETDENTS, fd, (void *) 16, sizeof again));

    lseek(fd, 0, SEEK_SET);
    long n64 = syscall(SYS_getdents64, fd, buf64, sizeof buf64);
    int count64 = parse(buf64, n64, e64, 16, 19, 0);
    int same = count64 == count;
    for (int i = 0; same && i < count; i++) {
        same = strcmp(e[i].name, e64[i].name) == 0 && e[i].type == e64[i].type && e[i].ino == e64[i].ino
               && e[i].off == e64[i].off && e[i].reclen == e64[i].reclen;
    }
    printf("getdents64 reads the same records %d\n", same);
    close(fd);

    const char *names[] = {"file", "a-name-of-twenty-nine-letters", "link"};
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/sub", dir);
    rmdir(path);
    rmdir(dir);
    return 0;
}
