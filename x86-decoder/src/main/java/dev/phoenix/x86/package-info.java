/**
 * Pure-Java, allocation-free x86-64 instruction decoder (64-bit mode), the first half of
 * Phoenix's own x86-64 engine. {@link dev.phoenix.x86.X86Decoder} decodes one instruction into a
 * reusable {@link dev.phoenix.x86.Insn}: packed words read through {@link dev.phoenix.x86.Rde}
 * and {@link dev.phoenix.x86.Vex}, and an opcode-table {@link dev.phoenix.x86.Entry} (mnemonic
 * and {@link dev.phoenix.x86.Form}). The tables are one file per SDM Vol. 2 Appendix A table,
 * filled once by {@code Tables}; nothing here is mutable after class initialisation, so the
 * decoder needs no locks.
 */
package dev.phoenix.x86;
