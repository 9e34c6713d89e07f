/* Makes syscalls whose arguments strace decodes: flags, strings, structs, errnos. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

static void on_usr1(int sig) { (void)sig; }

int main(void) {
    syscall(SYS_openat, AT_FDCWD, "/nonexistent/phoenix", O_RDONLY | O_CLOEXEC);
    int fd = syscall(SYS_openat, AT_FDCWD, "/proc/self/exe", O_RDONLY | O_CLOEXEC);
    struct stat st;
    syscall(SYS_newfstatat, AT_FDCWD, "/dev/null", &st, 0);
    syscall(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC);
    syscall(SYS_fcntl, fd, F_GETFL);
    syscall(SYS_lseek, fd, 0, SEEK_END);
    syscall(SYS_close, fd);
    struct timespec ts = {0, 1000};
    syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, NULL);
    syscall(SYS_clock_gettime, CLOCK_REALTIME, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_IGN;
    sa.sa_flags = SA_RESTART;
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    syscall(SYS_rt_sigprocmask, SIG_BLOCK, &set, NULL, 8);
    void *p = (void *)syscall(SYS_mmap, NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    syscall(SYS_mprotect, p, 4096, PROT_NONE);
    syscall(SYS_munmap, p, 8192);
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    strcpy(un.sun_path, "/run/phoenix.sock");
    syscall(SYS_connect, -1, &un, sizeof un);
    struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(8080), .sin_addr.s_addr = htonl(0x7f000001)};
    syscall(SYS_connect, -1, &in, sizeof in);
    syscall(SYS_acct, "/nonexistent/phoenix-acct"); /* not implemented: ENOSYS under Phoenix */
#ifdef SYS_access
    syscall(SYS_access, "/", R_OK | X_OK);
#else
    syscall(SYS_faccessat, AT_FDCWD, "/", R_OK | X_OK);
#endif
    syscall(SYS_fcntl, 0, F_SETLK, (void *)16); /* unreadable structs print as their address */
    syscall(SYS_rt_sigaction, SIGUSR1, (void *)16, NULL, 8);
    syscall(SYS_openat, AT_FDCWD, (void *)16, O_RDONLY);
    syscall(SYS_write, 1, "done\n", 5);
    (void)on_usr1;
    return 0;
}
