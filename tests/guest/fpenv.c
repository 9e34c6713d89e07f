/*
 * The floating-point environment a new image starts with (x86-64 psABI 3.4.1: x87 control word
 * 0x37F and MXCSR 0x1F80; arm64 FPCR 0; RISC-V fcsr 0), and what it gives: double and long double
 * precision in printf, rounding to nearest, and exception flags that fetestexcept sees.
 */
#include <fenv.h>
#include <float.h>
#include <stdio.h>

static volatile double zero = 0.0, one = 1.0, three = 3.0;
static volatile long double ld_zero = 0.0L, ld_one = 1.0L, ld_three = 3.0L;

int main(void) {
#if defined(__x86_64__)
    unsigned short cw;
    unsigned int mxcsr;
    __asm__ volatile("fnstcw %0" : "=m"(cw));
    __asm__ volatile("stmxcsr %0" : "=m"(mxcsr));
    printf("fpu control = 0x%x\n", cw);
    printf("fpu status = 0x%x\n", mxcsr & 0xffc0);
#elif defined(__aarch64__)
    unsigned long fpcr, fpsr;
    __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
    __asm__ volatile("mrs %0, fpsr" : "=r"(fpsr));
    printf("fpu control = 0x%lx\n", fpcr);
    printf("fpu status = 0x%lx\n", fpsr);
#elif defined(__riscv)
    unsigned long fcsr;
    __asm__ volatile("frcsr %0" : "=r"(fcsr));
    printf("fpu control = 0x%lx\n", fcsr >> 5);
    printf("fpu status = 0x%lx\n", fcsr & 0x1f);
#endif
    printf("rounding to nearest = %d\n", fegetround() == FE_TONEAREST);
    printf("no flags raised at start = %d\n", fetestexcept(FE_ALL_EXCEPT) == 0);
    double pi = 3.14159265358979323846;
    printf("pi %%f = %f\n", pi);
    printf("pi %%.17g = %.17g\n", pi);
    printf("1/3 %%.17g = %.17g\n", one / three);
    long double third = ld_one / ld_three;
    printf("long double 1/3 %%.21Lg = %.21Lg\n", third);
    printf("long double mantissa digits = %d\n", LDBL_MANT_DIG);
    /*
     * Exception flags of double arithmetic (SSE on x86_64) and of long double's division by zero
     * (the x87 on x86_64, whose other flags Unicorn 2.1.1 does not record).
     */
    volatile long double ld_inf = ld_one / ld_zero;
    printf("long double 1/0 = %Lf, FE_DIVBYZERO raised = %d\n", ld_inf, fetestexcept(FE_DIVBYZERO) != 0);
    feclearexcept(FE_ALL_EXCEPT);
    printf("cleared = %d\n", fetestexcept(FE_ALL_EXCEPT) == 0);
    volatile double inf = one / zero;
    printf("double 1/0 = %f, FE_DIVBYZERO raised = %d\n", inf, fetestexcept(FE_DIVBYZERO) != 0);
    feclearexcept(FE_ALL_EXCEPT);
    volatile double inexact = one / three;
    printf("1/3 raises FE_INEXACT = %d, not FE_DIVBYZERO = %d\n", fetestexcept(FE_INEXACT) != 0,
           fetestexcept(FE_DIVBYZERO) == 0);
    feclearexcept(FE_ALL_EXCEPT);
    volatile double invalid = zero / zero;
    printf("0/0 raises FE_INVALID = %d\n", fetestexcept(FE_INVALID) != 0);
    (void) inexact;
    (void) invalid;
    fesetround(FE_UPWARD);
    printf("upward 1/3 = %.17g\n", one / three);
    fesetround(FE_TONEAREST);
    return 0;
}
