/* Threads as /proc and the per-thread syscalls show them: /proc/self/task, /proc/thread-self,
 * per-thread names (PR_SET_NAME, and writes to /proc/self/task/TID/comm, which is how
 * pthread_setname_np names another thread), per-thread CPU affinity, getcpu, membarrier, and a
 * leader that exited while a thread runs (a zombie). Threads take turns through semaphores, so
 * the output is the same on every run; only what any Linux answers alike is printed. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* linux/membarrier.h, which musl's headers lack */
enum {
    MB_QUERY = 0, MB_GLOBAL_EXPEDITED = 2, MB_REGISTER_GLOBAL_EXPEDITED = 4, MB_PRIVATE_EXPEDITED = 8,
    MB_REGISTER_PRIVATE_EXPEDITED = 16, MB_PRIVATE_EXPEDITED_SYNC_CORE = 32,
    MB_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE = 64, MB_PRIVATE_EXPEDITED_RSEQ = 128,
    MB_REGISTER_PRIVATE_EXPEDITED_RSEQ = 256, MB_GET_REGISTRATIONS = 512, MB_FLAG_CPU = 1,
};

static void show(const char *what, long r) {
    const char *e = r >= 0 ? "" : errno == EINVAL ? " EINVAL" : errno == ESRCH ? " ESRCH" : errno == EPERM ? " EPERM"
            : errno == ENOENT ? " ENOENT" : errno == EBADF ? " EBADF" : " (other errno)";
    printf("%s = %ld%s\n", what, r, e);
}

/* The whole of a /proc file, NUL-terminated; "" when it cannot be read. */
static char *slurp(const char *path) {
    static char buf[8192];
    int fd = open(path, O_RDONLY);
    long n = fd < 0 ? 0 : read(fd, buf, sizeof buf - 1);
    if (fd >= 0) {
        close(fd);
    }
    buf[n > 0 ? n : 0] = 0;
    return buf;
}

/* The value of "Key:\t..." in a status file, up to the end of its line (four may be in use at once). */
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
static long stat_field(const char *stat, int n) {
    const char *p = strrchr(stat, ')');
    if (!p || n < 3) {
        return n == 1 ? atol(stat) : -1;
    }
    p += 2;
    for (int i = 3; i < n; i++) {
        p = strchr(p, ' ');
        if (!p) {
            return -1;
        }
        p++;
    }
    return n == 3 ? *p : atol(p);
}

static void stat_comm(const char *stat, char *out, size_t len) {
    const char *a = strchr(stat, '('), *b = strrchr(stat, ')');
    snprintf(out, len, "%.*s", a && b ? (int) (b - a - 1) : 0, a ? a + 1 : "");
}

/* The thread's state letter in its task status, once it has gone to sleep (its wait may take a moment to begin). */
static char settled_state(const char *path) {
    char s = '?';
    for (int i = 0; i < 5000; i++) {
        s = field(slurp(path), "State")[0];
        if (s == 'S') {
            break;
        }
        usleep(1000);
    }
    return s;
}

static int tids[2];
static sem_t ready, go[2], done, quit;

static void *worker(void *arg) {
    int i = (int) (long) arg;
    tids[i] = (int) syscall(SYS_gettid);
    if (i == 0) {
        show("worker 0: pthread_setname_np(self)", pthread_setname_np(pthread_self(), "worker-zero"));
    }
    sem_post(&ready);
    sem_wait(&go[i]);
    printf("worker %d: /proc/thread-self/comm = %s", i, slurp("/proc/thread-self/comm"));
    char link[64], want[64];
    long n = readlink("/proc/thread-self", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    snprintf(want, sizeof want, "%d/task/%d", getpid(), tids[i]);
    show("worker: /proc/thread-self is PID/task/TID", strcmp(link, want) == 0);
    char name[16] = "?";
    prctl(PR_GET_NAME, name);
    printf("worker %d: PR_GET_NAME = %s\n", i, name);
    printf("worker %d: own status Pid is its tid = %d\n", i, atoi(field(slurp("/proc/thread-self/status"), "Pid")) == tids[i]);
    printf("worker %d: own status State = %s\n", i, field(slurp("/proc/thread-self/status"), "State"));
    if (i == 0) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(0, &set);
        show("worker 0: sched_setaffinity(0, {0})", sched_setaffinity(0, sizeof set, &set));
        CPU_ZERO(&set);
        show("worker 0: sched_getaffinity(0)", sched_getaffinity(0, sizeof set, &set));
        show("worker 0: CPU_COUNT", CPU_COUNT(&set));
        show("worker 0: CPU 0 in the mask", CPU_ISSET(0, &set));
        unsigned cpu = 99, node = 99;
        show("worker 0: getcpu", syscall(SYS_getcpu, &cpu, &node, NULL));
        show("worker 0: cpu", cpu);
        show("worker 0: node", node);
    }
    fflush(stdout);
    sem_post(&done);
    sem_wait(&quit);
    return NULL;
}

