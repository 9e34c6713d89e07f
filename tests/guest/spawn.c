/*
 * posix_spawn(3) with file actions and attributes, posix_spawnp(3) on PATH, and system(3) and
 * popen(3), which run /bin/sh. glibc spawns with clone(CLONE_VM|CLONE_VFORK) (clone3 first),
 * musl with its own CLONE_VM|CLONE_VFORK clone; both report a failed exec as posix_spawn's result.
 * The program spawns itself in the role SPAWN_MODE names; the role "report" prints what it was
 * given: descriptors, process group, session, signal mask and dispositions, working directory.
 */
#define _GNU_SOURCE
#include "proccheck.h"
#include <fcntl.h>
#include <limits.h>
#include <spawn.h>

extern char **environ;

static char self[PATH_MAX];

/* Role "report": argv[1...] are NAME=FD, each printed open or closed; then the rest of the state.
 * Writes a line to descriptor 7 when it is open. */
static int report(int argc, char **argv) {
    for (int i = 1; i < argc; i++) {
        char *eq = strchr(argv[i], '=');
        if (eq) {
            printf("%.*s %s\n", (int) (eq - argv[i]), argv[i], fcntl(atoi(eq + 1), F_GETFD) < 0 ? "closed" : "open");
        }
    }
    printf("process group %s\n", getpgrp() == getpid() ? "its own" : "its parent's");
    printf("session %s\n", getsid(0) == getpid() ? "its own" : "its parent's");
    sigset_t mask;
    sigprocmask(SIG_BLOCK, NULL, &mask);
    printf("SIGUSR1 %s\n", sigismember(&mask, SIGUSR1) ? "blocked" : "unblocked");
    struct sigaction sa;
    sigaction(SIGUSR2, NULL, &sa);
    printf("SIGUSR2 %s\n", sa.sa_handler == SIG_IGN ? "ignored" : sa.sa_handler == SIG_DFL ? "default" : "caught");
    sigaction(SIGTERM, NULL, &sa);
    printf("SIGTERM %s\n", sa.sa_handler == SIG_IGN ? "ignored" : sa.sa_handler == SIG_DFL ? "default" : "caught");
    char cwd[PATH_MAX];
    printf("cwd %s\n", getcwd(cwd, sizeof cwd) ? cwd : "?");
    if (fcntl(7, F_GETFD) >= 0 && write(7, "written through fd 7\n", 21) != 21) {
        return 1;
    }
    return 0;
}

/* Spawns this program as "report" with actions and attributes (either may be NULL) and its
 * stdout on a pipe; returns posix_spawn's result, the output in out and the status in *st. */
static int spawn_report(posix_spawn_file_actions_t *fa, posix_spawnattr_t *attr, char *const argv[], char *out,
        size_t cap, int *st) {
    int p[2];
    pipe_or_die(p);
    posix_spawn_file_actions_t own;
    if (!fa) {
        fa = &own;
        posix_spawn_file_actions_init(fa);
    }
    posix_spawn_file_actions_adddup2(fa, p[1], 1);
    posix_spawn_file_actions_addclose(fa, p[0]);
    posix_spawn_file_actions_addclose(fa, p[1]);
    char *env[] = {"SPAWN_MODE=report", NULL};
    pid_t pid;
    fflush(stdout);
    int e = posix_spawn(&pid, self, fa, attr, argv, env);
    close(p[1]);
    size_t have = 0;
    ssize_t n;
    while (have < cap - 1 && ((n = read(p[0], out + have, cap - 1 - have)) > 0 || (n < 0 && errno == EINTR))) {
        have += n > 0 ? n : 0;
    }
    out[have] = 0;
    close(p[0]);
    *st = 0;
    if (e == 0) {
        waitpid_(pid, st, 0);
    }
    if (fa == &own) {
        posix_spawn_file_actions_destroy(fa);
    }
    return e;
}

static char out[8192];

