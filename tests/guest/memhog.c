/* Touches argv[1] MiB of fresh anonymous memory, one store per page, then says so: under a
   memory limit smaller than that, the OOM killer ends it with SIGKILL before it can. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>

int main(int argc, char **argv) {
    size_t size = (size_t) (argc > 1 ? atoi(argv[1]) : 64) << 20;
    char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        return 3;
    }
    for (size_t i = 0; i < size; i += 4096) {
        p[i] = 1;
    }
    printf("touched %zu MiB\n", size >> 20);
    return 0;
}
