package dev.phoenix.x86;

/**
 * VEX, EVEX and XOP operands (SDM Vol. 2, 2.3 and 2.7): V is ModRM.reg, H is VEX.vvvv, W is
 * ModRM.rm or memory; the vector length L picks xmm, ymm or zmm; EVEX adds {k}{z} after the
 * destination and {1toN} after a broadcast memory operand.
 */
final class VectorOperands {
    private static final int ID_ANDN = Names.id("andn"), ID_BLSI = Names.id("blsi"), ID_BLSMSK = Names.id("blsmsk"), ID_BLSR = Names.id("blsr"), ID_MULX = Names.id("mulx"), ID_PDEP = Names.id("pdep"), ID_PEXT = Names.id("pext");

    private VectorOperands() {
    }

    /** Bytes of the memory form when it is not the whole vector (scalars, broadcasts, halves). */
    private static final byte[] MEM = new byte[Mnemonic.LIMIT];
    /** VEX instructions on general registers (BMI1/2): their operand sizes come from W, not L. */
    private static final boolean[] GPR = new boolean[Mnemonic.LIMIT];

    static {
        Mnemonic.mark(MEM, 1, "vpbroadcastb", "vpinsrb", "vpextrb");
        Mnemonic.mark(MEM, 2, "vpbroadcastw", "vpinsrw", "vpextrw");
        Mnemonic.mark(MEM, 4, "vpbroadcastd", "vbroadcastss", "vmovss", "vaddss", "vsubss", "vmulss", "vdivss", "vminss",
                "vmaxss", "vsqrtss", "vcomiss", "vucomiss", "vcvtss2sd", "vcmpss", "vroundss", "vinsertps", "vmovd",
                "vpinsrd", "vpextrd", "vextractps", "vcvtss2si", "vcvttss2si", "vrcpss", "vrsqrtss");
        Mnemonic.mark(MEM, 8, "vpbroadcastq", "vbroadcastsd", "vmovsd", "vaddsd", "vsubsd", "vmulsd", "vdivsd", "vminsd", "vmaxsd",
                "vsqrtsd", "vcomisd", "vucomisd", "vcvtsd2ss", "vcmpsd", "vroundsd", "vmovq", "vpinsrq", "vpextrq",
                "vcvtsd2si", "vcvttsd2si", "vmovlps", "vmovhps", "vmovlpd", "vmovhpd", "vmovddup");
        Mnemonic.mark(GPR, "andn", "bzhi", "shlx", "shrx", "sarx", "pdep", "pext", "mulx", "rorx", "blsr", "blsmsk",
                "blsi", "bextr");
    }

    /** Whether mnemonic {@code m} is a VEX instruction on general registers (BMI1/2). */
    static boolean generalRegisters(int m) {
        return GPR[m];
    }

    private static final boolean[] TO_GPR = new boolean[Mnemonic.LIMIT], FROM_GPR = new boolean[Mnemonic.LIMIT],
            SCALAR = new boolean[Mnemonic.LIMIT], COUNT = new boolean[Mnemonic.LIMIT];

    static {
        Mnemonic.mark(COUNT, "vpsllw", "vpslld", "vpsllq", "vpsrlw", "vpsrld", "vpsrlq", "vpsraw", "vpsrad", "vpsraq");
        Tables.init();
        for (int i = 1; i < SCALAR.length && Mnemonic.name(i) != null; i++) {
            String n = Mnemonic.name(i);
            SCALAR[i] = n.startsWith("v") && !n.startsWith("vp") && !n.startsWith("vbroadcast") && (n.endsWith("ss") || n.endsWith("sd"));
        }
        Mnemonic.mark(TO_GPR, "vcvtss2si", "vcvttss2si", "vcvtsd2si", "vcvttsd2si", "vcvtss2usi", "vcvttss2usi",
                "vcvtsd2usi", "vcvttsd2usi");
        Mnemonic.mark(FROM_GPR, "vcvtsi2ss", "vcvtsi2sd", "vcvtusi2ss", "vcvtusi2sd");
        Mnemonic.mark(MEM, 4, "vcvtss2usi", "vcvttss2usi");
        Mnemonic.mark(MEM, 8, "vcvtsd2usi", "vcvttsd2usi");
    }

