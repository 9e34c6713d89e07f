/*
 * Four child processes print as they compute, racing each other for stdout, and the parent reaps
 * them: natively the interleaving changes from run to run; under --deterministic one task runs at
 * a time and the switches fall at the same instructions, so the output and the trace repeat.
 */
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>

int main(void) {
    for (int i = 0; i < 4; i++) {
        pid_t p = fork();
        if (p < 0) {
            perror("fork");
            return 1;
        }
        if (p == 0) {
            for (int j = 0; j < 5; j++) {
                printf("child %d line %d\n", i, j);
                fflush(stdout);
                for (volatile int k = 0; k < 300000; k++) {
                }
            }
            _exit(10 + i);
        }
    }
    int status, sum = 0, n = 0;
    while (wait(&status) > 0) {
        sum += WEXITSTATUS(status);
        n++;
    }
    printf("reaped %d children, exit codes sum %d\n", n, sum);
    return 0;
}
