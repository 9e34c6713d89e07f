package dev.phoenix.x86;

import static dev.phoenix.x86.Entry.D64;
import static dev.phoenix.x86.Entry.F64;
import static dev.phoenix.x86.Entry.LOCK;
import static dev.phoenix.x86.Entry.MP;
import static dev.phoenix.x86.Form.*;
import static dev.phoenix.x86.Tables.ANY;
import static dev.phoenix.x86.Tables.NP;
import static dev.phoenix.x86.Tables.P66;
import static dev.phoenix.x86.Tables.PF2;
import static dev.phoenix.x86.Tables.PF3;

/**
 * SDM Vol. 2, Appendix A.3, Table A-3: Two-byte Opcode Map (first byte 0F). Columns with a
 * mandatory prefix (none, 66, F3, F2) are one line each: {@code sse(op, "np 66 f3 f2", form)}
 * with "-" where the SDM's cell is empty (#UD). Opcodes without a mandatory-prefix column take
 * 66 as the operand-size prefix and ignore F2/F3 ({@code any}).
 */
final class TwoByteMap {
    private TwoByteMap() {
    }

    static final int[][] T = Tables.LEGACY[0];

    static void any(int op, String name, Form form, int flags) {
        Tables.put(T, ANY, op, Entry.make(name, form, flags));
    }

    static void any(int op, String name, Form form) {
        any(op, name, form, 0);
    }

    /** Only with the prefixes in {@code mask}; 66 in the mask is an operand-size prefix here. */
    static void only(int op, int mask, String name, Form form, int flags) {
        Tables.put(T, mask, op, Entry.make(name, form, flags));
    }

    static void grp(int op, int group) {
        Tables.put(T, ANY, op, Tables.groupEntry(group));
    }

    /** One line per opcode: names for no prefix, 66, F3, F2 ("-": #UD). */
    static void sse(int[][] table, int op, String names, Form form, int flags) {
        String[] n = names.split(" ");
        for (int pp = 0; pp < 4; pp++) {
            if (!n[pp].equals("-")) {
                table[pp][op] = Entry.make(n[pp], form, flags | MP);
            }
        }
    }

    static void sse(int op, String names, Form form) {
        sse(T, op, names, form, 0);
    }

    /** MMX op (no prefix) with its SSE2 twin (66). */
    static void mmx(int op, String name, Form form) {
        sse(T, op, name + " " + name + " - -", form, 0);
    }

