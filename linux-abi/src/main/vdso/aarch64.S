/*
 * Phoenix's aarch64 vDSO: the functions Linux's exports (arch/arm64/kernel/vdso/vdso.lds.S),
 * under version LINUX_2.6.39. The vvar protocol is described in x86_64.S.
 * __kernel_rt_sigreturn is where a signal handler returns when the guest gave no SA_RESTORER;
 * unwinders recognise its two instructions.
 */
    .text
    .globl __kernel_clock_gettime, __kernel_clock_getres, __kernel_gettimeofday, __kernel_rt_sigreturn
    .type __kernel_clock_gettime, %function
    .type __kernel_clock_getres, %function
    .type __kernel_gettimeofday, %function
    .type __kernel_rt_sigreturn, %function

/* int clock_gettime(clockid_t id [w0], struct timespec *ts [x1]) */
__kernel_clock_gettime:
    cmp w0, #15
    b.hi 1f
    adr x2, vvar_page
    add x3, x2, #0x1000
    ldr w3, [x3, w0, uxtw #2]
    cbnz w3, 1f
    ldp x3, x4, [x2]
    stp x3, x4, [x1]
    mov x0, #0
    ret
1:  mov x8, #113
    svc #0
    ret
    .size __kernel_clock_gettime, . - __kernel_clock_gettime

/* int clock_getres(clockid_t id [w0], struct timespec *res [x1]) */
__kernel_clock_getres:
    cmp w0, #15
    b.hi 1f
    adr x2, vvar_page
    add x3, x2, #0x1000
    add x3, x3, #0x40
    ldr w3, [x3, w0, uxtw #2]
    cbnz w3, 1f
    cbz x1, 2f
    ldp x3, x4, [x2]
    stp x3, x4, [x1]
2:  mov x0, #0
    ret
1:  mov x8, #114
    svc #0
    ret
    .size __kernel_clock_getres, . - __kernel_clock_getres

/* int gettimeofday(struct timeval *tv [x0], struct timezone *tz [x1]) */
__kernel_gettimeofday:
    cbz x0, 1f
    adr x2, vvar_page
    add x3, x2, #0x1000
    ldr w3, [x3]
    ldr x3, [x2]
    ldr x4, [x2, #16]
    stp x3, x4, [x0]
1:  cbz x1, 2f
    str xzr, [x1]
2:  mov x0, #0
    ret
    .size __kernel_gettimeofday, . - __kernel_gettimeofday

    nop
__kernel_rt_sigreturn:
    mov x8, #139
    svc #0
    .size __kernel_rt_sigreturn, . - __kernel_rt_sigreturn
    .section .note.GNU-stack, "", %progbits
