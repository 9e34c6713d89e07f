/*
 * Helpers of the cgroup v2 tests (cgfiles.c, cgpids.c, cgmem.c): a cgroup file written with one
 * write(2) (each write is one request to a cgroup file), a file read whole, the errno names
 * these tests meet that ttycheck.h's err() does not have, and a child's end reported.
 */
#ifndef CGCHECK_H
#define CGCHECK_H

#include "ttycheck.h"
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define CG "/sys/fs/cgroup"

/* errno's name: ttycheck.h's, and EBUSY, ENODEV, ENOTDIR. */
static inline const char *cgerr(int e) {
    switch (e) {
    case EBUSY: return "EBUSY";
    case ENODEV: return "ENODEV";
    case ENOTDIR: return "ENOTDIR";
    default: return err(e);
    }
}

/* Writes text to path in one write(2); returns 0 or the errno of the open or the write. */
static inline int cgwrite(const char *path, const char *text) {
    int fd = open(path, O_WRONLY);
    if (fd < 0) {
        return errno;
    }
    int e = write(fd, text, strlen(text)) < 0 ? errno : 0;
    close(fd);
    return e;
}

/* Reads path whole into b (NUL-terminated); returns 0 or errno. */
static inline int cgread(const char *path, char *b, size_t size) {
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        b[0] = 0;
        return errno;
    }
    size_t n = 0;
    ssize_t r;
    while (n + 1 < size && (r = read(fd, b + n, size - 1 - n)) > 0) {
        n += r;
    }
    b[n] = 0;
    close(fd);
    return 0;
}

/* The value of "key N" in a flat-keyed file's text (memory.events, pids.events), or -1. */
static inline long cgkey(const char *text, const char *key) {
    size_t k = strlen(key);
    for (const char *p = text; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : p + strlen(p)) {
        if (strncmp(p, key, k) == 0 && p[k] == ' ') {
            return atol(p + k + 1);
        }
    }
    return -1;
}

/* Waits for child and says how it ended, each line after prefix: "child killed by N" or "child exited N". */
static inline void cgreap(pid_t child, const char *prefix) {
    int status;
    waitpid(child, &status, 0);
    if (WIFSIGNALED(status)) {
        say("%schild killed by %d\n", prefix, WTERMSIG(status));
    } else {
        say("%schild exited %d\n", prefix, WEXITSTATUS(status));
    }
}

#endif
