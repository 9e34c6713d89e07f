package dev.phoenix.x86;

/**
 * Legacy-encoded MMX and SSE operands (SDM Vol. 2, A.2: V/W xmm, P/Q/N mmx, the size letters
 * ss, sd, q, dq). With no mandatory prefix the integer opcodes of 0F 60-7F, D0-FF and 0F 38
 * 00-1E name MMX registers (SDM 10.1: the 66 form is the SSE2 twin).
 */
final class SseOperands {
    private static final int ID_CVTSI2SD = Names.id("cvtsi2sd"), ID_CVTSI2SS = Names.id("cvtsi2ss"), ID_MOVD = Names.id("movd"), ID_PINSRB = Names.id("pinsrb"), ID_PINSRD = Names.id("pinsrd"), ID_PINSRW = Names.id("pinsrw");

    private SseOperands() {
    }

    /** Bytes of the memory form when it is not the whole xmm register (a scalar or half). */
    private static final byte[] MEM = new byte[Mnemonic.LIMIT];
    /** GPR sources or destinations: 1 the destination is a GPR (cvt*2si), 2 the source (cvtsi2*), 3 either by direction (movd). */
    private static final byte[] GPR = new byte[Mnemonic.LIMIT];

    static {
        Mnemonic.mark(MEM, 4, "movss", "addss", "subss", "mulss", "divss", "minss", "maxss", "sqrtss", "rcpss", "rsqrtss",
                "comiss", "ucomiss", "cvtss2sd", "cmpss", "roundss", "insertps", "movntss", "cvtss2si", "cvttss2si",
                "extractps", "pextrd", "pinsrd", "pmovsxwq", "pmovzxwq", "pmovsxbd", "pmovzxbd");
        Mnemonic.mark(MEM, 8, "movsd", "addsd", "subsd", "mulsd", "divsd", "minsd", "maxsd", "sqrtsd", "ucomisd",
                "cvtsd2ss", "cmpsd", "roundsd", "movntsd", "cvtsd2si", "cvttsd2si", "movlps", "movhps", "movlpd",
                "movhpd", "movddup", "cvtps2pd", "cvtdq2pd", "pmovsxbw", "pmovzxbw", "pmovsxwd", "pmovzxwd",
                "pmovsxdq", "pmovzxdq", "movq", "cvtpi2ps", "cvtpi2pd", "cvtps2pi", "cvttps2pi");
        Mnemonic.mark(MEM, 2, "pmovsxbq", "pmovzxbq", "pinsrw", "pextrw");
        Mnemonic.mark(MEM, 1, "pinsrb", "pextrb");
        Mnemonic.mark(GPR, 1, "cvtss2si", "cvttss2si", "cvtsd2si", "cvttsd2si", "movmskps", "movmskpd", "pmovmskb");
        Mnemonic.mark(GPR, 2, "cvtsi2ss", "cvtsi2sd");
        Mnemonic.mark(GPR, 3, "movd", "pextrb", "pextrw", "pextrd", "extractps", "pinsrb", "pinsrw", "pinsrd");
    }

    private static final int CVTPI2PS = Names.id("cvtpi2ps"), CVTPI2PD = Names.id("cvtpi2pd"),
            CVTPS2PI = Names.id("cvtps2pi"), CVTTPS2PI = Names.id("cvttps2pi"), CVTPD2PI = Names.id("cvtpd2pi"),
            CVTTPD2PI = Names.id("cvttpd2pi"), MOVQ2DQ = Names.id("movq2dq"), MOVDQ2Q = Names.id("movdq2q"),
            MOVQ = Names.id("movq");

    /** True when the instruction's vector registers are MMX registers. */
    private static boolean mmx(Insn in) {
        long rde = in.rde;
        int op = Rde.opcode(rde);
        if (Rde.map(rde) == Rde.MAP_3DNOW) {
            return true;
        }
        if (Rde.pp(rde) != Rde.PP_NONE) {
            return false;
        }
        return switch (Rde.map(rde)) {
            case Rde.MAP_0F -> (op >= 0x60 && op <= 0x7F) || op >= 0xD0 || op == 0xC4 || op == 0xC5;
            case Rde.MAP_0F38 -> op <= 0x1E;
            case Rde.MAP_0F3A -> op == 0x0F;
            default -> false;
        };
    }

