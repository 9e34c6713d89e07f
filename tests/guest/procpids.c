/* /proc for other processes (proc(5)): a child that blocks in read(2) on a pipe, seen from its
 * parent through /proc/PID (stat, status, cmdline, comm, environ, the links, fd/, task/, maps),
 * then stopped (T), continued, made a zombie (Z) and reaped (gone); a vfork parent waiting for
 * its child (D); and, with the argument "perm", what a process of another uid may read (the
 * ptrace access mode rules of ptrace(2) and the modes of proc(5)). Only what any Linux answers
 * alike is printed: pids are compared, never printed. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *err(void) {
    return errno == ENOENT ? "ENOENT" : errno == EACCES ? "EACCES" : errno == EINVAL ? "EINVAL"
            : errno == ESRCH ? "ESRCH" : errno == EPERM ? "EPERM" : "(other errno)";
}

/* The whole of a /proc file, NUL-terminated, and its length in *len; NULL (errno set) when it cannot be opened. */
static char *slurp_n(const char *path, long *len) {
    static char bufs[4][16384];
    static int next;
    char *buf = bufs[next++ % 4];
    int fd = open(path, O_RDONLY);
    if (fd < 0) {
        return NULL;
    }
    long n = 0, r;
    while (n < (long) sizeof bufs[0] - 1 && (r = read(fd, buf + n, sizeof bufs[0] - 1 - n)) > 0) {
        n += r;
    }
    close(fd);
    buf[n] = 0;
    if (len) {
        *len = n;
    }
    return buf;
}

static char *slurp(const char *path) {
    char *s = slurp_n(path, NULL);
    return s ? s : "";
}

static char *pidfile(int pid, const char *file) {
    static char paths[4][128];
    static int next;
    char *p = paths[next++ % 4];
    snprintf(p, sizeof paths[0], "/proc/%d/%s", pid, file);
    return p;
}

/* The value of "Key:\t..." in a status file, up to the end of its line. */
static const char *field(const char *status, const char *key) {
    static char values[4][256];
    static int next;
    char *value = values[next++ % 4];
    size_t k = strlen(key);
    for (const char *l = status; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
        if (strncmp(l, key, k) == 0 && l[k] == ':') {
            const char *v = l + k + 1;
            while (*v == '\t' || *v == ' ') {
                v++;
            }
            size_t n = strcspn(v, "\n");
            snprintf(value, sizeof values[0], "%.*s", (int) n, v);
            return value;
        }
    }
    return "(none)";
}

/* Field n (1-based) of a stat line, counted after the comm in parentheses as proc(5) says to. */
static long long stat_field(const char *stat, int n) {
    const char *p = strrchr(stat, ')');
    if (!p || n < 3) {
        return n == 1 ? atoll(stat) : -1;
    }
    p += 2;
    for (int i = 3; i < n; i++) {
        p = strchr(p, ' ');
        if (!p) {
            return -1;
        }
        p++;
    }
    return n == 3 ? *p : atoll(p);
}

static void stat_comm(const char *stat, char *out, size_t len) {
    const char *a = strchr(stat, '('), *b = strrchr(stat, ')');
    snprintf(out, len, "%.*s", a && b ? (int) (b - a - 1) : 0, a ? a + 1 : "");
}

/* The state letter of process pid once it is {@code want} (a wait may take a moment to begin). */
static char settled(int pid, char want) {
    char s = '?';
    for (int i = 0; i < 10000; i++) {
        s = (char) stat_field(slurp(pidfile(pid, "stat")), 3);
        if (s == want) {
            break;
        }
        usleep(1000);
    }
    return s;
}

static int has_entry(const char *dir, const char *name) {
    DIR *d = opendir(dir);
    struct dirent *e;
    int found = 0;
    while (d && (e = readdir(d))) {
        found |= strcmp(e->d_name, name) == 0;
    }
    if (d) {
        closedir(d);
    }
    return found;
}

static int has_pid(int pid) {
    char name[16];
    snprintf(name, sizeof name, "%d", pid);
    return has_entry("/proc", name);
}

