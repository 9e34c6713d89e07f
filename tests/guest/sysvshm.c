/*
 * System V shared memory (shmget(2), shmat(2), shmdt(2), shmctl(2)): a segment attached twice
 * and read-only, shared with a forked child both ways, shm_nattch through fork, exit and
 * shmdt, SHM_RND and overlapping addresses, /proc/self/maps' line for an attachment, IPC_RMID
 * while attached (SHM_DEST, the key made private, the segment gone with its last
 * attachment), SHM_LOCK, keys and errors.
 */
#define _GNU_SOURCE
#include "ttycheck.h"
#include "ipccheck.h"
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>

static int id;

static void stat_seg(const char *what) {
    struct shmid_ds ds;
    int r = shmctl(id, IPC_STAT, &ds);
    if (r != 0) {
        say("%s: %s\n", what, ename(errno));
        return;
    }
    say("%s: segsz %lu nattch %lu mode %o key %s cpid %s lpid %s\n", what, (unsigned long) ds.shm_segsz,
        (unsigned long) ds.shm_nattch, ds.shm_perm.mode, ds.shm_perm.__key == 0 ? "private" : "set",
        ds.shm_cpid == getpid() ? "me" : "other", ds.shm_lpid == getpid() ? "me" : "other");
}

static key_t key;

static void maps_line(void *at) {
    char b[65536];
    int fd = open("/proc/self/maps", O_RDONLY);
    int n = 0, r;
    while ((r = read(fd, b + n, sizeof b - 1 - n)) > 0) {
        n += r;
    }
    close(fd);
    b[n] = 0;
    char want[32];
    snprintf(want, sizeof want, "%lx-", (unsigned long) at);
    for (char *line = strtok(b, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, want, strlen(want)) == 0) {
            char perms[8], dev[16], name[64] = "", deleted[16] = "";
            unsigned long off, ino;
            sscanf(line, "%*s %7s %lx %15s %lu %63s %15s", perms, &off, dev, &ino, name, deleted);
            char sysv[32];
            snprintf(sysv, sizeof sysv, "/SYSV%08x", key);
            say("maps: %s %lx %s inode is id: %s name is key: %s %s\n", perms, off, dev,
                ino == (unsigned long) id ? "yes" : "no", strcmp(name, sysv) == 0 ? "yes" : "no", deleted);
            return;
        }
    }
    say("maps: no line\n");
}

static int child_status(pid_t pid) {
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 100 + WTERMSIG(st);
}

int main(void) {
    id = shmget(IPC_PRIVATE, 10000, 0600);
    say("shmget: %s\n", res(id));
    stat_seg("new");
    char *p = shmat(id, NULL, 0);
    say("shmat: %s\n", p == (void *) -1 ? ename(errno) : "ok");
    say("zeroed: %s\n", p[0] == 0 && p[9999] == 0 && p[12287] == 0 ? "yes" : "no");
    strcpy(p, "hello");
    char *q = shmat(id, NULL, SHM_RDONLY);
    say("shmat rdonly: %s\n", q == (void *) -1 ? ename(errno) : "ok");
    say("second attachment reads: %s\n", q);
    stat_seg("attached twice");
    maps_line(p);
    maps_line(q);

    pid_t child = fork();
    if (child == 0) {
        stat_seg("child");
        strcpy(p, "from child");
        char *r = shmat(id, NULL, 0);
        strcpy(r + 4096, "child's own attachment");
        _exit(0); /* exit detaches */
    }
    say("child: %d\n", child_status(child));
    say("parent reads: %s, %s\n", q, q + 4096);
    stat_seg("after child");

    say("shmdt rdonly: %s\n", res(shmdt(q)));
    say("shmdt again: %s\n", res(shmdt(q)));
    say("shmdt unaligned: %s\n", res(shmdt(p + 1)));
    say("shmdt not shm: %s\n", res(shmdt(&id)));
    say("shmat overlapping: %s\n", shmat(id, p, 0) == (void *) -1 ? ename(errno) : "ok");
    say("shmat unaligned: %s\n", shmat(id, p + 100, 0) == (void *) -1 ? ename(errno) : "ok");
    say("shmdt: %s\n", res(shmdt(p)));
    char *rnd = shmat(id, p + 100, SHM_RND);
    say("shmat SHM_RND: %s\n", rnd == p ? "rounded down" : rnd == (void *) -1 ? ename(errno) : "elsewhere");
    say("still there: %s\n", rnd);
    char *over = shmat(id, rnd, SHM_REMAP);
    say("shmat SHM_REMAP: %s\n", over == rnd ? "same place" : "elsewhere");
    const char *first = res(shmdt(rnd));
    say("shmdt both: %s %s\n", first, res(shmdt(rnd)));
    stat_seg("detached");

    say("lock: %s\n", res(shmctl(id, SHM_LOCK, NULL)));
    stat_seg("locked");
    say("unlock: %s\n", res(shmctl(id, SHM_UNLOCK, NULL)));

    say("rmid unattached: %s\n", res(shmctl(id, IPC_RMID, NULL)));
    stat_seg("gone");

    /* IPC_RMID while attached */
    key = 0x5a0e0000 + (getpid() & 0xffff);
    id = shmget(key, 5000, IPC_CREAT | IPC_EXCL | 0640);
    say("key create: %s\n", res(id));
    say("key bigger: %s\n", res(shmget(key, 9000, 0)));
    say("key smaller: %s\n", shmget(key, 100, 0) == id ? "same" : "different");
    say("key excl: %s\n", res(shmget(key, 100, IPC_CREAT | IPC_EXCL | 0600)));
    p = shmat(id, NULL, 0);
    strcpy(p, "kept");
    maps_line(p);
    say("rmid: %s\n", res(shmctl(id, IPC_RMID, NULL)));
    stat_seg("removed, attached");
    say("key after rmid: %s\n", res(shmget(key, 100, 0)));
    say("memory kept: %s\n", p);
    child = fork();
    if (child == 0) {
        _exit(strcmp(p, "kept") == 0 ? 0 : 1);
    }
    say("child sees it: %d\n", child_status(child));
    stat_seg("child gone");
    say("shmdt: %s\n", res(shmdt(p)));
    stat_seg("last detach");

    say("size 0: %s\n", res(shmget(IPC_PRIVATE, 0, 0600)));
    say("bad id: %s\n", shmat(id, NULL, 0) == (void *) -1 ? ename(errno) : "ok");
    say("bad cmd: %s\n", res(shmctl(0, 99, NULL)));
    struct shminfo info;
    int r = shmctl(0, IPC_INFO, (struct shmid_ds *) &info);
    say("ipc_info: %s shmmax %lu shmmin %lu shmmni %lu shmseg %lu shmall %lu\n", res(r), info.shmmax, info.shmmin,
        info.shmmni, info.shmseg, info.shmall);
    return 0;
}
