/*
 * Copy-on-write through the kernel's own stores: after fork, the kernel writes into a buffer
 * the two processes still share (read(2) into it, the status word of waitpid(2)), and an
 * mprotect(2) to read-only and back: each side must see only its own data.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define SIZE (2 << 20)

static int all(const char *p, char c, size_t n) {
    for (size_t i = 0; i < n; i++) {
        if (p[i] != c) {
            return 0;
        }
    }
    return 1;
}

int main(void) {
    char *buf = mmap(NULL, SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (buf == MAP_FAILED) {
        perror("mmap");
        return 1;
    }
    memset(buf, 'a', SIZE);
    int p[2];
    if (pipe(p) != 0) {
        perror("pipe");
        return 1;
    }
    pid_t pid = fork();
    if (pid == 0) {
        close(p[1]);
        ssize_t n = read(p[0], buf + SIZE / 2, 3); /* the kernel stores into the shared page */
        int ok = n == 3 && memcmp(buf + SIZE / 2, "XYZ", 3) == 0 && all(buf, 'a', SIZE / 2);
        _exit(ok ? 0 : 1);
    }
    close(p[0]);
    if (write(p[1], "XYZ", 3) != 3) {
        perror("write");
        return 1;
    }
    int st;
    waitpid(pid, &st, 0);
    printf("a child's read(2) into a shared page lands in its own copy: %s\n",
            WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "ok" : "FAILED");
    printf("and the parent's buffer is unchanged: %s\n", all(buf, 'a', SIZE) ? "ok" : "FAILED");

    int q[2];
    if (pipe(q) != 0) {
        perror("pipe");
        return 1;
    }
    pid = fork();
    if (pid == 0) {
        char go;
        close(q[1]);
        if (read(q[0], &go, 1) != 1) { /* until the parent has stored into its copy */
            _exit(2);
        }
        _exit(all(buf, 'a', SIZE) ? 0 : 1);
    }
    close(q[0]);
    ssize_t n = pread(open("/proc/self/exe", 0), buf, 16, 0); /* the parent's kernel store */
    buf[SIZE - 1] = 'z';
    if (write(q[1], "g", 1) != 1) {
        perror("write");
        return 1;
    }
    waitpid(pid, &st, 0);
    printf("the parent's pread(2) and store do not reach the child: %s\n",
            n == 16 && WIFEXITED(st) && WEXITSTATUS(st) == 0 ? "ok" : "FAILED");

    pid = fork();
    if (pid == 0) {
        int ok = mprotect(buf, SIZE, PROT_READ) == 0 && mprotect(buf, SIZE, PROT_READ | PROT_WRITE) == 0;
        memset(buf, 'c', SIZE);
        _exit(ok && all(buf, 'c', SIZE) ? 0 : 1);
    }
    waitpid(pid, &st, 0);
    printf("mprotect to read-only and back in the child, then a store: %s\n",
            WIFEXITED(st) && WEXITSTATUS(st) == 0 && buf[0] == '\x7f' && buf[SIZE - 1] == 'z' ? "ok" : "FAILED");
    return 0;
}
