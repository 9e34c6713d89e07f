/* Calls a syscall number no Linux has, twice: each must fail with ENOSYS. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(void) {
    for (int i = 0; i < 2; i++) {
        errno = 0;
        long r = syscall(4242);
        printf("syscall(4242) = %ld errno=%d\n", r, errno);
    }
    return 0;
}
