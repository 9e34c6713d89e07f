package dev.phoenix.emu;

import dev.phoenix.x86.AttPrinter;
import dev.phoenix.x86.Insn;
import dev.phoenix.x86.IntelPrinter;
import dev.phoenix.x86.X86Decoder;

/**
 * x86-64 disassembly by Phoenix's own decoder and printers (x86-decoder): the same text as
 * Capstone 5 in Intel or AT&T syntax, without a native library or a downcall per instruction.
 * Not thread-safe: one instance per thread, as with Capstone's handles.
 */
public final class X86Disassembler implements Disassembler {
    private final Insn insn = new Insn();
    private final StringBuilder text = new StringBuilder(64);
    private final boolean att;

    /** Intel syntax. */
    public X86Disassembler() {
        this(false);
    }

    /** Intel syntax, or AT&T's with {@code att}. */
    public X86Disassembler(boolean att) {
        this.att = att;
    }

    @Override
    public Instruction decode(byte[] code, int offset, int length, long address) {
        int n = X86Decoder.decode(code, offset, length, insn);
        if (n <= 0) {
            return null;
        }
        text.setLength(0);
        int end = att ? AttPrinter.print(insn, address, text) : IntelPrinter.print(insn, address, text);
        return new Instruction(address, n, text.substring(0, end), end < text.length() ? text.substring(end + 1) : "");
    }

    @Override
    public void close() {
    }
}
