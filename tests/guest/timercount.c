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
/* Adds 1 n times to a counter and to words of mem; prints whether both came out exact. */
static void count(const char *phase, long n, volatile long *mem, long words) {
    for (long i = 0; i < words; i++) mem[i] = 0;
    volatile long counter = 0;
    for (long i = 0; i < n; i++) {
        mem[(i * 4099 % words)] += 1; /* a TLB miss now and then */
        counter++;
    }
    long sum = 0;
    for (long i = 0; i < words; i++) sum += mem[i];
    printf("%s: counter %s, memory %s\n", phase, counter == n ? "exact" : "WRONG", sum == n ? "exact" : "WRONG");
    if (counter != n || sum != n) printf("counter %ld sum %ld n %ld\n", (long)counter, sum, n);
}

int main(int argc, char **argv) {
    long n = argc > 1 ? atol(argv[1]) : 5000000;
    long pages = 4096, words = pages * 512;
    volatile long *mem = calloc(pages, 4096);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 500}, {0, 500}};
    setitimer(ITIMER_REAL, &it, NULL);
    count("alarms handled", n, mem, words);
    printf("alarms %s\n", alarms > 0 ? "came" : "none");
    /* With SIGALRM blocked the alarm stays pending: nothing may stop the loop meanwhile. */
    sigset_t alrm;
    sigemptyset(&alrm);
    sigaddset(&alrm, SIGALRM);
    sigprocmask(SIG_BLOCK, &alrm, NULL);
    long before = alarms;
    count("alarm blocked", n, mem, words);
    printf("handler ran while blocked: %s\n", alarms != before ? "yes" : "no");
    sigprocmask(SIG_UNBLOCK, &alrm, NULL);
    printf("handler ran once unblocked: %s\n", alarms != before ? "yes" : "no");
    return 0;
}
