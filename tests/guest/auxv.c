/* Prints the auxiliary vector entries a static program relies on, as facts that hold natively
 * too (values that differ run to run are printed as checks, not numbers).
 * With the argument "names": every name the program knows itself by, one a line (AT_EXECFN,
 * argv[0], /proc/self/exe, cmdline, comm, and the files /proc/self/maps names), to check that a
 * confined program sees guest paths only. */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char _start[];

static void print_file(const char *label, const char *path) {
    char buf[4096];
    FILE *f = fopen(path, "r");
    size_t n = f == NULL ? 0 : fread(buf, 1, sizeof buf - 1, f);
    if (f != NULL) {
        fclose(f);
    }
    for (size_t i = 0; i < n; i++) {
        if (buf[i] == 0) {
            buf[i] = ' '; /* cmdline's NULs between arguments */
        }
    }
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == ' ')) {
        n--;
    }
    buf[n] = 0;
    printf("%s=%s\n", label, buf);
}

static int names(char **argv) {
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n < 0 ? 0 : n] = 0;
    printf("AT_EXECFN=%s\nargv[0]=%s\nexe=%s\n", (const char *) getauxval(AT_EXECFN), argv[0], exe);
    print_file("cmdline", "/proc/self/cmdline");
    print_file("comm", "/proc/self/comm");
    FILE *maps = fopen("/proc/self/maps", "r");
    char line[4096], last[4096] = "";
    while (maps != NULL && fgets(line, sizeof line, maps) != NULL) {
        char *name = strchr(line, '/');
        if (name != NULL && strcmp(name, last) != 0) {
            snprintf(last, sizeof last, "%s", name);
            printf("map=%s", name);
        }
    }
    if (maps != NULL) {
        fclose(maps);
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc > 1 && strcmp(argv[1], "names") == 0) {
        return names(argv);
    }
    const unsigned char *rnd = (const unsigned char *) getauxval(AT_RANDOM);
    int rnd_nonzero = 0;
    for (int i = 0; rnd != NULL && i < 16; i++) {
        rnd_nonzero |= rnd[i];
    }
    const char *execfn = (const char *) getauxval(AT_EXECFN);
    const char *platform = (const char *) getauxval(AT_PLATFORM);
    printf("AT_PAGESZ=%lu\n", getauxval(AT_PAGESZ));
    printf("AT_PHENT=%lu\n", getauxval(AT_PHENT));
    printf("AT_PHNUM>0=%d\n", getauxval(AT_PHNUM) > 0);
    printf("AT_PHDR_is_elf_phdrs=%d\n", ((const Elf64_Phdr *) getauxval(AT_PHDR))->p_type != 0xffffffffu);
    printf("AT_ENTRY_is__start=%d\n", getauxval(AT_ENTRY) == (unsigned long) (uintptr_t) _start);
    printf("AT_EXECFN_is_argv0=%d\n", execfn != NULL && strcmp(execfn, argv[0]) == 0);
    printf("AT_PLATFORM_set=%d\n", platform != NULL && platform[0] != 0);
    printf("AT_SECURE=%lu\n", getauxval(AT_SECURE));
    printf("AT_UID_is_getuid=%d\n", getauxval(AT_UID) == getuid());
    printf("AT_GID_is_getgid=%d\n", getauxval(AT_GID) == getgid());
    printf("AT_CLKTCK=%lu\n", getauxval(AT_CLKTCK));
    printf("AT_RANDOM_nonzero=%d\n", rnd_nonzero != 0);
    printf("AT_HWCAP_nonzero=%d\n", getauxval(AT_HWCAP) != 0);
    printf("stack_aligned=%d\n", ((uintptr_t) __builtin_frame_address(0) & 7) == 0);
    return 0;
}
