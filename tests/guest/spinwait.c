/*
 * A thread that spins without a syscall must still be preempted so that the thread it waits
 * for can run: main spins until a flag that only a new thread sets. The spin loop is run
 * once before the thread exists, so the emulator has already translated it while the
 * process had one thread (a preemption that only looks at code translated later would never
 * stop it: the program would hang).
 */
#include <pthread.h>
#include <stdio.h>

static volatile int go;

__attribute__((noinline)) static void spin(void) {
    while (!go) {
    }
}

static void *setter(void *arg) {
    (void)arg;
    go = 1;
    return NULL;
}

int main(void) {
    go = 1;
    spin(); /* the loop, translated while single-threaded */
    go = 0;
    pthread_t t;
    if (pthread_create(&t, NULL, setter, NULL) != 0) {
        perror("pthread_create");
        return 1;
    }
    spin();
    pthread_join(t, NULL);
    printf("the spinning thread was preempted and the other one ran\n");
    return 0;
}