static void file_actions(void) {
    char path[] = "/tmp/phoenix-spawn-XXXXXX";
    int tmp = mkstemp(path);
    close(tmp);
    int keep = open("/dev/null", O_RDONLY);
    int inherited = open("/dev/null", O_RDONLY);
    char keep_arg[32], inherited_arg[32];
    snprintf(keep_arg, sizeof keep_arg, "closed-by-action=%d", keep);
    snprintf(inherited_arg, sizeof inherited_arg, "inherited=%d", inherited);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 7, path, O_WRONLY | O_TRUNC, 0);
    posix_spawn_file_actions_addclose(&fa, keep);
    posix_spawn_file_actions_addchdir_np(&fa, "/tmp");
    char *argv[] = {"report", "opened=7", keep_arg, inherited_arg, NULL};
    int st, e = spawn_report(&fa, NULL, argv, out, sizeof out, &st);
    posix_spawn_file_actions_destroy(&fa);
    const char *expected = "opened open\nclosed-by-action closed\ninherited open\nprocess group its parent's\n"
            "session its parent's\nSIGUSR1 unblocked\nSIGUSR2 default\nSIGTERM default\ncwd /tmp\n";
    check("posix_spawn with file actions: addopen, adddup2, addclose, addchdir_np", e == 0 && WIFEXITED(st)
            && WEXITSTATUS(st) == 0 && strcmp(out, expected) == 0, "returned %s, %s, printed:\n%s", errname(e),
            status_text(st), out);
    int fd = open(path, O_RDONLY);
    char text[64] = {0};
    ssize_t n = read(fd, text, sizeof text - 1);
    check("the child wrote through the descriptor its file action opened",
            n == 21 && strcmp(text, "written through fd 7\n") == 0, "file holds \"%s\"", n > 0 ? text : "");
    close(fd);
    unlink(path);
    close(keep);
    close(inherited);

    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 7, "/nonexistent-phoenix-dir/file", O_RDONLY, 0);
    pid_t pid;
    char *env[] = {"SPAWN_MODE=report", NULL};
    e = posix_spawn(&pid, self, &fa, NULL, argv, env);
    posix_spawn_file_actions_destroy(&fa);
    errno = 0;
    pid_t r = waitpid(-1, &st, WNOHANG);
    int werr = errno;
    check("a file action that fails: posix_spawn returns its errno and leaves no child", e == ENOENT && r == -1
            && werr == ECHILD, "returned %s, then waitpid %d %s", errname(e), r, errname(werr));
}

