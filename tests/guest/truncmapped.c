/* A file one process maps from the page cache, truncated by another: Linux lets the truncation
 * happen and the mapping process dies of SIGBUS at its next touch; under Phoenix that touch would
 * be the host's SIGBUS inside the JVM, so Phoenix refuses to shrink a file another guest process
 * maps (ETXTBSY), and the mapping keeps its bytes. Growing it, and the mapper's own truncation,
 * are allowed. argv[1] is an empty directory. Phoenix's rule, not Linux's: runs under Phoenix only. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *name(int e) {
    return e == 0 ? "ok" : e == ETXTBSY ? "ETXTBSY" : strerror(e);
}

int main(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) != 0) {
        return 2;
    }
    char page[8192];
    memset(page, 'a', sizeof page);
    int fd = open("mapped", O_CREAT | O_RDWR | O_TRUNC, 0644);
    write(fd, page, sizeof page);
    const char *map = mmap(NULL, sizeof page, PROT_READ, MAP_PRIVATE, fd, 0);
    const char *shared = mmap(NULL, sizeof page, PROT_READ, MAP_SHARED, fd, 0);
    printf("mapped: %c %c\n", map[4096], shared[4096]);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        printf("child truncate to 4096: %s\n", name(truncate("mapped", 4096) == 0 ? 0 : errno));
        int w = open("mapped", O_RDWR);
        printf("child ftruncate to 0: %s\n", name(ftruncate(w, 0) == 0 ? 0 : errno));
        printf("child ftruncate to 16384: %s\n", name(ftruncate(w, 16384) == 0 ? 0 : errno));
        int t = open("mapped", O_RDWR | O_TRUNC);
        printf("child open O_TRUNC: %s\n", name(t >= 0 ? 0 : errno));
        return 0;
    }
    int status;
    waitpid(pid, &status, 0);
    printf("still mapped: %c %c\n", map[4096], shared[4096]);
    printf("own ftruncate to 8192: %s\n", name(ftruncate(fd, 8192) == 0 ? 0 : errno));
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
