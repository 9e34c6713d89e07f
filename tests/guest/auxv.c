/* Prints the auxiliary vector entries a static program relies on, as facts that hold natively
 * too (values that differ run to run are printed as checks, not numbers). */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char _start[];

int main(int argc, char **argv) {
    (void) argc;
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
