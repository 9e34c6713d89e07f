package dev.phoenix.x86;

import static dev.phoenix.x86.IntelPrinter.positive;
import static dev.phoenix.x86.IntelPrinter.signed;
import static dev.phoenix.x86.IntelPrinter.unsigned;

/**
 * The operand string in Intel order (destination first), read from the entry's {@link Form},
 * the opcode and the packed words. Sizes follow the SDM's operand columns (Ev is the operand
 * size, Eb a byte, Wsd a quadword ...) and Capstone's choices where they differ (each named).
 */
final class Operands {
    private static final int ID_ENDBR = Names.id("endbr"), ID_XABORT = Names.id("xabort");

    private Operands() {
    }

    private static final int MOV = Names.id("mov"), AND = Names.id("and"), OR = Names.id("or"), XOR = Names.id("xor"),
            LEA = Names.id("lea"), MOVZX = Names.id("movzx"), MOVSX = Names.id("movsx"), MOVSXD = Names.id("movsxd"),
            CRC32 = Names.id("crc32"), IN = Names.id("in"), OUT = Names.id("out"), INT = Names.id("int"),
            RET = Names.id("ret"), RETF = Names.id("retf"), PUSH = Names.id("push"), POP = Names.id("pop"),
            XCHG = Names.id("xchg"), BNDSTX = Names.id("bndstx"), BNDMOV = Names.id("bndmov"), TEST = Names.id("test"), LAR = Names.id("lar"), LSL = Names.id("lsl"), NOP = Names.id("nop"), ENTER = Names.id("enter");