    static void fill() {
        grp(0x00, Groups.G6);                          // 00 Group 6: SLDT STR LLDT LTR VERR VERW
        grp(0x01, Groups.G7);                          // 01 Group 7 (register forms: Tables.G7_REG)
        any(0x02, "lar", GvEv);                        // 02 LAR Gv, Ew
        any(0x03, "lsl", GvEv);                        // 03 LSL Gv, Ew
        any(0x05, "syscall", NONE);                    // 05 SYSCALL
        any(0x06, "clts", NONE);                       // 06 CLTS
        any(0x07, "sysret", NONE);                     // 07 SYSRET
        any(0x08, "invd", NONE);                       // 08 INVD
        any(0x09, "wbinvd", NONE);                     // 09 WBINVD
        any(0x0B, "ud2", NONE);                        // 0B UD2
        grp(0x0D, Groups.GP);                          // 0D PREFETCH/PREFETCHW (AMD)
        any(0x0E, "femms", NONE);                      // 0E FEMMS (3DNow!)
        // 0F: 3DNow!, see AmdMaps
        sse(0x10, "movups movupd movss movsd", VW);    // 10
        sse(0x11, "movups movupd movss movsd", WV);    // 11
        sse(0x12, "movlps - movsldup movddup", VW);    // 12 (NP reg: MOVHLPS)
        sse(0x12, "- movlpd - -", VM);                 // 66 0F 12 MOVLPD Vq, Mq
        sse(0x13, "movlps movlpd - -", MV);            // 13
        sse(0x14, "unpcklps unpcklpd - -", VW);        // 14
        sse(0x15, "unpckhps unpckhpd - -", VW);        // 15
        sse(0x16, "movhps - movshdup -", VW);          // 16 (NP reg: MOVLHPS)
        sse(0x16, "- movhpd - -", VM);                 // 66 0F 16 MOVHPD Vq, Mq
        sse(0x17, "movhps movhpd - -", MV);            // 17
        grp(0x18, Groups.G16);                         // 18 Group 16: PREFETCHh, hint NOPs
        any(0x19, "nop", E);                           // 19 NOP Ev (reserved hint)
        sse(0x1A, "bndldx - - -", BndM);               // 1A MPX: BNDLDX bnd, mib
        sse(0x1A, "- bndmov - -", BndBnd);             // 1A MPX: BNDMOV bnd, bnd/m128
        sse(0x1A, "- - bndcl bndcu", Bnd);             // 1A MPX: BNDCL/BNDCU bnd, r/m
        sse(0x1B, "bndstx - bndmk -", BndM);           // 1B MPX: BNDSTX mib, bnd; BNDMK bnd, m
        sse(0x1B, "- bndmov - -", BndBnd);             // 1B MPX: BNDMOV bnd/m128, bnd
        sse(0x1B, "- - - bndcn", Bnd);                 // 1B MPX: BNDCN bnd, r/m
        grp(0x1C, Groups.G1C);                         // 1C CLDEMOTE (/0 mem), hint NOP M
        only(0x1D, ANY, "nop", M, 0);                  // 1D NOP M (reserved hint)
        grp(0x1E, Groups.G1E);                         // 1E hint NOP M; F3: RDSSP, ENDBR64/32
        any(0x1F, "nop", E);                           // 1F NOP Ev
        any(0x20, "mov", RdCd);                        // 20 MOV Rd, Cd
        any(0x21, "mov", RdCd);                        // 21 MOV Rd, Dd
        any(0x22, "mov", RdCd);                        // 22 MOV Cd, Rd
        any(0x23, "mov", RdCd);                        // 23 MOV Dd, Rd
        sse(0x28, "movaps movapd - -", VW);            // 28
        sse(0x29, "movaps movapd - -", WV);            // 29
        sse(0x2A, "cvtpi2ps cvtpi2pd cvtsi2ss cvtsi2sd", VW); // 2A
        sse(0x2B, "movntps movntpd movntss movntsd", MV); // 2B (F3/F2: SSE4a)
        sse(0x2C, "cvttps2pi cvttpd2pi cvttss2si cvttsd2si", VW); // 2C
        sse(0x2D, "cvtps2pi cvtpd2pi cvtss2si cvtsd2si", VW); // 2D
        sse(0x2E, "ucomiss ucomisd - -", VW);          // 2E
        sse(0x2F, "comiss comisd - -", VW);            // 2F
        any(0x30, "wrmsr", NONE);                      // 30 WRMSR
        any(0x31, "rdtsc", NONE);                      // 31 RDTSC
        any(0x32, "rdmsr", NONE);                      // 32 RDMSR
        any(0x33, "rdpmc", NONE);                      // 33 RDPMC
        any(0x34, "sysenter", NONE);                   // 34 SYSENTER
        any(0x35, "sysexit", NONE);                    // 35 SYSEXIT
        any(0x37, "getsec", NONE);                     // 37 GETSEC
        // 38, 3A: three-byte escapes, see ThreeByteMaps
        String[] cc = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"};
        for (int c = 0; c < 16; c++) {
            any(0x40 + c, "cmov" + cc[c], GvEv);       // 40-4F CMOVcc Gv, Ev
            any(0x80 + c, "j" + cc[c], Jz, F64);       // 80-8F Jcc rel32
            any(0x90 + c, "set" + cc[c], E);           // 90-9F SETcc Eb
        }
        sse(0x50, "movmskps movmskpd - -", GU);        // 50
        sse(0x51, "sqrtps sqrtpd sqrtss sqrtsd", VW);  // 51
        sse(0x52, "rsqrtps - rsqrtss -", VW);          // 52
        sse(0x53, "rcpps - rcpss -", VW);              // 53
        sse(0x54, "andps andpd - -", VW);              // 54
        sse(0x55, "andnps andnpd - -", VW);            // 55
        sse(0x56, "orps orpd - -", VW);                // 56
        sse(0x57, "xorps xorpd - -", VW);              // 57
        sse(0x58, "addps addpd addss addsd", VW);      // 58
        sse(0x59, "mulps mulpd mulss mulsd", VW);      // 59
        sse(0x5A, "cvtps2pd cvtpd2ps cvtss2sd cvtsd2ss", VW); // 5A
        sse(0x5B, "cvtdq2ps cvtps2dq cvttps2dq -", VW); // 5B
        sse(0x5C, "subps subpd subss subsd", VW);      // 5C
        sse(0x5D, "minps minpd minss minsd", VW);      // 5D
        sse(0x5E, "divps divpd divss divsd", VW);      // 5E
        sse(0x5F, "maxps maxpd maxss maxsd", VW);      // 5F
        mmx(0x60, "punpcklbw", VW);                    // 60
        mmx(0x61, "punpcklwd", VW);                    // 61
        mmx(0x62, "punpckldq", VW);                    // 62
        mmx(0x63, "packsswb", VW);                     // 63
        mmx(0x64, "pcmpgtb", VW);                      // 64
        mmx(0x65, "pcmpgtw", VW);                      // 65
        mmx(0x66, "pcmpgtd", VW);                      // 66
        mmx(0x67, "packuswb", VW);                     // 67
        mmx(0x68, "punpckhbw", VW);                    // 68
        mmx(0x69, "punpckhwd", VW);                    // 69
        mmx(0x6A, "punpckhdq", VW);                    // 6A
        mmx(0x6B, "packssdw", VW);                     // 6B
        sse(0x6C, "- punpcklqdq - -", VW);             // 6C
        sse(0x6D, "- punpckhqdq - -", VW);             // 6D
        sse(0x6E, "movd movd - -", VW);                // 6E MOVD/MOVQ P/V, Ey
        sse(0x6F, "movq movdqa movdqu -", VW);         // 6F
        sse(0x70, "pshufw pshufd pshufhw pshuflw", VWIb); // 70
        Tables.put(T, ANY, 0x71, Tables.groupEntry(Groups.G12)); // 71 Group 12: shifts by Ib
        Tables.put(T, ANY, 0x72, Tables.groupEntry(Groups.G13)); // 72 Group 13
        Tables.put(T, ANY, 0x73, Tables.groupEntry(Groups.G14)); // 73 Group 14
        mmx(0x74, "pcmpeqb", VW);                      // 74
        mmx(0x75, "pcmpeqw", VW);                      // 75
        mmx(0x76, "pcmpeqd", VW);                      // 76
        sse(0x77, "emms - - -", NONE);                 // 77 EMMS
        only(0x78, NP, "vmread", EvGv, F64);           // 78 VMREAD Ey, Gy
        sse(0x78, "- extrq - -", RIbIb);               // 66 0F 78 /0: EXTRQ Uq, Ib, Ib (SSE4a; Capstone takes any reg)
        sse(0x78, "- - - insertq", RIbIb);             // F2 0F 78: INSERTQ Vq, Uq, Ib, Ib (SSE4a)
        only(0x79, NP, "vmwrite", GvEv, F64);          // 79 VMWRITE Gy, Ey
        sse(0x79, "- extrq - insertq", VU);            // 79 EXTRQ/INSERTQ register forms (SSE4a)
        sse(0x7C, "- haddpd - haddps", VW);            // 7C
        sse(0x7D, "- hsubpd - hsubps", VW);            // 7D
        sse(0x7E, "movd movd movq -", VW);             // 7E MOVD/MOVQ Ey, P/V; F3: MOVQ V, W
        sse(0x7F, "movq movdqa movdqu -", WV);         // 7F
        any(0xA0, "push", NONE, D64);                  // A0 PUSH FS
        any(0xA1, "pop", NONE, D64);                   // A1 POP FS
        any(0xA2, "cpuid", NONE);                      // A2 CPUID
        any(0xA3, "bt", EvGv);                         // A3 BT Ev, Gv
        any(0xA4, "shld", EvGvIb);                     // A4 SHLD Ev, Gv, Ib
        any(0xA5, "shld", EvGv);                       // A5 SHLD Ev, Gv, CL
        grp(0xA6, Groups.PADLOCK_A6);                  // A6 VIA PadLock: MONTMUL XSHA1 XSHA256
        grp(0xA7, Groups.PADLOCK_A7);                  // A7 VIA PadLock: XSTORE XCRYPT*
        any(0xA8, "push", NONE, D64);                  // A8 PUSH GS
        any(0xA9, "pop", NONE, D64);                   // A9 POP GS
        any(0xAA, "rsm", NONE);                        // AA RSM
        any(0xAB, "bts", EvGv, LOCK);                  // AB BTS Ev, Gv
        any(0xAC, "shrd", EvGvIb);                     // AC SHRD Ev, Gv, Ib
        any(0xAD, "shrd", EvGv);                       // AD SHRD Ev, Gv, CL
        grp(0xAE, Groups.G15);                         // AE Group 15: FXSAVE ... fences, FSGSBASE
        any(0xAF, "imul", GvEv);                       // AF IMUL Gv, Ev
        any(0xB0, "cmpxchg", EbGb, LOCK);              // B0 CMPXCHG Eb, Gb
        any(0xB1, "cmpxchg", EvGv, LOCK);              // B1 CMPXCHG Ev, Gv
        any(0xB2, "lss", GvM);                         // B2 LSS Gv, Mp
        any(0xB3, "btr", EvGv, LOCK);                  // B3 BTR Ev, Gv
        any(0xB4, "lfs", GvM);                         // B4 LFS Gv, Mp
        any(0xB5, "lgs", GvM);                         // B5 LGS Gv, Mp
        any(0xB6, "movzx", GvEv);                      // B6 MOVZX Gv, Eb
        any(0xB7, "movzx", GvEv);                      // B7 MOVZX Gv, Ew
        only(0xB8, PF3, "popcnt", GvEv, 0);            // F3 0F B8 POPCNT (no prefix: JMPE, not in 64-bit mode)
        any(0xB9, "ud1", GvEv);                        // B9 UD1 Gv, Ev (Group 10)
        grp(0xBA, Groups.G8);                          // BA Group 8: BT/BTS/BTR/BTC Ev, Ib
        any(0xBB, "btc", EvGv, LOCK);                  // BB BTC Ev, Gv
        only(0xBC, NP | P66, "bsf", GvEv, 0);          // BC BSF
        only(0xBC, PF3, "tzcnt", GvEv, 0);             // F3 0F BC TZCNT
        only(0xBD, NP | P66, "bsr", GvEv, 0);          // BD BSR
        only(0xBD, PF3, "lzcnt", GvEv, 0);             // F3 0F BD LZCNT
        any(0xBE, "movsx", GvEv);                      // BE MOVSX Gv, Eb
        any(0xBF, "movsx", GvEv);                      // BF MOVSX Gv, Ew
        any(0xC0, "xadd", EbGb, LOCK);                 // C0 XADD Eb, Gb
        any(0xC1, "xadd", EvGv, LOCK);                 // C1 XADD Ev, Gv
        sse(0xC2, "cmpps cmppd cmpss cmpsd", VWIb);    // C2 CMPccPS/PD/SS/SD
        only(0xC3, NP, "movnti", MG, 0);               // C3 MOVNTI My, Gy
        sse(0xC4, "pinsrw pinsrw - -", VWIb);          // C4 PINSRW P/V, Ry/Mw, Ib
        sse(0xC5, "pextrw pextrw - -", GUIb);          // C5 PEXTRW Gd, N/U, Ib
        sse(0xC6, "shufps shufpd - -", VWIb);          // C6 SHUFPS/PD
        grp(0xC7, Groups.G9);                          // C7 Group 9: CMPXCHG8B/16B, VMX, RDRAND/RDSEED
        for (int r = 0; r < 8; r++) {
            any(0xC8 + r, "bswap", Zv);                // C8-CF BSWAP r
        }
        sse(0xD0, "- addsubpd - addsubps", VW);        // D0
        mmx(0xD1, "psrlw", VW);                        // D1
        mmx(0xD2, "psrld", VW);                        // D2
        mmx(0xD3, "psrlq", VW);                        // D3
        mmx(0xD4, "paddq", VW);                        // D4
        mmx(0xD5, "pmullw", VW);                       // D5
        sse(0xD6, "- movq - -", WV);                   // D6 MOVQ Wq, Vq
        sse(0xD6, "- - movq2dq movdq2q", VU);          // F3/F2 0F D6: MOVQ2DQ Vdq, Nq / MOVDQ2Q Pq, Uq
        mmx(0xD7, "pmovmskb", GU);                     // D7
        mmx(0xD8, "psubusb", VW);                      // D8
        mmx(0xD9, "psubusw", VW);                      // D9
        mmx(0xDA, "pminub", VW);                       // DA
        mmx(0xDB, "pand", VW);                         // DB
        mmx(0xDC, "paddusb", VW);                      // DC
        mmx(0xDD, "paddusw", VW);                      // DD
        mmx(0xDE, "pmaxub", VW);                       // DE
        mmx(0xDF, "pandn", VW);                        // DF
        mmx(0xE0, "pavgb", VW);                        // E0
        mmx(0xE1, "psraw", VW);                        // E1
        mmx(0xE2, "psrad", VW);                        // E2
        mmx(0xE3, "pavgw", VW);                        // E3
        mmx(0xE4, "pmulhuw", VW);                      // E4
        mmx(0xE5, "pmulhw", VW);                       // E5
        sse(0xE6, "- cvttpd2dq cvtdq2pd cvtpd2dq", VW); // E6
        sse(0xE7, "movntq movntdq - -", MV);           // E7
        mmx(0xE8, "psubsb", VW);                       // E8
        mmx(0xE9, "psubsw", VW);                       // E9
        mmx(0xEA, "pminsw", VW);                       // EA
        mmx(0xEB, "por", VW);                          // EB
        mmx(0xEC, "paddsb", VW);                       // EC
        mmx(0xED, "paddsw", VW);                       // ED
        mmx(0xEE, "pmaxsw", VW);                       // EE
        mmx(0xEF, "pxor", VW);                         // EF
        sse(0xF0, "- - - lddqu", VM);                  // F0 LDDQU
        mmx(0xF1, "psllw", VW);                        // F1
        mmx(0xF2, "pslld", VW);                        // F2
        mmx(0xF3, "psllq", VW);                        // F3
        mmx(0xF4, "pmuludq", VW);                      // F4
        mmx(0xF5, "pmaddwd", VW);                      // F5
        mmx(0xF6, "psadbw", VW);                       // F6
        sse(0xF7, "maskmovq maskmovdqu - -", VU);      // F7 MASKMOVQ/MASKMOVDQU
        mmx(0xF8, "psubb", VW);                        // F8
        mmx(0xF9, "psubw", VW);                        // F9
        mmx(0xFA, "psubd", VW);                        // FA
        mmx(0xFB, "psubq", VW);                        // FB
        mmx(0xFC, "paddb", VW);                        // FC
        mmx(0xFD, "paddw", VW);                        // FD
        mmx(0xFE, "paddd", VW);                        // FE
        any(0xFF, "ud0", GvEv);                        // FF UD0 Gv, Ev
    }
}
