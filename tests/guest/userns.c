/* User namespaces (user_namespaces(7)): overflow ids before the maps are written, uid_map and
   gid_map written once with Linux's rules, setgroups "deny", capabilities inside (CapEff,
   sethostname in a UTS namespace the new user namespace owns), file owners seen through the
   map, set*id and chown refusing unmapped ids, a child and an execve keeping root inside, a
   nested namespace, a parent writing its child's map (si_uid and SO_PEERCRED then name the
   parent's unmapped root as the overflow uid), and an unprivileged user (uid 1000)
   mapping itself to root. Run as root, natively and under Phoenix. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "ttycheck.h"

/* Writes text to a /proc/self file in one write(2) on a fresh descriptor: "ok" or the errno. */
static const char *put(const char *file, const char *text) {
    int fd = open(file, O_WRONLY);
    if (fd < 0) {
        return err(errno);
    }
    ssize_t n = write(fd, text, strlen(text));
    int e = n < 0 ? errno : 0;
    close(fd);
    return err(e);
}

/* The first line of a file ("" for none), without its newline. */
static const char *line(const char *file) {
    static char b[256];
    b[0] = 0;
    FILE *f = fopen(file, "r");
    if (f == NULL) {
        return "(none)";
    }
    if (fgets(b, sizeof b, f) == NULL) {
        b[0] = 0;
    }
    fclose(f);
    b[strcspn(b, "\n")] = 0;
    return b;
}

/* A map's single line as "inside lower count", the lower id relative to base ("base+N"). */
static void show_map(const char *who, const char *file, unsigned base) {
    unsigned a, b, c;
    const char *l = line(file);
    if (l[0] == 0) {
        say("%s: map empty\n", who);
    } else if (sscanf(l, "%u %u %u", &a, &b, &c) == 3) {
        say("%s: map %u base+%u %u\n", who, a, b - base, c);
    } else {
        say("%s: map unreadable\n", who);
    }
}

/* A field of /proc/self/status, tabs turned to spaces. */
static const char *status(const char *field) {
    static char b[256];
    FILE *f = fopen("/proc/self/status", "r");
    b[0] = 0;
    while (f != NULL && fgets(b, sizeof b, f) != NULL) {
        if (strncmp(b, field, strlen(field)) == 0) {
            break;
        }
        b[0] = 0;
    }
    if (f != NULL) {
        fclose(f);
    }
    b[strcspn(b, "\n")] = 0;
    for (char *p = b; *p; p++) {
        if (*p == '\t') {
            *p = ' ';
        }
    }
    return b;
}

/* Whether CapEff holds every capability up to /proc/sys/kernel/cap_last_cap. */
static int full_caps(void) {
    int last = atoi(line("/proc/sys/kernel/cap_last_cap"));
    unsigned long long eff = strtoull(status("CapEff:") + 8, NULL, 16);
    return eff == (1ULL << (last + 1)) - 1;
}

static void ids(const char *who) {
    uid_t uid = getuid();
    uid_t euid = geteuid();
    gid_t gid = getgid();
    gid_t egid = getegid();
    say("%s: uid %u euid %u gid %u egid %u\n", who, uid, euid, gid, egid);
}