    /** Capstone's operand text for one instruction, appended to {@code out}. */
    static void intel(Insn in, long address, StringBuilder out) {
        long rde = in.rde;
        int e = in.entry;
        int m = Entry.mnemonic(e);
        Form f = Entry.form(e);
        int osz = bytes(Rde.osz(rde));
        int map = Rde.map(rde), op = Rde.opcode(rde);
        boolean one = map == Rde.MAP_ONE && Rde.encoding(rde) == Rde.ENC_LEGACY;
        if (Rde.encoding(rde) != Rde.ENC_LEGACY) {
            VectorOperands.intel(in, address, out);
            return;
        }
        // Byte forms of the one-byte map: the even opcode of each pair (SDM A.3: Eb, Gb, AL).
        boolean b = one && ((op < 0x40 && (op & 1) == 0) || op == 0x80 || op == 0x84 || op == 0x86 || op == 0x88
                || op == 0x8A || op == 0xA8 || op == 0xC0 || op == 0xC6 || op == 0xD0 || op == 0xD2 || op == 0xF6
                || op == 0xFE || op == 0xA0 || op == 0xA2 || op == 0xE4 || op == 0xE6 || op == 0xEC || op == 0xEE)
                || map == Rde.MAP_0F && (op == 0xB0 || op == 0xC0 || (op >= 0x90 && op <= 0x9F));
        int sz = b ? 1 : osz;
        switch (f) {
            case NONE -> none(in, out, m, op, map, osz);
            case EbGb, EvGv -> {
                rm(in, out, sz);
                out.append(", ");
                out.append(Regs.gpr(sz, Rde.reg(rde), Rde.hasRex(rde)));
                if (map == Rde.MAP_0F && (op == 0xA5 || op == 0xAD)) {
                    out.append(", cl");
                }
            }
            case GbEb, GvEv -> {
                int src = sz;
                if (m == LAR || m == LSL) {
                    src = Rde.isMemory(rde) ? 2 : sz == 8 ? 4 : sz; // LAR/LSL r, r32/m16
                } else if (m == MOVZX || m == MOVSX) {
                    src = (op & 1) == 0 ? 1 : 2;
                } else if (m == MOVSXD) {
                    src = 4;
                } else if (m == CRC32) {
                    src = (op & 1) == 0 ? 1 : osz;
                    sz = osz == 8 ? 8 : 4;
                }
                out.append(Regs.gpr(sz, Rde.reg(rde), Rde.hasRex(rde))).append(", ");
                rm(in, out, src);
            }
            case GvEvIz, GvEvIb -> {
                out.append(Regs.gpr(sz, Rde.reg(rde), Rde.hasRex(rde))).append(", ");
                rm(in, out, sz);
                out.append(", ");
                signed(out, natural(in, f, sz));
            }
            case EvGvIb -> { // SHLD/SHRD: the count is an unsigned byte
                rm(in, out, sz);
                out.append(", ").append(Regs.gpr(sz, Rde.reg(rde), Rde.hasRex(rde))).append(", ");
                unsigned(out, in.imm & 0xFF);
            }
            case E -> {
                if (m == NOP && map == Rde.MAP_0F && op != 0x1F && sz == 8 && Rde.isMemory(rde)) {
                    sz = 4; // Capstone: the hint NOPs of 0F 18-1E read a dword even with REX.W (0F 1F a qword)
                }
                rm(in, out, map == Rde.MAP_0F && op == 0x00 && (Rde.isMemory(rde) || (Rde.modrm(rde) & 0x30) != 0) ? 2 : sz);
                if (map == Rde.MAP_0F && op == 0x19 && !Rde.isMemory(rde)) { // 0F 19 /r: Capstone prints ModRM.reg too
                    out.append(", ").append(Regs.gpr(sz, Rde.reg(rde), Rde.hasRex(rde)));
                }
                if (one && (op >= 0xD0 && op <= 0xD3)) {
                    // Capstone leaves out the implicit 1 of RCL on memory (LLVM's RCL*m1 has no operand).
                    boolean rc = (Rde.modrm(rde) & 0x38) == 0x10 && Rde.isMemory(rde);
                    out.append(op <= 0xD1 ? (rc ? "" : ", 1") : ", cl");
                }
            }
            case EIb, EIz, EIw -> {
                rm(in, out, sz);
                out.append(", ");
                if (one && (op == 0xC0 || op == 0xC1) || map == Rde.MAP_0F && op == 0xBA) {
                    unsigned(out, in.imm & 0xFF); // a shift count or bit offset is an unsigned byte
                } else if (one && op == 0xF6 && (Rde.modrm(rde) & 0x38) == 0x08) {
                    signed(out, in.imm); // F6 /1 (TEST's alias): Capstone keeps the immediate sign-extended
                } else {
                    imm(out, m, natural(in, f, sz), sz);
                }
            }
            case ALIb, rAXIz -> {
                out.append(Regs.gpr(sz, 0, false)).append(", ");
                imm(out, m, natural(in, f, sz), sz);
            }
            case Ib, Iz, Iw -> {
                if (m == IN) {
                    out.append(b ? "al" : osz == 2 ? "ax" : "eax").append(", ");
                    positive(out, in.imm, 1);
                } else if (m == OUT) {
                    positive(out, in.imm, 1);
                    out.append(b ? ", al" : osz == 2 ? ", ax" : ", eax");
                } else if (m == INT) {
                    positive(out, in.imm, 1);
                } else if (m == RET) {
                    positive(out, in.imm, 2);
                } else if (m == RETF) {
                    if (Rde.rexW(rde)) {
                        signed(out, (short) in.imm);
                    } else {
                        positive(out, in.imm, 2);
                    }
                } else if (f == Form.Iz) {
                    signed(out, natural(in, f, osz)); // PUSH imm16 with 66: zero-extended
                } else {
                    signed(out, in.imm);
                }
            }
            case IwIb -> { // ENTER: Capstone prints both sign-extended
                signed(out, (short) in.imm);
                out.append(", ");
                signed(out, (byte) in.imm2);
            }
            case Jb, Jz, RJz -> unsigned(out, address + Rde.length(rde) + in.imm);
            case ZvIv, ZbIb -> {
                out.append(Regs.gpr(f == Form.ZbIb ? 1 : osz, (op & 7) | Rde.rexB(rde) << 3, Rde.hasRex(rde))).append(", ");
                positive(out, in.imm, f == Form.ZbIb ? 1 : osz);
            }
            case Zv -> {
                String r = Regs.gpr(osz, (op & 7) | Rde.rexB(rde) << 3, true);
                out.append(r);
                if (m == XCHG) {
                    out.append(", ").append(Regs.gpr(osz, 0, false));
                }
            }
            case Ov -> {
                String acc = Regs.gpr(sz, 0, false);
                if (op < 0xA2) {
                    out.append(acc).append(", ");
                }
                out.append(Regs.ptr(sz));
                segment(in, out);
                out.append('[');
                unsigned(out, Rde.asz(rde) == Rde.ASZ_32 ? in.disp & 0xFFFFFFFFL : in.disp);
                out.append(']');
                if (op >= 0xA2) {
                    out.append(", ").append(acc);
                }
            }
            case GvM -> {
                out.append(Regs.gpr(osz, Rde.reg(rde), Rde.hasRex(rde))).append(", ");
                mem(in, out, m == LEA ? 0 : map == Rde.MAP_0F && op >= 0xB2 && op <= 0xB5 ? 3 : osz);
            }
            case MG -> {
                mem(in, out, osz);
                out.append(", ").append(Regs.gpr(osz, Rde.reg(rde), Rde.hasRex(rde)));
            }
            case M -> mem(in, out, MemSizes.of(in));
            case BndM, Bnd, BndBnd -> bnd(in, out, f, m);
            case R -> {
                if (!Entry.exact(e) && ID_ENDBR != m) {
                    out.append(Regs.gpr(osz, Rde.rm(rde), Rde.hasRex(rde)));
                }
            }
            case RIb -> {
                if (m == ID_XABORT) {
                    signed(out, in.imm);
                } else {
                    SseOperands.intel(in, out);
                }
            }
            case VW, WV, VWIb, VM, MV, VU, VUIb, VMIb, GU, GUIb, RIbIb -> SseOperands.intel(in, out);
            case EvSw -> {
                rm(in, out, Rde.isMemory(rde) ? 2 : osz);
                out.append(", ").append(Regs.SREG[(Rde.modrm(rde) >>> 3) & 7]);
            }
            case SwEw -> {
                out.append(Regs.SREG[(Rde.modrm(rde) >>> 3) & 7]).append(", ");
                rm(in, out, Rde.isMemory(rde) ? 2 : osz);
            }
            case RdCd -> {
                String[] c = (op & 1) == 0 ? Regs.CR : Regs.DR;
                if (op < 0x22) {
                    out.append(Regs.R64[Rde.rm(rde)]).append(", ").append(c[Rde.reg(rde)]);
                } else {
                    out.append(c[Rde.reg(rde)]).append(", ").append(Regs.R64[Rde.rm(rde)]);
                }
            }
            case X87M -> mem(in, out, MemSizes.x87(in));
            case X87R -> X87Operands.intel(in, out);
            default -> { }
        }
    }

