/*
 * An open file keeps working after its name is gone: fstat, ftruncate and a file from tmpfile(3),
 * which is unlinked at once. Phoenix stat'ed the file by its path, so each of these failed ENOENT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

int main(void) {
    char path[] = "/tmp/phoenix-unlinked-XXXXXX";
    int fd = mkstemp(path);
    write(fd, "hello", 5);
    unlink(path);
    struct stat st;
    int r = fstat(fd, &st);
    printf("fstat after unlink = %d, size %ld, links %ld\n", r, (long) st.st_size, (long) st.st_nlink);
    r = ftruncate(fd, 100);
    fstat(fd, &st);
    printf("ftruncate after unlink = %d, size %ld\n", r, (long) st.st_size);
    char renamed[] = "/tmp/phoenix-unlinked-XXXXXX";
    int fd2 = mkstemp(renamed);
    write(fd2, "abc", 3);
    char other[64];
    snprintf(other, sizeof other, "%s.moved", renamed);
    rename(renamed, other);
    r = fstat(fd2, &st);
    printf("fstat after rename = %d, size %ld\n", r, (long) st.st_size);
    unlink(other);
    FILE *t = tmpfile();
    fputs("abcd", t);
    fflush(t);
    r = fstat(fileno(t), &st);
    printf("tmpfile fstat = %d, size %ld\n", r, (long) st.st_size);
    return 0;
}
