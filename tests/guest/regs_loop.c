/* Benchmark: register-only work, xorshift64 for argv[1] iterations (default 100000000). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 100000000;
    uint64_t x = 88172645463325252ull;
    for (long i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    printf("regs: iterations=%ld result=0x%016llx\n", n, (unsigned long long) x);
    return 0;
}
