/*
 * Faults and the instruction that raised them. With no handler the program dies:
 *   read    reads address 0;
 *   write   writes to its own code;
 *   store   stores to unmapped address 0x18 at label fault_store, after instructions that
 *           change registers and memory in the same straight-line code (not at a block start);
 *   ill     runs an illegal instruction at label fault_ill, after the same;
 *   div     (x86_64) divides by zero at label fault_div, after the same;
 *   trap    runs a breakpoint instruction at label fault_trap (int3, brk, ebreak).
 * "retry" catches them instead: its SIGSEGV handler maps the page or makes it writable and
 * returns, so only the faulting store runs again; its SIGILL handler steps over the instruction.
 * It prints how often each handler ran and what the instructions before the fault did: once.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

extern char fault_ill[], fault_ill_end[];

/*
 * Adds one to *counter (memory) and to *acc (a register meanwhile), then stores *counter + 7 at
 * target: if a fault re-ran the instructions before the store, counter would be 2.
 */
__attribute__((noinline, noclone)) static long count_then_store(long *counter, long *acc, long *target) {
    long n, a = *acc;
#if defined(__x86_64__)
    __asm__ volatile("movq (%[c]), %[n]\n\t"
                     "addq $1, %[n]\n\t"
                     "movq %[n], (%[c])\n\t"
                     "addq $1, %[a]\n\t"
                     "addq $7, %[n]\n\t"
                     ".globl fault_store\n"
                     "fault_store:\n\t"
                     "movq %[n], (%[t])\n\t"
                     : [n] "=&r"(n), [a] "+r"(a) : [c] "r"(counter), [t] "r"(target) : "memory", "cc");
#elif defined(__aarch64__)
    __asm__ volatile("ldr %[n], [%[c]]\n\t"
                     "add %[n], %[n], #1\n\t"
                     "str %[n], [%[c]]\n\t"
                     "add %[a], %[a], #1\n\t"
                     "add %[n], %[n], #7\n\t"
                     ".globl fault_store\n"
                     "fault_store:\n\t"
                     "str %[n], [%[t]]\n\t"
                     : [n] "=&r"(n), [a] "+r"(a) : [c] "r"(counter), [t] "r"(target) : "memory");
#elif defined(__riscv) && __riscv_xlen == 64
    __asm__ volatile("ld %[n], 0(%[c])\n\t"
                     "addi %[n], %[n], 1\n\t"
                     "sd %[n], 0(%[c])\n\t"
                     "addi %[a], %[a], 1\n\t"
                     "addi %[n], %[n], 7\n\t"
                     ".globl fault_store\n"
                     "fault_store:\n\t"
                     "sd %[n], 0(%[t])\n\t"
                     : [n] "=&r"(n), [a] "+r"(a) : [c] "r"(counter), [t] "r"(target) : "memory");
#else
#error "fault.c: no count_then_store for this arch"
#endif
    *acc = a;
    return n;
}

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

static volatile int runs;
static void *volatile seen_addr;
static volatile int seen_code;
static char *page;
static long page_size;

static void on_segv(int sig, siginfo_t *si, void *ctx) {
    (void)sig;
    (void)ctx;
    if (++runs > 3) {
        static const char msg[] = "SIGSEGV handler: the store faults again and again\n";
        write(2, msg, sizeof msg - 1);
        _exit(3);
    }
    seen_addr = si->si_addr;
    seen_code = si->si_code;
    /* Make the store succeed when the handler returns and it runs again. */
    if (si->si_code == SEGV_ACCERR) {
        mprotect(page, page_size, PROT_READ | PROT_WRITE);
    } else {
        mmap(page, page_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    }
}

static void on_ill(int sig, siginfo_t *si, void *ctx) {
    (void)sig;
    runs++;
    seen_addr = si->si_addr;
    seen_code = si->si_code;
    ucontext_t *uc = ctx;
    /* Step over the illegal instruction. */
#if defined(__x86_64__)
    uc->uc_mcontext.gregs[REG_RIP] = (greg_t) fault_ill_end;
#elif defined(__aarch64__)
    uc->uc_mcontext.pc = (unsigned long) fault_ill_end;
#else
    uc->uc_mcontext.__gregs[0] = (unsigned long) fault_ill_end;
#endif
}

static void handle(int sig, void (*fn)(int, siginfo_t *, void *)) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, NULL) != 0) perror("sigaction");
}

static const char *segv_code(int code) {
    return code == SEGV_MAPERR ? "SEGV_MAPERR" : code == SEGV_ACCERR ? "SEGV_ACCERR" : "other";
}

/* The store into a page the handler repairs: PROT_NONE (made writable) or unmapped (mapped). */
static void retry_store(const char *what, int unmapped) {
    page = mmap(NULL, page_size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED) {
        perror("mmap");
        exit(1);
    }
    if (unmapped) munmap(page, page_size);
    long counter = 0, acc = 0, *target = (long *) (page + 0x18);
    runs = 0;
    long stored = count_then_store(&counter, &acc, target);
    printf("%s: handler ran %d time(s), %s, si_addr exact %d, counter %ld, acc %ld, stored %ld, read back %ld\n",
           what, runs, segv_code(seen_code), seen_addr == (void *) target, counter, acc, stored, *target);
    munmap(page, page_size);
}

int main(int argc, char **argv) {
    long counter = 0, acc = 0;
    if (argc > 1 && strcmp(argv[1], "write") == 0) {
        *(volatile int *) (void *) main = 1;
    } else if (argc > 1 && strcmp(argv[1], "store") == 0) {
        count_then_store(&counter, &acc, (long *) 0x18);
    } else if (argc > 1 && strcmp(argv[1], "ill") == 0) {
        count_then_illegal(&counter, &acc);
    } else if (argc > 1 && strcmp(argv[1], "trap") == 0) {
        breakpoint();
#if defined(__x86_64__)
    } else if (argc > 1 && strcmp(argv[1], "div") == 0) {
        count_then_divide(&counter, &acc, argc - 2);
#endif
    } else if (argc > 1 && strcmp(argv[1], "retry") == 0) {
        page_size = sysconf(_SC_PAGESIZE);
        handle(SIGSEGV, on_segv);
        retry_store("store to a PROT_NONE page", 0);
        retry_store("store to an unmapped page", 1);
        handle(SIGILL, on_ill);
        runs = 0;
        count_then_illegal(&counter, &acc);
        printf("illegal instruction: handler ran %d time(s), si_addr at it %d, counter %ld, acc %ld\n", runs,
               seen_addr == (void *) fault_ill, counter, acc);
        return 0;
    } else {
        printf("%d\n", *(volatile int *) 0);
    }
    return 0;
}
