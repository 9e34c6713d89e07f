package dev.phoenix.x86;

import static dev.phoenix.x86.Form.VW;

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

    static void fill() {
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
