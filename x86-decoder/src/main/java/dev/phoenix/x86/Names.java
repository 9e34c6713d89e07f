package dev.phoenix.x86;

/**
 * The mnemonic Capstone 5 prints: the prefixes it names (lock, rep, repne, bnd, notrack), then
 * the table's family name sized by the operand size or REX.W (SDM Vol. 2, the "Instruction"
 * column: STOS m64 is STOSQ, CBW/CWDE/CDQE share 98, CMPXCHG8B/16B share 0F C7 /1).
 */
final class Names {
    private Names() {
    }

    private static final int STOS = id("stos"), MOVS = id("movs"), LODS = id("lods"), SCAS = id("scas"),
            CMPS = id("cmps"), INS = id("ins"), OUTS = id("outs"), CMPSB = id("cmpsb"), SCASB = id("scasb"),
            MOVSB = id("movsb"), STOSB = id("stosb"), LODSB = id("lodsb"), INSB = id("insb"), OUTSB = id("outsb"),
            CWDE = id("cwde"), CDQ = id("cdq"), IRET = id("iret"), PUSHF = id("pushf"), POPF = id("popf"),
            ENDBR = id("endbr"), CMPXCHG8B = id("cmpxchg8b"), MOVD = id("movd"), VMOVD = id("vmovd"),
            MOV = id("mov"), JRCXZ = id("jrcxz"), NOP = id("nop"), RET = id("ret"), CALL = id("call"), JMP = id("jmp"), RETF = id("retf"), XCHG = id("xchg"), SYSEXIT = id("sysexit"), WBINVD = id("wbinvd"), SYSRET = id("sysret"), LCALL = id("lcall"), LJMP = id("ljmp"),
            PEXTRD = id("pextrd"), PINSRD = id("pinsrd"), VPEXTRD = id("vpextrd"), VPINSRD = id("vpinsrd"),
            INCSSPD = id("incsspd"), RDSSPD = id("rdsspd"), WRSSD = id("wrssd"), WRUSSD = id("wrussd"),
            CMPPS = id("cmpps"), CMPPD = id("cmppd"), CMPSS = id("cmpss"), CMPSD = id("cmpsd"),
            VZEROUPPER = id("vzeroupper"), FUCOMIP = id("fucomip"), FCOMIP = id("fcomip"), KUNPCKWD = id("kunpckwd"), MOVLPS = id("movlps"), MOVHPS = id("movhps"),
            VPCMPB = id("vpcmpb"), VPCMPUB = id("vpcmpub"), VPCMPD = id("vpcmpd"), VPCMPUD = id("vpcmpud"),
            VPCMPW = id("vpcmpw"), VPCMPUW = id("vpcmpuw"), VPCMPQ = id("vpcmpq"), VPCMPUQ = id("vpcmpuq");

    /**
     * The W1 name of an EVEX family whose entry has no W rule (SDM: VMOVDQU32/64, VPXORD/Q,
     * VPCMPB/W share an opcode; W picks the element size), and of the VEX opmask families
     * (KMOVW/Q, KORTESTB/D). Null where W does not rename.
     */
    private static final String[] W1 = new String[2048];

    static {
        Tables.init();
        for (int i = 1; i < W1.length && Mnemonic.name(i) != null; i++) {
            String n = Mnemonic.name(i);
            if (n.startsWith("k")) {
                W1[i] = n.endsWith("w") ? n.substring(0, n.length() - 1) + "q"
                        : n.endsWith("b") ? n.substring(0, n.length() - 1) + "d" : null;
            } else if (n.startsWith("v")) {
                W1[i] = n.endsWith("32") ? n.substring(0, n.length() - 2) + "64"
                        : n.endsWith("d") ? n.substring(0, n.length() - 1) + "q"
                        : n.endsWith("b") ? n.substring(0, n.length() - 1) + "w" : null;
            }
        }
        W1[KUNPCKWD] = "kunpckdq";
        W1[Mnemonic.id("kmovd")] = "kmovq";
    }