/* Entries of /proc/self/task: their count, and whether the leader's comes first, as Linux lists them. */
static void list_tasks(const char *who) {
    DIR *d = opendir("/proc/self/task");
    int count = 0, first = -1;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.') {
            continue;
        }
        if (first < 0) {
            first = atoi(e->d_name);
        }
        count++;
    }
    if (d) {
        closedir(d);
    }
    printf("%s: /proc/self/task entries = %d, the leader first = %d\n", who, count, first == getpid());
}

static void *last_thread(void *arg) {
    (void) arg;
    /* The leader has called pthread_exit: a zombie until the last thread ends. */
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/status", getpid());
    char state = '?';
    for (int i = 0; i < 5000 && state != 'Z'; i++) {
        state = field(slurp(path), "State")[0];
        if (state != 'Z') {
            usleep(1000);
        }
    }
    printf("after the leader's pthread_exit: State = %s\n", field(slurp(path), "State"));
    printf("after the leader's pthread_exit: Threads = %s\n", field(slurp(path), "Threads"));
    list_tasks("after the leader's pthread_exit");
    snprintf(path, sizeof path, "/proc/%d/task/%d/stat", getpid(), getpid());
    printf("leader's task stat state = %c\n", (char) stat_field(slurp(path), 3));
    char own[64];
    snprintf(own, sizeof own, "/proc/self/task/%ld/stat", (long) syscall(SYS_gettid));
    printf("own task stat state = %c\n", (char) stat_field(slurp(own), 3));
    exit(0);
}

/*
 * What Phoenix's membarrier answers where kernels differ (the RSEQ commands need CONFIG_RSEQ and
 * a registered rseq; GET_REGISTRATIONS came in 6.3): for a run under Phoenix only.
 */
