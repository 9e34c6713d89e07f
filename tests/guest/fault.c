/* Dies of SIGSEGV by reading address 0 (argv[1] == "read") or writing to its own code ("write"). */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "write") == 0) {
        *(volatile int *) (void *) main = 1;
    } else {
        printf("%d\n", *(volatile int *) 0);
    }
    return 0;
}