    /** The VEX FMA families (SDM 5: VFMADD132PS/PD, VFMADD132SS/SD): 1 packed, 2 scalar; W picks s or d. */
    static final byte[] FMA = new byte[Mnemonic.LIMIT];

    static {
        for (int i = 1; i < FMA.length && Mnemonic.name(i) != null; i++) {
            String n = Mnemonic.name(i);
            if (n.startsWith("vf") && n.length() > 4 && Character.isDigit(n.charAt(n.length() - 2))) {
                FMA[i] = (byte) (n.endsWith("p") ? 1 : n.endsWith("s") ? 2 : 0);
            }
        }
    }

    private static final String[] VPCC = {"eq", "lt", "le", null, "neq", "nlt", "nle", null};

    static int id(String name) {
        return Mnemonic.id(name);
    }

    private static final String[] CC = {"eq", "lt", "le", "unord", "neq", "nlt", "nle", "ord"};

    static void mnemonic(Insn in, StringBuilder out) {
        long rde = in.rde;
        int m = Entry.mnemonic(in.entry);
        int map = Rde.map(rde), op = Rde.opcode(rde), osz = Rde.osz(rde);
        boolean string = m == STOS || m == MOVS || m == LODS || m == SCAS || m == CMPS || m == INS || m == OUTS
                || m == CMPSB || m == SCASB || m == MOVSB || m == STOSB || m == LODSB || m == INSB || m == OUTSB;
        if (Rde.rep(rde) != 0 && Rde.encoding(rde) == Rde.ENC_LEGACY && !string
                && (Rde.lock(rde) || m == XCHG && Rde.isMemory(rde) && map == Rde.MAP_ONE)) {
            out.append(Rde.rep(rde) == 2 ? "xacquire " : "xrelease "); // SDM 16.3.3: HLE hints
        }
        if (Rde.lock(rde)) {
            out.append("lock ");
        }
        int rep = Rde.rep(rde);
        boolean legacy = Rde.encoding(rde) == Rde.ENC_LEGACY;
        boolean compare = m == CMPS || m == SCAS || m == CMPSB || m == SCASB;
        if (rep != 0 && legacy) {
            if (string && !(rep == 2 && m == MOVS && osz == Rde.OSZ_32)) { // Capstone drops F2 before MOVSD (the SSE name)
                out.append(m == CMPS || m == SCAS || m == CMPSB || m == SCASB
                        ? (rep == 3 ? "repe " : "repne ") : (rep == 3 ? "rep " : "repne "));
            } else if (rep == 2 && legacy && !Entry.mandatoryPrefix(in.entry) && (m == RET || m == RETF || m == CALL || m == JMP || m == LCALL || m == LJMP
                    || Entry.form(in.entry) == Form.Jz || Entry.form(in.entry) == Form.Jb && (map != Rde.MAP_ONE || op < 0xE0 || op > 0xE2))) {
                out.append("bnd "); // not LOOP/LOOPE/LOOPNE
            }
        }
        if (legacy && Rde.segment(rde) == Rde.SEG_DS && (m == CALL || m == JMP) && map == Rde.MAP_ONE && op == 0xFF) {
            out.append("notrack ");
        }
        String name = Entry.name(in.entry);
        int enc = Rde.encoding(rde);
        if (Rde.rexW(rde) && Entry.wRule(in.entry) == 0 && W1[m] != null
                && (enc == Rde.ENC_EVEX || enc == Rde.ENC_VEX && name.charAt(0) == 'k')) {
            name = W1[m];
        }
        boolean vpcmp = m == VPCMPB || m == VPCMPUB || m == VPCMPD || m == VPCMPUD || m == VPCMPW || m == VPCMPUW
                || m == VPCMPQ || m == VPCMPUQ;
        char size = osz == Rde.OSZ_64 ? 'q' : osz == Rde.OSZ_16 ? 'w' : 'd';
        if (m == STOS || m == MOVS || m == LODS || m == SCAS || m == CMPS || m == INS || m == OUTS) {
            out.append(name).append((m == INS || m == OUTS) && size == 'q' ? 'd' : size); // port I/O stops at 32 bits
        } else if (m == CWDE) {
            out.append(osz == Rde.OSZ_64 ? "cdqe" : osz == Rde.OSZ_16 ? "cbw" : "cwde");
        } else if (m == CDQ) {
            out.append(osz == Rde.OSZ_64 ? "cqo" : osz == Rde.OSZ_16 ? "cwd" : "cdq");
        } else if (m == IRET) {
            out.append(osz == Rde.OSZ_64 ? "iretq" : osz == Rde.OSZ_16 ? "iret" : "iretd");
        } else if (m == PUSHF || m == POPF) {
            out.append(name).append(osz == Rde.OSZ_16 ? "" : "q");
        } else if (m == ENDBR) {
            out.append((Rde.modrm(rde) & 7) == 2 ? "endbr64" : "endbr32");
        } else if (m == CMPXCHG8B) {
            out.append(Rde.rexW(rde) ? "cmpxchg16b" : "cmpxchg8b");
        } else if ((m == MOVD || m == VMOVD) && Rde.rexW(rde)) {
            out.append(m == MOVD ? "movq" : "vmovq");
        } else if ((m == PEXTRD || m == PINSRD || m == VPEXTRD || m == VPINSRD) && Rde.rexW(rde)) {
            out.append(name, 0, name.length() - 1).append('q');
        } else if ((m == INCSSPD || m == RDSSPD || m == WRSSD || m == WRUSSD) && Rde.rexW(rde)) {
            out.append(name, 0, name.length() - 1).append('q');
        } else if (m == MOV && map == Rde.MAP_ONE && (Rde.immSize(rde) == 8
                || (op >= 0xA0 && op <= 0xA3 && Rde.asz(rde) == Rde.ASZ_64))) {
            out.append("movabs");
        } else if (m == JRCXZ) {
            out.append(Rde.asz(rde) == Rde.ASZ_32 ? "jecxz" : "jrcxz");
        } else if (m == NOP && map == Rde.MAP_ONE && op == 0x90) {
            out.append(Rde.rexB(rde) != 0 ? "xchg" : Rde.rep(rde) == 3 ? "pause" : "nop");
        } else if ((m == CMPPS || m == CMPPD || m == CMPSS || m == CMPSD) && (in.imm & 0xFF) < 8) {
            out.append("cmp").append(CC[(int) in.imm & 7]).append(name, 3, 5);
        } else if ((m == LCALL || m == LJMP) && !Rde.rexW(rde)) {
            out.append(m == LCALL ? "call" : "jmp"); // Capstone: the far forms keep the near name, "ptr" marks them
        } else if (m == WBINVD && rep == 3) {
            out.append("wbnoinvd");
        } else if ((m == SYSEXIT || m == SYSRET) && Rde.rexW(rde)) {
            out.append(name).append('q');
        } else if (m == RETF && Rde.rexW(rde)) {
            out.append("retfq");
        } else if (FMA[m] != 0 && enc == Rde.ENC_VEX) {
            out.append(name).append(Rde.rexW(rde) ? 'd' : 's');
        } else if (vpcmp && VPCC[(int) in.imm & 7] != null) {
            out.append("vpcmp").append(VPCC[(int) in.imm & 7]).append(name, 5, name.length());
        } else if (m == VZEROUPPER && Vex.l(in.vex) != 0) {
            out.append("vzeroall");
        } else if ((m == MOVLPS || m == MOVHPS) && !Rde.isMemory(rde)) {
            out.append(m == MOVLPS ? "movhlps" : "movlhps");
        } else if (m == FUCOMIP || m == FCOMIP) {
            out.append(m == FUCOMIP ? "fucompi" : "fcompi");
        } else if (rep == 3 && m == RET && legacy) {
            out.append("repz ret");
        } else {
            out.append(name);
        }
    }
}
