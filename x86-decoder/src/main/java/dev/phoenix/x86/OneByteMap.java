package dev.phoenix.x86;

import static dev.phoenix.x86.Entry.D64;
import static dev.phoenix.x86.Entry.F64;
import static dev.phoenix.x86.Entry.LOCK;
import static dev.phoenix.x86.Form.*;

/**
 * SDM Vol. 2, Appendix A.3, Table A-2: One-byte Opcode Map, as in 64-bit mode (the opcodes
 * marked i64 are invalid; 40-4F are REX, C4/C5 VEX, 62 EVEX; prefixes are read before the
 * table is consulted). Groups point into {@link Groups} (Table A-6).
 */
final class OneByteMap {
    private OneByteMap() {
    }

    private static void op(int opcode, String name, Form form, int flags) {
        Tables.ONE[opcode] = Entry.make(name, form, flags);
    }

    private static void op(int opcode, String name, Form form) {
        op(opcode, name, form, 0);
    }

    private static void grp(int opcode, int group) {
        Tables.ONE[opcode] = Tables.groupEntry(group);
    }

    /** The eight ALU ops share rows 00-3F: Eb,Gb / Ev,Gv / Gb,Eb / Gv,Ev / AL,Ib / rAX,Iz. */
    private static void alu(int base, String name, boolean lockable) {
        int lock = lockable ? LOCK : 0;
        op(base, name, EbGb, lock);                // r/m8, r8
        op(base + 1, name, EvGv, lock);            // r/m, r
        op(base + 2, name, GbEb);                  // r8, r/m8
        op(base + 3, name, GvEv);                  // r, r/m
        op(base + 4, name, ALIb);                  // AL, imm8
        op(base + 5, name, rAXIz);                 // rAX, imm16/32
    }

