package dev.phoenix.x86;

/**
 * Static accessors over the packed decode word ({@link Insn#rde}), in the manner of Blink's
 * {@code rde}: one {@code long} carries everything the engine needs to dispatch and to find
 * operands, so decoding allocates nothing and an accessor is a shift and a mask.
 *
 * <pre>
 * bits  0-3   length (1-15)            bits 35-38  REX.WRXB (VEX/EVEX: un-inverted)
 * bits  4-11  opcode                   bit  39     REX present (and right before the opcode)
 * bits 12-14  map (see MAP_*)          bits 40-42  segment override (SEG_*), last one wins
 * bits 15-16  encoding (ENC_*)         bit  43     LOCK
 * bits 17-24  ModRM                    bits 44-45  REP: 0 none, 2 F2 (REPNE), 3 F3 (REP)
 * bit  25     ModRM present            bit  46     66 seen      bit 47  67 seen
 * bits 26-33  SIB                      bits 48-49  mandatory prefix / VEX.pp (PP_*)
 * bit  34     SIB present              bits 50-51  operand size (OSZ_*)  bits 52-53 address size
 * bits 54-57  displacement size (bytes, 8 only for moffs)
 * bits 58-61  immediate size (bytes)   bit  62 second immediate (1 byte)  bit 63 RIP-relative
 * </pre>
 */
public final class Rde {
    private Rde() {
    }

    public static final int MAP_ONE = 0, MAP_0F = 1, MAP_0F38 = 2, MAP_0F3A = 3, MAP_3DNOW = 4,
            MAP_XOP8 = 5, MAP_XOP9 = 6, MAP_XOPA = 7;
    public static final int ENC_LEGACY = 0, ENC_VEX = 1, ENC_EVEX = 2, ENC_XOP = 3;
    public static final int SEG_NONE = 0, SEG_ES = 1, SEG_CS = 2, SEG_SS = 3, SEG_DS = 4, SEG_FS = 5, SEG_GS = 6;
    public static final int PP_NONE = 0, PP_66 = 1, PP_F3 = 2, PP_F2 = 3;
    public static final int OSZ_16 = 0, OSZ_32 = 1, OSZ_64 = 2;
    public static final int ASZ_32 = 1, ASZ_64 = 2;

    public static int length(long rde) { return (int) (rde & 0xF); }
    public static int opcode(long rde) { return (int) (rde >>> 4) & 0xFF; }
    public static int map(long rde) { return (int) (rde >>> 12) & 7; }
    public static int encoding(long rde) { return (int) (rde >>> 15) & 3; }
    public static int modrm(long rde) { return (int) (rde >>> 17) & 0xFF; }
    public static boolean hasModrm(long rde) { return (rde & (1L << 25)) != 0; }
    public static int mod(long rde) { return modrm(rde) >>> 6; }
    /** ModRM.reg extended by REX.R (0-15). */
    public static int reg(long rde) { return ((modrm(rde) >>> 3) & 7) | (rexR(rde) << 3); }
    /** ModRM.rm extended by REX.B (0-15). */
    public static int rm(long rde) { return (modrm(rde) & 7) | (rexB(rde) << 3); }
    public static int sib(long rde) { return (int) (rde >>> 26) & 0xFF; }
    public static boolean hasSib(long rde) { return (rde & (1L << 34)) != 0; }
    public static int scale(long rde) { return sib(rde) >>> 6; }
    /** SIB.index extended by REX.X; 4 (without REX.X) means no index. */
    public static int index(long rde) { return ((sib(rde) >>> 3) & 7) | (rexX(rde) << 3); }
    /** SIB.base extended by REX.B; base 5 with mod 0 means no base (disp32). */
    public static int base(long rde) { return (sib(rde) & 7) | (rexB(rde) << 3); }
    public static int rex(long rde) { return (int) (rde >>> 35) & 0xF; }
    public static boolean rexW(long rde) { return (rde & (1L << 38)) != 0; }
    public static int rexR(long rde) { return (int) (rde >>> 37) & 1; }
    public static int rexX(long rde) { return (int) (rde >>> 36) & 1; }
    public static int rexB(long rde) { return (int) (rde >>> 35) & 1; }
    public static boolean hasRex(long rde) { return (rde & (1L << 39)) != 0; }
    public static int segment(long rde) { return (int) (rde >>> 40) & 7; }
    public static boolean lock(long rde) { return (rde & (1L << 43)) != 0; }
    public static int rep(long rde) { return (int) (rde >>> 44) & 3; }
    public static boolean opsizePrefix(long rde) { return (rde & (1L << 46)) != 0; }
    public static boolean adsizePrefix(long rde) { return (rde & (1L << 47)) != 0; }
    public static int pp(long rde) { return (int) (rde >>> 48) & 3; }
    public static int osz(long rde) { return (int) (rde >>> 50) & 3; }
    public static int asz(long rde) { return (int) (rde >>> 52) & 3; }
    public static int dispSize(long rde) { return (int) (rde >>> 54) & 0xF; }
    public static int immSize(long rde) { return (int) (rde >>> 58) & 0xF; }
    public static boolean hasImm2(long rde) { return (rde & (1L << 62)) != 0; }
    public static boolean ripRelative(long rde) { return rde < 0; }
    /** True when ModRM names a memory operand. */
    public static boolean isMemory(long rde) { return hasModrm(rde) && mod(rde) != 3; }
}
