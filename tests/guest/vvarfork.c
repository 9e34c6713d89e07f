/* Phoenix's [vvar]: the vDSO's clock functions ring a doorbell page, and Phoenix writes the time
 * into the data page below it, two pages under AT_SYSINFO_EHDR. Each process must have its own:
 * processes run in parallel, and a clock read in one must never see the time written for another
 * (nginx's workers, sharing their parent's page, read their monotonic clock going back a second).
 * The parent takes a snapshot of its data page, a child reads the clock 10,000 times, and the
 * parent's page must be as it was. Phoenix's layout, not Linux's: the test runs under Phoenix only. */
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(void) {
    const unsigned char *data = (const unsigned char *) (getauxval(AT_SYSINFO_EHDR) - 2 * 4096);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    unsigned char before[24];
    memcpy(before, data, sizeof before);
    pid_t pid = fork();
    if (pid == 0) {
        long backward = 0;
        struct timespec last = {0, 0};
        for (int i = 0; i < 10000; i++) {
            clock_gettime(CLOCK_MONOTONIC, &ts);
            backward += ts.tv_sec < last.tv_sec || (ts.tv_sec == last.tv_sec && ts.tv_nsec < last.tv_nsec);
            last = ts;
        }
        printf("child: clock went back %ld times\n", backward);
        return 0;
    }
    int status;
    waitpid(pid, &status, 0);
    printf("parent's vvar untouched by the child: %d\n", memcmp(before, data, sizeof before) == 0);
    clock_gettime(CLOCK_MONOTONIC, &ts);
    printf("parent's vvar written by its own call: %d\n", memcmp(before, data, sizeof before) != 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