    /**
     * Capstone (LLVM's decoder) keeps an immediate as wide as its operand zero-extended (Iz of a
     * 16- or 32-bit operand, Ib of a byte operand) and sign-extends only a narrower one (Ib of
     * Ev, Iz of a 64-bit operand); the printer then prints it signed.
     */
    private static long natural(Insn in, Form f, int sz) {
        int immBytes = Rde.immSize(in.rde);
        if (immBytes == sz && sz < 8) {
            return in.imm & ((1L << (8 * sz)) - 1);
        }
        return in.imm;
    }

    /** MPX (SDM 17.3): BNDLDX/BNDMK bnd, mib; BNDSTX mib, bnd; BNDCL/CU/CN bnd, r/m64; BNDMOV bnd, bnd/m128. */
    private static void bnd(Insn in, StringBuilder out, Form f, int m) {
        long rde = in.rde;
        String b = Regs.BND[Rde.reg(rde) & 3];
        boolean store = Rde.opcode(rde) == 0x1B && (m == BNDSTX || m == BNDMOV);
        if (store) {
            if (f == Form.BndBnd && !Rde.isMemory(rde)) {
                out.append(Regs.BND[Rde.rm(rde) & 3]);
            } else {
                mem(in, out, f == Form.BndBnd ? 16 : 0);
            }
            out.append(", ").append(b);
            return;
        }
        out.append(b).append(", ");
        if (!Rde.isMemory(rde)) {
            out.append(f == Form.BndBnd ? Regs.BND[Rde.rm(rde) & 3] : Regs.R64[Rde.rm(rde)]);
        } else {
            mem(in, out, f == Form.BndBnd ? 16 : 0);
        }
    }

    /** MOV and the logic ops print the immediate unsigned at the destination's size; the rest signed. */
    private static void imm(StringBuilder out, int m, long v, int sz) {
        if (m == MOV) {
            positive(out, v, sz);
        } else if ((m == AND || m == OR || m == XOR) && (v < 0 || v > 9)) {
            positive(out, v, sz);
        } else {
            signed(out, v);
        }
    }

