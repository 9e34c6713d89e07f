/*
 * execve(2) and execveat(2): arguments and environment, close-on-exec descriptors, what survives
 * an exec (pid, parent, signal mask, pending and ignored signals, working directory, umask) and
 * what does not (caught signals, other threads, the old mappings), vfork then exec, `#!` scripts
 * with the test binary itself as their interpreter, Linux's nesting limit for them, and the exec
 * errors. The program re-runs itself in other roles, chosen by EXEC_MODE in its environment (the
 * arguments must stay free: a script's interpreter gets whatever the kernel puts there). The
 * checks run in the main role; its last step execs itself without a fork, and the new image prints
 * the last checks. Scripts and copies go to a fresh directory under /tmp, removed at the end.
 */
#define _GNU_SOURCE
#include "proccheck.h"
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/stat.h>

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

extern char **environ;

/* The absolute path of this program, the interpreter of the scripts. */
static char self[PATH_MAX];
/* The scratch directory, and a buffer to build paths in it. */
static char dir[PATH_MAX];

/* An address that nothing but the main role maps, checked unmapped after its exec. */
#define OLD_MAPPING ((void *) 0x3f00000000UL)

/* Counts the entries of /proc/self/task: the threads of this process. */
static int thread_count(void) {
    DIR *d = opendir("/proc/self/task");
    if (!d) {
        return -1;
    }
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] != '.') {
            n++;
        }
    }
    closedir(d);
    return n;
}

/* Role "show": prints its arguments, environment and /proc/self/exe, for the caller to compare. */
static int show(int argc, char **argv) {
    printf("argc %d\n", argc);
    for (int i = 0; i < argc; i++) {
        printf("argv[%d] %s\n", i, argv[i]);
    }
    for (char **e = environ; *e; e++) {
        printf("env %s\n", *e);
    }
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = 0;
    printf("exe %s\n", exe);
    return 0;
}

/* What role "show" prints when run with argv and envp by exe. */
static void expect_show(char *out, size_t cap, char *const argv[], char *const envp[], const char *exe) {
    size_t len = 0;
    int argc = 0;
    while (argv[argc]) {
        argc++;
    }
    len += snprintf(out + len, cap - len, "argc %d\n", argc);
    for (int i = 0; i < argc; i++) {
        len += snprintf(out + len, cap - len, "argv[%d] %s\n", i, argv[i]);
    }
    for (int i = 0; envp[i]; i++) {
        len += snprintf(out + len, cap - len, "env %s\n", envp[i]);
    }
    snprintf(out + len, cap - len, "exe %s\n", exe);
}

/* Role "fds": argv[1...] are NAME=FD; prints whether each descriptor is open. */
static int fds(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (!eq) {
            continue;
        }
        int fl = fcntl(atoi(eq + 1), F_GETFD);
        printf("%.*s %s\n", (int) (eq - argv[i]), argv[i],
                fl < 0 ? "closed" : (fl & FD_CLOEXEC) ? "open with FD_CLOEXEC" : "open");
    }
    return 0;
}

/* Role "signals": prints the dispositions, mask and pending set that exec left. */
static int signals_after_exec(void) {
    struct sigaction sa;
    sigset_t mask, pending;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    sigpending(&pending);
    sigaction(SIGUSR1, NULL, &sa);
    printf("SIGUSR1 (caught before) %s\n", sa.sa_handler == SIG_DFL ? "default" : "not default");
    sigaction(SIGUSR2, NULL, &sa);
    printf("SIGUSR2 (ignored before) %s\n", sa.sa_handler == SIG_IGN ? "ignored" : "not ignored");
    printf("SIGHUP %s, %s\n", sigismember(&mask, SIGHUP) ? "blocked" : "not blocked",
            sigismember(&pending, SIGHUP) ? "pending" : "not pending");
    printf("SIGINT %s\n", sigismember(&mask, SIGINT) ? "blocked" : "not blocked");
    char cwd[PATH_MAX];
    printf("cwd %s\n", getcwd(cwd, sizeof cwd) ? cwd : "?");
    mode_t m = umask(0);
    printf("umask %03o\n", (unsigned) m);
    return 0;
}