/* Root maps itself into a new namespace and looks around. */
static void as_root(const char *self, const char *owned, const char *unowned) {
    uid_t uid = getuid();
    gid_t gid = getgid();
    char map[64], gmap[64];
    snprintf(map, sizeof map, "0 %u 1\n", uid);
    snprintf(gmap, sizeof gmap, "0 %u 1\n", gid);
    say("unshare: %s\n", err(unshare(CLONE_NEWUSER) == 0 ? 0 : errno));
    ids("before maps");
    show_map("before maps", "/proc/self/uid_map", uid);
    say("setgroups file: %s\n", line("/proc/self/setgroups"));
    say("CapEff full: %d\n", full_caps());
    say("overflowuid: %s\n", line("/proc/sys/kernel/overflowuid"));
    int fd = open("/proc/self/uid_map", O_WRONLY);
    ssize_t n = write(fd, map, strlen(map));
    say("write uid_map: %s\n", err(n < 0 ? errno : 0));
    n = write(fd, map, strlen(map));
    say("again on the same descriptor: %s\n", err(n < 0 ? errno : 0));
    close(fd);
    say("write uid_map again: %s\n", put("/proc/self/uid_map", map));
    ids("after uid_map");
    show_map("inside", "/proc/self/uid_map", uid);
    say("gid_map bad number: %s\n", put("/proc/self/gid_map", "0 x 1\n"));
    say("gid_map overlap: %s\n", put("/proc/self/gid_map", "0 0 1\n0 1 1\n"));
    say("gid_map count 0: %s\n", put("/proc/self/gid_map", "0 0 0\n"));
    say("setgroups before gid_map: %s\n", err(setgroups(0, NULL) == 0 ? 0 : errno));
    say("setgroups junk: %s\n", put("/proc/self/setgroups", "maybe"));
    say("setgroups deny: %s\n", put("/proc/self/setgroups", "deny"));
    say("setgroups file: %s\n", line("/proc/self/setgroups"));
    say("write gid_map: %s\n", put("/proc/self/gid_map", gmap));
    say("setgroups allow again: %s\n", put("/proc/self/setgroups", "allow"));
    say("setgroups denied: %s\n", err(setgroups(0, NULL) == 0 ? 0 : errno));
    ids("after gid_map");
    say("status %s\n", status("Uid:"));
    say("status %s\n", status("Gid:"));
    struct stat st;
    stat(owned, &st);
    say("own file: uid %u gid %u\n", st.st_uid, st.st_gid);
    stat(unowned, &st);
    say("unmapped owner: uid %u gid %u\n", st.st_uid, st.st_gid);
    say("chown to unmapped uid: %s\n", err(chown(owned, 5, -1) == 0 ? 0 : errno));
    say("setuid unmapped: %s\n", err(setuid(5) == 0 ? 0 : errno));
    say("setuid 0: %s\n", err(setuid(0) == 0 ? 0 : errno));
    say("setresgid 0: %s\n", err(setresgid(0, 0, 0) == 0 ? 0 : errno));
    say("unshare uts: %s\n", err(unshare(CLONE_NEWUTS) == 0 ? 0 : errno));
    say("sethostname: %s\n", err(sethostname("userns-box", 10) == 0 ? 0 : errno));
    pid_t child = fork();
    if (child == 0) {
        ids("child");
        _exit(0);
    }
    waitpid(child, NULL, 0);
    child = fork();
    if (child == 0) {
        execl(self, self, "exec", (char *) NULL);
        _exit(98);
    }
    int ws;
    waitpid(child, &ws, 0);
    say("exec exit: %d\n", WEXITSTATUS(ws));
    /* a namespace inside this one: root here maps itself to root there */
    say("nested unshare: %s\n", err(unshare(CLONE_NEWUSER) == 0 ? 0 : errno));
    ids("nested before maps");
    say("nested setgroups file: %s\n", line("/proc/self/setgroups"));
    say("nested uid_map: %s\n", put("/proc/self/uid_map", "0 0 1\n"));
    say("nested gid_map: %s\n", put("/proc/self/gid_map", "0 0 1\n"));
    ids("nested");
    show_map("nested", "/proc/self/uid_map", 0);
    say("nested CapEff full: %d\n", full_caps());
    stat(unowned, &st);
    say("nested unmapped owner: uid %u gid %u\n", st.st_uid, st.st_gid);
}