/* The names in a directory, sorted numerically and joined by spaces ("" when empty), or an error name. */
static const char *listing(const char *dir) {
    static char out[512];
    int n = 0, names[64];
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(out, sizeof out, "-1 %s", err());
        return out;
    }
    struct dirent *e;
    while ((e = readdir(d)) && n < 64) {
        if (e->d_name[0] != '.') {
            names[n++] = atoi(e->d_name);
        }
    }
    closedir(d);
    for (int i = 1; i < n; i++) {
        for (int j = i; j > 0 && names[j - 1] > names[j]; j--) {
            int t = names[j];
            names[j] = names[j - 1];
            names[j - 1] = t;
        }
    }
    out[0] = 0;
    for (int i = 0; i < n; i++) {
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%d", i ? " " : "", names[i]);
    }
    return out;
}

static const char *link_of(const char *path) {
    static char bufs[4][512];
    static int next;
    char *b = bufs[next++ % 4];
    long n = readlink(path, b, sizeof bufs[0] - 1);
    if (n < 0) {
        snprintf(b, sizeof bufs[0], "-1 %s", err());
    } else {
        b[n] = 0;
    }
    return b;
}

static int same_file(const char *a, const char *b) {
    long la, lb;
    char *x = slurp_n(a, &la);
    char *y = slurp_n(b, &lb);
    return x && y && la == lb && memcmp(x, y, la) == 0;
}

/* A status mask ("SigBlk") holds signal sig. */
static int has_signal(const char *status, const char *key, int sig) {
    return (strtoull(field(status, key), NULL, 16) >> (sig - 1)) & 1;
}

static void on_hup(int sig) {
    (void) sig;
}

/* The child: named "blocker", in /, umask 027, SIGUSR1 blocked, SIGUSR2 ignored, SIGHUP caught;
 * says 'r' when ready, then echoes each byte it reads until 'q' (exit 7) or EOF (exit 3). */
static void blocker(int in, int out) {
    prctl(PR_SET_NAME, "blocker");
    if (chdir("/") != 0) {
        _exit(1);
    }
    umask(027);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, NULL);
    signal(SIGUSR2, SIG_IGN);
    signal(SIGHUP, on_hup);
    char c = 'r';
    if (write(out, &c, 1) != 1) {
        _exit(2);
    }
    while (read(in, &c, 1) == 1) {
        if (c == 'q') {
            _exit(7);
        }
        if (write(out, &c, 1) != 1) {
            _exit(2);
        }
    }
    _exit(3);
}