/* Whether addr is mapped (msync(2) fails with ENOMEM on an unmapped range). */
static int mapped(void *addr) {
    return msync(addr, 4096, MS_ASYNC) == 0 || errno != ENOMEM;
}

/* Role "samepid": the image the main role execs without a fork; argv[1] its pid, argv[2] its
 * parent's, argv[3] "failed" when a check before the exec failed. Prints the last checks and
 * ends the program. */
static int same_pid(int argc, char **argv) {
    if (argc < 4) {
        return 2;
    }
    failed = strcmp(argv[3], "ok") != 0;
    check("exec without fork keeps the pid and the parent", getpid() == atoi(argv[1]) && getppid() == atoi(argv[2]),
            "pid %s, ppid %s", getpid() == atoi(argv[1]) ? "same" : "changed", getppid() == atoi(argv[2]) ? "same" : "changed");
    struct sigaction sa;
    sigaction(SIGUSR1, NULL, &sa);
    check("exec resets a caught signal to its default", sa.sa_handler == SIG_DFL, "not SIG_DFL");
    sigaction(SIGUSR2, NULL, &sa);
    check("an ignored signal stays ignored", sa.sa_handler == SIG_IGN, "not SIG_IGN");
    sigset_t mask, pending;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    sigpending(&pending);
    check("the signal mask is kept and a pending signal stays pending",
            sigismember(&mask, SIGHUP) && sigismember(&pending, SIGHUP) && !sigismember(&mask, SIGINT),
            "SIGHUP %s and %s", sigismember(&mask, SIGHUP) ? "blocked" : "unblocked",
            sigismember(&pending, SIGHUP) ? "pending" : "not pending");
    int threads = thread_count();
    check("the other thread is gone", threads == 1, "%d threads", threads);
    check("the old image's mappings are gone", !mapped(OLD_MAPPING), "still mapped");
    char cwd[PATH_MAX];
    check("the working directory and umask are kept", getcwd(cwd, sizeof cwd) && strcmp(cwd, "/tmp") == 0 && umask(0) == 027,
            "cwd %s", cwd);
    return failed;
}

/* Role "threadexec": exec'd by a second thread of a process whose pid is argv[1]. */
static int thread_exec(int argc, char **argv) {
    return argc > 1 && getpid() == atoi(argv[1]) && thread_count() == 1 ? 0 : 1;
}

/* Role "awaitbyte": exits 0 once a byte arrives on stdin, 1 if none comes within 10 s. */
static int await_byte(void) {
    struct pollfd p = {0, POLLIN, 0};
    return poll(&p, 1, 10000) == 1 && await(0) >= 0 ? 0 : 1;
}

/* Builds dir/name in buf. */
static char *in_dir(char *buf, const char *name) {
    if (snprintf(buf, PATH_MAX, "%s/%s", dir, name) >= PATH_MAX) {
        printf("path too long: %s/%s\n", dir, name);
        exit(1);
    }
    return buf;
}

/* Writes text to a new file at path with mode. */
static void make_file(const char *path, const char *text, size_t len, mode_t mode) {
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    if (fd < 0 || write(fd, text, len) != (ssize_t) len || fchmod(fd, mode) != 0) {
        printf("cannot write %s: %s\n", path, strerror(errno));
        exit(1);
    }
    close(fd);
}

/* Reads fd to its end into out (cap bytes with the terminating 0), then closes fd. */
static void read_all(int fd, char *out, size_t cap) {
    size_t have = 0;
    ssize_t n;
    while (have < cap - 1 && ((n = read(fd, out + have, cap - 1 - have)) > 0 || (n < 0 && errno == EINTR))) {
        have += n > 0 ? n : 0;
    }
    out[have] = 0;
    close(fd);
}

/* Runs path with argv and envp in a child whose stdout is captured into out; returns the wait
 * status. A failed execve prints "execve: ERRNO" there. */
