package dev.phoenix.x86;

/**
 * The rules that make a well-formed encoding #UD, apart from the tables' empty cells: operand
 * restrictions (SDM Vol. 2, 2.2.1 and the instruction pages), VEX (2.3), EVEX (2.7) and opmask
 * registers, checked once the whole instruction is read.
 */
final class Validity {
    private Validity() {
    }

    private static final int ENDBR = Mnemonic.id("endbr");

    /** ModRM-level rules: mod restrictions, exact register forms, VSIB, MPX and segment registers. */
    static boolean operands(int entry, Form f, int enc, int m, int rex) {
        int mod = m >>> 6, reg = (m >>> 3) & 7, rm = m & 7;
        if (f.mod == Form.Mod.MEM && mod == 3 || f.mod == Form.Mod.REG && mod != 3) {
            return false;
        }
        if (enc == Rde.ENC_LEGACY && Entry.exact(entry) && rm != 0) {
            return false; // C6 F8, C7 F8, fences, PadLock: one ModRM byte only
        }
        if ((f == Form.VSIB || f == Form.VSIB1) && rm != 4) {
            return false; // VSIB needs a SIB byte (SDM 2.3.12)
        }
        if ((f == Form.Bnd || f == Form.BndM || f == Form.BndBnd) && (reg > 3 || (rex & 4) != 0)
                || f == Form.BndBnd && mod == 3 && (rm > 3 || (rex & 1) != 0)) {
            return false; // BND0-3 only
        }
        if (Entry.mnemonic(entry) == ENDBR && rm != 2 && rm != 3) {
            return false; // F3 0F 1E FA/FB
        }
        // Segment registers 6 and 7 do not exist; MOV to CS is #UD.
        return !(f == Form.EvSw && reg > 5 || f == Form.SwEw && (reg > 5 || reg == 1));
    }

    /** VEX/EVEX/XOP: the entry's L and W rules, and vvvv = 1111 where the form does not name it. */
    static boolean vex(int entry, int enc, long vex, int rex, int mod) {
        int l = Vex.l(vex);
        if (enc == Rde.ENC_EVEX && Vex.b(vex) && mod == 3) {
            l = -1; // EVEX.L'L is the rounding control here (SDM 2.7.4): no length rule applies
        } else if (enc == Rde.ENC_EVEX && l == 3) {
            return false; // reserved (SDM 2.7.10)
        }
        switch (Entry.lRule(entry)) {
            case 1 -> { if (l > 0) { return false; } }
            case 2 -> { if (enc == Rde.ENC_EVEX ? l == 0 : l != 1) { return false; } }
            case 3 -> { if (l >= 0 && l != 2) { return false; } }
            default -> { }
        }
        boolean w = (rex & 8) != 0;
        switch (Entry.wRule(entry)) {
            case 1 -> { if (w) { return false; } }
            case 2 -> { if (!w) { return false; } }
            default -> { }
        }
        int uses = Entry.form(entry).vvvv;
        // EVEX.V' extends vvvv, except with VSIB, where it extends the index register.
        int vvvv = enc == Rde.ENC_EVEX && Entry.form(entry) != Form.VSIB1 ? Vex.vvvv(vex) : Vex.vvvv(vex) & 0xF;
        return vvvv == 0 || uses == 1 || uses == 2 && mod == 3;
    }

    /** EVEX.b, aaa and z (SDM 2.7): broadcast, rounding/SAE, masking and zeroing as the entry allows. */
    static boolean evex(int entry, Form f, long vex, int mod, int rex) {
        boolean mem = mod != 3;
        if (Vex.b(vex) && ((entry & (mem ? Entry.NOBCST : Entry.NOER)) != 0
                || !mem && (entry & Entry.ERW1) != 0 && (rex & 8) == 0)) {
            return false;
        }
        if ((f == Form.GW || f == Form.GUIb) && Vex.rPrime(vex) != 0) {
            return false; // 16 general registers: no fifth reg bit (SDM 2.7.2); Capstone ignores X in rm
        }
        if (f == Form.VSIB1) { // gathers, scatters and their prefetches need a mask and take no zeroing
            return Vex.aaa(vex) != 0 && !Vex.z(vex) && !Vex.b(vex);
        }
        if (Vex.aaa(vex) != 0 && (entry & Entry.NOMASK) != 0) {
            return false;
        }
        return !Vex.z(vex) || (entry & (mem ? Entry.NOZMEM : Entry.NOZREG)) == 0;
    }

    /** Opmask operands name k0-k7: VEX.R (reg), VEX.B (rm, register form) and vvvv bit 3 must be clear. */
    static boolean opmask(Form f, int rex, long vex, int m) {
        boolean regK, rmK, vK;
        switch (f) {
            case KHK -> { regK = true; rmK = true; vK = true; }
            case KHW, KHWIb, KWIb -> { regK = true; rmK = false; vK = false; }
            case KU -> { regK = true; rmK = false; vK = false; }
            case VK -> { regK = false; rmK = true; vK = false; }
            case KK, KKIb, KE -> { regK = true; rmK = true; vK = false; }
            case MK, KR -> { regK = true; rmK = false; vK = false; }
            case RK -> { regK = false; rmK = true; vK = false; }
            default -> { return true; }
        }
        // EVEX's X is a fifth rm bit for VPMOVM2*'s opmask; Capstone ignores R' for an opmask reg.
        return !(regK && (rex & 4) != 0
                || rmK && (m >>> 6) == 3 && ((rex & 1) != 0 || (f == Form.VK && (rex & 2) != 0))
                || vK && Vex.vvvv(vex) > 7);
    }
}
