/*
 * Credentials (credentials(7), capabilities(7)): the real, effective, saved and fs ids, the
 * supplementary groups and the capability sets, changed by set*id, setgroups, capset and prctl
 * under Linux's rules. Prints what each call returns and the state after it, so a run under
 * Phoenix can be compared with the host kernel's.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* linux/capability.h (musl's toolchain has no kernel headers). */
#define _LINUX_CAPABILITY_VERSION_1 0x19980330
#define _LINUX_CAPABILITY_VERSION_3 0x20080522
#define CAP_SETUID 7
struct __user_cap_header_struct {
    unsigned version;
    int pid;
};
struct __user_cap_data_struct {
    unsigned effective, permitted, inheritable;
};

static void result(const char *what, long r) {
    if (r == -1) {
        printf("%s = -1 %s\n", what, errno == EPERM ? "EPERM" : errno == EINVAL ? "EINVAL" : errno == ESRCH ? "ESRCH"
               : errno == EFAULT ? "EFAULT" : strerror(errno));
    } else {
        printf("%s = %ld\n", what, r);
    }
}

static void ids(const char *when) {
    uid_t r, e, s;
    gid_t gr, ge, gs;
    syscall(SYS_getresuid, &r, &e, &s);
    syscall(SYS_getresgid, &gr, &ge, &gs);
    printf("%s: uid %u %u %u fsuid %d, gid %u %u %u fsgid %d, getuid %u geteuid %u getgid %u getegid %u\n", when, r, e,
           s, (int) syscall(SYS_setfsuid, -1), gr, ge, gs, (int) syscall(SYS_setfsgid, -1), getuid(), geteuid(),
           getgid(), getegid());
}

static void caps(const char *when) {
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    long r = syscall(SYS_capget, &h, d);
    printf("%s: capget = %ld effective %08x%08x permitted %08x%08x inheritable %08x%08x\n", when, r, d[1].effective,
           d[0].effective, d[1].permitted, d[0].permitted, d[1].inheritable, d[0].inheritable);
}

static void status(void) {
    FILE *f = fopen("/proc/self/status", "r");
    char line[256];
    while (f && fgets(line, sizeof line, f)) {
        if (!strncmp(line, "Uid:", 4) || !strncmp(line, "Gid:", 4) || !strncmp(line, "Groups:", 7)
            || !strncmp(line, "Cap", 3) || !strncmp(line, "NoNewPrivs:", 11)) {
            fputs(line, stdout);
        }
    }
    if (f) fclose(f);
}

static void groups(const char *when) {
    gid_t g[64];
    int n = getgroups(64, g);
    printf("%s: %d groups:", when, n);
    for (int i = 0; i < n; i++) printf(" %u", g[i]);
    printf("\n");
}

static int set_effective(unsigned lo, unsigned hi, unsigned plo, unsigned phi) {
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2] = {{lo, plo, 0}, {hi, phi, 0}};
    return syscall(SYS_capset, &h, d);
}