static int run_capture(const char *path, char *const argv[], char *const envp[], char *out, size_t cap) {
    int p[2], st = 0;
    pipe_or_die(p);
    pid_t pid = fork_or_die();
    if (pid == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        execve(path, argv, envp);
        printf("execve: %s\n", errname(errno));
        fflush(stdout);
        _exit(127);
    }
    close(p[1]);
    read_all(p[0], out, cap);
    waitpid_(pid, &st, 0);
    return st;
}

static char got[65536], want[65536];

/* Runs path as role "show" and checks that it printed what argv, the environment and exe say. */
static void shows(const char *name, const char *path, char *const argv[], char *const envp[], char *const want_argv[],
        const char *exe) {
    int st = run_capture(path, argv, envp, got, sizeof got);
    expect_show(want, sizeof want, want_argv, envp, exe);
    check(name, WIFEXITED(st) && WEXITSTATUS(st) == 0 && strcmp(got, want) == 0, "%s, printed:\n%sinstead of:\n%s",
            status_text(st), got, want);
}

static char *show_env[] = {"EXEC_MODE=show", "A=1", "EMPTY=", "X=y=z", NULL};

static void arguments_and_environment(void) {
    char *argv[] = {"exec-child", "one", "two words", "", "-x", NULL};
    shows("execve /proc/self/exe with arguments and environment", "/proc/self/exe", argv, show_env, argv, self);
    shows("execve of its own path", self, argv, show_env, argv, self);
    char *alone[] = {"only", NULL}, *none[] = {"EXEC_MODE=show", NULL};
    shows("execve with one argument and one variable", self, alone, none, alone, self);
    char *empty[] = {NULL}, *one_empty[] = {"", NULL};
    shows("execve with an empty argv: Linux passes argc 1, argv[0] \"\"", self, empty, none, one_empty, self);
}

static void close_on_exec(void) {
    int plain = open("/dev/null", O_RDONLY);
    int cloexec = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int set_later = dup(plain);
    fcntl(set_later, F_SETFD, FD_CLOEXEC);
    int dup_of_cloexec = dup(cloexec);
    int p[2];
    pipe2(p, O_CLOEXEC);
    int dup3d = dup3(plain, 20, O_CLOEXEC);
    char a[7][32];
    snprintf(a[0], 32, "plain=%d", plain);
    snprintf(a[1], 32, "O_CLOEXEC=%d", cloexec);
    snprintf(a[2], 32, "F_SETFD=%d", set_later);
    snprintf(a[3], 32, "dup_of_O_CLOEXEC=%d", dup_of_cloexec);
    snprintf(a[4], 32, "pipe2_read=%d", p[0]);
    snprintf(a[5], 32, "pipe2_write=%d", p[1]);
    snprintf(a[6], 32, "dup3=%d", dup3d);
    char *argv[] = {"fds", a[0], a[1], a[2], a[3], a[4], a[5], a[6], NULL};
    char *env[] = {"EXEC_MODE=fds", NULL};
    int st = run_capture(self, argv, env, got, sizeof got);
    const char *expected = "plain open\nO_CLOEXEC closed\nF_SETFD closed\ndup_of_O_CLOEXEC open\n"
            "pipe2_read closed\npipe2_write closed\ndup3 closed\n";
    check("close-on-exec descriptors are closed by exec, the others stay open without the flag",
            WIFEXITED(st) && strcmp(got, expected) == 0, "%s, printed:\n%s", status_text(st), got);
    close(plain);
    close(cloexec);
    close(set_later);
    close(dup_of_cloexec);
    close(p[0]);
    close(p[1]);
    close(dup3d);
}

static void on_usr1(int sig) {
    (void) sig;
}

static void signals_and_state(void) {
    int p[2], st = 0;
    pipe_or_die(p);
    pid_t pid = fork_or_die();
    if (pid == 0) {
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        signal(SIGUSR1, on_usr1);
        signal(SIGUSR2, SIG_IGN);
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, SIGHUP);
        sigprocmask(SIG_BLOCK, &s, NULL);
        raise(SIGHUP);
        if (chdir("/tmp") != 0) {
            _exit(3);
        }
        umask(027);
        char *argv[] = {"signals", NULL}, *env[] = {"EXEC_MODE=signals", NULL};
        execve(self, argv, env);
        _exit(127);
    }
    close(p[1]);
    read_all(p[0], got, sizeof got);
    waitpid_(pid, &st, 0);
    const char *expected = "SIGUSR1 (caught before) default\nSIGUSR2 (ignored before) ignored\n"
            "SIGHUP blocked, pending\nSIGINT not blocked\ncwd /tmp\numask 027\n";
    check("after exec in a child: caught signals default, ignored ones ignored, mask, pending, cwd and umask kept",
            WIFEXITED(st) && strcmp(got, expected) == 0, "%s, printed:\n%s", status_text(st), got);
}

