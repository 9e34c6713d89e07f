/*
 * The vDSO: AT_SYSINFO_EHDR points at an ELF image listed as [vdso] in /proc/self/maps, with
 * [vvar] below it; it exports this arch's functions under Linux's version; its time functions
 * agree with the syscalls and fall back to them for clocks they do not serve. The test harness
 * runs this under --strace to check that no clock_gettime(CLOCK_MONOTONIC) syscall is made.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#if defined(__x86_64__)
static const char *names[] = {"__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time", "__vdso_getcpu",
                              "__vdso_clock_getres", 0};
static const char *version = "LINUX_2.6";
#elif defined(__aarch64__)
static const char *names[] = {"__kernel_clock_gettime", "__kernel_gettimeofday", "__kernel_clock_getres",
                              "__kernel_rt_sigreturn", 0};
static const char *version = "LINUX_2.6.39";
#else
static const char *names[] = {"__vdso_rt_sigreturn", "__vdso_clock_gettime", "__vdso_gettimeofday",
                              "__vdso_clock_getres", "__vdso_getcpu", "__vdso_flush_icache", 0};
static const char *version = "LINUX_4.15";
#endif

/* Finds a symbol in the vDSO's dynamic symbol table, checking its version definition. */
static void *vdso_sym(unsigned long base, const char *name) {
    Elf64_Ehdr *eh = (Elf64_Ehdr *)base;
    Elf64_Phdr *ph = (Elf64_Phdr *)(base + eh->e_phoff);
    Elf64_Dyn *dyn = 0;
    for (int i = 0; i < eh->e_phnum; i++)
        if (ph[i].p_type == PT_DYNAMIC) dyn = (Elf64_Dyn *)(base + ph[i].p_offset);
    Elf64_Sym *sym = 0;
    const char *str = 0;
    Elf32_Word *hash = 0;
    Elf64_Half *versym = 0;
    Elf64_Verdef *verdef = 0;
    for (; dyn && dyn->d_tag != DT_NULL; dyn++) {
        if (dyn->d_tag == DT_SYMTAB) sym = (Elf64_Sym *)(base + dyn->d_un.d_ptr);
        if (dyn->d_tag == DT_STRTAB) str = (const char *)(base + dyn->d_un.d_ptr);
        if (dyn->d_tag == DT_HASH) hash = (Elf32_Word *)(base + dyn->d_un.d_ptr);
        if (dyn->d_tag == DT_VERSYM) versym = (Elf64_Half *)(base + dyn->d_un.d_ptr);
        if (dyn->d_tag == DT_VERDEF) verdef = (Elf64_Verdef *)(base + dyn->d_un.d_ptr);
    }
    if (!sym || !str || !hash || !versym || !verdef) return 0;
    for (Elf32_Word i = 0; i < hash[1]; i++) {
        if (strcmp(str + sym[i].st_name, name) != 0) continue;
        Elf64_Verdef *d = verdef;
        for (;;) {
            if ((d->vd_ndx & 0x7fff) == (versym[i] & 0x7fff)) {
                Elf64_Verdaux *aux = (Elf64_Verdaux *)((char *)d + d->vd_aux);
                if (strcmp(str + aux->vda_name, version) == 0) return (void *)(base + sym[i].st_value);
            }
            if (!d->vd_next) break;
            d = (Elf64_Verdef *)((char *)d + d->vd_next);
        }
    }
    return 0;
}

int main(void) {
    unsigned long base = getauxval(AT_SYSINFO_EHDR);
    printf("AT_SYSINFO_EHDR set: %d\n", base != 0);
    if (!base) return 1;
    printf("ELF magic: %d, type ET_DYN: %d\n", memcmp((void *)base, ELFMAG, SELFMAG) == 0,
           ((Elf64_Ehdr *)base)->e_type == ET_DYN);

    char line[512], vdso[64] = "", vvar[64] = "";
    unsigned long lo, hi, vdso_lo = 0, vvar_hi = 0;
    FILE *f = fopen("/proc/self/maps", "r");
    while (f && fgets(line, sizeof line, f)) {
        char perms[8];
        if (sscanf(line, "%lx-%lx %7s", &lo, &hi, perms) != 3) continue;
        if (strstr(line, "[vdso]")) { snprintf(vdso, sizeof vdso, "%s", perms); vdso_lo = lo; }
        if (strstr(line, "[vvar]")) { snprintf(vvar, sizeof vvar, "%s", perms); vvar_hi = hi; }
    }
    if (f) fclose(f);
    printf("[vdso] %s at AT_SYSINFO_EHDR: %d; [vvar] %s below it: %d\n", vdso, vdso_lo == base, vvar,
           vvar_hi <= base && vvar_hi + 0x10000 > base);

    for (int i = 0; names[i]; i++) printf("%s@%s: %s\n", names[i], version, vdso_sym(base, names[i]) ? "found" : "missing");
    printf("unknown symbol: %s\n", vdso_sym(base, "__vdso_nonexistent") ? "found" : "missing");

    /* The libc's clock_gettime (through the vDSO) and the syscall agree. */
    struct timespec a, b, c;
    clock_gettime(CLOCK_REALTIME, &a);
    syscall(SYS_clock_gettime, CLOCK_REALTIME, &b);
    clock_gettime(CLOCK_REALTIME, &c);
    printf("realtime ordered: %d\n", (b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec)) &&
                                         (c.tv_sec > b.tv_sec || (c.tv_sec == b.tv_sec && c.tv_nsec >= b.tv_nsec)));
    int mono_ok = 1;
    struct timespec prev = {0, 0};
    for (int i = 0; i < 1000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &a);
        if (a.tv_nsec < 0 || a.tv_nsec >= 1000000000L) mono_ok = 0;
        if (a.tv_sec < prev.tv_sec || (a.tv_sec == prev.tv_sec && a.tv_nsec < prev.tv_nsec)) mono_ok = 0;
        prev = a;
    }
    printf("monotonic never goes back, nsec in range: %d\n", mono_ok);
    struct timeval tv;
    gettimeofday(&tv, 0);
    time_t t = time(0);
    printf("gettimeofday/time agree: %d, usec in range: %d\n", t - tv.tv_sec >= 0 && t - tv.tv_sec <= 1,
           tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    struct timespec r;
    clock_getres(CLOCK_MONOTONIC, &r);
    printf("getres MONOTONIC: %ld.%09ld\n", (long)r.tv_sec, r.tv_nsec);
    clock_getres(CLOCK_REALTIME_COARSE, &r);
    printf("getres REALTIME_COARSE: %ld.%09ld\n", (long)r.tv_sec, r.tv_nsec);
    int rc = clock_gettime(10, &a);
    printf("clock 10 (no such clock): %d errno %s\n", rc, strerror(errno));
    rc = clock_gettime(1000, &a);
    printf("clock 1000: %d errno %s\n", rc, strerror(errno));
    rc = clock_getres(-5, &r);
    printf("getres clock -5: %d errno %s\n", rc, strerror(errno));
    printf("process cputime: %d\n", clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &a));
    int cpu = sched_getcpu();
    printf("sched_getcpu in [0, 2): %d\n", cpu >= 0 && cpu < 2);
    return 0;
}