static int membarrier_as_declared(void) {
    show("membarrier QUERY", syscall(SYS_membarrier, MB_QUERY, 0, 0));
    show("membarrier PRIVATE_EXPEDITED_RSEQ", syscall(SYS_membarrier, MB_PRIVATE_EXPEDITED_RSEQ, 0, 0));
    show("membarrier PRIVATE_EXPEDITED_RSEQ with FLAG_CPU",
            syscall(SYS_membarrier, MB_PRIVATE_EXPEDITED_RSEQ, MB_FLAG_CPU, 0));
    show("membarrier PRIVATE_EXPEDITED_RSEQ with flags 2", syscall(SYS_membarrier, MB_PRIVATE_EXPEDITED_RSEQ, 2, 0));
    show("membarrier REGISTER_PRIVATE_EXPEDITED_RSEQ", syscall(SYS_membarrier, MB_REGISTER_PRIVATE_EXPEDITED_RSEQ, 0, 0));
    show("membarrier GET_REGISTRATIONS", syscall(SYS_membarrier, MB_GET_REGISTRATIONS, 0, 0));
    show("membarrier GLOBAL", syscall(SYS_membarrier, 1, 0, 0));
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "membarrier-as-declared") == 0) {
        return membarrier_as_declared();
    }
    sem_init(&ready, 0, 0);
    sem_init(&done, 0, 0);
    sem_init(&quit, 0, 0);
    pthread_t th[2];
    for (int i = 0; i < 2; i++) {
        sem_init(&go[i], 0, 0);
        pthread_create(&th[i], NULL, worker, (void *) (long) i);
    }
    sem_wait(&ready);
    sem_wait(&ready);
    /* Naming another thread writes its /proc/self/task/TID/comm (glibc and musl alike). */
    show("pthread_setname_np(worker 1)", pthread_setname_np(th[1], "worker-one"));
    char name[16] = "?";
    show("pthread_getname_np(worker 0)", pthread_getname_np(th[0], name, sizeof name));
    printf("its name = %s\n", name);
    list_tasks("main");

    char *status = slurp("/proc/self/status");
    printf("status Name = %s\n", field(status, "Name"));
    printf("status State = %s\n", field(status, "State"));
    printf("status Threads = %s\n", field(status, "Threads"));
    printf("status Tgid and Pid are getpid() = %d\n",
            atoi(field(status, "Tgid")) == getpid() && atoi(field(status, "Pid")) == getpid());
    char *stat = slurp("/proc/self/stat");
    char comm[32];
    stat_comm(stat, comm, sizeof comm);
    printf("stat: pid is getpid() = %d, comm = %s, state = %c, num_threads = %ld\n", stat_field(stat, 1) == getpid(),
            comm, (char) stat_field(stat, 3), stat_field(stat, 20));
    printf("/proc/self/comm = %s", slurp("/proc/self/comm"));
    char link[64], want[64];
    long n = readlink("/proc/thread-self", link, sizeof link - 1);
    link[n > 0 ? n : 0] = 0;
    snprintf(want, sizeof want, "%d/task/%d", getpid(), getpid());
    show("main: /proc/thread-self is PID/task/PID", strcmp(link, want) == 0);

    char path[80];
    for (int i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "/proc/self/task/%d/status", tids[i]);
        char state = settled_state(path);
        status = slurp(path);
        printf("task %d status: Name = %s, State = %c, Threads = %s, Pid is its tid = %d, Tgid is getpid() = %d\n", i,
                field(status, "Name"), state, field(status, "Threads"), atoi(field(status, "Pid")) == tids[i],
                atoi(field(status, "Tgid")) == getpid());
        snprintf(path, sizeof path, "/proc/self/task/%d/stat", tids[i]);
        stat = slurp(path);
        stat_comm(stat, comm, sizeof comm);
        printf("task %d stat: tid = %d, comm = %s, state = %c, num_threads = %ld\n", i, stat_field(stat, 1) == tids[i],
                comm, (char) stat_field(stat, 3), stat_field(stat, 20));
        snprintf(path, sizeof path, "/proc/self/task/%d/comm", tids[i]);
        printf("task %d comm = %s", i, slurp(path));
        /* A thread's own directory is there by its tid too, though /proc does not list it. */
        snprintf(path, sizeof path, "/proc/%d/status", tids[i]);
        printf("/proc/TID/status of task %d: Name = %s\n", i, field(slurp(path), "Name"));
    }
    snprintf(path, sizeof path, "/proc/self/task/%d/comm", getpid());
    printf("the leader's task comm = %s", slurp(path));
    show("open /proc/self/task/1/status (no such thread)", open("/proc/self/task/1/status", O_RDONLY));

    /* Writing a comm file names that thread only; /proc/self/comm is the leader's. */
    snprintf(path, sizeof path, "/proc/self/task/%d/comm", tids[1]);
    int fd = open(path, O_WRONLY);
    show("write 'renamed-by-write' to task 1's comm", write(fd, "renamed-by-write", 16));
    close(fd);
    printf("task 1 comm now = %s", slurp(path));
    printf("/proc/self/comm still = %s", slurp("/proc/self/comm"));
    fd = open(path, O_RDONLY);
    show("write to a comm opened read-only", write(fd, "x", 1));
    close(fd);

    sem_post(&go[0]);
    sem_wait(&done);
    sem_post(&go[1]);
    sem_wait(&done);

    /* Affinity is per thread: worker 0's pinning leaves the others' masks alone. */
    cpu_set_t all, set;
    CPU_ZERO(&all);
    show("main: sched_getaffinity(0)", sched_getaffinity(0, sizeof all, &all));
    show("main: more than CPU 0 or only one CPU", CPU_COUNT(&all) > 1 || sysconf(_SC_NPROCESSORS_ONLN) == 1);
    CPU_ZERO(&set);
    show("main: sched_getaffinity(worker 0)", sched_getaffinity(tids[0], sizeof set, &set));
    show("main: worker 0's CPU_COUNT", CPU_COUNT(&set));
    CPU_ZERO(&set);
    show("main: sched_getaffinity(worker 1)", sched_getaffinity(tids[1], sizeof set, &set));
    show("main: worker 1's mask is main's", CPU_EQUAL(&set, &all));
    CPU_ZERO(&set);
    show("main: sched_setaffinity(empty mask)", sched_setaffinity(0, sizeof set, &set));
    show("main: sched_setaffinity(-1)", sched_setaffinity(-1, sizeof all, &all));
    show("main: sched_getaffinity(-5)", sched_getaffinity(-5, sizeof all, &all));
    cpu_set_t *big = CPU_ALLOC(4096);
    size_t bigsize = CPU_ALLOC_SIZE(4096);
    CPU_ZERO_S(bigsize, big);
    CPU_SET_S(4000, bigsize, big);
    show("main: sched_setaffinity({4000}) (no such CPU)", sched_setaffinity(0, bigsize, big));
    CPU_FREE(big);
    CPU_SET(0, &set);
    show("main: sched_setaffinity(worker 1, {0})", sched_setaffinity(tids[1], sizeof set, &set));
    CPU_ZERO(&set);
    sched_getaffinity(tids[1], sizeof set, &set);
    show("main: worker 1's CPU_COUNT now", CPU_COUNT(&set));
    /* sched_getcpu (through the vDSO's getcpu where it has one) agrees with the syscall. */
    int highest = 0;
    for (int c = 0; c < CPU_SETSIZE; c++) {
        highest = CPU_ISSET(c, &all) ? c : highest;
    }
    CPU_ZERO(&set);
    CPU_SET(highest, &set);
    show("main: sched_setaffinity({the highest CPU})", sched_setaffinity(0, sizeof set, &set));
    unsigned cpu = 9999;
    syscall(SYS_getcpu, &cpu, NULL, NULL);
    show("main: getcpu is that CPU", cpu == (unsigned) highest);
    show("main: sched_getcpu() is that CPU", sched_getcpu() == highest);
    CPU_ZERO(&set);
    CPU_SET(0, &set);
    sched_setaffinity(0, sizeof set, &set);
    show("main: getcpu after pinning to CPU 0", syscall(SYS_getcpu, &cpu, NULL, NULL));
    show("main: cpu", cpu);
    show("main: sched_getcpu()", sched_getcpu());

    long q = syscall(SYS_membarrier, MB_QUERY, 0, 0);
    show("membarrier QUERY > 0", q > 0);
    show("QUERY has PRIVATE_EXPEDITED and its REGISTER",
            (q & (MB_PRIVATE_EXPEDITED | MB_REGISTER_PRIVATE_EXPEDITED)) == (MB_PRIVATE_EXPEDITED | MB_REGISTER_PRIVATE_EXPEDITED));
    show("membarrier QUERY with flags 1", syscall(SYS_membarrier, MB_QUERY, 1, 0));
    show("membarrier unknown command 1<<20", syscall(SYS_membarrier, 1 << 20, 0, 0));
    show("membarrier 3 (two commands)", syscall(SYS_membarrier, 3, 0, 0));
    show("membarrier PRIVATE_EXPEDITED unregistered", syscall(SYS_membarrier, MB_PRIVATE_EXPEDITED, 0, 0));
    show("membarrier REGISTER_PRIVATE_EXPEDITED with flags 1",
            syscall(SYS_membarrier, MB_REGISTER_PRIVATE_EXPEDITED, 1, 0));
    show("membarrier REGISTER_PRIVATE_EXPEDITED", syscall(SYS_membarrier, MB_REGISTER_PRIVATE_EXPEDITED, 0, 0));
    show("membarrier PRIVATE_EXPEDITED", syscall(SYS_membarrier, MB_PRIVATE_EXPEDITED, 0, 0));
    show("membarrier PRIVATE_EXPEDITED_SYNC_CORE unregistered",
            syscall(SYS_membarrier, MB_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0));
    show("membarrier REGISTER_PRIVATE_EXPEDITED_SYNC_CORE",
            syscall(SYS_membarrier, MB_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0));
    show("membarrier PRIVATE_EXPEDITED_SYNC_CORE", syscall(SYS_membarrier, MB_PRIVATE_EXPEDITED_SYNC_CORE, 0, 0));
    show("membarrier GLOBAL_EXPEDITED", syscall(SYS_membarrier, MB_GLOBAL_EXPEDITED, 0, 0));
    show("membarrier REGISTER_GLOBAL_EXPEDITED", syscall(SYS_membarrier, MB_REGISTER_GLOBAL_EXPEDITED, 0, 0));
    show("membarrier GLOBAL_EXPEDITED (registered)", syscall(SYS_membarrier, MB_GLOBAL_EXPEDITED, 0, 0));

    sem_post(&quit);
    sem_post(&quit);
    pthread_join(th[0], NULL);
    pthread_join(th[1], NULL);
    printf("after join: Threads = %s\n", field(slurp("/proc/self/status"), "Threads"));
    list_tasks("after join");
    fflush(stdout);

    pthread_t last;
    pthread_create(&last, NULL, last_thread, NULL);
    pthread_exit(NULL);
}