static void *sleeper(void *arg) {
    (void) arg;
    for (;;) {
        pause();
    }
    return NULL;
}

static char pid_arg[32];

static void *exec_from_thread(void *arg) {
    (void) arg;
    char *argv[] = {"threadexec", pid_arg, NULL}, *env[] = {"EXEC_MODE=threadexec", NULL};
    execve(self, argv, env);
    _exit(127);
}

static void exec_in_threads(void) {
    int st = 0;
    pid_t pid = fork_or_die();
    if (pid == 0) {
        pthread_t t1, t2;
        snprintf(pid_arg, sizeof pid_arg, "%d", getpid());
        if (pthread_create(&t1, NULL, sleeper, NULL) != 0 || pthread_create(&t2, NULL, exec_from_thread, NULL) != 0) {
            _exit(126);
        }
        for (;;) {
            pause();
        }
    }
    waitpid_(pid, &st, 0);
    check("exec from the second thread of three: the pid is kept and the other threads end",
            WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s", status_text(st));
}

static void vfork_then_exec(void) {
    int p[2], st = 0;
    pipe_or_die(p);
    pid_t pid = vfork();
    if (pid == 0) {
        dup2(p[0], 0);
        char *argv[] = {"awaitbyte", NULL}, *env[] = {"EXEC_MODE=awaitbyte", NULL};
        execve(self, argv, env);
        _exit(127);
    }
    /* Here the child has exec'd: it waits for this byte, so the parent must run before it ends. */
    post(p[1], 'x');
    close(p[0]);
    close(p[1]);
    waitpid_(pid, &st, 0);
    check("vfork then execve: the parent runs on while the new program runs", WIFEXITED(st) && WEXITSTATUS(st) == 0,
            "%s", status_text(st));
}

/* execve(path, argv) in a child with EXEC_MODE=ran; returns the errno it failed with, 250 when
 * this program ran instead, 0 when something else ran and exited 0. */
static int exec_errno(const char *path, char *const argv[]) {
    int st = 0;
    pid_t pid = fork_or_die();
    if (pid == 0) {
        char *env[] = {"EXEC_MODE=ran", NULL};
        execve(path, argv, env);
        _exit(errno < 250 ? errno : 249);
    }
    waitpid_(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 255;
}

static void fails_with(const char *name, const char *path, int expected) {
    char *argv[] = {"x", NULL};
    int e = exec_errno(path, argv);
    check(name, e == expected, "got %s", e == 250 ? "the program ran" : errname(e));
}

/* Copies this program to path with mode 0755. */
static void copy_self(const char *path) {
    int in = open("/proc/self/exe", O_RDONLY), out = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    char buf[65536];
    ssize_t n;
    while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0) {
        if (write(out, buf, n) != n) {
            break;
        }
    }
    if (in < 0 || out < 0) {
        printf("cannot copy this program to %s\n", path);
        exit(1);
    }
    close(in);
    close(out);
}

static void errors(void) {
    char p[PATH_MAX], q[PATH_MAX];
    fails_with("execve of a missing file: ENOENT", "/nonexistent-phoenix-dir/program", ENOENT);
    symlink("/nonexistent-phoenix-dir/program", in_dir(p, "dangling"));
    fails_with("execve of a dangling symlink: ENOENT", p, ENOENT);
    make_file(in_dir(p, "not-executable"), "#!/bin/true\n", 12, 0644);
    fails_with("execve of a file without execute permission: EACCES", p, EACCES);
    fails_with("execve of a directory: EACCES", dir, EACCES);
    make_file(in_dir(p, "garbage"), "\x01\x02 not a program\n\x03\x04", 20, 0755);
    fails_with("execve of a file of garbage: ENOEXEC", p, ENOEXEC);
    make_file(in_dir(p, "empty"), "", 0, 0755);
    fails_with("execve of an empty file: ENOEXEC", p, ENOEXEC);
    char elf[64] = "\x7f" "ELF\x02\x01\x01";
    make_file(in_dir(p, "bad-elf"), elf, sizeof elf, 0755);
    fails_with("execve of an ELF header of zeros: ENOEXEC", p, ENOEXEC);
    symlink("loop-b", in_dir(p, "loop-a"));
    symlink("loop-a", in_dir(q, "loop-b"));
    fails_with("execve through a symlink loop: ELOOP", p, ELOOP);
    make_file(in_dir(p, "plain-file"), "x", 1, 0755);
    fails_with("execve of a path through a regular file: ENOTDIR", in_dir(q, "plain-file/x"), ENOTDIR);
    char longpath[PATH_MAX + 100];
    memset(longpath, 'a', sizeof longpath - 1);
    longpath[0] = '/';
    longpath[sizeof longpath - 1] = 0;
    fails_with("execve of a path longer than PATH_MAX: ENAMETOOLONG", longpath, ENAMETOOLONG);

    /* E2BIG: one string longer than MAX_ARG_STRLEN (32 pages), and 8 MiB of them in all, more
     * than the quarter of any stack limit that Linux allows (at most 6 MiB, three quarters of
     * _STK_LIM). */
    static char big[200 * 1024], mid[100 * 1024];
    memset(big, 'b', sizeof big - 1);
    memset(mid, 'm', sizeof mid - 1);
    char *one_big[] = {"x", big, NULL};
    int e = exec_errno(self, one_big);
    check("execve with one argument over 128 KiB: E2BIG", e == E2BIG, "got %s", e == 250 ? "the program ran" : errname(e));
    static char *many[100];
    many[0] = "x";
    for (int i = 1; i < 90; i++) {
        many[i] = mid;
    }
    e = exec_errno(self, many);
    check("execve with 89 arguments of 100 KiB: E2BIG", e == E2BIG, "got %s", e == 250 ? "the program ran" : errname(e));

    long r = syscall(SYS_execve, self, (char **) 16, show_env);
    check("execve with a bad argv pointer: EFAULT", r == -1 && errno == EFAULT, "returned %ld %s", r, errname(errno));
    char *bad_env[] = {"x", NULL};
    r = syscall(SYS_execve, self, bad_env, (char **) 16);
    check("execve with a bad envp pointer: EFAULT", r == -1 && errno == EFAULT, "returned %ld %s", r, errname(errno));
    r = syscall(SYS_execve, (char *) 16, bad_env, show_env);
    check("execve with a bad path pointer: EFAULT", r == -1 && errno == EFAULT, "returned %ld %s", r, errname(errno));

    /* ETXTBSY: a file open for writing cannot be executed, nor a file being executed opened for writing. */
    copy_self(in_dir(p, "copy"));
    int w = open(p, O_WRONLY);
    fails_with("execve of a file open for writing: ETXTBSY", p, ETXTBSY);
    close(w);
    int go[2], st = 0;
    pipe_or_die(go);
    pid_t pid = fork_or_die();
    if (pid == 0) {
        dup2(go[0], 0);
        close(go[0]);
        close(go[1]);
        char *argv[] = {"awaitbyte", NULL}, *env[] = {"EXEC_MODE=awaitbyte", NULL};
        execve(p, argv, env);
        _exit(127);
    }
    close(go[0]);
    /* The child may not have exec'd yet: wait until its /proc/PID/exe is the copy. */
    char link[64], target[PATH_MAX];
    snprintf(link, sizeof link, "/proc/%d/exe", pid);
    for (int i = 0; i < 10000; i++) {
        ssize_t n = readlink(link, target, sizeof target - 1);
        target[n > 0 ? n : 0] = 0;
        if (strcmp(target, p) == 0) {
            break;
        }
        usleep(1000);
    }
    w = open(p, O_WRONLY);
    e = errno;
    check("opening a running program for writing: ETXTBSY", w < 0 && e == ETXTBSY, "open returned %d %s", w,
            w < 0 ? errname(e) : "");
    if (w >= 0) {
        close(w);
    }
    post(go[1], 'x');
    close(go[1]);
    check("the copy ran until told to stop", exited_with(pid, 0, &st), "%s", status_text(st));
}

/* Writes script dir/name whose first line is "#!" followed by line. */
static char *script(char *path, const char *name, const char *line) {
    char text[PATH_MAX + 64];
    int n = snprintf(text, sizeof text, "#!%s\n", line);
    make_file(in_dir(path, name), text, n, 0755);
    return path;
}

static void scripts(void) {
    char s[PATH_MAX], line[PATH_MAX + 32];
    char *argv[] = {"ignored-argv0", "x1", "x 2", NULL};

    snprintf(line, sizeof line, "%s opt-arg", self);
    script(s, "with-arg", line);
    char *want1[] = {self, "opt-arg", s, "x1", "x 2", NULL};
    shows("#! script with an argument: interpreter, its argument, the script path, then the arguments after argv[0]",
            s, argv, show_env, want1, self);

    script(s, "no-arg", self);
    char *want2[] = {self, s, "x1", "x 2", NULL};
    shows("#! script without an argument", s, argv, show_env, want2, self);

    snprintf(line, sizeof line, " \t%s \t a  b \t ", self);
    script(s, "spaces", line);
    char *want3[] = {self, "a  b", s, "x1", "x 2", NULL};
    shows("#! line with blanks: one argument, inner blanks kept, outer ones dropped", s, argv, show_env, want3, self);

    {
        char text[PATH_MAX + 8];
        int n = snprintf(text, sizeof text, "#!%s", self);
        make_file(in_dir(s, "no-newline"), text, n, 0755);
        char *want[] = {self, s, "x1", "x 2", NULL};
        shows("#! line without a newline", s, argv, show_env, want, self);
    }

    /* A chain of scripts, each the interpreter of the next: Linux follows 5 (the ELF program is
     * the sixth binary handler run, bprm's depth limit in exec_binprm), a sixth gives ELOOP. */
    char prev[PATH_MAX], name[32];
    char *want_chain[12];
    int k = 0;
    snprintf(prev, sizeof prev, "%s", self);
    want_chain[k++] = self;
    for (int i = 1; i <= 6; i++) {
        snprintf(name, sizeof name, "chain-%d", i);
        script(s, name, prev);
        snprintf(prev, sizeof prev, "%s", s);
        if (i == 5) {
            for (int j = 1; j <= 5; j++) {
                char *p = malloc(PATH_MAX);
                snprintf(name, sizeof name, "chain-%d", j);
                want_chain[k++] = in_dir(p, name);
            }
            want_chain[k++] = "x1";
            want_chain[k++] = "x 2";
            want_chain[k] = NULL;
            shows("a chain of 5 #! scripts runs", s, argv, show_env, want_chain, self);
        }
    }
    int e = exec_errno(s, argv);
    check("a chain of 6 #! scripts: ELOOP", e == ELOOP, "got %s", e == 250 ? "the program ran" : errname(e));

    e = exec_errno(script(s, "missing-interpreter", "/nonexistent-phoenix-dir/interpreter"), argv);
    check("#! naming a missing interpreter: ENOENT", e == ENOENT, "got %s", errname(e));
    e = exec_errno(script(s, "directory-interpreter", "/tmp"), argv);
    check("#! naming a directory: EACCES", e == EACCES, "got %s", errname(e));
    snprintf(line, sizeof line, "%s\r", self);
    e = exec_errno(script(s, "crlf", line), argv);
    check("#! line ending in CR LF: the CR is part of the name, ENOENT", e == ENOENT, "got %s", errname(e));
    e = exec_errno(script(s, "bare", ""), argv);
    check("#! with no interpreter: ENOEXEC", e == ENOEXEC, "got %s", errname(e));
    char longname[400] = "/";
    memset(longname + 1, 'i', 300);
    e = exec_errno(script(s, "long-interpreter", longname), argv);
    check("#! interpreter name past the 256-byte buffer: ENOEXEC", e == ENOEXEC, "got %s", errname(e));
    snprintf(line, sizeof line, "%s", self);
    script(s, "not-executable", line);
    chmod(s, 0644);
    e = exec_errno(s, argv);
    check("#! script without execute permission: EACCES", e == EACCES, "got %s", errname(e));
}

static void exec_at(void) {
    char *argv[] = {"at", "y", NULL};
    int fd = open(self, O_RDONLY | O_CLOEXEC), st = 0;
    int p[2];
    pipe_or_die(p);
    pid_t pid = fork_or_die();
    if (pid == 0) {
        dup2(p[1], 1);
        syscall(SYS_execveat, fd, "", argv, show_env, AT_EMPTY_PATH);
        printf("execveat: %s\n", errname(errno));
        fflush(stdout);
        _exit(127);
    }
    close(p[1]);
    read_all(p[0], got, sizeof got);
    waitpid_(pid, &st, 0);
    expect_show(want, sizeof want, argv, show_env, self);
    check("execveat(fd, \"\", AT_EMPTY_PATH) of an O_CLOEXEC descriptor", WIFEXITED(st) && strcmp(got, want) == 0,
            "%s, printed:\n%s", status_text(st), got);
    close(fd);

    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", self);
    char *slash = strrchr(parent, '/');
    *slash = 0;
    int dfd = open(parent[0] ? parent : "/", O_PATH | O_DIRECTORY);
    pipe_or_die(p);
    if ((pid = fork_or_die()) == 0) {
        dup2(p[1], 1);
        syscall(SYS_execveat, dfd, slash + 1, argv, show_env, 0);
        printf("execveat: %s\n", errname(errno));
        fflush(stdout);
        _exit(127);
    }
    close(p[1]);
    read_all(p[0], got, sizeof got);
    waitpid_(pid, &st, 0);
    check("execveat(directory fd, name)", WIFEXITED(st) && strcmp(got, want) == 0, "%s, printed:\n%s", status_text(st),
            got);
    close(dfd);

    char link[PATH_MAX];
    symlink(self, in_dir(link, "link-to-self"));
    if ((pid = fork_or_die()) == 0) {
        char *env[] = {"EXEC_MODE=ran", NULL};
        syscall(SYS_execveat, AT_FDCWD, link, argv, env, AT_SYMLINK_NOFOLLOW);
        _exit(errno);
    }
    waitpid_(pid, &st, 0);
    check("execveat AT_SYMLINK_NOFOLLOW of a symlink: ELOOP", WIFEXITED(st) && WEXITSTATUS(st) == ELOOP, "got %s",
            WIFEXITED(st) ? errname(WEXITSTATUS(st)) : status_text(st));
    long rr = syscall(SYS_execveat, AT_FDCWD, self, argv, show_env, 0x4);
    check("execveat with an unknown flag: EINVAL", rr == -1 && errno == EINVAL, "returned %ld %s", rr, errname(errno));

    /* A script through a descriptor: its path is /dev/fd/N, which an O_CLOEXEC descriptor would
     * no longer name when the interpreter opens it (execveat(2): ENOENT). */
    char s[PATH_MAX];
    snprintf(link, sizeof link, "%s", self);
    script(s, "by-fd", link);
    int sfd = open(s, O_RDONLY);
    char devfd[32];
    snprintf(devfd, sizeof devfd, "/dev/fd/%d", sfd);
    char *want_fd[] = {self, devfd, "y", NULL};
    pipe_or_die(p);
    if ((pid = fork_or_die()) == 0) {
        dup2(p[1], 1);
        syscall(SYS_execveat, sfd, "", argv, show_env, AT_EMPTY_PATH);
        printf("execveat: %s\n", errname(errno));
        fflush(stdout);
        _exit(127);
    }
    close(p[1]);
    read_all(p[0], got, sizeof got);
    waitpid_(pid, &st, 0);
    expect_show(want, sizeof want, want_fd, show_env, self);
    check("execveat of a script's descriptor: the script path is /dev/fd/N", WIFEXITED(st) && strcmp(got, want) == 0,
            "%s, printed:\n%sinstead of:\n%s", status_text(st), got, want);
    close(sfd);
    sfd = open(s, O_RDONLY | O_CLOEXEC);
    if ((pid = fork_or_die()) == 0) {
        char *env[] = {"EXEC_MODE=ran", NULL};
        syscall(SYS_execveat, sfd, "", argv, env, AT_EMPTY_PATH);
        _exit(errno);
    }
    waitpid_(pid, &st, 0);
    check("execveat of a script's O_CLOEXEC descriptor: ENOENT", WIFEXITED(st) && WEXITSTATUS(st) == ENOENT, "got %s",
            WIFEXITED(st) ? errname(WEXITSTATUS(st)) : status_text(st));
    close(sfd);
}

/* Removes the scratch directory and everything in it (it holds files and symlinks only). */
static void remove_dir(void) {
    DIR *d = opendir(dir);
    struct dirent *e;
    char p[PATH_MAX];
    while (d && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            unlink(in_dir(p, e->d_name));
        }
    }
    if (d) {
        closedir(d);
    }
    rmdir(dir);
}

