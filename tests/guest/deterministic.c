/* What a deterministic run fixes: time (virtual, from 2000-01-01 UTC; a sleep takes no host
 * time but moves the clock by exactly its length), randomness, ids and machine figures. */
#define _GNU_SOURCE
#include <stdio.h>
#include <sys/auxv.h>
#include <sys/random.h>
#include <sys/sysinfo.h>
#include <time.h>
#include <unistd.h>

static volatile int ticks;

int main(void) {
    struct timespec t0, t1, m0, m1;
    clock_gettime(CLOCK_REALTIME, &t0);
    clock_gettime(CLOCK_MONOTONIC, &m0);
    struct timespec nap = {5, 0};
    nanosleep(&nap, NULL);
    clock_gettime(CLOCK_REALTIME, &t1);
    clock_gettime(CLOCK_MONOTONIC, &m1);
    printf("start %ld, after a 5 s sleep %ld, monotonic moved %ld ms\n", (long) t0.tv_sec, (long) t1.tv_sec,
           (long) ((m1.tv_sec - m0.tv_sec) * 1000 + (m1.tv_nsec - m0.tv_nsec) / 1000000));
    unsigned char r[8];
    getrandom(r, sizeof r, 0);
    const unsigned char *at = (const unsigned char *) getauxval(AT_RANDOM);
    printf("getrandom %02x%02x%02x%02x%02x%02x%02x%02x, AT_RANDOM %02x%02x%02x%02x\n", r[0], r[1], r[2], r[3],
           r[4], r[5], r[6], r[7], at[0], at[1], at[2], at[3]);
    struct sysinfo si;
    sysinfo(&si);
    printf("pid %d ppid %d, %ld CPUs, %lu MiB RAM, uptime %ld s\n", getpid(), getppid(), sysconf(_SC_NPROCESSORS_ONLN),
           (unsigned long) (si.totalram * si.mem_unit >> 20), si.uptime);
    return 0;
}
