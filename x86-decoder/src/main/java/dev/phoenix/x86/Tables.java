package dev.phoenix.x86;

import static dev.phoenix.x86.Entry.GROUP;
import static dev.phoenix.x86.Entry.VALID;

/**
 * The dense dispatch arrays the decoder indexes, filled once by the instruction-family files
 * ({@link OneByteMap}, {@link TwoByteMap}, {@link ThreeByteMaps}, {@link Groups}, {@link X87Map},
 * {@link AmdMaps}, {@link VexMaps}, {@link EvexMaps}), each of which names its SDM table.
 */
final class Tables {
    private Tables() {
    }

    /** Mandatory-prefix masks for table lines: no prefix, 66, F3, F2, any. */
    static final int NP = 1, P66 = 2, PF3 = 4, PF2 = 8, ANY = 15;

    static final int[] ONE = new int[256];
    /** Legacy 0F, 0F 38 and 0F 3A maps, indexed [map - 1][pp][opcode]. */
    static final int[][][] LEGACY = new int[3][4][256];
    /** ModRM.reg groups, indexed [group][pp][reg + (mod == 3 ? 8 : 0)]. */
    static final int[][][] GROUPS = new int[64][4][16];
    /** 0F 01 with mod == 3 (Group 7 register forms), indexed [pp][ModRM & 0x3F]. */
    static final int[][] G7_REG = new int[4][64];
    /** x87 escapes D8-DF: memory forms [op - D8][reg], register forms [op - D8][ModRM & 0x3F]. */
    static final int[][] X87_MEM = new int[8][8];
    static final int[][] X87_REG = new int[8][64];
    /** 3DNow! (0F 0F /r ib): indexed by the trailing opcode byte. */
    static final int[] NOW = new int[256];
    /** VEX maps 1-3 and EVEX maps 1-3, 5, 6: [map][pp][opcode]. */
    static final int[][][] VEX = new int[4][4][256];
    static final int[][][] EVEX = new int[7][4][256];
    /** XOP maps 8, 9, A: [map - 8][opcode]. */
    static final int[][] XOP = new int[3][256];

    static int groupEntry(int group) {
        return group | GROUP | VALID;
    }

    /** Writes {@code entry} for each prefix in {@code ppMask} (bit pp: none, 66, F3, F2). */
    static void put(int[][] byPp, int ppMask, int opcode, int entry) {
        for (int pp = 0; pp < 4; pp++) {
            if ((ppMask & (1 << pp)) != 0) {
                byPp[pp][opcode] = entry;
            }
        }
    }

    static {
        OneByteMap.fill();
        TwoByteMap.fill();
        ThreeByteMaps.fill();
        Groups.fill();
        X87Map.fill();
        AmdMaps.fill();
        VexMaps.fill();
        EvexMaps.fill();
    }

    static void init() {
    }
}
