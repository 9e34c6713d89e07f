package dev.phoenix.x86;

import static dev.phoenix.x86.Entry.D64;
import static dev.phoenix.x86.Entry.EXACT;
import static dev.phoenix.x86.Entry.F64;
import static dev.phoenix.x86.Entry.LOCK;
import static dev.phoenix.x86.Entry.MP;
import static dev.phoenix.x86.Entry.NOBCST;
import static dev.phoenix.x86.Entry.NOER;
import static dev.phoenix.x86.Entry.NOMASK;
import static dev.phoenix.x86.Form.*;
import static dev.phoenix.x86.Tables.ANY;
import static dev.phoenix.x86.Tables.NP;
import static dev.phoenix.x86.Tables.P66;
import static dev.phoenix.x86.Tables.PF2;
import static dev.phoenix.x86.Tables.PF3;

/**
 * SDM Vol. 2, Appendix A.4.2, Table A-6: Opcode Extensions for One- and Two-byte Opcodes by
 * Group Number (ModRM.reg selects the instruction; some rows differ for mod = 3 and by
 * mandatory prefix). One line per (group, reg). Group 7's register forms are keyed by the
 * whole ModRM byte ({@code g7}).
 */
final class Groups {
    private Groups() {
    }

    static final int G1_EB_IB = 1, G1_EV_IZ = 2, G1_EV_IB = 3, G1A = 4, G2_EB_IB = 5, G2_EV_IB = 6,
            G2_EB_1 = 7, G2_EV_1 = 8, G2_EB_CL = 9, G2_EV_CL = 10, G3_EB = 11, G3_EV = 12, G4 = 13, G5 = 14,
            G11_EB_IB = 15, G11_EV_IZ = 16, G6 = 17, G7 = 18, G8 = 19, G9 = 20, G12 = 21, G13 = 22, G14 = 23,
            G15 = 24, G16 = 25, GP = 26, G1C = 28, G1E = 29, PADLOCK_A6 = 30, PADLOCK_A7 = 31,
            VG12 = 32, VG13 = 33, VG14 = 34, VG15 = 35, VG17 = 36, EG12 = 37, EG13 = 38, EG14 = 39, EG18 = 40, EG19 = 41, XG1 = 42, XG2 = 43, XG12 = 44, XGA12 = 45;

    private static void put(int g, int slot, int ppMask, int entry) {
        for (int pp = 0; pp < 4; pp++) {
            if ((ppMask & (1 << pp)) != 0) {
                Tables.GROUPS[g][pp][slot] = entry;
            }
        }
    }

    /** Memory and register forms. */
    static void both(int g, int reg, int ppMask, String name, Form form, int flags) {
        int e = Entry.make(name, form, flags);
        put(g, reg, ppMask, e);
        put(g, reg + 8, ppMask, e);
    }

    static void mem(int g, int reg, int ppMask, String name, Form form, int flags) {
        put(g, reg, ppMask, Entry.make(name, form, flags));
    }

    static void reg(int g, int reg, int ppMask, String name, Form form, int flags) {
        put(g, reg + 8, ppMask, Entry.make(name, form, flags));
    }

    /** Group 7 with mod = 3: one line per ModRM byte. */
    static void g7(int modrm, int ppMask, String name) {
        for (int pp = 0; pp < 4; pp++) {
            if ((ppMask & (1 << pp)) != 0) {
                Tables.G7_REG[pp][modrm & 0x3F] = Entry.make(name, NONE, 0);
            }
        }
    }