    static void intel(Insn in, StringBuilder out) {
        long rde = in.rde;
        int m = Entry.mnemonic(in.entry);
        Form f = Entry.form(in.entry);
        boolean mm = mmx(in);
        int op0 = Rde.opcode(rde);
        // MMX PUNPCKLBW/WD/DQ read only the low half: m32 (SDM: PUNPCKLBW mm, mm/m32).
        int memSize = MEM[m] != 0 ? MEM[m] : mm ? (Rde.map(rde) == Rde.MAP_0F && op0 >= 0x60 && op0 <= 0x62 ? 4 : 8) : 16;
        String[] vregs = mm ? Regs.MM : Regs.XMM;
        int reg = mm ? Rde.reg(rde) & 7 : Rde.reg(rde);
        int rmReg = mm ? Rde.rm(rde) & 7 : Rde.rm(rde);
        int gpr = GPR[m];
        boolean w = Rde.rexW(rde);
        String v = vregs[reg];
        int op = Rde.opcode(rde);
        // Conversions between an MMX and an XMM register (SDM: CVTPI2PS V, Q; CVTPS2PI P, W).
        String[] rmRegs = vregs;
        int rmN = rmReg;
        if (m == CVTPI2PS || m == CVTPI2PD || m == MOVQ2DQ) {
            rmRegs = Regs.MM;
            rmN = rmReg & 7;
        } else if (m == CVTPS2PI || m == CVTTPS2PI || m == CVTPD2PI || m == CVTTPD2PI || m == MOVDQ2Q) {
            v = Regs.MM[reg & 7];
            if (m == CVTPD2PI || m == CVTTPD2PI) {
                memSize = 16;
            }
        }
        if (Rde.map(rde) == Rde.MAP_0F3A && op >= 0x14 && op <= 0x17) { // PEXTRB/W/D/Q, EXTRACTPS Ey, V, Ib
            if (Rde.isMemory(rde)) {
                Operands.mem(in, out, op == 0x16 && w ? 8 : memSize);
            } else {
                out.append(Regs.gpr(op == 0x16 && w ? 8 : 4, Rde.rm(rde), true));
            }
            out.append(", ").append(v).append(", ");
            IntelPrinter.unsigned(out, in.imm & 0xFF);
            return;
        }
        if (Rde.map(rde) == Rde.MAP_0F && op == 0x7E && Rde.pp(rde) != Rde.PP_F3) {
            f = Form.WV;
        }
        switch (f) {
            case VW, VWIb, VM, VMIb, VU, VUIb -> {
                if (gpr == 1) {
                    out.append(Regs.gpr(w ? 8 : 4, Rde.reg(rde), true));
                } else {
                    out.append(v);
                }
                out.append(", ");
                if (gpr >= 2 && op != 0x15 && op != 0x14 && op != 0x16 && op != 0x17) {
                    int sz = (m == ID_PINSRB || m == ID_PINSRW) ? 4 : w ? 8 : 4;
                    int msz = MEM[m] != 0 && m != ID_MOVD && m != ID_PINSRD && m != ID_CVTSI2SS
                            && m != ID_CVTSI2SD ? MEM[m] : w ? 8 : 4;
                    if (Rde.isMemory(rde)) {
                        Operands.mem(in, out, msz);
                    } else {
                        out.append(Regs.gpr(sz, Rde.rm(rde), true));
                    }
                } else if (Rde.isMemory(rde)) {
                    if (m == MOVQ && Rde.map(rde) == Rde.MAP_0F && op == 0x7E && Rde.pp(rde) != Rde.PP_F3) {
                        Operands.mem(in, out, 8);
                    } else {
                        Operands.mem(in, out, memSize);
                    }
                } else {
                    out.append(rmRegs[rmN]);
                }
                boolean cmpAlias = Rde.map(rde) == Rde.MAP_0F && op == 0xC2 && (in.imm & 0xFF) < 8;
                if ((f == Form.VWIb || f == Form.VMIb || f == Form.VUIb) && !cmpAlias) {
                    out.append(", ");
                    IntelPrinter.unsigned(out, in.imm & 0xFF);
                }
            }
            case WV -> {
                if (gpr == 3) { // movd/movq Ey, V (7E)
                    if (Rde.isMemory(rde)) {
                        Operands.mem(in, out, w ? 8 : 4);
                    } else {
                        out.append(Regs.gpr(w ? 8 : 4, Rde.rm(rde), true));
                    }
                } else if (Rde.isMemory(rde)) {
                    Operands.mem(in, out, memSize);
                } else {
                    out.append(rmRegs[rmN]);
                }
                out.append(", ").append(v);
            }
            case MV -> {
                Operands.mem(in, out, memSize);
                out.append(", ").append(v);
            }
            case GU, GUIb -> {
                out.append(Regs.gpr(w && f == Form.GU ? 8 : 4, Rde.reg(rde), true)).append(", ").append(rmRegs[rmN]);
                if (f == Form.GUIb) {
                    out.append(", ");
                    IntelPrinter.unsigned(out, in.imm & 0xFF);
                }
            }
            case RIb -> {
                out.append(rmRegs[rmN]).append(", ");
                IntelPrinter.unsigned(out, in.imm & 0xFF);
            }
            case RIbIb -> {
                out.append(rmRegs[rmN]).append(", ");
                IntelPrinter.unsigned(out, in.imm & 0xFF);
                out.append(", ");
                IntelPrinter.unsigned(out, in.imm2);
            }
            default -> { }
        }
    }
}
