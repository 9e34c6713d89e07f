/*
 * Work interrupted by a storm of alarms computes what it computes without them: a loop adds 1
 * to a counter and to a word of a 16 MiB array (a TLB miss now and then) N times while a
 * 500 µs ITIMER_REAL runs a handler that touches neither. A stop of the emulated CPU that
 * repeats part of the interrupted code shows as a count above N (or a crash).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
static volatile long alarms;
static void on_alarm(int s) { (void)s; alarms++; }
int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 5000000;
    long pages = 4096;
    volatile long *mem = calloc(pages, 4096);
    struct sigaction sa; memset(&sa, 0, sizeof sa); sa.sa_handler = on_alarm; sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 500}, {0, 500}};
    setitimer(ITIMER_REAL, &it, NULL);
    volatile long counter = 0;
    for (long i = 0; i < n; i++) {
        mem[(i * 4099 % (pages * 512))] += 1; /* a TLB miss now and then */
        counter++;
    }
    long sum = 0;
    for (long i = 0; i < pages * 512; i++) sum += mem[i];
    printf("counter %s, memory %s, alarms %s\n", counter == n ? "exact" : "WRONG", sum == n ? "exact" : "WRONG", alarms > 0 ? "came" : "none");
    if (counter != n || sum != n) printf("counter %ld sum %ld n %ld\n", counter, sum, n);
    return 0;
}
