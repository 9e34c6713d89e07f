package dev.phoenix.x86;

/**
 * Decodes one x86-64 instruction (64-bit mode, user and system instructions) into an
 * {@link Insn}, allocating nothing. SDM Vol. 2, Chapter 2 (instruction format: prefixes 2.1.1,
 * REX 2.2.1, VEX 2.3, EVEX 2.7) and Appendix A (the maps in the family files).
 */
public final class X86Decoder {
    private X86Decoder() {
    }

    /** An encoding the CPU would raise #UD on (or longer than 15 bytes). */
    public static final int INVALID = -1;
    /** The bytes given end before the instruction does. */
    public static final int TRUNCATED = -2;

    static {
        Tables.init();
    }

    /** 0F 0F: ModRM (and SIB, displacement) come before the 3DNow! opcode byte. */
    private static final int THREE_DNOW = Entry.make("3dnow", Form.VW, 0);
    /** D8-DF: the entry is chosen by ModRM (Tables.X87_MEM / X87_REG). */
    private static final int X87 = -1;

    private static int fail(int need, int len) {
        return need > 15 ? INVALID : need > len ? TRUNCATED : INVALID;
    }

    /**
     * Decodes the instruction at {@code code[offset]}, reading at most {@code length} bytes (and
     * never more than 15). Returns its length (1-15), {@link #INVALID} or {@link #TRUNCATED};
     * {@code out} is meaningful only after a positive result.
     */
    public static int decode(byte[] code, int offset, int length, Insn out) {
        int len = Math.min(length, 15);
        int p = 0;
        int seg = 0, lock = 0, rep = 0, osp = 0, asp = 0, rex = 0;
        int b;
        // Legacy prefixes (SDM 2.1.1): any order, any number up to the 15-byte limit; the last
        // segment override and the last of F2/F3 win. A REX counts only right before the opcode.
        for (;;) {
            if (p >= len) {
                return fail(p + 1, length);
            }
            b = code[offset + p] & 0xFF;
            switch (b) {
                case 0xF0 -> lock = 1;
                case 0xF2 -> { rep = 2; lock = 0; } // F0, F2, F3 share group 1: the last one is kept
                case 0xF3 -> { rep = 3; lock = 0; } // (F2/F3 stay the mandatory prefix after F0)
                case 0x26 -> seg = Rde.SEG_ES;
                case 0x2E -> seg = Rde.SEG_CS;
                case 0x36 -> seg = Rde.SEG_SS;
                case 0x3E -> seg = Rde.SEG_DS;
                case 0x64 -> seg = Rde.SEG_FS;
                case 0x65 -> seg = Rde.SEG_GS;
                case 0x66 -> osp = 1;
                case 0x67 -> asp = 1;
                default -> {
                    if ((b & 0xF0) != 0x40) {
                        break;
                    }
                    p++;
                    rex = b; // 0x4X: REX; a later legacy prefix cancels it
                    continue;
                }
            }
            if ((b & 0xF0) == 0x40 || !isPrefix(b)) {
                break;
            }
            rex = 0;
            p++;
        }
        int pp = rep == 3 ? Rde.PP_F3 : rep == 2 ? Rde.PP_F2 : osp != 0 ? Rde.PP_66 : Rde.PP_NONE;
        int map = Rde.MAP_ONE, enc = Rde.ENC_LEGACY;
        long vex = 0;
        int op = b;
        p++;
        int entry;
        if (op == 0x0F) {
            if (p >= len) {
                return fail(p + 1, length);
            }
            op = code[offset + p++] & 0xFF;
            if (op == 0x38 || op == 0x3A) {
                map = op == 0x38 ? Rde.MAP_0F38 : Rde.MAP_0F3A;
                if (p >= len) {
                    return fail(p + 1, length);
                }
                op = code[offset + p++] & 0xFF;
                entry = legacy(map, pp, op, rex, osp);
            } else if (op == 0x0F) {
                map = Rde.MAP_3DNOW;
                entry = THREE_DNOW; // the real entry comes from the trailing opcode byte
            } else {
                map = Rde.MAP_0F;
                entry = legacy(map, pp, op, rex, osp);
            }
        } else if (op == 0xC4 || op == 0xC5 || op == 0x62 || op == 0x8F) {
            if (p >= len) {
                return fail(p + 1, length);
            }
            int p0 = code[offset + p] & 0xFF;
            if (op == 0x8F && (p0 & 0x1F) < 8) {
                entry = Tables.ONE[op]; // POP Ev (Group 1A)
            } else {
                // VEX/XOP/EVEX (SDM 2.3.2, 2.7.1): a 66, F2, F3, LOCK or REX before it is #UD.
                if (rex != 0 || osp != 0 || rep != 0 || lock != 0) {
                    return INVALID;
                }
                int need = op == 0xC5 ? 2 : op == 0x62 ? 4 : 3;
                if (p + need > len) {
                    return fail(p + need + 1, length);
                }
                int wvvvvlpp;
                int rxb;
                if (op == 0xC5) {
                    rxb = (~p0 >>> 5) & 4;
                    map = Rde.MAP_0F;
                    wvvvvlpp = p0 & 0x7F;
                    enc = Rde.ENC_VEX;
                    p += 1;
                } else {
                    rxb = (~p0 >>> 5) & 7;
                    int mmmmm = p0 & 0x1F;
                    int p1 = code[offset + p + 1] & 0xFF;
                    wvvvvlpp = p1;
                    if (op == 0x62) {
                        int p2 = code[offset + p + 2] & 0xFF;
                        // EVEX P0 bit 3 and P1 bit 2 are fixed (0 and 1).
                        if ((p0 & 0x08) != 0 || (p1 & 0x04) == 0) {
                            return INVALID;
                        }
                        mmmmm = p0 & 7;
                        if (mmmmm == 0 || mmmmm == 4 || mmmmm == 7) {
                            return INVALID;
                        }
                        enc = Rde.ENC_EVEX;
                        // R' (P0 bit 4), V' (P2 bit 3), aaa, z, b, L'L
                        vex |= ((~p2 >>> 3) & 1) << 4;
                        vex |= (long) ((p2 >>> 5) & 3) << 5;
                        vex |= (long) (p2 & 7) << 7;
                        vex |= (long) ((p2 >>> 7) & 1) << 10;
                        vex |= (long) ((p2 >>> 4) & 1) << 11;
                        vex |= (long) ((~p0 >>> 4) & 1) << 12;
                        vex |= (long) ((~p0 >>> 6) & 1) << 13; // X: also the rm high bit of register forms
                        p += 3;
                    } else if (op == 0x8F) {
                        if (mmmmm > 10) {
                            return INVALID;
                        }
                        enc = Rde.ENC_XOP;
                        p += 2;
                    } else {
                        if (mmmmm < 1 || mmmmm > 3) {
                            return INVALID;
                        }
                        enc = Rde.ENC_VEX;
                        p += 2;
                    }
                    map = mmmmm;
                }
                if (enc != Rde.ENC_EVEX) {
                    vex |= (long) ((wvvvvlpp >>> 2) & 1) << 5;
                }
                vex |= (~wvvvvlpp >>> 3) & 0xF;
                pp = wvvvvlpp & 3;
                rex = 0x40 | rxb | ((wvvvvlpp >>> 4) & 8);
                if (op == 0xC5) {
                    rex &= ~8;
                }
                if (p >= len) {
                    return fail(p + 1, length);
                }
                op = code[offset + p++] & 0xFF;
                entry = switch (enc) {
                    case Rde.ENC_EVEX -> Tables.EVEX[map][pp][op];
                    case Rde.ENC_XOP -> pp == 0 && map >= 8 ? Tables.XOP[map - 8][op] : 0;
                    default -> Tables.VEX[map][pp][op];
                };
                if (enc == Rde.ENC_XOP) {
                    map = Rde.MAP_XOP8 + map - 8;
                }
            }
        } else if (op >= 0xD8 && op <= 0xDF) {
            entry = X87;
        } else {
            entry = Tables.ONE[op];
        }
        if (entry == 0) {
            return INVALID;
        }
        boolean x87 = entry == X87;
        boolean modrm = x87 || map == Rde.MAP_3DNOW || Entry.group(entry) || Entry.form(entry).modrm;
        int m = 0, sib = 0, dispSize = 0;
        boolean hasSib = false, rip = false;
        if (modrm) {
            if (p >= len) {
                return fail(p + 1, length);
            }
            m = code[offset + p++] & 0xFF;
            int mod = m >>> 6;
            if (x87) {
                entry = mod == 3 ? Tables.X87_REG[op - 0xD8][m & 0x3F] : Tables.X87_MEM[op - 0xD8][(m >>> 3) & 7];
            } else if (Entry.group(entry)) {
                int g = entry & 0x7FF;
                int slot = ((m >>> 3) & 7) + (mod == 3 ? 8 : 0);
                entry = g == Groups.G7 && mod == 3 ? Tables.G7_REG[pp][m & 0x3F] : Tables.GROUPS[g][pp][slot];
                if (entry == 0 && enc == Rde.ENC_LEGACY && pp != Rde.PP_NONE && (rex & 8) != 0) {
                    entry = g == Groups.G7 && mod == 3 ? Tables.G7_REG[0][m & 0x3F] : Tables.GROUPS[g][0][slot]; // see legacy()
                }
            }
            if (entry != 0 && !modFits(Entry.form(entry), mod) && enc == Rde.ENC_LEGACY && pp != Rde.PP_NONE
                    && (rex & 8) != 0 && map >= Rde.MAP_0F && map <= Rde.MAP_0F3A) {
                int alt = Tables.LEGACY[map - 1][Rde.PP_NONE][op]; // see legacy()
                entry = alt != 0 && !Entry.group(alt) ? alt : entry;
            }
            if (entry == 0) {
                return INVALID;
            }
            Form f = Entry.form(entry);
            if (mod != 3 && f != Form.RdCd) {
                int rm = m & 7;
                if (rm == 4) {
                    if (p >= len) {
                        return fail(p + 1, length);
                    }
                    sib = code[offset + p++] & 0xFF;
                    hasSib = true;
                    if (mod == 0 && (sib & 7) == 5) {
                        dispSize = 4;
                    }
                } else if (mod == 0 && rm == 5) {
                    dispSize = 4;
                    rip = true;
                }
                if (mod == 1) {
                    dispSize = 1;
                } else if (mod == 2) {
                    dispSize = 4;
                }
            }
        }
        // Operand size (SDM 2.2.1.2, 3.6): REX.W wins; near branches are always 64-bit; the
        // default-64 opcodes take 66 for 16-bit; 66 chosen as a mandatory prefix is not a size.
        // (EVEX entries use the D64/F64 bits for other things: see Entry.)
        boolean legacy = enc == Rde.ENC_LEGACY;
        boolean opsize66 = osp != 0 && !Entry.mandatoryPrefix(entry);
        int osz = (rex & 8) != 0 || legacy && Entry.force64(entry) ? Rde.OSZ_64
                : opsize66 ? Rde.OSZ_16 : legacy && Entry.default64(entry) ? Rde.OSZ_64 : Rde.OSZ_32;
        int asz = asp != 0 ? Rde.ASZ_32 : Rde.ASZ_64;
        long disp = 0;
        if (dispSize != 0) {
            if (p + dispSize > len) {
                return fail(p + dispSize, length);
            }
            disp = dispSize == 1 ? code[offset + p] : readLe(code, offset + p, 4);
            p += dispSize;
        }
        int immSize = 0, imm2Size = 0;
        Form f = Entry.form(entry);
        switch (f.imm) {
            case NONE -> { }
            case B -> immSize = 1;
            case W -> immSize = 2;
            case Z -> immSize = osz == Rde.OSZ_16 ? 2 : 4;
            case V -> immSize = osz == Rde.OSZ_64 ? 8 : osz == Rde.OSZ_16 ? 2 : 4;
            case D -> immSize = 4;
            case MOFFS -> dispSize = asz == Rde.ASZ_64 ? 8 : 4;
            case WB -> { immSize = 2; imm2Size = 1; }
            case BB -> { immSize = 1; imm2Size = 1; }
        }
        if (map == Rde.MAP_3DNOW) {
            immSize = 0;
        }
        long imm = 0;
        int imm2 = 0;
        if (f.imm == Form.Imm.MOFFS) {
            if (p + dispSize > len) {
                return fail(p + dispSize, length);
            }
            disp = readLe(code, offset + p, dispSize);
            p += dispSize;
        }
        if (immSize + imm2Size > 0) {
            if (p + immSize + imm2Size > len) {
                return fail(p + immSize + imm2Size, length);
            }
            imm = immSize == 1 ? code[offset + p] : readLe(code, offset + p, immSize);
            if (f.imm == Form.Imm.W || f.imm == Form.Imm.WB) {
                imm &= 0xFFFF;
            }
            p += immSize;
            if (imm2Size != 0) {
                imm2 = code[offset + p++] & 0xFF;
            }
        }
        if (map == Rde.MAP_3DNOW) {
            if (p >= len) {
                return fail(p + 1, length);
            }
            op = code[offset + p++] & 0xFF;
            entry = Tables.NOW[op];
            if (entry == 0) {
                return INVALID;
            }
        }
        // Validity (SDM 2.2.1, 2.3.x, 2.7 and the instruction pages): see Validity.
        if (modrm && !Validity.operands(entry, f, enc, m, rex)) {
            return INVALID;
        }
        if (enc == Rde.ENC_LEGACY && osp != 0 && rep != 0 && (rex & 8) == 0 && (entry & Entry.NOREP66) != 0) {
            return INVALID;
        }
        if (lock != 0 && !(Entry.lockable(entry) && modrm && (m >>> 6) != 3)) {
            return INVALID;
        }
        if (enc == Rde.ENC_EVEX && !Validity.evex(entry, f, vex, m >>> 6, rex)) {
            return INVALID;
        }
        if (enc != Rde.ENC_LEGACY && (!Validity.vex(entry, enc, vex, rex, m >>> 6) || !Validity.opmask(f, rex, vex, m))) {
            return INVALID;
        }
        out.rde = p | (long) op << 4 | (long) map << 12 | (long) enc << 15 | (long) m << 17
                | (modrm ? 1L << 25 : 0) | (long) sib << 26 | (hasSib ? 1L << 34 : 0)
                | (long) (rex & 0xF) << 35 | (rex != 0 ? 1L << 39 : 0) | (long) seg << 40
                | (long) lock << 43 | (long) rep << 44 | (long) osp << 46 | (long) asp << 47
                | (long) pp << 48 | (long) osz << 50 | (long) asz << 52 | (long) dispSize << 54
                | (long) immSize << 58 | (imm2Size != 0 ? 1L << 62 : 0) | (rip ? 1L << 63 : 0);
        out.vex = vex;
        out.disp = disp;
        out.imm = imm;
        out.imm2 = imm2;
        out.entry = entry;
        return p;
    }

    /**
     * A legacy 0F/0F38/0F3A entry. The SDM leaves 66/F2/F3 on an opcode without such a column
     * reserved; with REX.W, Capstone (LLVM's context tables) ignores them there, or where the
     * column has no form for this ModRM.mod, and decodes the no-prefix column; Phoenix does too.
     */
    private static int legacy(int map, int pp, int op, int rex, int osp) {
        int e = Tables.LEGACY[map - 1][pp][op];
        if (e == 0 && pp != Rde.PP_NONE && (rex & 8) != 0) {
            e = Tables.LEGACY[map - 1][Rde.PP_NONE][op];
        }
        return e;
    }

    private static boolean modFits(Form f, int mod) {
        return !(f.mod == Form.Mod.MEM && mod == 3 || f.mod == Form.Mod.REG && mod != 3);
    }

    private static boolean isPrefix(int b) {
        return switch (b) {
            case 0xF0, 0xF2, 0xF3, 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x66, 0x67 -> true;
            default -> false;
        };
    }

    private static long readLe(byte[] code, int at, int size) {
        long v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = v << 8 | (code[at + i] & 0xFF);
        }
        return size == 8 ? v : size == 4 ? (int) v : size == 2 ? (short) v : (byte) v;
    }
}