int main(void) {
    ids("start");
    caps("start");
    status();
    groups("start");
    result("getgroups(0, NULL)", getgroups(0, NULL));
    result("getgroups(-1)", syscall(SYS_getgroups, -1, NULL));

    /* capget's version handshake and its pid checks. */
    struct __user_cap_header_struct h = {0x12345678, 0};
    struct __user_cap_data_struct d[2];
    result("capget(bad version)", syscall(SYS_capget, &h, d));
    printf("version written back = %#x\n", h.version);
    h.version = 0x12345678;
    result("capget(bad version, NULL data)", syscall(SYS_capget, &h, NULL));
    h.version = _LINUX_CAPABILITY_VERSION_3;
    h.pid = -1;
    result("capget(pid -1)", syscall(SYS_capget, &h, d));
    h.pid = 0x3ffffff0;
    result("capget(no such pid)", syscall(SYS_capget, &h, d));
    h.version = _LINUX_CAPABILITY_VERSION_1;
    h.pid = getpid();
    memset(d, 0xee, sizeof d);
    result("capget(v1, own pid)", syscall(SYS_capget, &h, d));
    printf("v1 leaves the second word = %d\n", d[1].effective == 0xeeeeeeee);
    result("capget(unmapped header)", syscall(SYS_capget, (void *) 8, d));
    result("prctl(PR_CAPBSET_READ, CAP_CHOWN)", prctl(PR_CAPBSET_READ, 0));
    result("prctl(PR_CAPBSET_READ, 99)", prctl(PR_CAPBSET_READ, 99));
    result("prctl(PR_GET_KEEPCAPS)", prctl(PR_GET_KEEPCAPS));
    result("prctl(PR_GET_SECUREBITS)", prctl(PR_GET_SECUREBITS));
    result("prctl(PR_CAP_AMBIENT_IS_SET, CAP_CHOWN)", prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, 0, 0, 0));
    result("prctl(PR_GET_NO_NEW_PRIVS)", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));

    /* Supplementary groups: kept sorted; setting them needs CAP_SETGID. */
    gid_t list[] = {1005, 3, 1000, 3};
    result("setgroups(4)", setgroups(4, list));
    groups("after setgroups");
    result("getgroups(2) with 4", getgroups(2, list));
    gid_t bad[] = {(gid_t) -1};
    result("setgroups([-1])", setgroups(1, bad));
    result("setgroups(65537)", syscall(SYS_setgroups, 65537, list));

    /* The fs ids follow the effective ones, and may be set alone; setfsuid returns the old value. */
    result("setfsuid(1234)", syscall(SYS_setfsuid, 1234));
    result("setfsuid(-1)", syscall(SYS_setfsuid, -1));
    caps("fsuid 1234");
    result("setfsuid(0)", syscall(SYS_setfsuid, 0));
    caps("fsuid 0");
    result("setfsgid(77)", syscall(SYS_setfsgid, 77));
    ids("fs ids");
    result("setfsgid(0)", syscall(SYS_setfsgid, 0));

    /* capset: permitted may only shrink, effective stays within permitted. */
    struct __user_cap_header_struct hh = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct cur[2];
    syscall(SYS_capget, &hh, cur);
    unsigned plo = cur[0].permitted, phi = cur[1].permitted;
    result("capset(effective without CAP_SETUID)", set_effective(plo & ~(1u << CAP_SETUID), phi, plo, phi));
    caps("without CAP_SETUID");
    result("setuid(4321) without CAP_SETUID", setuid(4321));
    result("capset(effective beyond permitted)", set_effective(0xffffffff, 0xffffffff, plo, phi));
    result("capset(restore)", set_effective(plo, phi, plo, phi));
    hh.pid = 0x3ffffff0;
    result("capset(other pid)", syscall(SYS_capset, &hh, cur));

    /* An effective uid other than 0 clears the effective set; back to 0 restores it from permitted. */
    result("setresuid(-1, 1000, -1)", setresuid(-1, 1000, -1));
    ids("euid 1000");
    caps("euid 1000");
    result("setgroups as euid 1000", setgroups(0, NULL));
    result("seteuid(0)", seteuid(0));
    caps("euid 0 again");
    result("setreuid(-1, 2000)", setreuid(-1, 2000));
    ids("setreuid(-1, 2000)");
    result("setreuid(-1, 0)", setreuid(-1, 0));
    ids("setreuid(-1, 0)");
    result("setregid(100, 200)", setregid(100, 200));
    ids("setregid(100, 200)");
    result("setresgid(-1, -1, 300)", setresgid(-1, -1, 300));
    result("setgid(-1)", setgid(-1));

    /* PR_SET_KEEPCAPS keeps the permitted set when every uid leaves 0. */
    result("prctl(PR_SET_KEEPCAPS, 2)", prctl(PR_SET_KEEPCAPS, 2));
    result("prctl(PR_SET_KEEPCAPS, 1)", prctl(PR_SET_KEEPCAPS, 1));
    result("prctl(PR_GET_KEEPCAPS)", prctl(PR_GET_KEEPCAPS));
    result("setresuid(1000, 1000, 1000) with keepcaps", setresuid(1000, 1000, 1000));
    ids("all 1000");
    caps("all 1000, keepcaps");
    status();
    /* Without CAP_SETUID only the real and saved ids may become effective. */
    result("setuid(0)", setuid(0));
    result("setresuid(-1, 0, -1)", setresuid(-1, 0, -1));
    result("setreuid(1000, -1)", setreuid(1000, -1));
    result("setgid(0) without CAP_SETGID", setgid(0));
    result("setgid(100)", setgid(100));
    ids("setgid(100)");
    result("setfsuid(5) without CAP_SETUID", syscall(SYS_setfsuid, 5));
    result("setfsuid(-1)", syscall(SYS_setfsuid, -1));
    result("prctl(PR_SET_NO_NEW_PRIVS, 1)", prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0));
    result("prctl(PR_GET_NO_NEW_PRIVS)", prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
    return 0;
}
