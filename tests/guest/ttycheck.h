/*
 * Helpers shared by guest programs (jobctl.c, pty.c, eventfd.c): say(), which writes a
 * formatted line with one write(2) so that lines of several processes never mix, and errno
 * values as text ("ok" for 0). A program defines _GNU_SOURCE first, then includes this header.
 * Everything is static inline, so a program that uses only some of it still builds under
 * build.sh's -Wall -Werror.
 */
#ifndef TTYCHECK_H
#define TTYCHECK_H

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

/* Writes the formatted text in one write(2); a short write ends the program with 99. */
static inline void say(const char *fmt, ...) {
    char b[1024];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    if (n < 0 || n >= (int) sizeof b || write(1, b, n) != n) {
        _exit(99);
    }
}

/* The name of errno value e, "ok" for 0. */
static inline const char *err(int e) {
    switch (e) {
    case 0: return "ok";
    case EPERM: return "EPERM";
    case ENOENT: return "ENOENT";
    case ESRCH: return "ESRCH";
    case EINTR: return "EINTR";
    case EIO: return "EIO";
    case ENOMEM: return "ENOMEM";
    case EBADF: return "EBADF";
    case ESPIPE: return "ESPIPE";
    case ENXIO: return "ENXIO";
    case EAGAIN: return "EAGAIN";
    case EINVAL: return "EINVAL";
    case ENOTTY: return "ENOTTY";
    case ETIMEDOUT: return "ETIMEDOUT";
    case EACCES: return "EACCES";
    case EFAULT: return "EFAULT";
    case EEXIST: return "EEXIST";
    case EMFILE: return "EMFILE";
    case EPIPE: return "EPIPE";
    case ENAMETOOLONG: return "ENAMETOOLONG";
    case ERANGE: return "ERANGE";
    case ENODATA: return "ENODATA";
    case E2BIG: return "E2BIG";
    case ENOTSOCK: return "ENOTSOCK";
    case EDESTADDRREQ: return "EDESTADDRREQ";
    case EMSGSIZE: return "EMSGSIZE";
    case EPROTOTYPE: return "EPROTOTYPE";
    case ENOPROTOOPT: return "ENOPROTOOPT";
    case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
    case ESOCKTNOSUPPORT: return "ESOCKTNOSUPPORT";
    case EOPNOTSUPP: return "EOPNOTSUPP";
    case EAFNOSUPPORT: return "EAFNOSUPPORT";
    case EADDRINUSE: return "EADDRINUSE";
    case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
    case ENETUNREACH: return "ENETUNREACH";
    case ECONNRESET: return "ECONNRESET";
    case EISCONN: return "EISCONN";
    case ENOTCONN: return "ENOTCONN";
    case ECONNREFUSED: return "ECONNREFUSED";
    case EINPROGRESS: return "EINPROGRESS";
    case EALREADY: return "EALREADY";
    case ELOOP: return "ELOOP";
    default: return "E?";
    }
}

#endif
