/*
 * Helpers shared by the IPC guest programs (sysvmsg.c, sysvsem.c, sysvshm.c, mqueue.c,
 * ipcns.c): errno names ttycheck.h's err() lacks, and a wait until another process sleeps
 * in a blocking call, read from /proc/PID/stat, so a program acts on a waiter without
 * guessing how long it takes to start waiting. Include after ttycheck.h.
 */
#ifndef IPCCHECK_H
#define IPCCHECK_H

#include <fcntl.h>
#include <string.h>
#include <time.h>

/* The name of errno value e, including the IPC ones. */
static inline const char *ename(int e) {
    switch (e) {
    case EIDRM: return "EIDRM";
    case ENOMSG: return "ENOMSG";
    case EFBIG: return "EFBIG";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EAGAIN: return "EAGAIN";
    case EMSGSIZE: return "EMSGSIZE";
    case EACCES: return "EACCES";
    case ENOSPC: return "ENOSPC";
    case EBADF: return "EBADF";
    case EINVAL: return "EINVAL";
    case EBUSY: return "EBUSY";
    default: return err(e);
    }
}

/* "ok" when r is not -1, else errno's name. */
static inline const char *res(long r) {
    return r == -1 ? ename(errno) : "ok";
}

/* Sleeps 1 ms. */
static inline void ms(void) {
    struct timespec t = {0, 1000000};
    nanosleep(&t, NULL);
}

/* Waits until process pid's state in /proc/PID/stat is S (sleeping), then 20 ms more. */
static inline void wait_sleeping(int pid) {
    char path[64], b[256];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    for (int i = 0; i < 20000; i++) {
        int fd = open(path, O_RDONLY);
        if (fd < 0) {
            return;
        }
        int n = read(fd, b, sizeof b - 1);
        close(fd);
        if (n > 0) {
            b[n] = 0;
            char *p = strrchr(b, ')');
            if (p && p[1] == ' ' && p[2] == 'S') {
                break;
            }
        }
        ms();
    }
    for (int i = 0; i < 20; i++) {
        ms();
    }
}

#endif
