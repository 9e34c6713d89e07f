/*
 * The stack grows down on demand up to RLIMIT_STACK; overflowing it raises SIGSEGV, which a
 * handler on the alternate stack can catch; a MAP_GROWSDOWN mapping grows the same way.
 */
#define _GNU_SOURCE
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

static sigjmp_buf env;
static volatile int caught_on_alt;
static char *alt;

static long stack_size(void) {
    char line[512];
    long lo, hi, size = -1;
    FILE *f = fopen("/proc/self/maps", "r");
    while (f && fgets(line, sizeof line, f)) {
        if (strstr(line, "[stack]") && sscanf(line, "%lx-%lx", &lo, &hi) == 2) size = hi - lo;
    }
    if (f) fclose(f);
    return size;
}

static long mapping_size(unsigned long inside) {
    char line[512];
    unsigned long lo, hi;
    long size = -1;
    FILE *f = fopen("/proc/self/maps", "r");
    while (f && fgets(line, sizeof line, f)) {
        if (sscanf(line, "%lx-%lx", &lo, &hi) == 2 && inside >= lo && inside < hi) size = hi - lo;
    }
    if (f) fclose(f);
    return size;
}

static long deep(int depth) {
    volatile char buf[64 * 1024];
    memset((char *)buf, depth, sizeof buf);
    return depth == 0 ? buf[100] : deep(depth - 1) + buf[depth];
}

static volatile long limit = -1;

static long forever(long n) {
    volatile char buf[4096];
    buf[0] = (char)n;
    return n == limit ? 0 : forever(n + 1) + buf[0];
}

static void on_segv(int sig) {
    char here;
    caught_on_alt = sig == SIGSEGV && &here >= alt && &here < alt + 65536;
    siglongjmp(env, 1);
}

int main(void) {
    struct rlimit rl = {8 << 20, 8 << 20};
    getrlimit(RLIMIT_STACK, &rl);
    rl.rlim_cur = 8 << 20;
    if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < rl.rlim_cur) rl.rlim_cur = rl.rlim_max;
    printf("setrlimit(STACK, 8 MiB) = %d\n", setrlimit(RLIMIT_STACK, &rl));
    long initial = stack_size();
    printf("initial [stack] under 1 MiB: %d\n", initial > 0 && initial < (1 << 20));
    printf("2 MiB of recursion: %ld\n", deep(32));
    printf("[stack] grew past 2 MiB: %d\n", stack_size() >= (2 << 20));

    alt = malloc(65536);
    stack_t ss = {.ss_sp = alt, .ss_size = 65536, .ss_flags = 0};
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_segv;
    sa.sa_flags = SA_ONSTACK;
    sigaction(SIGSEGV, &sa, NULL);
    if (sigsetjmp(env, 1) == 0) {
        forever(0);
        printf("no overflow\n");
    } else {
        long size = stack_size();
        printf("overflow: SIGSEGV caught on the alternate stack: %d\n", caught_on_alt);
        printf("[stack] stopped at RLIMIT_STACK: %d\n", size > (7 << 20) && size <= (8 << 20));
    }

    long page = sysconf(_SC_PAGESIZE);
    char *want = (char *)0x200000000UL;
    char *g = mmap(want, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_GROWSDOWN | MAP_FIXED_NOREPLACE,
                   -1, 0);
    printf("mmap MAP_GROWSDOWN at 0x200000000: %d\n", g == want);
    if (g == want) {
        volatile char *below = (volatile char *)((unsigned long)g - 3 * page);
        below[2 * page] = 7;
        below[0] = 9;
        printf("MAP_GROWSDOWN grew to %ld pages, values %d %d\n", mapping_size((unsigned long)g - 1) / page,
               below[2 * page], below[0]);
    }
    return 0;
}
