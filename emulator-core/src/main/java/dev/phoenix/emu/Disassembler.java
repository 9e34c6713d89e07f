package dev.phoenix.emu;

/** Turns guest machine code into text, for error messages and instruction traces. */
public interface Disassembler extends AutoCloseable {
    /** One decoded instruction; {@code toString()} is "mnemonic operands". */
    record Instruction(long address, int size, String mnemonic, String operands) {
        @Override
        public String toString() {
            return operands.isEmpty() ? mnemonic : mnemonic + " " + operands;
        }
    }

    /** Decodes the first instruction of {@code code[offset, offset+length)} at guest {@code address}, or null. */
    Instruction decode(byte[] code, int offset, int length, long address);

    @Override
    void close();
}