    static void fill() {
        String[] alu = {"add", "or", "adc", "sbb", "and", "sub", "xor", "cmp"};
        for (int r = 0; r < 8; r++) {
            int lock = r == 7 ? 0 : LOCK;
            both(G1_EB_IB, r, ANY, alu[r], EIb, lock);     // 80 /r: ALU Eb, Ib
            both(G1_EV_IZ, r, ANY, alu[r], EIz, lock);     // 81 /r: ALU Ev, Iz
            both(G1_EV_IB, r, ANY, alu[r], EIb, lock);     // 83 /r: ALU Ev, Ib (sign-extended)
        }
        both(G1A, 0, ANY, "pop", E, D64);                  // 8F /0: POP Ev
        String[] shift = {"rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar"};
        for (int r = 0; r < 8; r++) {
            both(G2_EB_IB, r, ANY, shift[r], EIb, 0);      // C0 /r: shift Eb, Ib
            both(G2_EV_IB, r, ANY, shift[r], EIb, 0);      // C1 /r: shift Ev, Ib
            both(G2_EB_1, r, ANY, shift[r], E, 0);         // D0 /r: shift Eb, 1
            both(G2_EV_1, r, ANY, shift[r], E, 0);         // D1 /r: shift Ev, 1
            both(G2_EB_CL, r, ANY, shift[r], E, 0);        // D2 /r: shift Eb, CL
            both(G2_EV_CL, r, ANY, shift[r], E, 0);        // D3 /r: shift Ev, CL
        }
        both(G3_EB, 0, ANY, "test", EIb, 0);               // F6 /0: TEST Eb, Ib
        both(G3_EB, 1, ANY, "test", EIb, 0);               // F6 /1: TEST Eb, Ib (alias)
        both(G3_EV, 0, ANY, "test", EIz, 0);               // F7 /0: TEST Ev, Iz
        both(G3_EV, 1, ANY, "test", EIz, 0);               // F7 /1: TEST Ev, Iz (alias)
        String[] g3 = {null, null, "not", "neg", "mul", "imul", "div", "idiv"};
        for (int r = 2; r < 8; r++) {
            int lock = r < 4 ? LOCK : 0;
            both(G3_EB, r, ANY, g3[r], E, lock);           // F6 /2-/7: NOT NEG MUL IMUL DIV IDIV Eb
            both(G3_EV, r, ANY, g3[r], E, lock);           // F7 /2-/7: same, Ev
        }
        both(G4, 0, ANY, "inc", E, LOCK);                  // FE /0: INC Eb
        both(G4, 1, ANY, "dec", E, LOCK);                  // FE /1: DEC Eb
        both(G5, 0, ANY, "inc", E, LOCK);                  // FF /0: INC Ev
        both(G5, 1, ANY, "dec", E, LOCK);                  // FF /1: DEC Ev
        both(G5, 2, ANY, "call", E, F64);                  // FF /2: CALL Ev (near, 64-bit)
        mem(G5, 3, ANY, "lcall", M, 0);                    // FF /3: CALLF Mp
        both(G5, 4, ANY, "jmp", E, F64);                   // FF /4: JMP Ev (near, 64-bit)
        mem(G5, 5, ANY, "ljmp", M, 0);                     // FF /5: JMPF Mp
        both(G5, 6, ANY, "push", E, D64);                  // FF /6: PUSH Ev
        both(G11_EB_IB, 0, ANY, "mov", EIb, 0);            // C6 /0: MOV Eb, Ib
        reg(G11_EB_IB, 7, ANY, "xabort", RIb, EXACT);      // C6 F8: XABORT Ib (RTM)
        both(G11_EV_IZ, 0, ANY, "mov", EIz, 0);            // C7 /0: MOV Ev, Iz
        reg(G11_EV_IZ, 7, ANY, "xbegin", RJz, EXACT);      // C7 F8: XBEGIN rel32 (rel16 with 66) (RTM)

        both(G6, 0, ANY, "sldt", E, 0);                    // 0F 00 /0: SLDT Rv/Mw
        both(G6, 1, ANY, "str", E, 0);                     // 0F 00 /1: STR Rv/Mw
        both(G6, 2, ANY, "lldt", E, 0);                    // 0F 00 /2: LLDT Ew
        both(G6, 3, ANY, "ltr", E, 0);                     // 0F 00 /3: LTR Ew
        both(G6, 4, ANY, "verr", E, 0);                    // 0F 00 /4: VERR Ew
        both(G6, 5, ANY, "verw", E, 0);                    // 0F 00 /5: VERW Ew
        mem(G7, 0, ANY, "sgdt", M, 0);                     // 0F 01 /0: SGDT Ms
        mem(G7, 1, ANY, "sidt", M, 0);                     // 0F 01 /1: SIDT Ms
        mem(G7, 2, ANY, "lgdt", M, 0);                     // 0F 01 /2: LGDT Ms
        mem(G7, 3, ANY, "lidt", M, 0);                     // 0F 01 /3: LIDT Ms
        mem(G7, 4, ANY, "smsw", M, 0);                     // 0F 01 /4: SMSW Mw
        mem(G7, 5, PF3, "rstorssp", M, 0);                 // F3 0F 01 /5: RSTORSSP Mq (CET)
        mem(G7, 6, ANY, "lmsw", M, 0);                     // 0F 01 /6: LMSW Ew
        mem(G7, 7, ANY, "invlpg", M, 0);                   // 0F 01 /7: INVLPG Mb
        g7(0xC0, ANY, "enclv");                            // 0F 01 C0: ENCLV
        g7(0xC1, ANY, "vmcall");                           // 0F 01 C1: VMCALL
        g7(0xC2, ANY, "vmlaunch");                         // 0F 01 C2: VMLAUNCH
        g7(0xC3, ANY, "vmresume");                         // 0F 01 C3: VMRESUME
        g7(0xC4, ANY, "vmxoff");                           // 0F 01 C4: VMXOFF
        g7(0xC5, ANY, "pconfig");                          // 0F 01 C5: PCONFIG
        g7(0xC8, ANY, "monitor");                          // 0F 01 C8: MONITOR
        g7(0xC9, ANY, "mwait");                            // 0F 01 C9: MWAIT
        g7(0xCA, ANY, "clac");                             // 0F 01 CA: CLAC
        g7(0xCB, ANY, "stac");                             // 0F 01 CB: STAC
        g7(0xCF, ANY, "encls");                            // 0F 01 CF: ENCLS
        g7(0xD0, ANY, "xgetbv");                           // 0F 01 D0: XGETBV
        g7(0xD1, ANY, "xsetbv");                           // 0F 01 D1: XSETBV
        g7(0xD4, ANY, "vmfunc");                           // 0F 01 D4: VMFUNC
        g7(0xD5, ANY, "xend");                             // 0F 01 D5: XEND
        g7(0xD6, ANY, "xtest");                            // 0F 01 D6: XTEST
        g7(0xD7, ANY, "enclu");                            // 0F 01 D7: ENCLU
        g7(0xD8, ANY, "vmrun");                            // 0F 01 D8: VMRUN (AMD SVM)
        g7(0xD9, ANY, "vmmcall");                          // 0F 01 D9: VMMCALL
        g7(0xDA, ANY, "vmload");                           // 0F 01 DA: VMLOAD
        g7(0xDB, ANY, "vmsave");                           // 0F 01 DB: VMSAVE
        g7(0xDC, ANY, "stgi");                             // 0F 01 DC: STGI
        g7(0xDD, ANY, "clgi");                             // 0F 01 DD: CLGI
        g7(0xDE, ANY, "skinit");                           // 0F 01 DE: SKINIT
        g7(0xDF, ANY, "invlpga");                          // 0F 01 DF: INVLPGA
        for (int r = 0; r < 8; r++) {
            g7(0xE0 + r, ANY, "smsw");                     // 0F 01 E0-E7: SMSW Rv
            g7(0xF0 + r, ANY, "lmsw");                     // 0F 01 F0-F7: LMSW Rw
        }
        g7(0xE8, PF3, "setssbsy");                         // F3 0F 01 E8: SETSSBSY (CET)
        g7(0xEA, PF3, "saveprevssp");                      // F3 0F 01 EA: SAVEPREVSSP (CET)
        g7(0xEE, ANY, "rdpkru");                           // 0F 01 EE: RDPKRU
        g7(0xEF, ANY, "wrpkru");                           // 0F 01 EF: WRPKRU
        g7(0xF8, ANY, "swapgs");                           // 0F 01 F8: SWAPGS
        g7(0xF9, ANY, "rdtscp");                           // 0F 01 F9: RDTSCP
        g7(0xFA, ANY, "monitorx");                         // 0F 01 FA: MONITORX (AMD)
        g7(0xFB, ANY, "mwaitx");                           // 0F 01 FB: MWAITX (AMD)
        g7(0xFC, ANY, "clzero");                           // 0F 01 FC: CLZERO (AMD)
        g7(0xFD, NP, "rdpru");                             // 0F 01 FD: RDPRU (AMD)
        both(G8, 4, ANY, "bt", EIb, 0);                    // 0F BA /4: BT Ev, Ib
        both(G8, 5, ANY, "bts", EIb, LOCK);                // 0F BA /5: BTS Ev, Ib
        both(G8, 6, ANY, "btr", EIb, LOCK);                // 0F BA /6: BTR Ev, Ib
        both(G8, 7, ANY, "btc", EIb, LOCK);                // 0F BA /7: BTC Ev, Ib
        mem(G9, 1, ANY, "cmpxchg8b", M, LOCK);             // 0F C7 /1: CMPXCHG8B/16B Mq/Mdq
        mem(G9, 3, ANY, "xrstors", M, 0);                  // 0F C7 /3: XRSTORS
        mem(G9, 4, ANY, "xsavec", M, 0);                   // 0F C7 /4: XSAVEC
        mem(G9, 5, ANY, "xsaves", M, 0);                   // 0F C7 /5: XSAVES
        mem(G9, 6, NP, "vmptrld", M, 0);                   // 0F C7 /6: VMPTRLD Mq
        mem(G9, 6, P66, "vmclear", M, 0);                  // 66 0F C7 /6: VMCLEAR Mq
        mem(G9, 6, PF3, "vmxon", M, 0);                    // F3 0F C7 /6: VMXON Mq
        mem(G9, 7, NP, "vmptrst", M, 0);                   // 0F C7 /7: VMPTRST Mq
        reg(G9, 6, NP | P66, "rdrand", R, 0);              // 0F C7 /6: RDRAND Rv
        reg(G9, 7, NP | P66, "rdseed", R, 0);              // 0F C7 /7: RDSEED Rv
        reg(G9, 7, PF3, "rdpid", R, 0);                    // F3 0F C7 /7: RDPID Rq
        reg(G12, 2, NP | P66, "psrlw", RIb, MP);           // 0F 71 /2: PSRLW N/U, Ib
        reg(G12, 4, NP | P66, "psraw", RIb, MP);           // 0F 71 /4: PSRAW
        reg(G12, 6, NP | P66, "psllw", RIb, MP);           // 0F 71 /6: PSLLW
        reg(G13, 2, NP | P66, "psrld", RIb, MP);           // 0F 72 /2: PSRLD
        reg(G13, 4, NP | P66, "psrad", RIb, MP);           // 0F 72 /4: PSRAD
        reg(G13, 6, NP | P66, "pslld", RIb, MP);           // 0F 72 /6: PSLLD
        reg(G14, 2, NP | P66, "psrlq", RIb, MP);           // 0F 73 /2: PSRLQ
        reg(G14, 6, NP | P66, "psllq", RIb, MP);           // 0F 73 /6: PSLLQ
        reg(G14, 3, P66, "psrldq", RIb, MP);               // 66 0F 73 /3: PSRLDQ Udq, Ib
        reg(G14, 7, P66, "pslldq", RIb, MP);               // 66 0F 73 /7: PSLLDQ Udq, Ib
        mem(G15, 0, ANY, "fxsave", M, Entry.NOREP66);      // 0F AE /0: FXSAVE
        mem(G15, 1, ANY, "fxrstor", M, Entry.NOREP66);     // 0F AE /1: FXRSTOR
        mem(G15, 2, ANY, "ldmxcsr", M, Entry.NOREP66);     // 0F AE /2: LDMXCSR
        mem(G15, 3, ANY, "stmxcsr", M, Entry.NOREP66);     // 0F AE /3: STMXCSR
        mem(G15, 4, NP, "xsave", M, 0);                    // 0F AE /4: XSAVE
        mem(G15, 5, NP, "xrstor", M, 0);                   // 0F AE /5: XRSTOR
        mem(G15, 6, NP, "xsaveopt", M, 0);                 // 0F AE /6: XSAVEOPT
        mem(G15, 7, NP, "clflush", M, 0);                  // 0F AE /7: CLFLUSH
        mem(G15, 6, P66, "clwb", M, MP);                   // 66 0F AE /6: CLWB
        mem(G15, 7, P66, "clflushopt", M, MP);             // 66 0F AE /7: CLFLUSHOPT
        both(G15, 4, PF3, "ptwrite", E, Entry.NOREP66);                // F3 0F AE /4: PTWRITE Ey
        mem(G15, 6, PF3, "clrssbsy", M, Entry.NOREP66);                // F3 0F AE /6: CLRSSBSY Mq (CET)
        reg(G15, 0, PF3, "rdfsbase", R, Entry.NOREP66);                // F3 0F AE /0: RDFSBASE Ry
        reg(G15, 1, PF3, "rdgsbase", R, Entry.NOREP66);                // F3 0F AE /1: RDGSBASE Ry
        reg(G15, 2, PF3, "wrfsbase", R, Entry.NOREP66);                // F3 0F AE /2: WRFSBASE Ry
        reg(G15, 3, PF3, "wrgsbase", R, Entry.NOREP66);                // F3 0F AE /3: WRGSBASE Ry
        reg(G15, 5, PF3, "incsspd", R, Entry.NOREP66);                 // F3 0F AE /5: INCSSPD/Q (CET)
        reg(G15, 6, PF3, "umonitor", R, Entry.NOREP66);                // F3 0F AE /6: UMONITOR
        reg(G15, 6, P66, "tpause", R, MP);                 // 66 0F AE /6: TPAUSE
        reg(G15, 6, PF2, "umwait", R, Entry.NOREP66);                  // F2 0F AE /6: UMWAIT
        reg(G15, 5, NP, "lfence", R, EXACT);               // 0F AE E8: LFENCE
        reg(G15, 6, NP, "mfence", R, EXACT);               // 0F AE F0: MFENCE
        reg(G15, 7, NP, "sfence", R, EXACT);               // 0F AE F8: SFENCE
        mem(G16, 0, ANY, "prefetchnta", M, 0);             // 0F 18 /0: PREFETCHNTA
        mem(G16, 1, ANY, "prefetcht0", M, 0);              // 0F 18 /1: PREFETCHT0
        mem(G16, 2, ANY, "prefetcht1", M, 0);              // 0F 18 /2: PREFETCHT1
        mem(G16, 3, ANY, "prefetcht2", M, 0);              // 0F 18 /3: PREFETCHT2
        for (int r = 4; r < 8; r++) {
            both(G16, r, ANY, "nop", E, 0);                // 0F 18 /4-/7: reserved hint NOP Ev
        }
        mem(GP, 0, ANY, "prefetch", M, 0);                 // 0F 0D /0: PREFETCH (AMD)
        mem(GP, 1, ANY, "prefetchw", M, 0);                // 0F 0D /1: PREFETCHW
        mem(GP, 2, ANY, "prefetchwt1", M, 0);              // 0F 0D /2: PREFETCHWT1
        mem(G1C, 0, NP | PF3 | PF2, "cldemote", M, 0);                // 0F 1C /0: CLDEMOTE Mb
        for (int r = 0; r < 8; r++) {
            mem(G1C, r, P66, "nop", M, 0);                 // 66 0F 1C: hint NOP Mw
            mem(G1E, r, ANY, "nop", M, 0);                 // 0F 1E: hint NOP M
        }
        reg(G1E, 1, PF3, "rdsspd", R, 0);                  // F3 0F 1E /1: RDSSPD/Q Ry (CET)
        put(G1E, 15, PF3, Entry.make("endbr", R, 0));     // F3 0F 1E FA/FB: ENDBR64/ENDBR32 (rm checked by the decoder)
        // VEX groups (66 prefix; pp 1 in the VEX word): the destination is VEX.vvvv.
        reg(VG12, 2, P66, "vpsrlw", HUIb, MP);             // VEX.66.0F 71 /2: VPSRLW H, U, Ib
        reg(VG12, 4, P66, "vpsraw", HUIb, MP);             // VEX.66.0F 71 /4: VPSRAW
        reg(VG12, 6, P66, "vpsllw", HUIb, MP);             // VEX.66.0F 71 /6: VPSLLW
        reg(VG13, 2, P66, "vpsrld", HUIb, MP);             // VEX.66.0F 72 /2: VPSRLD
        reg(VG13, 4, P66, "vpsrad", HUIb, MP);             // VEX.66.0F 72 /4: VPSRAD
        reg(VG13, 6, P66, "vpslld", HUIb, MP);             // VEX.66.0F 72 /6: VPSLLD
        reg(VG14, 2, P66, "vpsrlq", HUIb, MP);             // VEX.66.0F 73 /2: VPSRLQ
        reg(VG14, 3, P66, "vpsrldq", HUIb, MP);            // VEX.66.0F 73 /3: VPSRLDQ
        reg(VG14, 6, P66, "vpsllq", HUIb, MP);             // VEX.66.0F 73 /6: VPSLLQ
        reg(VG14, 7, P66, "vpslldq", HUIb, MP);            // VEX.66.0F 73 /7: VPSLLDQ
        mem(VG15, 2, NP, "vldmxcsr", M, MP | Entry.L0);    // VEX.0F AE /2: VLDMXCSR Md
        mem(VG15, 3, NP, "vstmxcsr", M, MP | Entry.L0);    // VEX.0F AE /3: VSTMXCSR Md
        both(VG17, 1, NP, "blsr", HE, MP | Entry.L0);      // VEX.0F38 F3 /1: BLSR By, Ey (BMI1)
        both(VG17, 2, NP, "blsmsk", HE, MP | Entry.L0);    // VEX.0F38 F3 /2: BLSMSK By, Ey
        both(VG17, 3, NP, "blsi", HE, MP | Entry.L0);      // VEX.0F38 F3 /3: BLSI By, Ey
        // EVEX groups (66 prefix): the destination is EVEX.vvvv; the source may be memory.
        both(EG12, 2, P66, "vpsrlw", HWIb, MP | NOBCST | NOER);            // EVEX.66.0F 71 /2: VPSRLW H, W, Ib
        both(EG12, 4, P66, "vpsraw", HWIb, MP | NOBCST | NOER);            // EVEX.66.0F 71 /4: VPSRAW
        both(EG12, 6, P66, "vpsllw", HWIb, MP | NOBCST | NOER);            // EVEX.66.0F 71 /6: VPSLLW
        both(EG13, 0, P66, "vprord", HWIb, MP | NOER);            // EVEX.66.0F 72 /0: VPRORD/Q
        both(EG13, 1, P66, "vprold", HWIb, MP | NOER);            // EVEX.66.0F 72 /1: VPROLD/Q
        both(EG13, 2, P66, "vpsrld", HWIb, MP | NOER | Entry.W0); // EVEX.66.0F 72 /2: VPSRLD
        both(EG13, 4, P66, "vpsrad", HWIb, MP | NOER);            // EVEX.66.0F 72 /4: VPSRAD/Q
        both(EG13, 6, P66, "vpslld", HWIb, MP | NOER | Entry.W0); // EVEX.66.0F 72 /6: VPSLLD
        both(EG14, 2, P66, "vpsrlq", HWIb, MP | NOER | Entry.W1); // EVEX.66.0F 73 /2: VPSRLQ
        both(EG14, 3, P66, "vpsrldq", HWIb, MP | NOBCST | NOER | NOMASK | Entry.NOZREG | Entry.NOZMEM);           // EVEX.66.0F 73 /3: VPSRLDQ
        both(EG14, 6, P66, "vpsllq", HWIb, MP | NOER | Entry.W1); // EVEX.66.0F 73 /6: VPSLLQ
        both(EG14, 7, P66, "vpslldq", HWIb, MP | NOBCST | NOER | NOMASK | Entry.NOZREG | Entry.NOZMEM);           // EVEX.66.0F 73 /7: VPSLLDQ
        String[] pf = {null, "vgatherpf0dps", "vgatherpf1dps", null, null, "vscatterpf0dps", "vscatterpf1dps", null};
        for (int r = 0; r < 8; r++) {
            if (pf[r] != null) {
                mem(EG18, r, P66, pf[r], VSIB1, MP | EvexMaps.L512); // EVEX.512.66.0F38 C6 /r: prefetch vm32 {k}
                mem(EG19, r, P66, pf[r].replace("dps", "qps"), VSIB1, MP | EvexMaps.L512); // C7 /r: vm64
            }
        }
        // XOP groups (AMD APM Vol. 3, TBM and LWP): the destination of TBM is XOP.vvvv.
        String[] tbm1 = {null, "blcfill", "blsfill", "blcs", "tzmsk", "blcic", "blsic", "t1mskc"};
        for (int r = 1; r < 8; r++) {
            both(XG1, r, NP, tbm1[r], HE, MP | Entry.L0);  // XOP.9 01 /r: BLCFILL ... T1MSKC By, Ey (TBM)
        }
        both(XG2, 1, NP, "blcmsk", HE, MP | Entry.L0);     // XOP.9 02 /1: BLCMSK By, Ey
        both(XG2, 6, NP, "blci", HE, MP | Entry.L0);       // XOP.9 02 /6: BLCI By, Ey
        reg(XG12, 0, NP, "llwpcb", R, MP | Entry.L0);      // XOP.9 12 /0: LLWPCB Ry (LWP)
        reg(XG12, 1, NP, "slwpcb", R, MP | Entry.L0);      // XOP.9 12 /1: SLWPCB Ry
        both(XGA12, 0, NP, "lwpins", EIdH, MP | Entry.L0); // XOP.A 12 /0: LWPINS By, Ed, Id
        both(XGA12, 1, NP, "lwpval", EIdH, MP | Entry.L0); // XOP.A 12 /1: LWPVAL By, Ed, Id
        reg(PADLOCK_A6, 0, ANY, "montmul", R, EXACT);      // 0F A6 C0: MONTMUL (VIA PadLock)
        reg(PADLOCK_A6, 1, ANY, "xsha1", R, EXACT);        // 0F A6 C8: XSHA1
        reg(PADLOCK_A6, 2, ANY, "xsha256", R, EXACT);      // 0F A6 D0: XSHA256
        reg(PADLOCK_A7, 0, ANY, "xstore", R, EXACT);       // 0F A7 C0: XSTORE
        reg(PADLOCK_A7, 1, ANY, "xcryptecb", R, EXACT);    // 0F A7 C8: XCRYPTECB
        reg(PADLOCK_A7, 2, ANY, "xcryptcbc", R, EXACT);    // 0F A7 D0: XCRYPTCBC
        reg(PADLOCK_A7, 3, ANY, "xcryptctr", R, EXACT);    // 0F A7 D8: XCRYPTCTR
        reg(PADLOCK_A7, 4, ANY, "xcryptcfb", R, EXACT);    // 0F A7 E0: XCRYPTCFB
        reg(PADLOCK_A7, 5, ANY, "xcryptofb", R, EXACT);    // 0F A7 E8: XCRYPTOFB
    }
}
