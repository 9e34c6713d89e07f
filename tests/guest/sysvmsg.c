/*
 * System V message queues (msgget(2), msgsnd(2), msgrcv(2), msgctl(2)): message types and
 * the order msgrcv takes them in, MSG_EXCEPT, MSG_NOERROR, MSG_COPY, E2BIG, the queue's
 * byte limit (IPC_SET) and IPC_NOWAIT, IPC_STAT's counts, keys with IPC_CREAT|IPC_EXCL, a
 * receiver blocked until a child sends, one a signal interrupts (EINTR) and one IPC_RMID
 * wakes (EIDRM), and msgctl's errors.
 */
#define _GNU_SOURCE
#include "ttycheck.h"
#include "ipccheck.h"
#include <signal.h>
#include <stdlib.h>
#include <sys/msg.h>
#include <sys/time.h>
#include <sys/wait.h>

#ifndef MSG_COPY
#define MSG_COPY 040000
#endif

struct m {
    long type;
    char text[64];
};

static int q;

static void snd(long type, const char *text) {
    struct m b = {type, ""};
    strcpy(b.text, text);
    int r = msgsnd(q, &b, strlen(text), 0);
    say("send %ld %s: %s\n", type, text, res(r));
}

static void rcv(const char *what, long type, int flags, size_t size) {
    struct m b;
    memset(&b, 0, sizeof b);
    long n = msgrcv(q, &b, size, type, flags);
    if (n < 0) {
        say("%s: %s\n", what, ename(errno));
    } else {
        say("%s: type %ld \"%.*s\" (%ld bytes)\n", what, b.type, (int) n, b.text, n);
    }
}

static void stat_queue(const char *what) {
    struct msqid_ds ds;
    int r = msgctl(q, IPC_STAT, &ds);
    say("%s: %s qnum %lu cbytes %lu qbytes %lu mode %o owner %s lspid %s\n", what, res(r),
        (unsigned long) ds.msg_qnum, (unsigned long) ds.__msg_cbytes, (unsigned long) ds.msg_qbytes,
        ds.msg_perm.mode & 0777, ds.msg_perm.uid == geteuid() && ds.msg_perm.cuid == geteuid() ? "me" : "other",
        ds.msg_lspid == getpid() ? "me" : "other");
}

static void on_alarm(int s) {
    (void) s;
}

