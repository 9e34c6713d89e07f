/*
 * Faults and the instruction that raised them. With no handler the program dies:
 *   read    reads address 0;
 *   write   writes to its own code;
 *   ill     runs an illegal instruction at label fault_ill, after instructions that change
 *           registers and memory in the same straight-line code (not at a block start);
 *   div     (x86_64) divides by zero at label fault_div, after the same;
 *   trap    runs a breakpoint instruction at label fault_trap (int3, brk, ebreak).
 */
#include <stdio.h>
#include <string.h>

/* Adds one to *counter and *acc, then runs an illegal instruction (fault_ill). */
__attribute__((noinline, noclone)) static void count_then_illegal(long *counter, long *acc) {
    long n, a = *acc;
#if defined(__x86_64__)
    __asm__ volatile("movq (%[c]), %[n]\n\t"
                     "addq $1, %[n]\n\t"
                     "movq %[n], (%[c])\n\t"
                     "addq $1, %[a]\n\t"
                     ".globl fault_ill\n"
                     "fault_ill:\n\t"
                     "ud2\n"
                     ".globl fault_ill_end\n"
                     "fault_ill_end:\n\t"
                     : [n] "=&r"(n), [a] "+r"(a) : [c] "r"(counter) : "memory", "cc");
#elif defined(__aarch64__)
    __asm__ volatile("ldr %[n], [%[c]]\n\t"
                     "add %[n], %[n], #1\n\t"
                     "str %[n], [%[c]]\n\t"
                     "add %[a], %[a], #1\n\t"
                     ".globl fault_ill\n"
                     "fault_ill:\n\t"
                     "udf #0\n"
                     ".globl fault_ill_end\n"
                     "fault_ill_end:\n\t"
                     : [n] "=&r"(n), [a] "+r"(a) : [c] "r"(counter) : "memory");
#else
    __asm__ volatile("ld %[n], 0(%[c])\n\t"
                     "addi %[n], %[n], 1\n\t"
                     "sd %[n], 0(%[c])\n\t"
                     "addi %[a], %[a], 1\n\t"
                     ".globl fault_ill\n"
                     "fault_ill:\n\t"
                     ".4byte 0\n"
                     ".globl fault_ill_end\n"
                     "fault_ill_end:\n\t"
                     : [n] "=&r"(n), [a] "+r"(a) : [c] "r"(counter) : "memory");
#endif
    *acc = a;
}

/* A breakpoint (fault_trap, after a nop so that objdump names the label, not the function); x86's
 * int3 is a trap, reported at fault_trap_end, after it. */
__attribute__((noinline, noclone)) static void breakpoint(void) {
#if defined(__x86_64__)
    __asm__ volatile("nop\n.globl fault_trap\nfault_trap:\n\tint3\n.globl fault_trap_end\nfault_trap_end:\n");
#elif defined(__aarch64__)
    __asm__ volatile("nop\n.globl fault_trap\nfault_trap:\n\tbrk #0\n.globl fault_trap_end\nfault_trap_end:\n");
#else
    __asm__ volatile("nop\n.globl fault_trap\nfault_trap:\n\tebreak\n.globl fault_trap_end\nfault_trap_end:\n");
#endif
}

#if defined(__x86_64__)
/* Adds one to *counter and *acc, then divides by zero (fault_div). */
__attribute__((noinline, noclone)) static long count_then_divide(long *counter, long *acc, long divisor) {
    long n, a = *acc, q = 1000, r = 0;
    __asm__ volatile("movq (%[c]), %[n]\n\t"
                     "addq $1, %[n]\n\t"
                     "movq %[n], (%[c])\n\t"
                     "addq $1, %[a]\n\t"
                     ".globl fault_div\n"
                     "fault_div:\n\t"
                     "divq %[d]\n\t"
                     : [n] "=&r"(n), [a] "+r"(a), "+a"(q), "+d"(r) : [c] "r"(counter), [d] "r"(divisor)
                     : "memory", "cc");
    *acc = a;
    return q;
}
#endif

int main(int argc, char **argv) {
    long counter = 0, acc = 0;
    if (argc > 1 && strcmp(argv[1], "write") == 0) {
        *(volatile int *) (void *) main = 1;
    } else if (argc > 1 && strcmp(argv[1], "ill") == 0) {
        count_then_illegal(&counter, &acc);
    } else if (argc > 1 && strcmp(argv[1], "trap") == 0) {
        breakpoint();
#if defined(__x86_64__)
    } else if (argc > 1 && strcmp(argv[1], "div") == 0) {
        count_then_divide(&counter, &acc, argc - 2);
#endif
    } else {
        printf("%d\n", *(volatile int *) 0);
    }
    return 0;
}