    /** EVEX disp8*N (SDM 2.7.5): the memory operand's size, or the element's with a broadcast. */
    static int disp8Scale(Insn in) {
        int m = Entry.mnemonic(in.entry);
        if (Vex.b(in.vex)) {
            return Rde.rexW(in.rde) ? 8 : 4;
        }
        return MEM[m] != 0 ? MEM[m] : 16 << Vex.l(in.vex);
    }

    static void intel(Insn in, long address, StringBuilder out) {
        long rde = in.rde;
        long vex = in.vex;
        int m = Entry.mnemonic(in.entry);
        Form f = Entry.form(in.entry);
        boolean evex = Rde.encoding(rde) == Rde.ENC_EVEX;
        int vl = 16 << Vex.l(vex);
        int reg = Rde.reg(rde) | (evex ? Vex.rPrime(vex) << 4 : 0);
        int rm = Rde.rm(rde) | (evex ? Vex.xPrime(vex) << 4 : 0);
        int vvvv = Vex.vvvv(vex);
        boolean w = Rde.rexW(rde);
        if (Names.FMA[m] == 2 && Rde.encoding(rde) == Rde.ENC_VEX || SCALAR[m]) {
            vl = 16; // scalar: VEX.L and EVEX.L'L are ignored (SDM 2.3.6.2, LIG)
        }
        int memSize = MEM[m] != 0 ? MEM[m] : Names.FMA[m] == 2 && Rde.encoding(rde) == Rde.ENC_VEX ? (w ? 8 : 4) : vl;
        boolean gpr = GPR[m];
        int gsz = w ? 8 : 4;
        if (Rde.map(rde) == Rde.MAP_0F && Rde.pp(rde) == Rde.PP_66 && (Rde.opcode(rde) == 0x6E || Rde.opcode(rde) == 0x7E)) {
            f = Rde.opcode(rde) == 0x6E ? Form.VE : Form.EV; // VMOVD/VMOVQ V, Ey and Ey, V
        }
        if (TO_GPR[m] && (f == Form.VW || f == Form.GW)) { // VCVTSS2SI and kin: Gy, Wss/Wsd
            out.append(Regs.gpr(gsz, Rde.reg(rde), true)).append(", ");
            if (Rde.isMemory(rde)) {
                Operands.mem(in, out, memSize);
            } else {
                out.append(Regs.XMM[rm]);
            }
            return;
        }
        if (FROM_GPR[m] && f == Form.HE) { // VCVTSI2SS/SD V, H, Ey
            out.append(Regs.XMM[reg]).append(", ").append(Regs.XMM[vvvv]).append(", ");
            rmGpr(in, out, gsz);
            return;
        }
        if (COUNT[m] && f == Form.VHW) { // VPSLLQ and kin by a count in xmm/m128, whatever L (SDM: VPSLLQ ymm1, ymm2, xmm3/m128)
            memSize = 16;
        }
        switch (f) {
            case NONE -> { }
            case VHWreg, WHVreg -> { // VMOVSS/VMOVSD: three registers, or two operands with memory
                boolean load = f == Form.VHWreg;
                if (Rde.isMemory(rde)) {
                    if (load) {
                        out.append(Regs.XMM[reg]);
                        mask(in, out);
                        out.append(", ");
                        Operands.mem(in, out, memSize);
                    } else {
                        Operands.mem(in, out, memSize);
                        mask(in, out);
                        out.append(", ").append(Regs.XMM[reg]);
                    }
                } else {
                    out.append(Regs.XMM[load ? reg : rm]);
                    mask(in, out);
                    out.append(", ").append(Regs.XMM[vvvv]).append(", ").append(Regs.XMM[load ? rm : reg]);
                }
            }
            case VW, VWIb, VHW, VHWIb, VM, VHM, VU, VUIb, VMIb -> {
                if (gpr) {
                    out.append(Regs.gpr(gsz, Rde.reg(rde), true)).append(", ");
                    if (f == Form.VHW || f == Form.VHWIb) {
                        out.append(Regs.gpr(gsz, vvvv & 15, true)).append(", ");
                    }
                    rmGpr(in, out, gsz);
                } else {
                    out.append(Regs.vec(vl, reg));
                    mask(in, out);
                    out.append(", ");
                    if (f == Form.VHW || f == Form.VHWIb || f == Form.VHM) {
                        out.append(Regs.vec(vl, vvvv)).append(", ");
                    }
                    if (Rde.isMemory(rde)) {
                        vmem(in, out, memSize);
                    } else {
                        out.append(Regs.vec(MEM[m] != 0 && MEM[m] < 16 || COUNT[m] && f == Form.VHW ? 16 : vl, rm));
                    }
                }
                if (f == Form.VWIb || f == Form.VHWIb || f == Form.VUIb || f == Form.VMIb) {
                    out.append(", ");
                    IntelPrinter.unsigned(out, in.imm & 0xFF);
                }
            }
            case WV, MV -> {
                if (Rde.isMemory(rde)) {
                    vmem(in, out, memSize);
                } else {
                    out.append(Regs.vec(vl, rm));
                }
                mask(in, out);
                out.append(", ").append(Regs.vec(vl, reg));
            }
            case HE, HEIb -> {
                if (ID_BLSR == m || ID_BLSMSK == m || ID_BLSI == m) {
                    out.append(Regs.gpr(gsz, vvvv & 15, true)).append(", ");
                    rmGpr(in, out, gsz);
                } else if (ID_ANDN == m || ID_PDEP == m || ID_PEXT == m || ID_MULX == m) {
                    out.append(Regs.gpr(gsz, Rde.reg(rde), true)).append(", ").append(Regs.gpr(gsz, vvvv & 15, true)).append(", ");
                    rmGpr(in, out, gsz);
                } else {
                    out.append(Regs.gpr(gsz, Rde.reg(rde), true)).append(", ");
                    rmGpr(in, out, gsz);
                    out.append(", ").append(Regs.gpr(gsz, vvvv & 15, true));
                }
            }
            case KK, KHK, KE, MK, KR, RK, KKIb -> {
                int ksz = kSize(in);
                switch (f) {
                    case MK -> Operands.mem(in, out, ksz);
                    case RK -> out.append(Regs.gpr(w && ksz == 8 ? 8 : 4, Rde.reg(rde), true));
                    default -> out.append(Regs.K[Rde.reg(rde) & 7]);
                }
                out.append(", ");
                if (f == Form.KHK) {
                    out.append(Regs.K[vvvv & 7]).append(", ");
                }
                if (f == Form.MK) {
                    out.append(Regs.K[Rde.reg(rde) & 7]);
                } else if (f == Form.KR) {
                    out.append(Regs.gpr(w && ksz == 8 ? 8 : 4, Rde.rm(rde), true));
                } else if (Rde.isMemory(rde)) {
                    Operands.mem(in, out, ksz);
                } else {
                    out.append(Regs.K[Rde.rm(rde) & 7]);
                }
                if (f == Form.KKIb) {
                    out.append(", ");
                    IntelPrinter.unsigned(out, in.imm & 0xFF);
                }
            }
            case KHW, KHWIb, KWIb -> {
                out.append(Regs.K[Rde.reg(rde) & 7]);
                mask(in, out);
                out.append(", ");
                if (f != Form.KWIb) {
                    out.append(Regs.vec(vl, vvvv)).append(", ");
                }
                if (Rde.isMemory(rde)) {
                    vmem(in, out, memSize);
                } else {
                    out.append(Regs.vec(MEM[m] != 0 && MEM[m] < 16 ? 16 : vl, rm));
                }
                if (f != Form.KHW && !isVpcmpAlias(in)) {
                    out.append(", ");
                    IntelPrinter.unsigned(out, in.imm & 0xFF);
                }
            }
            case KU -> out.append(Regs.K[Rde.reg(rde) & 7]).append(", ").append(Regs.vec(vl, rm));
            case VK -> out.append(Regs.vec(vl, reg)).append(", ").append(Regs.K[Rde.rm(rde) & 7]);
            case VR -> {
                out.append(Regs.vec(vl, reg));
                mask(in, out);
                out.append(", ").append(Regs.gpr(w ? 8 : 4, Rde.rm(rde), true));
            }
            case VE -> {
                out.append(Regs.vec(16, reg)).append(", ");
                rmGpr(in, out, w ? 8 : 4);
            }
            case EV, EVIb -> {
                rmGpr(in, out, w ? 8 : 4);
                out.append(", ").append(Regs.vec(16, reg));
                if (f == Form.EVIb) {
                    out.append(", ");
                    IntelPrinter.unsigned(out, in.imm & 0xFF);
                }
            }
            case GU -> out.append(Regs.gpr(w ? 8 : 4, Rde.reg(rde), true)).append(", ").append(Regs.vec(vl, rm));
            default -> { }
        }
    }