    private static void none(Insn in, StringBuilder out, int m, int op, int map, int osz) {
        long rde = in.rde;
        if (map == Rde.MAP_0F) {
            if (op == 0xA0 || op == 0xA1) {
                out.append("fs");
            } else if (op == 0xA8 || op == 0xA9) {
                out.append("gs");
            }
            return;
        }
        if (map != Rde.MAP_ONE) {
            return;
        }
        int sz = (op & 1) == 0 ? 1 : osz;
        switch (op) {
            case 0x90 -> {
                if (Rde.rexB(rde) != 0) {
                    out.append(Regs.gpr(osz, 8, true)).append(", ").append(Regs.gpr(osz, 0, false));
                }
            }
            case 0xA4, 0xA5 -> { // MOVS: destination ES:rDI, source rSI
                strMem(in, out, sz, 7, true);
                out.append(", ");
                strMem(in, out, sz, 6, false);
            }
            case 0xA6, 0xA7 -> {
                strMem(in, out, sz, 6, false);
                out.append(", ");
                strMem(in, out, sz, 7, true);
            }
            case 0xAA, 0xAB -> {
                strMem(in, out, sz, 7, true);
                out.append(", ").append(Regs.gpr(sz, 0, false));
            }
            case 0xAC, 0xAD -> {
                out.append(Regs.gpr(sz, 0, false)).append(", ");
                strMem(in, out, sz, 6, false);
            }
            case 0xAE, 0xAF -> {
                out.append(Regs.gpr(sz, 0, false)).append(", ");
                strMem(in, out, sz, 7, true);
            }
            case 0x6C, 0x6D -> {
                strMem(in, out, Math.min(sz, 4), 7, true);
                out.append(", dx");
            }
            case 0x6E, 0x6F -> {
                out.append("dx, ");
                strMem(in, out, Math.min(sz, 4), 6, false);
            }
            case 0xEC, 0xED -> out.append(sz == 1 ? "al" : osz == 2 ? "ax" : "eax").append(", dx");
            case 0xEE, 0xEF -> out.append("dx, ").append(sz == 1 ? "al" : osz == 2 ? "ax" : "eax");
            default -> { }
        }
    }

    /** A string instruction's memory operand: [rsi] (segment overridable) or es:[rdi] (fixed, not printed in 64-bit mode). */
    private static void strMem(Insn in, StringBuilder out, int sz, int reg, boolean es) {
        out.append(Regs.ptr(sz));
        if (!es) {
            segment(in, out);
        }
        out.append('[').append(Rde.asz(in.rde) == Rde.ASZ_32 ? Regs.R32[reg] : Regs.R64[reg]).append(']');
    }

    static int bytes(int osz) {
        return osz == Rde.OSZ_64 ? 8 : osz == Rde.OSZ_16 ? 2 : 4;
    }

    /** ModRM.rm as a general register of {@code sz} bytes or a memory operand of that size. */
    static void rm(Insn in, StringBuilder out, int sz) {
        if (Rde.isMemory(in.rde)) {
            mem(in, out, sz);
        } else {
            out.append(Regs.gpr(sz, Rde.rm(in.rde), Rde.hasRex(in.rde)));
        }
    }

    static void segment(Insn in, StringBuilder out) {
        int s = Rde.segment(in.rde);
        if (s != Rde.SEG_NONE) {
            out.append(Regs.SEG[s]).append(':');
        }
    }

    /** The ModRM/SIB memory operand with Intel's size keyword ({@code sz} 0: none). SDM 2.1.5, Tables 2-2 and 2-3. */
    static void mem(Insn in, StringBuilder out, int sz) {
        long rde = in.rde;
        out.append(Regs.ptr(sz));
        segment(in, out);
        out.append('[');
        String[] regs = Rde.asz(rde) == Rde.ASZ_32 ? Regs.R32 : Regs.R64;
        boolean any = false;
        long disp = in.disp;
        if (Rde.ripRelative(rde)) {
            out.append(Rde.asz(rde) == Rde.ASZ_32 ? "eip" : "rip");
            any = true;
        } else if (Rde.hasSib(rde)) {
            boolean noBase = (Rde.sib(rde) & 7) == 5 && Rde.mod(rde) == 0;
            if (!noBase) {
                out.append(regs[Rde.base(rde)]);
                any = true;
            }
            int index = Rde.index(rde);
            // LLVM (and so Capstone) names an unneeded SIB's empty index RIZ/EIZ: a scale, or a base
            // that does not require a SIB (anything but rsp/r12).
            boolean riz = index == 4 && (Rde.scale(rde) != 0 && Rde.asz(rde) == Rde.ASZ_64 || (!noBase && (Rde.base(rde) & 7) != 4));
            if (index != 4 || riz) {
                if (any) {
                    out.append(" + ");
                }
                out.append(riz ? (Rde.asz(rde) == Rde.ASZ_32 ? "eiz" : "riz") : regs[index]);
                int scale = Rde.scale(rde);
                if (scale != 0) {
                    out.append('*').append(1 << scale);
                }
                any = true;
            }
        } else {
            out.append(regs[Rde.rm(rde)]);
            any = true;
        }
        if (Rde.encoding(rde) == Rde.ENC_EVEX && Rde.dispSize(rde) == 1) {
            disp *= VectorOperands.disp8Scale(in);
        }
        if (any) {
            if (disp != 0) {
                out.append(disp < 0 ? " - " : " + ");
                unsigned(out, disp < 0 ? -disp : disp);
            }
        } else {
            positive(out, disp, Rde.asz(rde) == Rde.ASZ_32 ? 4 : 8);
        }
        out.append(']');
    }
}