/* A child that unshares and lets its parent, root outside, write its uid_map. */
static void parent_writes_map(void) {
    int ready[2], done[2], pair[2];
    pipe(ready);
    pipe(done);
    socketpair(AF_UNIX, SOCK_STREAM, 0, pair);
    sigset_t usr1;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigprocmask(SIG_BLOCK, &usr1, NULL);
    pid_t child = fork();
    if (child == 0) {
        char b;
        unshare(CLONE_NEWUSER);
        write(ready[1], "r", 1);
        read(done[0], &b, 1);
        siginfo_t si;
        int sig = sigwaitinfo(&usr1, &si);
        say("mapped by parent: signal %d from uid %u\n", sig == SIGUSR1, si.si_uid);
        struct ucred cred;
        socklen_t len = sizeof cred;
        getsockopt(pair[0], SOL_SOCKET, SO_PEERCRED, &cred, &len);
        say("mapped by parent: SO_PEERCRED uid %u gid %u\n", cred.uid, cred.gid);
        ids("mapped by parent");
        say("mapped by parent: setuid 3: %s\n", err(setuid(3) == 0 ? 0 : errno));
        ids("mapped by parent");
        _exit(0);
    }
    char b, path[64];
    read(ready[0], &b, 1);
    snprintf(path, sizeof path, "/proc/%d/uid_map", child);
    say("parent writes child's uid_map: %s\n", put(path, "0 5000 10\n"));
    show_map("parent reads", path, 5000);
    kill(child, SIGUSR1);
    write(done[1], "d", 1);
    waitpid(child, NULL, 0);
}

/* uid 1000 without capabilities: it may map only itself, and its gid only after "deny". */
static void unprivileged(void) {
    setgroups(0, NULL);
    setresgid(1000, 1000, 1000);
    setresuid(1000, 1000, 1000);
    prctl(PR_SET_DUMPABLE, 1); /* a change of uid made it undumpable: its /proc files root's */
    ids("user");
    say("user: unshare: %s\n", err(unshare(CLONE_NEWUSER) == 0 ? 0 : errno));
    say("user: map root: %s\n", put("/proc/self/uid_map", "0 0 1\n"));
    say("user: map two ids: %s\n", put("/proc/self/uid_map", "0 1000 2\n"));
    say("user: map self: %s\n", put("/proc/self/uid_map", "0 1000 1\n"));
    say("user: gid_map before deny: %s\n", put("/proc/self/gid_map", "0 1000 1\n"));
    say("user: deny: %s\n", put("/proc/self/setgroups", "deny"));
    say("user: gid_map: %s\n", put("/proc/self/gid_map", "0 1000 1\n"));
    ids("user inside");
    say("user: CapEff full: %d\n", full_caps());
    say("user: status %s\n", status("Uid:"));
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "exec") == 0) {
        ids("after exec");
        say("after exec: CapEff full: %d\n", full_caps());
        return 0;
    }
    char dir[] = "/tmp/usernsXXXXXX";
    if (mkdtemp(dir) == NULL) {
        return 2;
    }
    char owned[64], unowned[64];
    snprintf(owned, sizeof owned, "%s/owned", dir);
    snprintf(unowned, sizeof unowned, "%s/unowned", dir);
    close(open(owned, O_CREAT | O_WRONLY, 0644));
    close(open(unowned, O_CREAT | O_WRONLY, 0644));
    say("chown as root: %s\n", err(chown(unowned, 1234, 1234) == 0 ? 0 : errno));
    say("initial setgroups file: %s\n", line("/proc/self/setgroups"));
    show_map("initial", "/proc/self/uid_map", 0);
    say("write initial uid_map: %s\n", put("/proc/self/uid_map", "0 0 1\n"));
    pid_t child = fork();
    if (child == 0) {
        as_root(argv[0], owned, unowned);
        _exit(0);
    }
    waitpid(child, NULL, 0);
    parent_writes_map();
    child = fork();
    if (child == 0) {
        unprivileged();
        _exit(0);
    }
    waitpid(child, NULL, 0);
    unlink(owned);
    unlink(unowned);
    rmdir(dir);
    ids("parent at the end");
    return 0;
}
