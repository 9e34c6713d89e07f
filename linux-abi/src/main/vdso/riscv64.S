/*
 * Phoenix's riscv64 vDSO: the functions Linux's exports (arch/riscv/kernel/vdso/vdso.lds.S),
 * under version LINUX_4.15. The vvar protocol is described in x86_64.S.
 * __vdso_rt_sigreturn is where every signal handler returns: riscv64 has no SA_RESTORER.
 */
    .option norelax
    .text
    .globl __vdso_rt_sigreturn, __vdso_clock_gettime, __vdso_clock_getres, __vdso_gettimeofday
    .globl __vdso_getcpu, __vdso_flush_icache
    .type __vdso_rt_sigreturn, @function
    .type __vdso_clock_gettime, @function
    .type __vdso_clock_getres, @function
    .type __vdso_gettimeofday, @function
    .type __vdso_getcpu, @function
    .type __vdso_flush_icache, @function

__vdso_rt_sigreturn:
    li a7, 139
    ecall
    .size __vdso_rt_sigreturn, . - __vdso_rt_sigreturn

/* int clock_gettime(clockid_t id [a0], struct timespec *ts [a1]) */
__vdso_clock_gettime:
    li t0, 15
    bltu t0, a0, 1f
    lla t1, vvar_page
    slli t2, a0, 2
    add t2, t2, t1
    li t0, 0x1000
    add t2, t2, t0
    lw t2, 0(t2)
    bnez t2, 1f
    ld t3, 0(t1)
    ld t4, 8(t1)
    sd t3, 0(a1)
    sd t4, 8(a1)
    li a0, 0
    ret
1:  li a7, 113
    ecall
    ret
    .size __vdso_clock_gettime, . - __vdso_clock_gettime

/* int clock_getres(clockid_t id [a0], struct timespec *res [a1]) */
__vdso_clock_getres:
    li t0, 15
    bltu t0, a0, 1f
    lla t1, vvar_page
    slli t2, a0, 2
    add t2, t2, t1
    li t0, 0x1040
    add t2, t2, t0
    lw t2, 0(t2)
    bnez t2, 1f
    beqz a1, 2f
    ld t3, 0(t1)
    ld t4, 8(t1)
    sd t3, 0(a1)
    sd t4, 8(a1)
2:  li a0, 0
    ret
1:  li a7, 114
    ecall
    ret
    .size __vdso_clock_getres, . - __vdso_clock_getres

/* int gettimeofday(struct timeval *tv [a0], struct timezone *tz [a1]) */
__vdso_gettimeofday:
    beqz a0, 1f
    lla t1, vvar_page
    li t0, 0x1000
    add t2, t1, t0
    lw t2, 0(t2)
    ld t3, 0(t1)
    ld t4, 16(t1)
    sd t3, 0(a0)
    sd t4, 8(a0)
1:  beqz a1, 2f
    sd zero, 0(a1)
2:  li a0, 0
    ret
    .size __vdso_gettimeofday, . - __vdso_gettimeofday

/* int getcpu(unsigned *cpu [a0], unsigned *node [a1], void *cache [a2]): the syscall, as Linux's riscv vDSO does it */
__vdso_getcpu:
    li a7, 168 /* __NR_getcpu */
    ecall
    ret
    .size __vdso_getcpu, . - __vdso_getcpu

/* int flush_icache(void *start, void *end, unsigned long flags): the engine keeps code coherent */
__vdso_flush_icache:
    li a0, 0
    ret
    .size __vdso_flush_icache, . - __vdso_flush_icache
    .section .note.GNU-stack, "", @progbits