    private static final int VPCMPB = Names.id("vpcmpb"), VPCMPUB = Names.id("vpcmpub"), VPCMPD = Names.id("vpcmpd"),
            VPCMPUD = Names.id("vpcmpud"), VPCMPW = Names.id("vpcmpw"), VPCMPUW = Names.id("vpcmpuw"),
            VPCMPQ = Names.id("vpcmpq"), VPCMPUQ = Names.id("vpcmpuq");

    /** VPCMP with a predicate Capstone names (vpcmpltub): the immediate is in the mnemonic. */
    private static boolean isVpcmpAlias(Insn in) {
        int m = Entry.mnemonic(in.entry);
        int cc = (int) in.imm & 7;
        return (m == VPCMPB || m == VPCMPUB || m == VPCMPD || m == VPCMPUD || m == VPCMPW || m == VPCMPUW
                || m == VPCMPQ || m == VPCMPUQ) && cc != 3 && cc != 7;
    }

    /** The opmask width of a K instruction: its name's last letter (kmovw, kortestd). */
    private static int kSize(Insn in) {
        long rde = in.rde;
        boolean w = Rde.rexW(rde);
        boolean p66 = Rde.pp(rde) == Rde.PP_66;
        if (Rde.pp(rde) == Rde.PP_F2) {
            return w ? 8 : 4;
        }
        return p66 ? (w ? 4 : 1) : (w ? 8 : 2);
    }

    private static void rmGpr(Insn in, StringBuilder out, int sz) {
        if (Rde.isMemory(in.rde)) {
            Operands.mem(in, out, sz);
        } else {
            out.append(Regs.gpr(sz, Rde.rm(in.rde), true));
        }
    }

    private static void vmem(Insn in, StringBuilder out, int size) {
        boolean bcst = Rde.encoding(in.rde) == Rde.ENC_EVEX && Vex.b(in.vex);
        int elem = Rde.rexW(in.rde) ? 8 : 4;
        Operands.mem(in, out, bcst ? elem : size);
        if (bcst) {
            out.append("{1to").append((16 << Vex.l(in.vex)) / elem).append('}');
        }
    }

    /** EVEX {k1}{z} after the destination. */
    private static void mask(Insn in, StringBuilder out) {
        if (Rde.encoding(in.rde) != Rde.ENC_EVEX) {
            return;
        }
        int k = Vex.aaa(in.vex);
        if (k != 0) {
            out.append(" {k").append(k).append('}');
        }
        if (Vex.z(in.vex)) {
            out.append(" {z}");
        }
    }
}
