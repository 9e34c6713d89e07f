package dev.phoenix.x86;

/**
 * Writes a decoded instruction in Intel syntax exactly as Capstone 5 prints it (mnemonic, then
 * the operand string: {@code mov rax, qword ptr [rip + 0x1e0dba]}, {@code je 0x401012}), appending
 * to a caller's reused {@link StringBuilder}: no allocation per instruction. SDM Vol. 2, 3.1
 * (the operand notation) and Appendix A (the maps whose forms it reads). The sizes Capstone
 * prints come from the form, the opcode and the operand size ({@link Operands}); the names of
 * a family (STOS to STOSQ, CWDE to CDQE) from the operand size ({@link Names}).
 */
public final class IntelPrinter {
    private IntelPrinter() {
    }

    /**
     * Appends "mnemonic" or "mnemonic operands" of {@code in} (decoded at guest {@code address})
     * to {@code out}; returns the index in {@code out} where the mnemonic ends (the operands, if
     * any, start one after it).
     */
    public static int print(Insn in, long address, StringBuilder out) {
        Names.mnemonic(in, out);
        int end = out.length();
        out.append(' ');
        Operands.intel(in, address, out);
        if (out.length() == end + 1) {
            out.setLength(end);
        }
        return end;
    }

    /** Appends {@code v} as Capstone does when the sign does not matter: hex above 9, else decimal. */
    static void unsigned(StringBuilder out, long v) {
        if (Long.compareUnsigned(v, 9) > 0) {
            hex(out, v);
        } else {
            out.append((int) v);
        }
    }

    /** Capstone's printImm with positive = false: "-0x80", "-8", "0x10", "8". */
    static void signed(StringBuilder out, long v) {
        if (v < 0 && v != Long.MIN_VALUE) {
            out.append('-');
            unsigned(out, -v);
        } else {
            unsigned(out, v);
        }
    }

    /** Capstone's printImm with positive = true: a negative value masked to the operand's size. */
    static void positive(StringBuilder out, long v, int bytes) {
        if (v < 0 && bytes < 8) {
            v &= (1L << (bytes * 8)) - 1;
        }
        unsigned(out, v);
    }

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    static void hex(StringBuilder out, long v) {
        out.append("0x");
        int shift = (63 - Long.numberOfLeadingZeros(v | 1)) & ~3;
        for (; shift >= 0; shift -= 4) {
            out.append(DIGITS[(int) (v >>> shift) & 0xF]);
        }
    }
}
