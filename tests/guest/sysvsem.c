/*
 * System V semaphores (semget(2), semop(2), semtimedop(2), semctl(2)): values set and read
 * every way, operations applied all or none, IPC_NOWAIT, waits for zero, a timeout, ERANGE and
 * EFBIG, waiters in other processes (GETNCNT, GETZCNT) woken by semop and SETVAL, SEM_UNDO
 * applied when a child exits (a lock it held released), EINTR, IPC_RMID's EIDRM, and errors.
 */
#define _GNU_SOURCE
#include "ttycheck.h"
#include "ipccheck.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/sem.h>
#include <sys/time.h>
#include <sys/wait.h>

union semun {
    int val;
    struct semid_ds *buf;
    unsigned short *array;
    struct seminfo *__buf;
};

static int s;

static const char *op1(int num, int op, int flg) {
    struct sembuf b = {num, op, flg};
    return res(semop(s, &b, 1));
}

static void show(const char *what) {
    unsigned short v[3];
    union semun u = {.array = v};
    int r = semctl(s, 0, GETALL, u);
    say("%s: %s %d %d %d\n", what, res(r), v[0], v[1], v[2]);
}

static int child_status(pid_t pid) {
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

static void on_alarm(int sig) {
    (void) sig;
}

int main(void) {
    s = semget(IPC_PRIVATE, 3, 0600);
    say("semget: %s\n", res(s));
    struct semid_ds ds;
    union semun u = {.buf = &ds};
    int r = semctl(s, 0, IPC_STAT, u);
    say("stat: %s nsems %lu mode %o owner %s otime %ld\n", res(r), (unsigned long) ds.sem_nsems,
        ds.sem_perm.mode & 0777, ds.sem_perm.uid == geteuid() ? "me" : "other", (long) ds.sem_otime);
    show("initial");
    u.val = 5;
    say("setval: %s\n", res(semctl(s, 0, SETVAL, u)));
    say("getval: %d\n", semctl(s, 0, GETVAL));
    unsigned short all[3] = {1, 2, 3};
    u.array = all;
    say("setall: %s\n", res(semctl(s, 0, SETALL, u)));
    show("after setall");
    say("down 0: %s\n", op1(0, -1, 0));
    say("down 0 nowait: %s\n", op1(0, -1, IPC_NOWAIT));
    struct sembuf two[2] = {{1, -1, 0}, {0, -1, IPC_NOWAIT}};
    say("two ops, second blocks: %s\n", res(semop(s, two, 2)));
    show("nothing applied");
    struct sembuf pair[2] = {{1, -2, 0}, {2, 1, 0}};
    say("two ops: %s\n", res(semop(s, pair, 2)));
    show("both applied");
    say("zero 0: %s\n", op1(0, 0, 0));
    say("zero 2 nowait: %s\n", op1(2, 0, IPC_NOWAIT));
    say("getpid: %s\n", semctl(s, 2, GETPID) == getpid() ? "me" : "other");
    u.buf = &ds;
    r = semctl(s, 0, IPC_STAT, u);
    say("otime set: %s\n", ds.sem_otime != 0 ? "yes" : "no");
    struct timespec ts = {0, 50000000};
    struct sembuf down = {0, -1, 0};
    say("timed: %s\n", res(semtimedop(s, &down, 1, &ts)));
    ts.tv_nsec = 1000000000;
    say("timed bad timeout: %s\n", res(semtimedop(s, &down, 1, &ts)));
    u.val = 32768;
    say("setval 32768: %s\n", res(semctl(s, 0, SETVAL, u)));
    say("up past max: %s\n", op1(2, 32767, 0));
    say("num 3: %s\n", op1(3, 1, 0));
    struct sembuf many[501];
    memset(many, 0, sizeof many);
    say("501 ops: %s\n", res(semop(s, many, 501)));
    say("0 ops: %s\n", res(semop(s, many, 0)));
    say("getval 3: %s\n", res(semctl(s, 3, GETVAL)));
    say("bad cmd: %s\n", res(semctl(s, 0, 99)));
    say("bad id: %s\n", res(semctl(s + 1, 0, GETVAL)));

    /* a child waiting to decrement, woken by semop; GETNCNT counts it */
    pid_t child = fork();
    if (child == 0) {
        _exit(strcmp(op1(0, -1, 0), "ok") == 0 ? 0 : 1);
    }
    wait_sleeping(child);
    say("ncnt: %d\n", semctl(s, 0, GETNCNT));
    say("up 0: %s\n", op1(0, 1, 0));
    say("waiter: %d\n", child_status(child));
    say("ncnt after: %d\n", semctl(s, 0, GETNCNT));

    /* a child waiting for zero, woken by SETVAL; GETZCNT counts it */
    child = fork();
    if (child == 0) {
        _exit(strcmp(op1(2, 0, 0), "ok") == 0 ? 0 : 1);
    }
    wait_sleeping(child);
    say("zcnt: %d\n", semctl(s, 2, GETZCNT));
    u.val = 0;
    say("setval 0: %s\n", res(semctl(s, 2, SETVAL, u)));
    say("zero waiter: %d\n", child_status(child));

    /* SEM_UNDO: a child's changes are undone when it exits */
    child = fork();
    if (child == 0) {
        op1(2, 2, SEM_UNDO);
        op1(2, 1, SEM_UNDO);
        op1(2, 1, 0);
        _exit(0);
    }
    say("undo child: %d\n", child_status(child));
    say("after undo: %d\n", semctl(s, 2, GETVAL));

    /* a lock a child holds with SEM_UNDO is released by its exit */
    u.val = 1;
    semctl(s, 1, SETVAL, u);
    int p[2];
    if (pipe(p) != 0) {
        return 1;
    }
    child = fork();
    if (child == 0) {
        op1(1, -1, SEM_UNDO);
        if (write(p[1], "x", 1) != 1) {
            _exit(1);
        }
        struct timespec t = {0, 100000000};
        nanosleep(&t, NULL);
        _exit(0);
    }
    char ch;
    if (read(p[0], &ch, 1) != 1) {
        return 1;
    }
    say("lock after holder exits: %s\n", op1(1, -1, 0));
    say("holder: %d\n", child_status(child));
    say("undo range: %s\n", op1(2, 32767, SEM_UNDO) /* 1 + 32767 > SEMVMX */);

    /* a signal ends a wait */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sa.sa_flags = SA_RESTART; /* semop is never restarted */
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
    say("signal: %s\n", op1(1, -1, 0));

    /* IPC_RMID wakes a waiter with EIDRM */
    child = fork();
    if (child == 0) {
        _exit(strcmp(op1(1, -1, 0), "EIDRM") == 0 ? 0 : 1);
    }
    wait_sleeping(child);
    say("rmid: %s\n", res(semctl(s, 0, IPC_RMID)));
    say("removed waiter: %d\n", child_status(child));
    say("getval removed: %s\n", res(semctl(s, 0, GETVAL)));

    /* keys */
    key_t key = 0x5e3a0000 + (getpid() & 0xffff);
    int k = semget(key, 2, IPC_CREAT | IPC_EXCL | 0600);
    say("key create: %s\n", res(k));
    say("key more sems: %s\n", res(semget(key, 3, 0)));
    say("key fewer sems: %s\n", semget(key, 1, 0) == k ? "same" : "different");
    say("key excl: %s\n", res(semget(key, 2, IPC_CREAT | IPC_EXCL | 0600)));
    say("key rmid: %s\n", res(semctl(k, 0, IPC_RMID)));
    say("create 0 sems: %s\n", res(semget(IPC_PRIVATE, 0, 0600)));
    say("create 32001 sems: %s\n", res(semget(IPC_PRIVATE, 32001, 0600)));
    struct seminfo info;
    u.__buf = &info;
    r = semctl(0, 0, IPC_INFO, u);
    say("ipc_info: %s semmni %d semmsl %d semmns %d semopm %d semvmx %d semaem %d semume %d semusz %d\n", res(r),
        info.semmni, info.semmsl, info.semmns, info.semopm, info.semvmx, info.semaem, info.semume, info.semusz);
    return 0;
}