    static void fill() {
        alu(0x00, "add", true);                    // 00-05 ADD
        alu(0x08, "or", true);                     // 08-0D OR
        alu(0x10, "adc", true);                    // 10-15 ADC
        alu(0x18, "sbb", true);                    // 18-1D SBB
        alu(0x20, "and", true);                    // 20-25 AND
        alu(0x28, "sub", true);                    // 28-2D SUB
        alu(0x30, "xor", true);                    // 30-35 XOR
        alu(0x38, "cmp", false);                   // 38-3D CMP
        // 06 07 0E 16 17 1E 1F 27 2F 37 3F: i64 (push/pop seg, DAA, DAS, AAA, AAS)
        for (int r = 0; r < 8; r++) {
            op(0x50 + r, "push", Zv, D64);         // 50-57 PUSH r64
            op(0x58 + r, "pop", Zv, D64);          // 58-5F POP r64
        }
        // 60 61 (PUSHA/POPA) i64; 62 EVEX; 64 65 66 67 prefixes
        op(0x63, "movsxd", GvEv);                  // 63 MOVSXD Gv, Ed
        op(0x68, "push", Iz, D64);                 // 68 PUSH imm32
        op(0x69, "imul", GvEvIz);                  // 69 IMUL Gv, Ev, Iz
        op(0x6A, "push", Ib, D64);                 // 6A PUSH imm8
        op(0x6B, "imul", GvEvIb);                  // 6B IMUL Gv, Ev, Ib
        op(0x6C, "insb", NONE);                    // 6C INS m8, DX
        op(0x6D, "ins", NONE);                     // 6D INS m16/32, DX
        op(0x6E, "outsb", NONE);                   // 6E OUTS DX, m8
        op(0x6F, "outs", NONE);                    // 6F OUTS DX, m16/32
        String[] cc = {"jo", "jno", "jb", "jae", "je", "jne", "jbe", "ja", "js", "jns", "jp", "jnp", "jl", "jge", "jle", "jg"};
        for (int c = 0; c < 16; c++) {
            op(0x70 + c, cc[c], Jb, F64);          // 70-7F Jcc rel8
        }
        grp(0x80, Groups.G1_EB_IB);                // 80 Group 1 Eb, Ib
        grp(0x81, Groups.G1_EV_IZ);                // 81 Group 1 Ev, Iz
        // 82 i64
        grp(0x83, Groups.G1_EV_IB);                // 83 Group 1 Ev, Ib
        op(0x84, "test", EbGb);                    // 84 TEST Eb, Gb
        op(0x85, "test", EvGv);                    // 85 TEST Ev, Gv
        op(0x86, "xchg", EbGb, LOCK);              // 86 XCHG Eb, Gb
        op(0x87, "xchg", EvGv, LOCK);              // 87 XCHG Ev, Gv
        op(0x88, "mov", EbGb);                     // 88 MOV Eb, Gb
        op(0x89, "mov", EvGv);                     // 89 MOV Ev, Gv
        op(0x8A, "mov", GbEb);                     // 8A MOV Gb, Eb
        op(0x8B, "mov", GvEv);                     // 8B MOV Gv, Ev
        op(0x8C, "mov", EvSw);                     // 8C MOV Ev, Sw (Sw 6, 7 reserved)
        op(0x8D, "lea", GvM);                      // 8D LEA Gv, M
        op(0x8E, "mov", SwEw);                     // 8E MOV Sw, Ew (CS and Sw 6, 7: #UD)
        grp(0x8F, Groups.G1A);                     // 8F Group 1A: POP Ev (or XOP, see the decoder)
        op(0x90, "nop", NONE);                     // 90 NOP / XCHG r8, rAX with REX.B; F3 90 PAUSE
        for (int r = 1; r < 8; r++) {
            op(0x90 + r, "xchg", Zv);              // 91-97 XCHG r, rAX
        }
        op(0x98, "cwde", NONE);                    // 98 CBW/CWDE/CDQE
        op(0x99, "cdq", NONE);                     // 99 CWD/CDQ/CQO
        // 9A (CALLF ptr) i64
        op(0x9B, "wait", NONE);                    // 9B FWAIT
        op(0x9C, "pushf", NONE, D64);              // 9C PUSHF
        op(0x9D, "popf", NONE, D64);               // 9D POPF
        op(0x9E, "sahf", NONE);                    // 9E SAHF
        op(0x9F, "lahf", NONE);                    // 9F LAHF
        op(0xA0, "mov", Ov);                       // A0 MOV AL, moffs8
        op(0xA1, "mov", Ov);                       // A1 MOV rAX, moffs
        op(0xA2, "mov", Ov);                       // A2 MOV moffs8, AL
        op(0xA3, "mov", Ov);                       // A3 MOV moffs, rAX
        op(0xA4, "movsb", NONE);                   // A4 MOVS m8, m8
        op(0xA5, "movs", NONE);                    // A5 MOVS m, m
        op(0xA6, "cmpsb", NONE);                   // A6 CMPS m8, m8
        op(0xA7, "cmps", NONE);                    // A7 CMPS m, m
        op(0xA8, "test", ALIb);                    // A8 TEST AL, Ib
        op(0xA9, "test", rAXIz);                   // A9 TEST rAX, Iz
        op(0xAA, "stosb", NONE);                   // AA STOS m8, AL
        op(0xAB, "stos", NONE);                    // AB STOS m, rAX
        op(0xAC, "lodsb", NONE);                   // AC LODS AL, m8
        op(0xAD, "lods", NONE);                    // AD LODS rAX, m
        op(0xAE, "scasb", NONE);                   // AE SCAS m8
        op(0xAF, "scas", NONE);                    // AF SCAS m
        for (int r = 0; r < 8; r++) {
            op(0xB0 + r, "mov", ZbIb);             // B0-B7 MOV r8, imm8
            op(0xB8 + r, "mov", ZvIv);             // B8-BF MOV r, imm16/32/64
        }
        grp(0xC0, Groups.G2_EB_IB);                // C0 Group 2 Eb, Ib
        grp(0xC1, Groups.G2_EV_IB);                // C1 Group 2 Ev, Ib
        op(0xC2, "ret", Iw, F64);                  // C2 RET imm16
        op(0xC3, "ret", NONE, F64);                // C3 RET
        // C4 C5: VEX (LES/LDS are i64)
        grp(0xC6, Groups.G11_EB_IB);               // C6 Group 11: MOV Eb, Ib; XABORT
        grp(0xC7, Groups.G11_EV_IZ);               // C7 Group 11: MOV Ev, Iz; XBEGIN
        op(0xC8, "enter", IwIb, D64);              // C8 ENTER imm16, imm8
        op(0xC9, "leave", NONE, D64);              // C9 LEAVE
        op(0xCA, "retf", Iw);                      // CA RETF imm16
        op(0xCB, "retf", NONE);                    // CB RETF
        op(0xCC, "int3", NONE);                    // CC INT3
        op(0xCD, "int", Ib);                       // CD INT imm8
        // CE (INTO) i64
        op(0xCF, "iret", NONE);                    // CF IRET/IRETD/IRETQ
        grp(0xD0, Groups.G2_EB_1);                 // D0 Group 2 Eb, 1
        grp(0xD1, Groups.G2_EV_1);                 // D1 Group 2 Ev, 1
        grp(0xD2, Groups.G2_EB_CL);                // D2 Group 2 Eb, CL
        grp(0xD3, Groups.G2_EV_CL);                // D3 Group 2 Ev, CL
        // D4 D5 (AAM, AAD) i64; D6 undefined
        op(0xD7, "xlatb", NONE);                   // D7 XLAT
        // D8-DF: x87 escapes, see X87Map
        op(0xE0, "loopne", Jb, F64);               // E0 LOOPNE rel8
        op(0xE1, "loope", Jb, F64);                // E1 LOOPE rel8
        op(0xE2, "loop", Jb, F64);                 // E2 LOOP rel8
        op(0xE3, "jrcxz", Jb, F64);                // E3 JrCXZ rel8
        op(0xE4, "in", Ib);                        // E4 IN AL, imm8
        op(0xE5, "in", Ib);                        // E5 IN eAX, imm8
        op(0xE6, "out", Ib);                       // E6 OUT imm8, AL
        op(0xE7, "out", Ib);                       // E7 OUT imm8, eAX
        op(0xE8, "call", Jz, F64);                 // E8 CALL rel32
        op(0xE9, "jmp", Jz, F64);                  // E9 JMP rel32
        // EA (JMPF ptr) i64
        op(0xEB, "jmp", Jb, F64);                  // EB JMP rel8
        op(0xEC, "in", NONE);                      // EC IN AL, DX
        op(0xED, "in", NONE);                      // ED IN eAX, DX
        op(0xEE, "out", NONE);                     // EE OUT DX, AL
        op(0xEF, "out", NONE);                     // EF OUT DX, eAX
        op(0xF1, "int1", NONE);                    // F1 INT1 (ICEBP)
        op(0xF4, "hlt", NONE);                     // F4 HLT
        op(0xF5, "cmc", NONE);                     // F5 CMC
        grp(0xF6, Groups.G3_EB);                   // F6 Group 3 Eb
        grp(0xF7, Groups.G3_EV);                   // F7 Group 3 Ev
        op(0xF8, "clc", NONE);                     // F8 CLC
        op(0xF9, "stc", NONE);                     // F9 STC
        op(0xFA, "cli", NONE);                     // FA CLI
        op(0xFB, "sti", NONE);                     // FB STI
        op(0xFC, "cld", NONE);                     // FC CLD
        op(0xFD, "std", NONE);                     // FD STD
        grp(0xFE, Groups.G4);                      // FE Group 4: INC/DEC Eb
        grp(0xFF, Groups.G5);                      // FF Group 5: INC/DEC/CALL/CALLF/JMP/JMPF/PUSH Ev
    }
}
