/* Benchmark: a store-heavy FNV-1a loop rewriting a 64 KiB buffer argv[1] times (default 1000). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static unsigned char buf[64 * 1024];

int main(int argc, char **argv) {
    long passes = argc > 1 ? atol(argv[1]) : 1000;
    uint32_t h = 2166136261u;
    for (long p = 0; p < passes; p++) {
        for (size_t i = 0; i < sizeof buf; i++) {
            h ^= buf[i] + (unsigned char) i;
            h *= 16777619u;
            buf[i] = (unsigned char) h;
        }
    }
    printf("store: passes=%ld checksum=0x%08x\n", passes, (unsigned) h);
    return 0;
}
