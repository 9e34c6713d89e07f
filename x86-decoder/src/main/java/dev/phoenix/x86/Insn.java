package dev.phoenix.x86;

/**
 * One decoded instruction: a reusable holder the decoder overwrites, so a decode loop allocates
 * nothing. Read the packed words through {@link Rde} and {@link Vex}, the table entry through
 * {@link Entry}.
 */
public final class Insn {
    /** The packed decode word (see {@link Rde}). */
    public long rde;
    /** The VEX/EVEX/XOP fields (see {@link Vex}); 0 for legacy encodings. */
    public long vex;
    /**
     * The displacement, sign-extended (the absolute address for moffs). An EVEX disp8 is as
     * encoded: the engine scales it by the memory operand's size N (SDM 2.7.5).
     */
    public long disp;
    /** The first immediate, sign-extended from its size (zero-extended for the Iw of RET, RETF, ENTER). */
    public long imm;
    /** The second immediate (ENTER's nesting level, EXTRQ/INSERTQ's index), zero-extended. */
    public int imm2;
    /**
     * The opcode-table entry (see {@link Entry}): mnemonic id and operand form. The mnemonic is
     * the family's (VMOVDQU32, CWDE, STOS); a printer picks the sized name from W and the operand size.
     */
    public int entry;
}
