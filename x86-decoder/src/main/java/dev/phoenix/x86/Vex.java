package dev.phoenix.x86;

/**
 * Static accessors over the VEX/EVEX/XOP word ({@link Insn#vex}); zero for legacy encodings.
 * SDM Vol. 2, 2.3 (VEX) and 2.7 (EVEX). Fields are stored un-inverted.
 *
 * <pre>
 * bits 0-4  vvvv with EVEX.V' as bit 4    bits 5-6  L (EVEX L'L)   bits 7-9  aaa (opmask)
 * bit  10   z (zeroing)   bit 11  b (broadcast / rounding / SAE)   bit 12  R' (EVEX)
 * bit  13   EVEX.X again (the fifth rm bit of a register form)
 * </pre>
 */
public final class Vex {
    private Vex() {
    }

    public static int vvvv(long vex) { return (int) (vex & 0x1F); }
    public static int l(long vex) { return (int) (vex >>> 5) & 3; }
    public static int aaa(long vex) { return (int) (vex >>> 7) & 7; }
    public static boolean z(long vex) { return (vex & (1 << 10)) != 0; }
    public static boolean b(long vex) { return (vex & (1 << 11)) != 0; }
    public static int rPrime(long vex) { return (int) (vex >>> 12) & 1; }
    /** EVEX.X: with a register operand in ModRM.rm, its fifth bit (zmm16-31). */
    public static int xPrime(long vex) { return (int) (vex >>> 13) & 1; }
}