int main(void) {
    q = msgget(IPC_PRIVATE, 0600);
    say("msgget private: %s\n", res(q));
    snd(3, "three");
    snd(1, "one");
    snd(2, "two");
    snd(1, "uno");
    stat_queue("stat");
    rcv("copy 1", 1, MSG_COPY | IPC_NOWAIT, 64);
    rcv("copy 9", 9, MSG_COPY | IPC_NOWAIT, 64);
    rcv("copy without nowait", 0, MSG_COPY, 64);
    rcv("first", 0, 0, 64);
    rcv("type 1", 1, 0, 64);
    rcv("except 2", 2, MSG_EXCEPT, 64);
    rcv("type 7 nowait", 7, IPC_NOWAIT, 64);
    snd(5, "five");
    snd(4, "four");
    rcv("lowest up to 5", -5, 0, 64);
    rcv("short buffer", 0, 0, 2);
    rcv("noerror", 0, MSG_NOERROR, 2);
    rcv("last nowait", 0, IPC_NOWAIT, 64);
    rcv("empty nowait", 0, IPC_NOWAIT, 64);
    stat_queue("stat empty");

    struct msqid_ds ds;
    msgctl(q, IPC_STAT, &ds);
    ds.msg_qbytes = 10;
    ds.msg_perm.mode = 0640;
    say("set qbytes 10: %s\n", res(msgctl(q, IPC_SET, &ds)));
    snd(1, "eightbyt");
    struct m b = {1, "morebyte"};
    say("send past qbytes nowait: %s\n", res(msgsnd(q, &b, 8, IPC_NOWAIT)));
    stat_queue("stat full");
    rcv("drain", 0, 0, 64);

    /* errors */
    b.type = 0;
    say("send type 0: %s\n", res(msgsnd(q, &b, 4, 0)));
    b.type = 1;
    say("send 8193 bytes: %s\n", res(msgsnd(q, &b, 8193, 0)));
    say("send bad id: %s\n", res(msgsnd(q + 1, &b, 4, 0)));
    say("send negative id: %s\n", res(msgsnd(-1, &b, 4, 0)));
    say("rcv bad id: %s\n", res(msgrcv(q + 1, &b, 4, 0, 0)));
    say("ctl bad cmd: %s\n", res(msgctl(q, 99, &ds)));
    say("ctl bad id: %s\n", res(msgctl(q + 1, IPC_STAT, &ds)));
    key_t key = 0x5eed0000 + (getpid() & 0xffff);
    say("get key missing: %s\n", res(msgget(key, 0600)));
    int k = msgget(key, IPC_CREAT | IPC_EXCL | 0600);
    say("get key create: %s\n", res(k));
    say("get key again: %s\n", msgget(key, 0600) == k ? "same" : "different");
    say("get key excl: %s\n", res(msgget(key, IPC_CREAT | IPC_EXCL | 0600)));
    say("rmid key: %s\n", res(msgctl(k, IPC_RMID, NULL)));
    say("get key removed: %s\n", res(msgget(key, 0600)));
    struct msginfo info;
    int max = msgctl(0, IPC_INFO, (struct msqid_ds *) &info);
    say("ipc_info: %s msgmax %d msgmnb %d msgmni %d msgssz %d msgseg %d\n", res(max), info.msgmax, info.msgmnb,
        info.msgmni, info.msgssz, info.msgseg);
    max = msgctl(0, MSG_INFO, (struct msqid_ds *) &info);
    say("msg_info: %s\n", max >= 0 && info.msgpool >= 1 ? "ok" : "bad");

    /* a receiver a child's send wakes */
    int p[2];
    if (pipe(p) != 0) {
        return 1;
    }
    pid_t child = fork();
    if (child == 0) {
        char c;
        if (read(p[0], &c, 1) != 1) {
            _exit(1);
        }
        struct m x = {6, "from child"};
        _exit(msgsnd(q, &x, 10, 0) == 0 ? 0 : 1);
    }
    if (write(p[1], "x", 1) != 1) {
        return 1;
    }
    rcv("parent waits", 6, 0, 64);
    waitpid(child, NULL, 0);

    /* a signal ends a wait: EINTR */
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_alarm;
    sigaction(SIGALRM, &sa, NULL);
    struct itimerval it = {{0, 0}, {0, 50000}};
    setitimer(ITIMER_REAL, &it, NULL);
    rcv("signal", 0, 0, 64);
    b.type = 1;
    say("fill: %s\n", res(msgsnd(q, &b, 8, 0))); /* the queue holds 10 bytes */
    setitimer(ITIMER_REAL, &it, NULL);
    say("send signal: %s\n", res(msgsnd(q, &b, 8, 0)));

    /* IPC_RMID wakes a waiter with EIDRM */
    int r = msgget(IPC_PRIVATE, 0600);
    child = fork();
    if (child == 0) {
        struct m x;
        long n = msgrcv(r, &x, sizeof x.text, 0, 0);
        say("child after rmid: %s\n", res(n));
        _exit(0);
    }
    wait_sleeping(child);
    int rm = msgctl(r, IPC_RMID, NULL);
    waitpid(child, NULL, 0);
    say("rmid with waiter: %s\n", res(rm));
    say("stat removed: %s\n", res(msgctl(r, IPC_STAT, &ds)));
    say("rmid: %s\n", res(msgctl(q, IPC_RMID, NULL)));
    return 0;
}