static void attributes(void) {
    sigset_t usr1, none;
    sigemptyset(&usr1);
    sigaddset(&usr1, SIGUSR1);
    sigemptyset(&none);
    signal(SIGUSR2, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    char *argv[] = {"report", NULL};
    int st;

    int e = spawn_report(NULL, NULL, argv, out, sizeof out, &st);
    check("posix_spawn without attributes: ignored signals stay ignored", e == 0 && strcmp(out,
            "process group its parent's\nsession its parent's\nSIGUSR1 unblocked\nSIGUSR2 ignored\nSIGTERM ignored\n"
            "cwd /\n") == 0, "returned %s, %s, printed:\n%s", errname(e), status_text(st), out);

    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setsigmask(&attr, &usr1);
    sigset_t usr2;
    sigemptyset(&usr2);
    sigaddset(&usr2, SIGUSR2);
    posix_spawnattr_setsigdefault(&attr, &usr2);
    posix_spawnattr_setpgroup(&attr, 0);
    e = spawn_report(NULL, &attr, argv, out, sizeof out, &st);
    posix_spawnattr_destroy(&attr);
    check("posix_spawn with setsigmask, setsigdefault and setpgroup(0)", e == 0 && strcmp(out,
            "process group its own\nsession its parent's\nSIGUSR1 blocked\nSIGUSR2 default\nSIGTERM ignored\ncwd /\n")
            == 0, "returned %s, %s, printed:\n%s", errname(e), status_text(st), out);

    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSID);
    e = spawn_report(NULL, &attr, argv, out, sizeof out, &st);
    posix_spawnattr_destroy(&attr);
    check("posix_spawn with POSIX_SPAWN_SETSID", e == 0 && strcmp(out,
            "process group its own\nsession its own\nSIGUSR1 unblocked\nSIGUSR2 ignored\nSIGTERM ignored\ncwd /\n") == 0,
            "returned %s, %s, printed:\n%s", errname(e), status_text(st), out);
    signal(SIGUSR2, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
}

static void exit_codes(void) {
    pid_t pid;
    char *argv[] = {"exit", "42", NULL}, *env[] = {"SPAWN_MODE=exit", NULL};
    int st = 0, e = posix_spawn(&pid, self, NULL, NULL, argv, env);
    check("posix_spawn then waitpid: exit status 42", e == 0 && exited_with(pid, 42, &st), "returned %s, %s",
            errname(e), status_text(st));

    e = posix_spawn(&pid, "/nonexistent-phoenix-dir/program", NULL, NULL, argv, env);
    errno = 0;
    pid_t r = waitpid(-1, &st, WNOHANG);
    int werr = errno;
    check("posix_spawn of a missing program returns ENOENT and leaves no child", e == ENOENT && r == -1
            && werr == ECHILD, "returned %s, then waitpid %d %s", errname(e), r, errname(werr));

    /* posix_spawnp searches PATH for a name without a slash: this program's own directory. */
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", self);
    char *slash = strrchr(dir, '/');
    *slash = 0;
    char *old = getenv("PATH");
    char saved[PATH_MAX];
    snprintf(saved, sizeof saved, "%s", old ? old : "");
    setenv("PATH", dir, 1);
    char *argv2[] = {"exit", "43", NULL};
    e = posix_spawnp(&pid, slash + 1, NULL, NULL, argv2, env);
    if (old) {
        setenv("PATH", saved, 1);
    } else {
        unsetenv("PATH");
    }
    check("posix_spawnp finds the program on PATH", e == 0 && exited_with(pid, 43, &st), "returned %s, %s",
            errname(e), status_text(st));

    enum { N = 50 };
    int good = 0;
    for (int i = 0; i < N; i++) {
        char code[8];
        snprintf(code, sizeof code, "%d", i);
        char *a[] = {"exit", code, NULL};
        if (posix_spawn(&pid, self, NULL, NULL, a, env) == 0 && exited_with(pid, i, &st)) {
            good++;
        }
    }
    check("50 posix_spawn and waitpid in a row", good == N, "%d of %d", good, N);
}

static void shell(void) {
    int st = system("exit 3");
    check("system(\"exit 3\"): WEXITSTATUS 3", st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 3, "returned %d (%s)",
            st, status_text(st));
    check("system(NULL): a shell is there", system(NULL) != 0, "returned 0");
    FILE *f = popen("echo hi", "r");
    char line[64] = {0};
    char *got = f ? fgets(line, sizeof line, f) : NULL;
    st = f ? pclose(f) : -1;
    check("popen(\"echo hi\") reads hi", got && strcmp(line, "hi\n") == 0 && st == 0, "read \"%s\", pclose %d",
            got ? line : "", st);
    f = popen("exit 5", "r");
    st = f ? pclose(f) : -1;
    check("pclose returns the command's status", st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 5, "pclose %d", st);
}

int main(int argc, char **argv) {
    const char *mode = getenv("SPAWN_MODE");
    if (mode && strcmp(mode, "report") == 0) {
        return report(argc, argv);
    } else if (mode && strcmp(mode, "exit") == 0) {
        return argc > 1 ? atoi(argv[1]) : 0;
    } else if (mode) {
        printf("unknown SPAWN_MODE %s\n", mode);
        return 2;
    }
    default_signal(SIGCHLD);
    default_signal(SIGUSR1);
    default_signal(SIGUSR2);
    default_signal(SIGTERM);
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0 || chdir("/") != 0) {
        printf("setup failed: %s\n", strerror(errno));
        return 1;
    }
    self[n] = 0;
    file_actions();
    attributes();
    exit_codes();
    shell();
    return failed;
}
