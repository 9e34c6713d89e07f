package dev.phoenix.x86;

/**
 * Writes a decoded instruction in AT&T syntax as Capstone 5 prints it with CS_OPT_SYNTAX_ATT
 * ({@code subq $8, %rsp}, {@code movq 0x1e0dba(%rip), %rax}): the Intel text is written first
 * and rewritten in place, operand by operand and in reverse order, then removed, so the two
 * syntaxes cannot disagree about what an operand is. No allocation per instruction. The size
 * suffix (b, w, l, q) of the integer instructions comes from the operand the Intel text sizes.
 */
public final class AttPrinter {
    private AttPrinter() {
    }

    private static final int MOVZX = Names.id("movzx"), MOVSX = Names.id("movsx"), MOVSXD = Names.id("movsxd"),
            CALL = Names.id("call"), JMP = Names.id("jmp"), RET = Names.id("ret"), RETF = Names.id("retf"),
            PUSH = Names.id("push"), POP = Names.id("pop"), CVTSI2SS = Names.id("cvtsi2ss"),
            CVTSI2SD = Names.id("cvtsi2sd"), VCVTSI2SS = Names.id("vcvtsi2ss"), VCVTSI2SD = Names.id("vcvtsi2sd"),
            BSWAP = Names.id("bswap"), XCHG = Names.id("xchg"), NOP = Names.id("nop"), MOV = Names.id("mov"), VERR = Names.id("verr"), VERW = Names.id("verw"),
            IN = Names.id("in"), OUT = Names.id("out"), SYSRET = Names.id("sysret"), SYSEXIT = Names.id("sysexit"),
            IRET = Names.id("iret"), PUSHF = Names.id("pushf"), POPF = Names.id("popf"), LCALL = Names.id("lcall"), LJMP = Names.id("ljmp"), ENTER = Names.id("enter");

    /** Intel mnemonics AT&T spells differently (SDM's CBW/CWDE/CDQE, CWD/CDQ/CQO as GNU as names them). */
    private static String rename(String intel) {
        return switch (intel) {
            case "cbw" -> "cbtw";
            case "cwde" -> "cwtl";
            case "cdqe" -> "cltq";
            case "cwd" -> "cwtd";
            case "cdq" -> "cltd";
            case "cqo" -> "cqto";
            default -> null;
        };
    }

    /**
     * Appends "mnemonic" or "mnemonic operands" in AT&T syntax; returns the index in {@code out}
     * where the mnemonic ends.
     */
    public static int print(Insn in, long address, StringBuilder out) {
        int start = out.length();
        int intelEnd = IntelPrinter.print(in, address, out);
        int intelLen = out.length() - start;
        // Operands, reversed, at the end of the builder.
        int opsStart = out.length();
        int sizeOfFirst = 0, memSize = 0;
        boolean branch = isBranchTarget(in);
        boolean indirect = isIndirect(in);
        boolean keepOrder = Entry.mnemonic(in.entry) == ENTER;
        boolean mov = Entry.mnemonic(in.entry) == MOV;
        boolean shiftByOne = Rde.encoding(in.rde) == Rde.ENC_LEGACY && Rde.map(in.rde) == Rde.MAP_ONE
                && (Rde.opcode(in.rde) == 0xD0 || Rde.opcode(in.rde) == 0xD1);
        if (intelEnd < opsStart) {
            // Walk the Intel operands from the last to the first.
            int end = opsStart;
            int count = 0;
            int ext = (Rde.modrm(in.rde) >>> 3) & 7;
            if (shiftByOne && Rde.isMemory(in.rde) && ext != 2 && ext != 3) {
                end = lastSeparator(out, intelEnd + 1, end); // D0/D1 on memory: Capstone leaves out the implicit 1
            }
            if (keepOrder) { // ENTER: Capstone's AT&T keeps the Intel order
                int sep = lastSeparator(out, intelEnd + 1, end);
                operand(out, intelEnd + 1, sep, false, false);
                out.append(", ");
                operand(out, sep + 2, end, false, false);
                end = intelEnd + 1;
            }
            while (end > intelEnd + 1) {
                int sep = lastSeparator(out, intelEnd + 1, end);
                int from = sep < 0 ? intelEnd + 1 : sep + 2;
                if (count > 0) {
                    out.append(", ");
                }
                if (indirect) {
                    out.append('*');
                }
                int sz = operand(out, from, end, branch, mov);
                if (sep < 0) {
                    sizeOfFirst = sz;
                }
                if (sz < 0) {
                    memSize = sz == NO_SIZE ? 0 : -sz;
                }
                count++;
                end = sep < 0 ? intelEnd + 1 : sep;
            }
        }
        int opsLen = out.length() - opsStart;
        // The mnemonic, then the operands moved down over the Intel text.
        int mnemonicStart = out.length();
        mnemonic(in, out, start, intelEnd, sizeOfFirst, memSize);
        int mnemonicLen = out.length() - mnemonicStart;
        // Layout now: [intel][ops][mnemonic]; want [mnemonic][ ops].
        int total = mnemonicLen + (opsLen > 0 ? 1 + opsLen : 0);
        // Move pieces with in-place copies (setCharAt): first the mnemonic, then the operands.
        int dst = start;
        for (int i = 0; i < mnemonicLen; i++) {
            out.setCharAt(dst++, out.charAt(mnemonicStart + i));
        }
        int end = dst;
        if (opsLen > 0) {
            // ops may overlap the destination only from above (opsStart >= dst + 1): forward copy is safe.
            out.setCharAt(dst++, ' ');
            for (int i = 0; i < opsLen; i++) {
                out.setCharAt(dst++, out.charAt(opsStart + i));
            }
        }
        out.setLength(start + total);
        return end;
    }

