package dev.phoenix.x86;

import static dev.phoenix.x86.Entry.L0;
import static dev.phoenix.x86.Entry.W0;
import static dev.phoenix.x86.Form.EId;
import static dev.phoenix.x86.Form.VHW;
import static dev.phoenix.x86.Form.VHWIb;
import static dev.phoenix.x86.Form.VW;
import static dev.phoenix.x86.Form.VWIb;

/**
 * AMD's own maps, from the AMD64 Architecture Programmer's Manual Vol. 3, Appendix A.3
 * (Table A-16: 3DNow! opcodes, 0F 0F /r with the opcode in the trailing byte) and Vol. 4 / 6
 * (XOP maps 8, 9 and A, behind 8F with mmmmm >= 8; see {@link VexMaps} for their lines).
 */
final class AmdMaps {
    private AmdMaps() {
    }

    private static void now(int suffix, String name) {
        Tables.NOW[suffix] = Entry.make(name, VW, 0);
    }

    /** One XOP line: map 8 (every entry takes an Ib), 9 or A (an Id). */
    private static void xop(int map, int op, String name, Form form, int rules) {
        Tables.XOP[map - 8][op] = Entry.make(name, form, rules | Entry.MP);
    }

    private static void xopGroup(int map, int op, int group) {
        Tables.XOP[map - 8][op] = Tables.groupEntry(group);
    }

