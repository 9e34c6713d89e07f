package dev.phoenix.x86;

/**
 * Memory operand sizes that the form alone does not give: the M forms of the groups (SDM
 * Table A-6: Mb, Mw, Mq, Mdq; the state areas of FXSAVE and XSAVE carry no size keyword in
 * Capstone) and the x87 memory forms (SDM Tables: m32fp, m64int, m80fp ...).
 */
final class MemSizes {
    private MemSizes() {
    }

    private static final byte[] BY_ID = new byte[Mnemonic.LIMIT];
    private static final int LCALL = Mnemonic.id("lcall"), LJMP = Mnemonic.id("ljmp");

    static {
        Mnemonic.mark(BY_ID, 1, "prefetchnta", "prefetcht0", "prefetcht1", "prefetcht2", "prefetch", "prefetchw", "prefetchwt1",
                "clflush", "clflushopt", "clwb", "cldemote", "invlpg");
        Mnemonic.mark(BY_ID, 2, "smsw", "lmsw");
        Mnemonic.mark(BY_ID, -2, "lcall", "ljmp");
        Mnemonic.mark(BY_ID, 4, "ldmxcsr", "stmxcsr", "vldmxcsr", "vstmxcsr");
        Mnemonic.mark(BY_ID, 8, "cmpxchg8b", "rstorssp", "clrssbsy", "vmptrld", "vmclear", "vmxon", "vmptrst");
        Mnemonic.mark(BY_ID, -1, "nop");
        Mnemonic.mark(BY_ID, -2, "xsave", "xrstor", "xsavec", "xsaveopt", "xsaves", "xrstors");
    }

    /** The size keyword's bytes for an M-form operand (0: none). */
    static int of(Insn in) {
        int m = Entry.mnemonic(in.entry);
        int s = BY_ID[m];
        if (s == -2) { // Capstone prints a bare "ptr" for the XSAVE areas and far CALL/JMP, none with REX.W
            return Rde.rexW(in.rde) && (m == LCALL || m == LJMP) ? 0 : 3;
        }
        if (s == -1) { // the hint NOPs: Capstone sizes them dword even with REX.W
            int osz = Operands.bytes(Rde.osz(in.rde));
            return osz == 8 ? 4 : osz;
        }
        if (s == 8 && Rde.rexW(in.rde) && Entry.name(in.entry).equals("cmpxchg8b")) {
            return 16;
        }
        return s;
    }

    /** x87 memory forms by escape byte and ModRM.reg: 4, 8, 2 or 10 bytes, 0 for environments and state. */
    private static final int[][] X87 = {
        {4, 4, 4, 4, 4, 4, 4, 4},          // D8 m32fp
        {4, 0, 4, 4, 0, 2, 0, 2},          // D9 fld/fst/fstp m32fp, fldenv, fldcw, fnstenv, fnstcw
        {4, 4, 4, 4, 4, 4, 4, 4},          // DA m32int
        {4, 4, 4, 4, 0, 10, 0, 10},        // DB fild/fisttp/fist/fistp m32int, fld/fstp m80fp
        {8, 8, 8, 8, 8, 8, 8, 8},          // DC m64fp
        {8, 8, 8, 8, 4, 0, 4, 2},          // DD fld/fisttp/fst/fstp m64, frstor, fnsave (Capstone: dword), fnstsw
        {2, 2, 2, 2, 2, 2, 2, 2},          // DE m16int
        {2, 2, 2, 2, 11, 8, 11, 8},        // DF m16int, fbld m80bcd (Capstone: tbyte), fild m64int, fbstp, fistp m64int
    };

    static int x87(Insn in) {
        return X87[Rde.opcode(in.rde) - 0xD8][(Rde.modrm(in.rde) >>> 3) & 7];
    }
}