    private static boolean isBranchTarget(Insn in) {
        Form f = Entry.form(in.entry);
        return f == Form.Jb || f == Form.Jz || f == Form.RJz;
    }

    private static boolean isIndirect(Insn in) {
        int m = Entry.mnemonic(in.entry);
        return (m == CALL || m == JMP || m == LCALL || m == LJMP) && Entry.form(in.entry) != Form.Jz
                && Entry.form(in.entry) != Form.Jb;
    }

    /** The start of the last ", " operand separator in [from, to), or -1. */
    private static int lastSeparator(StringBuilder s, int from, int to) {
        for (int i = to - 2; i >= from; i--) {
            if (s.charAt(i) == ',' && s.charAt(i + 1) == ' ') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Rewrites the Intel operand in [from, to) of {@code s} at its end; returns the operand's size
     * in bytes (positive for a register, negative for a memory operand, 0 unknown or immediate).
     */
    private static int operand(StringBuilder s, int from, int to, boolean branch, boolean mov) {
        char c = s.charAt(from);
        if (Character.isDigit(c) || c == '-') {
            if (!branch) {
                s.append('$');
            }
            if (mov && bigHex(s, from, to)) {
                unsignedDecimal(s, from, to);
            } else {
                s.append(s, from, to);
            }
            return 0;
        }
        int size = 0;
        int p = from;
        int ptr = indexOf(s, " ptr ", p, to);
        if (ptr >= 0) {
            size = ptrSize(s, p, ptr);
            if (s.charAt(p) == 't') {
                s.append("tbyte ptr "); // Capstone's AT&T keeps FBLD/FBSTP's Intel keyword
            }
            p = ptr + 5;
        } else if (startsWith(s, p, to, "ptr ")) {
            p += 4;
        }
        int bracket = indexOf(s, "[", p, to);
        if (bracket >= 0) {
            if (bracket > p) { // segment "fs:"
                s.append('%').append(s, p, bracket);
            }
            int close = indexOf(s, "]", bracket, to);
            memory(s, bracket + 1, close);
            masks(s, close + 1, to); // {1to8}, {k1}
            return size == 0 ? NO_SIZE : -size;
        }
        // A register, perhaps followed by " {k1}" and " {z}".
        int sp = indexOf(s, " ", p, to);
        int regEnd = sp < 0 ? to : sp;
        s.append('%').append(s, p, regEnd);
        masks(s, regEnd, to);
        return regSize(s, p, regEnd);
    }

    /** A memory operand without a size keyword (LEA, FXSAVE's area). */
    private static final int NO_SIZE = -1000;

    /** " {k1} {z}" and "{1to8}" as they are, with AT&T's % before an opmask register. */
    private static void masks(StringBuilder s, int from, int to) {
        for (int i = from; i < to; i++) {
            char ch = s.charAt(i);
            s.append(ch);
            if (ch == '{' && s.charAt(i + 1) == 'k') {
                s.append('%');
            }
        }
    }

    /** Capstone prints MOV's 64-bit immediates with the top bit set in unsigned decimal. */
    private static boolean bigHex(StringBuilder s, int from, int to) {
        return to - from == 18 && s.charAt(from) == '0' && s.charAt(from + 1) == 'x' && Character.digit(s.charAt(from + 2), 16) >= 8;
    }

    private static void unsignedDecimal(StringBuilder s, int from, int to) {
        long v = 0;
        for (int i = from + 2; i < to; i++) {
            v = v << 4 | Character.digit(s.charAt(i), 16);
        }
        long q = Long.divideUnsigned(v, 10);
        s.append(q); // q < 2^63 (and v >= 2^63, so q > 0)
        s.append((char) ('0' + (int) (v - q * 10)));
    }

    /** Intel's [base + index*scale + disp] as AT&T's disp(%base, %index, scale). */
    private static void memory(StringBuilder s, int from, int to) {
        int base0 = -1, base1 = -1, idx0 = -1, idx1 = -1, sc = -1, disp0 = -1, disp1 = -1;
        boolean negative = false;
        int p = from;
        boolean first = true;
        while (p < to) {
            int q = p;
            while (q < to && s.charAt(q) != ' ') {
                q++;
            }
            // term [p, q)
            char c = s.charAt(p);
            if (Character.isDigit(c)) {
                disp0 = p;
                disp1 = q;
            } else {
                int star = indexOf(s, "*", p, q);
                if (star >= 0) {
                    idx0 = p;
                    idx1 = star;
                    sc = star + 1;
                } else if (first) {
                    base0 = p;
                    base1 = q;
                } else {
                    idx0 = p;
                    idx1 = q;
                }
            }
            first = false;
            if (q >= to) {
                break;
            }
            negative = s.charAt(q + 1) == '-';
            p = q + 3;
        }
        if (disp0 >= 0) {
            if (negative) {
                s.append('-');
            }
            s.append(s, disp0, disp1);
        }
        if (base0 >= 0 || idx0 >= 0) {
            s.append('(');
            if (base0 >= 0) {
                s.append('%').append(s, base0, base1);
            }
            if (idx0 >= 0) {
                s.append(", %").append(s, idx0, idx1);
                if (sc >= 0) {
                    s.append(", ").append(s.charAt(sc));
                }
            }
            s.append(')');
        }
    }

    private static int ptrSize(StringBuilder s, int from, int ptr) {
        return switch (s.charAt(from)) {
            case 'b' -> 1;
            case 'w' -> 2;
            case 'd' -> 4;
            case 'q' -> 8;
            case 'f' -> 6;
            case 'x' -> s.charAt(from + 1) == 'w' ? 10 : 16;
            case 'y' -> 32;
            case 'z' -> 64;
            default -> 0;
        };
    }

    /** A general register's size from its name (rax, eax, ax, al, r8d, r8w, r8b); 0 for others. */
    private static int regSize(StringBuilder s, int from, int to) {
        int n = to - from;
        char a = s.charAt(from), z = s.charAt(to - 1);
        if (a == 'r') {
            if (z == 'd') {
                return 4;
            }
            if (z == 'w') {
                return 2;
            }
            if (z == 'b') {
                return 1;
            }
            return n <= 3 ? 8 : 0;
        }
        if (a == 'e' && n == 3) {
            return 4;
        }
        if (n == 2 && (z == 'x' || z == 'p' || z == 'i') && a != 'x' && a != 'y' && a != 'z' && a != 'k' && a != 'm') {
            return 2;
        }
        if ((n == 2 && (z == 'l' || z == 'h')) || (n == 3 && z == 'l')) {
            return 1;
        }
        return 0;
    }

    private static int indexOf(StringBuilder s, String what, int from, int to) {
        int n = what.length();
        for (int i = from; i + n <= to; i++) {
            if (startsWith(s, i, to, what)) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(StringBuilder s, int at, int to, String what) {
        if (at + what.length() > to) {
            return false;
        }
        for (int i = 0; i < what.length(); i++) {
            if (s.charAt(at + i) != what.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static char suffix(int bytes) {
        return switch (bytes) {
            case 1 -> 'b';
            case 2 -> 'w';
            case 4 -> 'l';
            case 8 -> 'q';
            default -> 0;
        };
    }

    /** AT&T's mnemonic: GNU names for the conversions, and the size suffix of integer instructions. */
    private static void mnemonic(Insn in, StringBuilder out, int start, int intelEnd, int firstSize, int memSize) {
        long rde = in.rde;
        int m = Entry.mnemonic(in.entry);
        Form f = Entry.form(in.entry);
        // Prefix words ("lock ", "rep ") stay; the last word is the instruction's name.
        int nameStart = start;
        for (int i = start; i < intelEnd; i++) {
            if (out.charAt(i) == ' ') {
                nameStart = i + 1;
            }
        }
        out.append(out, start, nameStart);
        int nameEnd = intelEnd;
        String renamed = null;
        if (Entry.form(in.entry) == Form.NONE && Rde.map(rde) == Rde.MAP_ONE && (Rde.opcode(rde) == 0x98 || Rde.opcode(rde) == 0x99)) {
            renamed = rename(Rde.osz(rde) == Rde.OSZ_64 ? (Rde.opcode(rde) == 0x98 ? "cdqe" : "cqo")
                    : Rde.osz(rde) == Rde.OSZ_16 ? (Rde.opcode(rde) == 0x98 ? "cbw" : "cwd") : (Rde.opcode(rde) == 0x98 ? "cwde" : "cdq"));
        }
        if (renamed != null) {
            out.append(renamed);
            return;
        }
        int osz = Operands.bytes(Rde.osz(rde));
        boolean legacy = Rde.encoding(rde) == Rde.ENC_LEGACY;
        if (m == MOVZX || m == MOVSX) {
            out.append(m == MOVZX ? "movz" : "movs").append((Rde.opcode(rde) & 1) == 0 ? 'b' : 'w').append(suffix(osz));
            return;
        }
        if (m == MOVSXD) {
            out.append("movs").append('l').append(suffix(osz));
            return;
        }
        if (STRING[m]) { // STOSD is stosl
            out.append(out, nameStart, nameEnd - 1).append(out.charAt(nameEnd - 1) == 'd' ? 'l' : out.charAt(nameEnd - 1));
            return;
        }
        if (f == Form.X87R && (Rde.opcode(rde) == 0xDE || Rde.opcode(rde) == 0xDC) && (Rde.modrm(rde) & 0xE0) == 0xE0) {
            // DC/DE E0-FF: AT&T (as GNU as has it since the UnixWare assembler) swaps FSUB/FSUBR and FDIV/FDIVR.
            boolean p = Rde.opcode(rde) == 0xDE;
            boolean reversed = out.charAt(nameEnd - (p ? 2 : 1)) == 'r';
            out.append(out, nameStart, nameStart + 4).append(reversed ? "" : "r").append(p ? "p" : "");
            return;
        }
        if (DESCRIPTOR[m] != 0 && f == Form.M) { // SGDT/LIDT ... Capstone: q; SMSW/LMSW: w
            out.append(out, nameStart, nameEnd).append(DESCRIPTOR[m] == 8 ? 'q' : 'w');
            return;
        }
        if (m == LCALL || m == LJMP) { // GNU's lcall/ljmp, sized
            out.append(m == LCALL ? "lcall" : "ljmp").append(suffix(osz));
            return;
        }
        if (m == RETF) { // GNU's lret, sized
            out.append("lret").append(suffix(osz));
            return;
        }
        if (m == IRET) {
            out.append(osz == 8 ? "iretq" : osz == 2 ? "iretw" : "iretl");
            return;
        }
        out.append(out, nameStart, nameEnd);
        if (m == NOP && Rde.map(rde) == Rde.MAP_ONE && Rde.opcode(rde) == 0x90 && Rde.rexB(rde) != 0) { // XCHG r8, rAX
            out.append(suffix(osz));
            return;
        }
        if (m == XCHG && f == Form.NONE) {
            out.append(suffix(osz));
            return;
        }
        if (VectorOperands.generalRegisters(m) && !legacy) {
            out.append(Rde.rexW(rde) ? 'q' : 'l');
            return;
        }
        if (m == BSWAP) {
            out.append(suffix(osz));
            return;
        }
        if (m == CVTSI2SS || m == CVTSI2SD || m == VCVTSI2SS || m == VCVTSI2SD) {
            out.append(Rde.rexW(rde) ? 'q' : 'l');
            return;
        }
        if (f == Form.X87M) {
            x87Suffix(out, Entry.name(in.entry), memSize);
            return;
        }
        if (!legacy) {
            return;
        }
        if (m == PUSHF || m == POPF) {
            out.append(osz == 2 ? "w" : "");
            return;
        }
        if (m == CALL || m == RET || m == PUSH || m == POP || (m == JMP && f != Form.Jb && f != Form.Jz)) {
            out.append(f == Form.Jz && m == CALL ? 'q' : suffix(f == Form.Jz ? 8 : osz));
            return;
        }
        if (m == IN || m == OUT) {
            int acc = (Rde.opcode(rde) & 1) == 0 ? 1 : osz == 2 ? 2 : 4;
            out.append(suffix(acc));
            return;
        }
        if (m == SYSRET || m == SYSEXIT) {
            if (!Rde.rexW(rde)) { // the Intel name already ends in q with REX.W
                out.append('l');
            }
            return;
        }
        if (m == NOP && f == Form.E && Rde.map(rde) == Rde.MAP_0F && Rde.opcode(rde) == 0x19 && !Rde.isMemory(rde)) {
            return;
        }
        if (f == Form.EvSw || f == Form.SwEw) {
            out.append(suffix(Rde.isMemory(rde) ? 2 : osz));
            return;
        }
        if (f == Form.RdCd) {
            out.append('q');
            return;
        }
        if (m == VERR || m == VERW) {
            return;
        }
        if (m == NOP && (f == Form.M || f == Form.E && Rde.isMemory(rde) && Rde.map(rde) == Rde.MAP_0F && Rde.opcode(rde) != 0x1F)) {
            out.append(suffix(osz == 8 ? 4 : osz));
            return;
        }
        if (gprForm(f) && m != BSWAP && !isSetcc(in)) {
            int sz = firstSize > 0 ? firstSize : memSize > 0 ? memSize : 0;
            if (f == Form.Ib || f == Form.Iz) {
                sz = m == PUSH ? osz : 0;
            }
            char c = suffix(sz);
            if (c != 0) {
                out.append(c);
            }
        }
    }

    private static final boolean[] STRING = new boolean[Mnemonic.LIMIT];
    private static final byte[] DESCRIPTOR = new byte[Mnemonic.LIMIT];

    static {
        Mnemonic.mark(DESCRIPTOR, 8, "sgdt", "sidt", "lgdt", "lidt");
        Mnemonic.mark(DESCRIPTOR, 2, "smsw", "lmsw");
        Mnemonic.mark(STRING, "stos", "movs", "lods", "scas", "cmps", "ins", "outs");
    }

    private static boolean isSetcc(Insn in) {
        return Rde.map(in.rde) == Rde.MAP_0F && (Rde.opcode(in.rde) & 0xF0) == 0x90;
    }

    private static boolean gprForm(Form f) {
        return switch (f) {
            case EbGb, EvGv, GbEb, GvEv, GvEvIz, GvEvIb, EvGvIb, E, EIb, EIz, EIw, ALIb, rAXIz, ZvIv, ZbIb, Zv, Ov, GvM,
                 MG, Ib, Iz -> true;
            default -> false;
        };
    }

    private static void x87Suffix(StringBuilder out, String name, int size) {
        if (name.equals("fnstcw") || name.equals("fldcw") || name.equals("fldenv") || name.equals("fnstenv")
                || name.equals("fnsave") || name.equals("frstor") || name.equals("fnstsw") || name.equals("fbld")
                || name.equals("fbstp") || size == 0) {
            return;
        }
        if (name.startsWith("fi")) {
            out.append(size == 2 ? "s" : size == 4 ? "l" : "ll");
        } else {
            out.append(size == 4 ? "s" : size == 8 ? "l" : "t");
        }
    }
}