static int check_processes(void) {
    int to[2], from[2];
    if (pipe(to) || pipe(from)) {
        return 1;
    }
    int self = getpid();
    int child = fork();
    if (child == 0) {
        close(to[1]);
        close(from[0]);
        blocker(to[0], from[1]);
    }
    close(from[1]);
    char c;
    printf("child ready = %d\n", read(from[0], &c, 1) == 1 && c == 'r');
    printf("child state = %c\n", settled(child, 'S'));

    char *st1 = slurp(pidfile(child, "stat"));
    char *own = slurp("/proc/self/stat");
    char comm[32];
    stat_comm(st1, comm, sizeof comm);
    printf("stat: pid is the child = %d, comm = %s, state = %c\n", stat_field(st1, 1) == child, comm,
            (char) stat_field(st1, 3));
    printf("stat: ppid is the parent = %d, pgrp = %d, session = %d, tty_nr is the parent's = %d\n",
            stat_field(st1, 4) == self, stat_field(st1, 5) == getpgid(0), stat_field(st1, 6) == getsid(0),
            stat_field(st1, 7) == stat_field(own, 7));
    printf("stat: num_threads = %lld, started no earlier than the parent = %d, vsize > 0 = %d\n",
            stat_field(st1, 20), stat_field(st1, 22) >= stat_field(own, 22), stat_field(st1, 23) > 0);
    printf("own stat: ppid is getppid() = %d\n", stat_field(own, 4) == getppid());

    char *status = slurp(pidfile(child, "status"));
    char *ownStatus = slurp("/proc/self/status");
    printf("status: Name = %s, State = %s, Umask = %s, Threads = %s\n", field(status, "Name"), field(status, "State"),
            field(status, "Umask"), field(status, "Threads"));
    printf("status: Tgid and Pid are the child = %d, PPid is the parent = %d, Uid and Gid are the parent's = %d\n",
            atoi(field(status, "Tgid")) == child && atoi(field(status, "Pid")) == child,
            atoi(field(status, "PPid")) == self,
            strcmp(field(status, "Uid"), field(ownStatus, "Uid")) == 0
                    && strcmp(field(status, "Gid"), field(ownStatus, "Gid")) == 0);
    printf("status: SigBlk has SIGUSR1 = %d, SigIgn has SIGUSR2 = %d, SigCgt has SIGHUP = %d, not SIGUSR2 = %d\n",
            has_signal(status, "SigBlk", SIGUSR1), has_signal(status, "SigIgn", SIGUSR2),
            has_signal(status, "SigCgt", SIGHUP), !has_signal(status, "SigCgt", SIGUSR2));
    printf("status: VmSize present = %d\n", strcmp(field(status, "VmSize"), "(none)") != 0);
    printf("comm = %s", slurp(pidfile(child, "comm")));
    printf("cmdline is the parent's = %d, environ is the parent's = %d, limits are the parent's = %d\n",
            same_file(pidfile(child, "cmdline"), "/proc/self/cmdline"),
            same_file(pidfile(child, "environ"), "/proc/self/environ"),
            same_file(pidfile(child, "limits"), "/proc/self/limits"));
    printf("cwd = %s, root = %s\n", link_of(pidfile(child, "cwd")), link_of(pidfile(child, "root")));
    char exe[512];
    snprintf(exe, sizeof exe, "%s", link_of("/proc/self/exe"));
    printf("exe is the parent's = %d\n", strcmp(link_of(pidfile(child, "exe")), exe) == 0);
    printf("fd/ = %s\n", listing(pidfile(child, "fd"))); /* 0-2, and the pipe ends it kept */
    char fd3[64];
    snprintf(fd3, sizeof fd3, "%d/fd/3", child);
    char own3[512];
    snprintf(own3, sizeof own3, "%s", link_of("/proc/self/fd/3"));
    printf("fd 3 names the parent's pipe = %d, a pipe = %d\n", strcmp(link_of(pidfile(child, "fd/3")), own3) == 0,
            strncmp(own3, "pipe:[", 6) == 0);
    const char *tasks = listing(pidfile(child, "task"));
    printf("task/ is the child alone = %d\n", atoi(tasks) == child && !strchr(tasks, ' '));
    char task[64];
    snprintf(task, sizeof task, "task/%d/stat", child);
    printf("task/%s state = %c\n", "CHILD/stat", (char) stat_field(slurp(pidfile(child, task)), 3));
    printf("maps names the program = %d\n", strstr(slurp(pidfile(child, "maps")), exe) != NULL);
    printf("/proc lists the parent = %d, the child = %d\n", has_pid(self), has_pid(child));
    struct stat st;
    char dir[32];
    snprintf(dir, sizeof dir, "/proc/%d", child);
    printf("/proc/CHILD owned by its euid and egid = %d\n",
            stat(dir, &st) == 0 && st.st_uid == geteuid() && st.st_gid == getegid());

    kill(child, SIGUSR1); /* blocked: it stays pending */
    status = slurp(pidfile(child, "status"));
    printf("after kill(SIGUSR1): ShdPnd has it = %d, SigPnd has it = %d\n", has_signal(status, "ShdPnd", SIGUSR1),
            has_signal(status, "SigPnd", SIGUSR1));

    kill(child, SIGSTOP);
    int ws;
    int w = waitpid(child, &ws, WUNTRACED);
    printf("waitpid WUNTRACED = %d, stopped = %d\n", w == child, WIFSTOPPED(ws));
    printf("stopped: stat state = %c, status State = %s\n", (char) stat_field(slurp(pidfile(child, "stat")), 3),
            field(slurp(pidfile(child, "status")), "State"));
    kill(child, SIGCONT);
    w = waitpid(child, &ws, WCONTINUED);
    printf("waitpid WCONTINUED = %d, continued = %d\n", w == child, WIFCONTINUED(ws));
    printf("continued: state = %c\n", settled(child, 'S'));
    c = 'x';
    printf("echo after the stop = %d\n", write(to[1], &c, 1) == 1 && read(from[0], &c, 1) == 1 && c == 'x');

    c = 'q';
    if (write(to[1], &c, 1) != 1) {
        return 1;
    }
    siginfo_t info;
    printf("waitid WNOWAIT = %d\n", waitid(P_PID, child, &info, WEXITED | WNOWAIT) == 0 && info.si_pid == child);
    st1 = slurp(pidfile(child, "stat"));
    stat_comm(st1, comm, sizeof comm);
    printf("zombie: stat state = %c, comm = %s, ppid is the parent = %d, num_threads = %lld, vsize = %lld\n",
            (char) stat_field(st1, 3), comm, stat_field(st1, 4) == self, stat_field(st1, 20), stat_field(st1, 23));
    status = slurp(pidfile(child, "status"));
    printf("zombie: status State = %s, Umask = %s, Threads = %s\n", field(status, "State"), field(status, "Umask"),
            field(status, "Threads"));
    printf("zombie: status VmSize = %s, FDSize = %s, PPid is the parent = %d\n", field(status, "VmSize"),
            field(status, "FDSize"), atoi(field(status, "PPid")) == self);
    long n = -1;
    char *s = slurp_n(pidfile(child, "cmdline"), &n);
    printf("zombie: cmdline opens = %d, length = %ld\n", s != NULL, s ? n : -1);
    s = slurp_n(pidfile(child, "environ"), &n);
    printf("zombie: environ reads nothing = %d\n", s == NULL || n == 0); /* an empty file, or ESRCH since 6.14 */
    s = slurp_n(pidfile(child, "maps"), &n);
    printf("zombie: maps opens = %d, length = %ld\n", s != NULL, s ? n : -1);
    s = slurp_n(pidfile(child, "mounts"), &n);
    printf("zombie: mounts opens = %d%s%s\n", s != NULL, s ? "" : " ", s ? "" : err());
    printf("zombie: comm = %s", slurp(pidfile(child, "comm")));
    printf("zombie: cwd = %s, exe = %s, root = %s\n", link_of(pidfile(child, "cwd")), link_of(pidfile(child, "exe")),
            link_of(pidfile(child, "root")));
    printf("zombie: fd/ = [%s]", listing(pidfile(child, "fd")));
    printf(", task/ is the child = %d\n", atoi(listing(pidfile(child, "task"))) == child);
    printf("zombie: /proc lists it = %d\n", has_pid(child));

    int dirfd = open(dir, O_RDONLY | O_DIRECTORY);
    w = waitpid(child, &ws, 0);
    printf("waitpid reaps = %d, exit 7 = %d\n", w == child, WIFEXITED(ws) && WEXITSTATUS(ws) == 7);
    /* A directory opened before: still an open file, but nothing left to list. */
    char dents[1024];
    errno = 0;
    long got = syscall(SYS_getdents64, dirfd, dents, sizeof dents);
    printf("reaped: getdents of its directory opened before = %ld %s\n", got, got < 0 ? err() : "");
    printf("reaped: fstat of it = %d\n", fstat(dirfd, &st) == 0 && S_ISDIR(st.st_mode));
    close(dirfd);
    errno = 0;
    s = slurp_n(pidfile(child, "stat"), &n);
    printf("reaped: stat opens = %d %s\n", s != NULL, s ? "" : err());
    printf("reaped: /proc lists it = %d, opendir = %s\n", has_pid(child), listing(dir));
    printf("/proc/0/stat = %s, /proc/x1/stat = %s\n", slurp_n("/proc/0/stat", &n) ? "ok" : err(),
            slurp_n("/proc/x1/stat", &n) ? "ok" : err());

    /* A vfork parent waits for its child uninterruptibly (killable): D. */
    int gate[2];
    if (pipe(gate)) {
        return 1;
    }
    int middle = fork();
    if (middle == 0) {
        close(gate[1]);
        prctl(PR_SET_NAME, "vforker");
        int g = vfork();
        if (g == 0) {
            char b;
            if (read(gate[0], &b, 1) < 0) {
                _exit(2);
            }
            _exit(0);
        }
        int st;
        waitpid(g, &st, 0);
        _exit(0);
    }
    close(gate[0]);
    char d = settled(middle, 'D');
    printf("vfork parent: state = %c, status State = %s\n", d, field(slurp(pidfile(middle, "status")), "State"));
    c = 'g';
    if (write(gate[1], &c, 1) != 1) {
        return 1;
    }
    w = waitpid(middle, &ws, 0);
    printf("vfork parent exits 0 = %d\n", w == middle && WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
    return 0;
}

/* What a process of another uid may read of a root process (run as root; as anyone else, says so). */
static int check_permissions(void) {
    if (geteuid() != 0) {
        printf("not root: no other uid to be\n");
        return 0;
    }
    int to[2], from[2];
    if (pipe(to) || pipe(from)) {
        return 1;
    }
    int child = fork();
    if (child == 0) {
        close(to[1]);
        close(from[0]);
        blocker(to[0], from[1]);
    }
    close(from[1]);
    char c;
    if (read(from[0], &c, 1) != 1) {
        return 1;
    }
    fflush(stdout);
    int reader = fork();
    if (reader == 0) {
        /* Dumpable again after the change of ids, as Phoenix's processes always are. */
        if (setgroups(0, NULL) || setresgid(65534, 65534, 65534) || setresuid(65534, 65534, 65534)
                || prctl(PR_SET_DUMPABLE, 1)) {
            printf("could not become nobody\n");
            _exit(1);
        }
        const char *files[] = {"stat", "status", "cmdline", "comm", "limits", "environ", "auxv", "maps", "mounts"};
        for (unsigned i = 0; i < sizeof files / sizeof files[0]; i++) {
            errno = 0;
            int fd = open(pidfile(child, files[i]), O_RDONLY);
            printf("nobody opens root's %s = %s\n", files[i], fd >= 0 ? "ok" : err());
            if (fd >= 0) {
                close(fd);
            }
        }
        printf("nobody: root's cwd = %s, exe = %s, root = %s\n", link_of(pidfile(child, "cwd")),
                link_of(pidfile(child, "exe")), link_of(pidfile(child, "root")));
        printf("nobody: root's fd/ = %s", listing(pidfile(child, "fd")));
        printf(", fd/0 = %s\n", link_of(pidfile(child, "fd/0")));
        int fd = open(pidfile(child, "comm"), O_WRONLY);
        printf("nobody: open root's comm for writing = %s\n", fd >= 0 ? "ok" : err());
        struct stat st;
        printf("nobody: /proc/CHILD owned by root = %d\n", stat(pidfile(child, ""), &st) == 0 && st.st_uid == 0);
        printf("nobody: own environ = %s, own fd/ readable = %d\n", slurp_n("/proc/self/environ", NULL) ? "ok" : err(),
                opendir("/proc/self/fd") != NULL);
        printf("nobody: /proc/self owned by nobody = %d\n", stat("/proc/self", &st) == 0 && st.st_uid == 65534);
        fflush(stdout);
        _exit(0);
    }
    int ws;
    waitpid(reader, &ws, 0);
    /* Root reads everything, and another process's comm may be opened but not written. */
    printf("root: child's environ = %s, cwd = %s\n", slurp_n(pidfile(child, "environ"), NULL) ? "ok" : err(),
            link_of(pidfile(child, "cwd")));
    int fd = open(pidfile(child, "comm"), O_WRONLY);
    errno = 0;
    long wr = fd >= 0 ? (long) write(fd, "x", 1) : -2L;
    printf("root: write to the child's comm = %ld %s\n", wr, errno ? err() : "");
    printf("comm still = %s", slurp(pidfile(child, "comm")));
    close(to[1]);
    waitpid(child, &ws, 0);
    return 0;
}

int main(int argc, char **argv) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    if (argc > 1 && strcmp(argv[1], "perm") == 0) {
        return check_permissions();
    }
    return check_processes();
}
