package dev.phoenix.x86;

/**
 * Operand forms, named in the SDM's Appendix A notation (A.2: E = ModRM r/m, G = ModRM reg,
 * M = memory only, R/U = register only, I = immediate, J = relative offset, O = moffs, V/W =
 * xmm reg / xmm-or-memory, P/Q/N = mmx, Z = register in the opcode's low bits; the size
 * letters b, w, d, q, v, z as there). A form says whether a ModRM byte follows, which
 * immediate follows, and whether ModRM.mod is restricted; a printer reads the operands from it.
 */
public enum Form {
    NONE(false, Imm.NONE, Mod.ANY),
    /** VEX/EVEX forms that name VEX.vvvv (H): every other form requires vvvv = 1111. */
    VHW(true, Imm.NONE, Mod.ANY, 1), VHWIb(true, Imm.B, Mod.ANY, 1), VHM(true, Imm.NONE, Mod.MEM, 1),
    MHV(true, Imm.NONE, Mod.MEM, 1), HUIb(true, Imm.B, Mod.REG, 1), HWIb(true, Imm.B, Mod.ANY, 1), HE(true, Imm.NONE, Mod.ANY, 1),
    KHK(true, Imm.NONE, Mod.REG, 1), VSIB(true, Imm.NONE, Mod.MEM, 1), VSIB1(true, Imm.NONE, Mod.MEM, 0),
    /** VMOVSS/VMOVSD (and EVEX kin): vvvv is an operand of the register form only. */
    VHWreg(true, Imm.NONE, Mod.ANY, 2), WHVreg(true, Imm.NONE, Mod.ANY, 2),
    KK(true, Imm.NONE, Mod.REG), KKIb(true, Imm.B, Mod.REG), KE(true, Imm.NONE, Mod.ANY), MK(true, Imm.NONE, Mod.MEM),
    KR(true, Imm.NONE, Mod.REG), RK(true, Imm.NONE, Mod.REG),
    /** EVEX with an opmask destination (compares, tests, classes) or an opmask source (VPMOVM2*). */
    KHW(true, Imm.NONE, Mod.ANY, 1), KHWIb(true, Imm.B, Mod.ANY, 1), KWIb(true, Imm.B, Mod.ANY), KU(true, Imm.NONE, Mod.REG),
    VK(true, Imm.NONE, Mod.REG),
    /** EVEX forms with a general register: in ModRM.reg (G: EVEX.R' must be 0), or in ModRM.rm (E, R). */
    GW(true, Imm.NONE, Mod.ANY), VE(true, Imm.NONE, Mod.ANY), EV(true, Imm.NONE, Mod.ANY), EVIb(true, Imm.B, Mod.ANY),
    HEIb(true, Imm.B, Mod.ANY, 1), VR(true, Imm.NONE, Mod.REG), WVIb(true, Imm.B, Mod.ANY),
    Ib(false, Imm.B, Mod.ANY), Iw(false, Imm.W, Mod.ANY), Iz(false, Imm.Z, Mod.ANY), IwIb(false, Imm.WB, Mod.ANY),
    Jb(false, Imm.B, Mod.ANY), Jz(false, Imm.D, Mod.ANY), ALIb(false, Imm.B, Mod.ANY), rAXIz(false, Imm.Z, Mod.ANY),
    ZvIv(false, Imm.V, Mod.ANY), ZbIb(false, Imm.B, Mod.ANY), Zv(false, Imm.NONE, Mod.ANY), Ov(false, Imm.MOFFS, Mod.ANY),
    E(true, Imm.NONE, Mod.ANY), EIb(true, Imm.B, Mod.ANY), EIz(true, Imm.Z, Mod.ANY), EIw(true, Imm.W, Mod.ANY),
    EbGb(true, Imm.NONE, Mod.ANY), EvGv(true, Imm.NONE, Mod.ANY), GbEb(true, Imm.NONE, Mod.ANY), GvEv(true, Imm.NONE, Mod.ANY),
    GvEvIz(true, Imm.Z, Mod.ANY), GvEvIb(true, Imm.B, Mod.ANY), EvGvIb(true, Imm.B, Mod.ANY),
    EvSw(true, Imm.NONE, Mod.ANY), SwEw(true, Imm.NONE, Mod.ANY), BndBnd(true, Imm.NONE, Mod.ANY), Bnd(true, Imm.NONE, Mod.ANY), BndM(true, Imm.NONE, Mod.MEM), GvM(true, Imm.NONE, Mod.MEM), M(true, Imm.NONE, Mod.MEM), R(true, Imm.NONE, Mod.REG), RIb(true, Imm.B, Mod.REG),
    MIb(true, Imm.B, Mod.MEM), RJz(true, Imm.Z, Mod.REG), RIbIb(true, Imm.BB, Mod.REG),
    /** xmm/ymm forms: V = ModRM.reg vector, W = vector or memory. */
    VW(true, Imm.NONE, Mod.ANY), WV(true, Imm.NONE, Mod.ANY), GUIb(true, Imm.B, Mod.REG), MG(true, Imm.NONE, Mod.MEM), VWIb(true, Imm.B, Mod.ANY), VM(true, Imm.NONE, Mod.MEM), MV(true, Imm.NONE, Mod.MEM),
    VU(true, Imm.NONE, Mod.REG), VUIb(true, Imm.B, Mod.REG), VMIb(true, Imm.B, Mod.MEM), GU(true, Imm.NONE, Mod.REG),
    /** Control/debug register moves: ModRM.mod is ignored, the operand is always a register. */
    RdCd(true, Imm.NONE, Mod.ANY),
    /** x87: memory operand, or ST(i) in the ModRM byte. */
    X87M(true, Imm.NONE, Mod.MEM), X87R(true, Imm.NONE, Mod.REG),
    /** XOP map A: a 32-bit immediate. */
    EId(true, Imm.D, Mod.ANY), EIdH(true, Imm.D, Mod.ANY, 1);

    /** Immediate kinds: sizes fixed, by operand size (Z: 2 or 4; V: 2, 4 or 8), or by address size (MOFFS). */
    public enum Imm { NONE, B, W, Z, V, D, MOFFS, WB, BB }

    /** Restrictions on ModRM.mod: none, memory only (mod != 3), register only (mod == 3). */
    public enum Mod { ANY, MEM, REG }

    public final boolean modrm;
    public final Imm imm;
    public final Mod mod;

    /** VEX.vvvv: 0 unused (must be 1111), 1 an operand, 2 an operand of the register form only. */
    public final int vvvv;

    Form(boolean modrm, Imm imm, Mod mod) {
        this(modrm, imm, mod, 0);
    }

    Form(boolean modrm, Imm imm, Mod mod, int vvvv) {
        this.modrm = modrm;
        this.imm = imm;
        this.mod = mod;
        this.vvvv = vvvv;
    }

    static final Form[] VALUES = values();

    static {
        if (VALUES.length > 128) {
            throw new IllegalStateException("Entry packs the form in 7 bits");
        }
    }
}