    static void fill() {
        String[] macs = {"vpmacssww", "vpmacsswd", "vpmacssdql"};
        for (int i = 0; i < 3; i++) {
            xop(8, 0x85 + i, macs[i], VHWIb, W0 | L0);          // XOP.8 85-87 VPMACSSWW/SWD/SDQL V, H, W, Is4
            xop(8, 0x95 + i, macs[i].replace("ss", "s"), VHWIb, W0 | L0); // XOP.8 95-97 VPMACSWW/SWD/SDQL
        }
        xop(8, 0x8E, "vpmacssdd", VHWIb, W0 | L0);              // XOP.8 8E VPMACSSDD
        xop(8, 0x8F, "vpmacssdqh", VHWIb, W0 | L0);             // XOP.8 8F VPMACSSDQH
        xop(8, 0x9E, "vpmacsdd", VHWIb, W0 | L0);               // XOP.8 9E VPMACSDD
        xop(8, 0x9F, "vpmacsdqh", VHWIb, W0 | L0);              // XOP.8 9F VPMACSDQH
        xop(8, 0xA2, "vpcmov", VHWIb, 0);                       // XOP.8 A2 VPCMOV V, H, W, Is4 (W swaps)
        xop(8, 0xA3, "vpperm", VHWIb, L0);                      // XOP.8 A3 VPPERM
        xop(8, 0xA6, "vpmadcsswd", VHWIb, W0 | L0);             // XOP.8 A6 VPMADCSSWD
        xop(8, 0xB6, "vpmadcswd", VHWIb, W0 | L0);              // XOP.8 B6 VPMADCSWD
        String[] bwdq = {"b", "w", "d", "q"};
        for (int i = 0; i < 4; i++) {
            xop(8, 0xC0 + i, "vprot" + bwdq[i], VWIb, W0 | L0); // XOP.8 C0-C3 VPROTB/W/D/Q V, W, Ib
            xop(8, 0xCC + i, "vpcom" + bwdq[i], VHWIb, W0 | L0); // XOP.8 CC-CF VPCOMB/W/D/Q V, H, W, Ib
            xop(8, 0xEC + i, "vpcomu" + bwdq[i], VHWIb, W0 | L0); // XOP.8 EC-EF VPCOMUB/UW/UD/UQ
            xop(9, 0x90 + i, "vprot" + bwdq[i], VHW, L0);       // XOP.9 90-93 VPROTB/W/D/Q V, W, H (W swaps)
            xop(9, 0x94 + i, "vpshl" + bwdq[i], VHW, L0);       // XOP.9 94-97 VPSHLB/W/D/Q
            xop(9, 0x98 + i, "vpsha" + bwdq[i], VHW, L0);       // XOP.9 98-9B VPSHAB/W/D/Q
        }
        xopGroup(9, 0x01, Groups.XG1);                          // XOP.9 01 TBM group 1
        xopGroup(9, 0x02, Groups.XG2);                          // XOP.9 02 TBM group 2
        xopGroup(9, 0x12, Groups.XG12);                         // XOP.9 12 LWP: LLWPCB, SLWPCB
        xop(9, 0x80, "vfrczps", VW, W0);                        // XOP.9 80 VFRCZPS
        xop(9, 0x81, "vfrczpd", VW, W0);                        // XOP.9 81 VFRCZPD
        xop(9, 0x82, "vfrczss", VW, W0 | L0);                   // XOP.9 82 VFRCZSS
        xop(9, 0x83, "vfrczsd", VW, W0 | L0);                   // XOP.9 83 VFRCZSD
        String[] hadd = {null, "vphaddbw", "vphaddbd", "vphaddbq", null, null, "vphaddwd", "vphaddwq",
            null, null, null, "vphadddq"};
        for (int i = 0; i < hadd.length; i++) {
            if (hadd[i] != null) {
                xop(9, 0xC0 + i, hadd[i], VW, W0 | L0);          // XOP.9 C1-CB VPHADD*
                xop(9, 0xD0 + i, hadd[i].replace("vphadd", "vphaddu"), VW, W0 | L0); // XOP.9 D1-DB VPHADDU*
            }
        }
        xop(9, 0xE1, "vphsubbw", VW, W0 | L0);                  // XOP.9 E1 VPHSUBBW
        xop(9, 0xE2, "vphsubwd", VW, W0 | L0);                  // XOP.9 E2 VPHSUBWD
        xop(9, 0xE3, "vphsubdq", VW, W0 | L0);                  // XOP.9 E3 VPHSUBDQ
        xop(10, 0x10, "bextr", EId, L0);                        // XOP.A 10 BEXTR Gy, Ey, Id (TBM)
        xopGroup(10, 0x12, Groups.XGA12);                       // XOP.A 12 LWP: LWPINS, LWPVAL

        now(0x0C, "pi2fw");      // 0F 0F /r 0C: PI2FW
        now(0x0D, "pi2fd");      // 0D: PI2FD
        now(0x1C, "pf2iw");      // 1C: PF2IW
        now(0x1D, "pf2id");      // 1D: PF2ID
        now(0x8A, "pfnacc");     // 8A: PFNACC
        now(0x8E, "pfpnacc");    // 8E: PFPNACC
        now(0x90, "pfcmpge");    // 90: PFCMPGE
        now(0x94, "pfmin");      // 94: PFMIN
        now(0x96, "pfrcp");      // 96: PFRCP
        now(0x97, "pfrsqrt");    // 97: PFRSQRT
        now(0x9A, "pfsub");      // 9A: PFSUB
        now(0x9E, "pfadd");      // 9E: PFADD
        now(0xA0, "pfcmpgt");    // A0: PFCMPGT
        now(0xA4, "pfmax");      // A4: PFMAX
        now(0xA6, "pfrcpit1");   // A6: PFRCPIT1
        now(0xA7, "pfrsqit1");   // A7: PFRSQIT1
        now(0xAA, "pfsubr");     // AA: PFSUBR
        now(0xAE, "pfacc");      // AE: PFACC
        now(0xB0, "pfcmpeq");    // B0: PFCMPEQ
        now(0xB4, "pfmul");      // B4: PFMUL
        now(0xB6, "pfrcpit2");   // B6: PFRCPIT2
        now(0xB7, "pmulhrw");    // B7: PMULHRW
        now(0xBB, "pswapd");     // BB: PSWAPD
        now(0xBF, "pavgusb");    // BF: PAVGUSB
    }
}
