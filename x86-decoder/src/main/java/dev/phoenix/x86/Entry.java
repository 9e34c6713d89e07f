package dev.phoenix.x86;

/**
 * Opcode-table entries packed in an {@code int}; 0 is an invalid encoding.
 *
 * <pre>
 * bits 0-10  mnemonic id ({@link Mnemonic}), or group number with GROUP
 * bits 11-17 form ({@link Form} ordinal)
 * bit 18 D64: operand size defaults to 64 (push, pop, ...)   bit 19 F64: always 64 (near branches)
 * bit 20 LOCK allowed (with a memory destination)            bit 21 GROUP: look up ModRM.reg
 * bits 22-23 VEX.L: 0 any, 1 must be 0, 2 must be 1 (VEX) / not 0 (EVEX: 256 or 512), 3 (EVEX) 512
 * bits 24-25 W: 0 ignored, 1 must be 0, 2 must be 1
 * bit 27 VALID    bit 28 EXACT: register form only with ModRM.rm = 0 (C6 F8, C7 F8)
 * bit 29 MP: 66/F2/F3 chose this entry (SSE); 66 does not set the operand size
 * EVEX entries reuse bits 18-20 and 26, which mean nothing there, for what EVEX.b, aaa and z
 * may do: 18 NOBCST (no broadcast with memory), 19 NOER (no rounding/SAE with registers),
 * 20 NOMASK (aaa must be 0), 26 NOZREG and 30 NOZMEM (z must be 0 in that form). Legacy
 * entries use bit 26 as NOREP66: invalid when 66 and F2/F3 both precede it (Capstone's rule).
 * EVEX entries use bit 28 as ERW1: rounding only with W1 (VCVTUQQ2PD ... but not VCVTUDQ2PD).
 * </pre>
 */
public final class Entry {
    private Entry() {
    }

    static final int D64 = 1 << 18, F64 = 1 << 19, LOCK = 1 << 20, GROUP = 1 << 21,
            L0 = 1 << 22, L1 = 2 << 22, W0 = 1 << 24, W1 = 2 << 24, VALID = 1 << 27, EXACT = 1 << 28, MP = 1 << 29;
    static final int NOREP66 = 1 << 26, ERW1 = 1 << 28;
    static final int NOBCST = 1 << 18, NOER = 1 << 19, NOMASK = 1 << 20, NOZREG = 1 << 26, NOZMEM = 1 << 30;

    static int make(String mnemonic, Form form, int flags) {
        return Mnemonic.id(mnemonic) | form.ordinal() << 11 | flags | VALID;
    }

    public static boolean valid(int e) { return (e & VALID) != 0; }
    public static int mnemonic(int e) { return e & 0x7FF; }
    public static String name(int e) { return Mnemonic.name(e & 0x7FF); }
    public static Form form(int e) { return Form.VALUES[(e >>> 11) & 0x7F]; }
    public static boolean default64(int e) { return (e & D64) != 0; }
    public static boolean force64(int e) { return (e & F64) != 0; }
    public static boolean lockable(int e) { return (e & LOCK) != 0; }
    static boolean group(int e) { return (e & GROUP) != 0; }
    static int lRule(int e) { return (e >>> 22) & 3; }
    static int wRule(int e) { return (e >>> 24) & 3; }
    static boolean exact(int e) { return (e & EXACT) != 0; }
    static boolean mandatoryPrefix(int e) { return (e & MP) != 0; }
}