/* The last step: exec this program without a fork, with a caught, an ignored, a blocked and
 * pending signal, another thread, a mapping, a working directory and a umask to see what stays. */
static void exec_without_fork(void) {
    pthread_t t;
    if (pthread_create(&t, NULL, sleeper, NULL) != 0) {
        printf("pthread_create failed\n");
        exit(1);
    }
    if (mmap(OLD_MAPPING, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0)
            != OLD_MAPPING) {
        printf("cannot map %p: %s\n", OLD_MAPPING, strerror(errno));
        exit(1);
    }
    signal(SIGUSR1, on_usr1);
    signal(SIGUSR2, SIG_IGN);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGHUP);
    sigprocmask(SIG_BLOCK, &s, NULL);
    raise(SIGHUP);
    if (chdir("/tmp") != 0) {
        exit(1);
    }
    umask(027);
    char pid[32], ppid[32];
    snprintf(pid, sizeof pid, "%d", getpid());
    snprintf(ppid, sizeof ppid, "%d", getppid());
    char *argv[] = {"samepid", pid, ppid, failed ? "failed" : "ok", NULL}, *env[] = {"EXEC_MODE=samepid", NULL};
    fflush(stdout);
    execve("/proc/self/exe", argv, env);
    printf("exec without fork: execve failed: %s\n", errname(errno));
    exit(1);
}

