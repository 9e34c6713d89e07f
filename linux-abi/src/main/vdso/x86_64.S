/*
 * Phoenix's x86_64 vDSO: the functions Linux's exports (arch/x86/entry/vdso/vdso.lds.S), under
 * version LINUX_2.6.
 *
 * The vvar area is two pages below the image. The second is a doorbell: an I/O page whose
 * 32-bit loads the kernel answers. A load at 4*id (id 0-15) reads clock id into the first page
 * (seconds at 0, nanoseconds at 8, microseconds at 16) and yields 0, or 1 when Phoenix has no
 * such clock; a load at 0x40 + 4*id does the same with the clock's resolution. The first page is
 * ordinary read-only memory. A clock id outside 0-15 or a doorbell answer of 1 falls back to the
 * real syscall, as Linux's vDSO does for clocks without a fast path.
 */
    .intel_syntax noprefix
    .text
    .globl __vdso_clock_gettime, __vdso_clock_getres, __vdso_gettimeofday, __vdso_time, __vdso_getcpu
    .weak clock_gettime, clock_getres, gettimeofday, time, getcpu
    .set clock_gettime, __vdso_clock_gettime
    .set clock_getres, __vdso_clock_getres
    .set gettimeofday, __vdso_gettimeofday
    .set time, __vdso_time
    .set getcpu, __vdso_getcpu
    .type __vdso_clock_gettime, @function
    .type __vdso_clock_getres, @function
    .type __vdso_gettimeofday, @function
    .type __vdso_time, @function
    .type __vdso_getcpu, @function

/* int clock_gettime(clockid_t id [edi], struct timespec *ts [rsi]) */
__vdso_clock_gettime:
    cmp edi, 15
    ja 1f
    mov eax, edi
    lea rdx, [rip + vvar_page]
    mov eax, [rdx + rax * 4 + 0x1000]
    test eax, eax
    jnz 1f
    mov rcx, [rdx]
    mov rax, [rdx + 8]
    mov [rsi], rcx
    mov [rsi + 8], rax
    xor eax, eax
    ret
1:  mov eax, 228
    syscall
    ret
    .size __vdso_clock_gettime, . - __vdso_clock_gettime

/* int clock_getres(clockid_t id [edi], struct timespec *res [rsi]) */
__vdso_clock_getres:
    cmp edi, 15
    ja 1f
    mov eax, edi
    lea rdx, [rip + vvar_page]
    mov eax, [rdx + rax * 4 + 0x1040]
    test eax, eax
    jnz 1f
    test rsi, rsi
    jz 2f
    mov rcx, [rdx]
    mov rax, [rdx + 8]
    mov [rsi], rcx
    mov [rsi + 8], rax
2:  xor eax, eax
    ret
1:  mov eax, 229
    syscall
    ret
    .size __vdso_clock_getres, . - __vdso_clock_getres

/* int gettimeofday(struct timeval *tv [rdi], struct timezone *tz [rsi]) */
__vdso_gettimeofday:
    test rdi, rdi
    jz 1f
    lea rdx, [rip + vvar_page]
    mov eax, [rdx + 0x1000]
    mov rcx, [rdx]
    mov rax, [rdx + 16]
    mov [rdi], rcx
    mov [rdi + 8], rax
1:  test rsi, rsi
    jz 2f
    mov qword ptr [rsi], 0
2:  xor eax, eax
    ret
    .size __vdso_gettimeofday, . - __vdso_gettimeofday

/* time_t time(time_t *t [rdi]) */
__vdso_time:
    lea rdx, [rip + vvar_page]
    mov eax, [rdx + 0x1000]
    mov rax, [rdx]
    test rdi, rdi
    jz 1f
    mov [rdi], rax
1:  ret
    .size __vdso_time, . - __vdso_time

/*
 * int getcpu(unsigned *cpu [rdi], unsigned *node [rsi], void *cache [rdx]): the syscall, whose
 * answer follows the thread's affinity mask (Linux reads it from the CPU's own segment limit).
 */
__vdso_getcpu:
    mov eax, 309 /* __NR_getcpu */
    syscall
    ret
    .size __vdso_getcpu, . - __vdso_getcpu
    .section .note.GNU-stack, "", @progbits
