/*
 * IPC namespaces (ipc_namespaces(7)): after unshare(CLONE_NEWIPC) a System V message queue's
 * key and a POSIX message queue made before are gone (ENOENT), though a queue descriptor opened
 * before still works; objects made inside are invisible to a child kept in the old namespace;
 * setns through /proc/PID/ns/ipc of that child makes the old objects visible again and the new
 * ones not. Run as root.
 */
#define _GNU_SOURCE
#include "ttycheck.h"
#include "ipccheck.h"
#include <mqueue.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/msg.h>
#include <sys/wait.h>

#define OUTER_KEY 0x50480001
#define INNER_KEY 0x50480002
#define OUTER "/phx_ns_outer"
#define INNER "/phx_ns_inner"

/* "ok" when a message queue with key exists, else errno's name. */
static const char *sysv(int key) {
    return res(msgget(key, 0));
}

/* "ok" when POSIX queue name exists, else errno's name. */
static const char *posix(const char *name) {
    mqd_t q = mq_open(name, O_RDONLY);
    if (q == (mqd_t) -1) {
        return ename(errno);
    }
    mq_close(q);
    return "ok";
}

int main(void) {
    int old = msgget(OUTER_KEY, 0);
    if (old >= 0) {
        msgctl(old, IPC_RMID, NULL);
    }
    mq_unlink(OUTER);
    mq_unlink(INNER);
    int outer = msgget(OUTER_KEY, IPC_CREAT | 0600);
    mqd_t oq = mq_open(OUTER, O_CREAT | O_RDWR, 0600, NULL);
    say("outer objects: %s %s\n", res(outer), oq == (mqd_t) -1 ? ename(errno) : "ok");

    int go[2], done[2];
    if (pipe(go) != 0 || pipe(done) != 0) {
        return 1;
    }
    pid_t w = fork();
    if (w == 0) { /* the witness: stays in the first namespace */
        char c;
        if (read(go[0], &c, 1) != 1) {
            _exit(1);
        }
        say("witness sees outer: %s %s\n", sysv(OUTER_KEY), posix(OUTER));
        say("witness sees inner: %s %s\n", sysv(INNER_KEY), posix(INNER));
        if (write(done[1], "x", 1) != 1) {
            _exit(1);
        }
        if (read(go[0], &c, 1) != 1) { /* stay alive until the parent has gone back */
            _exit(1);
        }
        _exit(0);
    }

    say("unshare: %s\n", res(unshare(CLONE_NEWIPC)));
    say("inside sees outer: %s %s\n", sysv(OUTER_KEY), posix(OUTER));
    say("descriptor opened before: %s\n", res(mq_send(oq, "x", 1, 0)));
    int inner = msgget(INNER_KEY, IPC_CREAT | 0600);
    mqd_t iq = mq_open(INNER, O_CREAT | O_RDWR, 0600, NULL);
    say("inner objects: %s %s\n", res(inner), iq == (mqd_t) -1 ? ename(errno) : "ok");
    say("inside sees inner: %s %s\n", sysv(INNER_KEY), posix(INNER));

    char c;
    if (write(go[1], "x", 1) != 1 || read(done[0], &c, 1) != 1) {
        return 1;
    }

    char path[64];
    snprintf(path, sizeof path, "/proc/%d/ns/ipc", w);
    int nsfd = open(path, O_RDONLY);
    say("open ns: %s\n", res(nsfd));
    say("setns: %s\n", res(setns(nsfd, CLONE_NEWIPC)));
    close(nsfd);
    say("back sees outer: %s %s\n", sysv(OUTER_KEY), posix(OUTER));
    say("back sees inner: %s %s\n", sysv(INNER_KEY), posix(INNER));
    char b[8192];
    say("receive on the outer descriptor: %s\n", res(mq_receive(oq, b, sizeof b, NULL)));

    if (write(go[1], "x", 1) != 1) {
        return 1;
    }
    waitpid(w, NULL, 0);
    msgctl(outer, IPC_RMID, NULL);
    mq_close(oq);
    mq_close(iq);
    mq_unlink(OUTER);
    say("done\n");
    return 0;
}