int main(int argc, char **argv) {
    const char *mode = getenv("EXEC_MODE");
    if (mode) {
        if (strcmp(mode, "show") == 0) {
            return show(argc, argv);
        } else if (strcmp(mode, "fds") == 0) {
            return fds(argc, argv);
        } else if (strcmp(mode, "signals") == 0) {
            return signals_after_exec();
        } else if (strcmp(mode, "samepid") == 0) {
            return same_pid(argc, argv);
        } else if (strcmp(mode, "threadexec") == 0) {
            return thread_exec(argc, argv);
        } else if (strcmp(mode, "awaitbyte") == 0) {
            return await_byte();
        } else if (strcmp(mode, "ran") == 0) {
            return 250;
        }
        printf("unknown EXEC_MODE %s\n", mode);
        return 2;
    }
    default_signal(SIGCHLD);
    /* A role that ended early must not take the main one with it through a write to its pipe. */
    signal(SIGPIPE, SIG_IGN);
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    snprintf(dir, sizeof dir, "/tmp/phoenix-exec-XXXXXX");
    if (n <= 0 || !mkdtemp(dir)) {
        printf("setup failed: %s\n", strerror(errno));
        return 1;
    }
    self[n] = 0;
    /* A check that ends the program early (a fork that fails) must not leave the directory behind. */
    atexit(remove_dir);
    arguments_and_environment();
    close_on_exec();
    signals_and_state();
    exec_in_threads();
    vfork_then_exec();
    errors();
    scripts();
    exec_at();
    remove_dir();
    exec_without_fork();
    return 1;
}
