/*
 * Helpers shared by the mount tests (mounts.c, mountns.c): the test's directory (base, which the
 * program fills with mkdtemp), paths under it, and results as errno names (ttycheck.h's and the
 * mount calls' own). A program defines _GNU_SOURCE first, then includes this header.
 */
#ifndef MOUNTCHECK_H
#define MOUNTCHECK_H

#include "ttycheck.h"

static char base[64];

/* errno names beyond ttycheck.h's. */
static inline const char *merr(int e) {
    switch (e) {
    case EROFS: return "EROFS";
    case ENOSPC: return "ENOSPC";
    case EBUSY: return "EBUSY";
    case EXDEV: return "EXDEV";
    case ENOTDIR: return "ENOTDIR";
    case ENODEV: return "ENODEV";
    default: return err(e);
    }
}

/* base/name in a static buffer of its own (four in turn). */
static inline const char *at(const char *name) {
    static char bufs[4][128];
    static int next;
    char *b = bufs[next++ % 4];
    snprintf(b, sizeof bufs[0], "%s/%s", base, name);
    return b;
}

/* "WHAT: ok" or "WHAT: ERRNO" for a call's result. */
static inline void result(const char *what, long r) {
    say("%s: %s\n", what, r < 0 ? merr(errno) : "ok");
}

#endif
