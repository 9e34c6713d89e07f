package dev.phoenix.x86;

import static dev.phoenix.x86.Entry.ERW1;
import static dev.phoenix.x86.Entry.L0;
import static dev.phoenix.x86.Entry.L1;
import static dev.phoenix.x86.Entry.NOBCST;
import static dev.phoenix.x86.Entry.NOER;
import static dev.phoenix.x86.Entry.NOMASK;
import static dev.phoenix.x86.Entry.NOZMEM;
import static dev.phoenix.x86.Entry.NOZREG;
import static dev.phoenix.x86.Entry.W0;
import static dev.phoenix.x86.Entry.W1;
import static dev.phoenix.x86.Form.*;

/**
 * SDM Vol. 2, Chapter 5 (the EVEX-encoded instruction pages, AVX-512 F/CD/BW/DQ/VL, IFMA, VBMI,
 * VBMI2, VNNI, BITALG, VPOPCNTDQ, ER, PF, 4FMAPS, 4VNNIW) and Vol. 2, 2.7 (EVEX encoding). One
 * line per (map, prefix, opcode): {@code e(map, pp, op, name, form, rules)}; rules W0/W1 (else
 * W picks the element size: ps/pd, d/q, b/w), L0 (128-bit only), L1 (256/512 only), L512 (512
 * only), else any vector length (scalars ignore it). Names are the W0 forms. What EVEX.b, aaa
 * and z may do (SDM 2.7.1-2.7.8: embedded broadcast, rounding/SAE, opmask, zeroing) is
 * NOBCST/NOER/NOMASK/NOZREG/NOZMEM, as Capstone 5 decodes them.
 */
final class EvexMaps {
    private EvexMaps() {
    }

    private static final int NP = 0, X66 = 1, XF3 = 2, XF2 = 3;
    /** 512-bit only: both L bits of the rule field. */
    static final int L512 = L0 | L1;

    private static void e(int map, int pp, int op, String name, Form form, int rules) {
        Tables.EVEX[map][pp][op] = Entry.make(name, form, rules | Entry.MP);
    }

    private static void grp(int map, int pp, int op, int group) {
        Tables.EVEX[map][pp][op] = Tables.groupEntry(group);
    }

    static void fill() {
        grp(1, X66, 0x71, Groups.EG12);                                  // 66 71 Group 12: VPSRLW/VPSRAW/VPSLLW H, W, Ib
        grp(1, X66, 0x72, Groups.EG13);                                  // 66 72 Group 13: VPRORD/VPROLD/VPSRLD/VPSRAD/VPSLLD
        grp(1, X66, 0x73, Groups.EG14);                                  // 66 73 Group 14: VPSRLQ/VPSRLDQ/VPSLLQ/VPSLLDQ
        grp(2, X66, 0xC6, Groups.EG18);                                  // 66 38 C6 Group 18: gather/scatter prefetch, dword index
        grp(2, X66, 0xC7, Groups.EG19);                                  // 66 38 C7 Group 19: gather/scatter prefetch, qword index
        // Map 1 (0F).
        e(1, NP, 0x10, "vmovups", VW, W0 | NOBCST | NOER);               // 10 VMOVUPS
        e(1, NP, 0x11, "vmovups", WV, W0 | NOBCST | NOER | NOZMEM);      // 11 VMOVUPS W, V
        e(1, NP, 0x12, "vmovlps", VHW, W0 | L0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 12 VMOVLPS / VMOVHLPS
        e(1, NP, 0x13, "vmovlps", MV, W0 | L0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 13 VMOVLPS M, V
        e(1, NP, 0x14, "vunpcklps", VHW, W0 | NOER);                     // 14 VUNPCKLPS
        e(1, NP, 0x15, "vunpckhps", VHW, W0 | NOER);                     // 15 VUNPCKHPS
        e(1, NP, 0x16, "vmovhps", VHW, W0 | L0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 16 VMOVHPS / VMOVLHPS
        e(1, NP, 0x17, "vmovhps", MV, W0 | L0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 17 VMOVHPS M, V
        e(1, NP, 0x28, "vmovaps", VW, W0 | NOBCST | NOER);               // 28 VMOVAPS
        e(1, NP, 0x29, "vmovaps", WV, W0 | NOBCST | NOER | NOZMEM);      // 29 VMOVAPS W, V
        e(1, NP, 0x2B, "vmovntps", MV, W0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 2B VMOVNTPS
        e(1, NP, 0x2E, "vucomiss", VW, W0 | NOBCST | NOMASK | NOZMEM | NOZREG); // 2E VUCOMISS
        e(1, NP, 0x2F, "vcomiss", VW, W0 | NOBCST | NOMASK | NOZMEM | NOZREG); // 2F VCOMISS
        e(1, NP, 0x51, "vsqrtps", VW, W0);                               // 51 VSQRTPS
        e(1, NP, 0x54, "vandps", VHW, W0 | NOER);                        // 54 VANDPS
        e(1, NP, 0x55, "vandnps", VHW, W0 | NOER);                       // 55 VANDNPS
        e(1, NP, 0x56, "vorps", VHW, W0 | NOER);                         // 56 VORPS
        e(1, NP, 0x57, "vxorps", VHW, W0 | NOER);                        // 57 VXORPS
        e(1, NP, 0x58, "vaddps", VHW, W0);                               // 58 VADDPS
        e(1, NP, 0x59, "vmulps", VHW, W0);                               // 59 VMULPS
        e(1, NP, 0x5A, "vcvtps2pd", VW, W0);                             // 5A VCVTPS2PD
        e(1, NP, 0x5B, "vcvtdq2ps", VW, 0);                              // 5B VCVTDQ2PS (W1: VCVTQQ2PS)
        e(1, NP, 0x5C, "vsubps", VHW, W0);                               // 5C VSUBPS
        e(1, NP, 0x5D, "vminps", VHW, W0);                               // 5D VMINPS
        e(1, NP, 0x5E, "vdivps", VHW, W0);                               // 5E VDIVPS
        e(1, NP, 0x5F, "vmaxps", VHW, W0);                               // 5F VMAXPS
        e(1, NP, 0x78, "vcvttps2udq", VW, 0);                            // 78 VCVTTPS2UDQ (W1: VCVTTPD2UDQ)
        e(1, NP, 0x79, "vcvtps2udq", VW, 0);                             // 79 VCVTPS2UDQ / VCVTPD2UDQ
        e(1, NP, 0xC2, "vcmpps", KHWIb, W0 | NOZMEM | NOZREG);           // C2 VCMPPS k, H, W, Ib
        e(1, NP, 0xC6, "vshufps", VHWIb, W0 | NOER);                     // C6 VSHUFPS
        e(1, X66, 0x10, "vmovupd", VW, W1 | NOBCST | NOER);              // 66 10 VMOVUPD
        e(1, X66, 0x11, "vmovupd", WV, W1 | NOBCST | NOER | NOZMEM);     // 66 11 VMOVUPD W, V
        e(1, X66, 0x12, "vmovlpd", VHM, W1 | L0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 12 VMOVLPD
        e(1, X66, 0x13, "vmovlpd", MV, W1 | L0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 13 VMOVLPD M, V
        e(1, X66, 0x14, "vunpcklpd", VHW, W1 | NOER);                    // 66 14 VUNPCKLPD
        e(1, X66, 0x15, "vunpckhpd", VHW, W1 | NOER);                    // 66 15 VUNPCKHPD
        e(1, X66, 0x16, "vmovhpd", VHM, W1 | L0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 16 VMOVHPD
        e(1, X66, 0x17, "vmovhpd", MV, W1 | L0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 17 VMOVHPD M, V
        e(1, X66, 0x28, "vmovapd", VW, W1 | NOBCST | NOER);              // 66 28 VMOVAPD
        e(1, X66, 0x29, "vmovapd", WV, W1 | NOBCST | NOER | NOZMEM);     // 66 29 VMOVAPD W, V
        e(1, X66, 0x2B, "vmovntpd", MV, W1 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 2B VMOVNTPD
        e(1, X66, 0x2E, "vucomisd", VW, W1 | NOBCST | NOMASK | NOZMEM | NOZREG); // 66 2E VUCOMISD
        e(1, X66, 0x2F, "vcomisd", VW, W1 | NOBCST | NOMASK | NOZMEM | NOZREG); // 66 2F VCOMISD
        e(1, X66, 0x51, "vsqrtpd", VW, W1);                              // 66 51 VSQRTPD
        e(1, X66, 0x54, "vandpd", VHW, W1 | NOER);                       // 66 54 VANDPD
        e(1, X66, 0x55, "vandnpd", VHW, W1 | NOER);                      // 66 55 VANDNPD
        e(1, X66, 0x56, "vorpd", VHW, W1 | NOER);                        // 66 56 VORPD
        e(1, X66, 0x57, "vxorpd", VHW, W1 | NOER);                       // 66 57 VXORPD
        e(1, X66, 0x58, "vaddpd", VHW, W1);                              // 66 58 VADDPD
        e(1, X66, 0x59, "vmulpd", VHW, W1);                              // 66 59 VMULPD
        e(1, X66, 0x5A, "vcvtpd2ps", VW, W1);                            // 66 5A VCVTPD2PS
        e(1, X66, 0x5B, "vcvtps2dq", VW, W0);                            // 66 5B VCVTPS2DQ
        e(1, X66, 0x5C, "vsubpd", VHW, W1);                              // 66 5C VSUBPD
        e(1, X66, 0x5D, "vminpd", VHW, W1);                              // 66 5D VMINPD
        e(1, X66, 0x5E, "vdivpd", VHW, W1);                              // 66 5E VDIVPD
        e(1, X66, 0x5F, "vmaxpd", VHW, W1);                              // 66 5F VMAXPD
        e(1, X66, 0x60, "vpunpcklbw", VHW, NOBCST | NOER);               // 66 60 VPUNPCKLBW
        e(1, X66, 0x61, "vpunpcklwd", VHW, NOBCST | NOER);               // 66 61 VPUNPCKLWD
        e(1, X66, 0x62, "vpunpckldq", VHW, W0 | NOER);                   // 66 62 VPUNPCKLDQ
        e(1, X66, 0x63, "vpacksswb", VHW, NOBCST | NOER);                // 66 63 VPACKSSWB
        e(1, X66, 0x64, "vpcmpgtb", KHW, NOBCST | NOER | NOZMEM | NOZREG); // 66 64 VPCMPGTB
        e(1, X66, 0x65, "vpcmpgtw", KHW, NOBCST | NOER | NOZMEM | NOZREG); // 66 65 VPCMPGTW
        e(1, X66, 0x66, "vpcmpgtd", KHW, W0 | NOER | NOZMEM | NOZREG);   // 66 66 VPCMPGTD
        e(1, X66, 0x67, "vpackuswb", VHW, NOBCST | NOER);                // 66 67 VPACKUSWB
        e(1, X66, 0x68, "vpunpckhbw", VHW, NOBCST | NOER);               // 66 68 VPUNPCKHBW
        e(1, X66, 0x69, "vpunpckhwd", VHW, NOBCST | NOER);               // 66 69 VPUNPCKHWD
        e(1, X66, 0x6A, "vpunpckhdq", VHW, W0 | NOER);                   // 66 6A VPUNPCKHDQ
        e(1, X66, 0x6B, "vpackssdw", VHW, W0 | NOER);                    // 66 6B VPACKSSDW
        e(1, X66, 0x6C, "vpunpcklqdq", VHW, W1 | NOER);                  // 66 6C VPUNPCKLQDQ
        e(1, X66, 0x6D, "vpunpckhqdq", VHW, W1 | NOER);                  // 66 6D VPUNPCKHQDQ
        e(1, X66, 0x6E, "vmovd", VE, L0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 6E VMOVD/VMOVQ V, Ey
        e(1, X66, 0x6F, "vmovdqa32", VW, NOBCST | NOER);                 // 66 6F VMOVDQA32/64
        e(1, X66, 0x70, "vpshufd", VWIb, W0 | NOER);                     // 66 70 VPSHUFD
        e(1, X66, 0x74, "vpcmpeqb", KHW, NOBCST | NOER | NOZMEM | NOZREG); // 66 74 VPCMPEQB k, H, W
        e(1, X66, 0x75, "vpcmpeqw", KHW, NOBCST | NOER | NOZMEM | NOZREG); // 66 75 VPCMPEQW
        e(1, X66, 0x76, "vpcmpeqd", KHW, W0 | NOER | NOZMEM | NOZREG);   // 66 76 VPCMPEQD
        e(1, X66, 0x78, "vcvttps2uqq", VW, 0);                           // 66 78 VCVTTPS2UQQ / VCVTTPD2UQQ
        e(1, X66, 0x79, "vcvtps2uqq", VW, 0);                            // 66 79 VCVTPS2UQQ / VCVTPD2UQQ
        e(1, X66, 0x7A, "vcvttps2qq", VW, 0);                            // 66 7A VCVTTPS2QQ / VCVTTPD2QQ
        e(1, X66, 0x7B, "vcvtps2qq", VW, 0);                             // 66 7B VCVTPS2QQ / VCVTPD2QQ
        e(1, X66, 0x7E, "vmovd", EV, L0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 7E VMOVD/VMOVQ Ey, V
        e(1, X66, 0x7F, "vmovdqa32", WV, NOBCST | NOER | NOZMEM);        // 66 7F VMOVDQA32/64 W, V
        e(1, X66, 0xC2, "vcmppd", KHWIb, W1 | NOZMEM | NOZREG);          // 66 C2 VCMPPD
        e(1, X66, 0xC4, "vpinsrw", HEIb, L0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 C4 VPINSRW
        e(1, X66, 0xC5, "vpextrw", GUIb, L0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 C5 VPEXTRW
        e(1, X66, 0xC6, "vshufpd", VHWIb, W1 | NOER);                    // 66 C6 VSHUFPD
        e(1, X66, 0xD1, "vpsrlw", VHW, W0 | NOBCST | NOER);              // 66 D1 VPSRLW
        e(1, X66, 0xD2, "vpsrld", VHW, W0 | NOBCST | NOER);              // 66 D2 VPSRLD
        e(1, X66, 0xD3, "vpsrlq", VHW, W1 | NOBCST | NOER);              // 66 D3 VPSRLQ
        e(1, X66, 0xD4, "vpaddq", VHW, W1 | NOER);                       // 66 D4 VPADDQ
        e(1, X66, 0xD5, "vpmullw", VHW, NOBCST | NOER);                  // 66 D5 VPMULLW
        e(1, X66, 0xD6, "vmovq", WV, W1 | L0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 D6 VMOVQ W, V
        e(1, X66, 0xD8, "vpsubusb", VHW, NOBCST | NOER);                 // 66 D8 VPSUBUSB
        e(1, X66, 0xD9, "vpsubusw", VHW, NOBCST | NOER);                 // 66 D9 VPSUBUSW
        e(1, X66, 0xDA, "vpminub", VHW, NOBCST | NOER);                  // 66 DA VPMINUB
        e(1, X66, 0xDB, "vpandd", VHW, NOER);                            // 66 DB VPANDD
        e(1, X66, 0xDC, "vpaddusb", VHW, NOBCST | NOER);                 // 66 DC VPADDUSB
        e(1, X66, 0xDD, "vpaddusw", VHW, NOBCST | NOER);                 // 66 DD VPADDUSW
        e(1, X66, 0xDE, "vpmaxub", VHW, NOBCST | NOER);                  // 66 DE VPMAXUB
        e(1, X66, 0xDF, "vpandnd", VHW, NOER);                           // 66 DF VPANDND
        e(1, X66, 0xE0, "vpavgb", VHW, NOBCST | NOER);                   // 66 E0 VPAVGB
        e(1, X66, 0xE1, "vpsraw", VHW, W0 | NOBCST | NOER);              // 66 E1 VPSRAW
        e(1, X66, 0xE2, "vpsrad", VHW, NOBCST | NOER);                   // 66 E2 VPSRAD
        e(1, X66, 0xE3, "vpavgw", VHW, NOBCST | NOER);                   // 66 E3 VPAVGW
        e(1, X66, 0xE4, "vpmulhuw", VHW, NOBCST | NOER);                 // 66 E4 VPMULHUW
        e(1, X66, 0xE5, "vpmulhw", VHW, NOBCST | NOER);                  // 66 E5 VPMULHW
        e(1, X66, 0xE6, "vcvttpd2dq", VW, W1);                           // 66 E6 VCVTTPD2DQ
        e(1, X66, 0xE7, "vmovntdq", MV, W0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 E7 VMOVNTDQ
        e(1, X66, 0xE8, "vpsubsb", VHW, NOBCST | NOER);                  // 66 E8 VPSUBSB
        e(1, X66, 0xE9, "vpsubsw", VHW, NOBCST | NOER);                  // 66 E9 VPSUBSW
        e(1, X66, 0xEA, "vpminsw", VHW, NOBCST | NOER);                  // 66 EA VPMINSW
        e(1, X66, 0xEB, "vpord", VHW, NOER);                             // 66 EB VPORD
        e(1, X66, 0xEC, "vpaddsb", VHW, NOBCST | NOER);                  // 66 EC VPADDSB
        e(1, X66, 0xED, "vpaddsw", VHW, NOBCST | NOER);                  // 66 ED VPADDSW
        e(1, X66, 0xEE, "vpmaxsw", VHW, NOBCST | NOER);                  // 66 EE VPMAXSW
        e(1, X66, 0xEF, "vpxord", VHW, NOER);                            // 66 EF VPXORD
        e(1, X66, 0xF1, "vpsllw", VHW, W0 | NOBCST | NOER);              // 66 F1 VPSLLW
        e(1, X66, 0xF2, "vpslld", VHW, W0 | NOBCST | NOER);              // 66 F2 VPSLLD
        e(1, X66, 0xF3, "vpsllq", VHW, W1 | NOBCST | NOER);              // 66 F3 VPSLLQ
        e(1, X66, 0xF4, "vpmuludq", VHW, W1 | NOER);                     // 66 F4 VPMULUDQ
        e(1, X66, 0xF5, "vpmaddwd", VHW, NOBCST | NOER);                 // 66 F5 VPMADDWD
        e(1, X66, 0xF6, "vpsadbw", VHW, NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 F6 VPSADBW
        e(1, X66, 0xF8, "vpsubb", VHW, NOBCST | NOER);                   // 66 F8 VPSUBB
        e(1, X66, 0xF9, "vpsubw", VHW, NOBCST | NOER);                   // 66 F9 VPSUBW
        e(1, X66, 0xFA, "vpsubd", VHW, W0 | NOER);                       // 66 FA VPSUBD
        e(1, X66, 0xFB, "vpsubq", VHW, W1 | NOER);                       // 66 FB VPSUBQ
        e(1, X66, 0xFC, "vpaddb", VHW, NOBCST | NOER);                   // 66 FC VPADDB
        e(1, X66, 0xFD, "vpaddw", VHW, NOBCST | NOER);                   // 66 FD VPADDW
        e(1, X66, 0xFE, "vpaddd", VHW, W0 | NOER);                       // 66 FE VPADDD
        e(1, XF3, 0x10, "vmovss", VHWreg, W0 | NOBCST | NOER);           // F3 10 VMOVSS
        e(1, XF3, 0x11, "vmovss", WHVreg, W0 | NOBCST | NOER | NOZMEM);  // F3 11 VMOVSS W, V
        e(1, XF3, 0x12, "vmovsldup", VW, W0 | NOBCST | NOER);            // F3 12 VMOVSLDUP
        e(1, XF3, 0x16, "vmovshdup", VW, W0 | NOBCST | NOER);            // F3 16 VMOVSHDUP
        e(1, XF3, 0x2A, "vcvtsi2ss", HE, NOBCST | NOMASK | NOZMEM | NOZREG); // F3 2A VCVTSI2SS V, H, Ey
        e(1, XF3, 0x2C, "vcvttss2si", GW, NOBCST | NOMASK | NOZMEM | NOZREG); // F3 2C VCVTTSS2SI
        e(1, XF3, 0x2D, "vcvtss2si", GW, NOBCST | NOMASK | NOZMEM | NOZREG); // F3 2D VCVTSS2SI
        e(1, XF3, 0x51, "vsqrtss", VHW, W0 | NOBCST);                    // F3 51 VSQRTSS
        e(1, XF3, 0x58, "vaddss", VHW, W0 | NOBCST);                     // F3 58 VADDSS
        e(1, XF3, 0x59, "vmulss", VHW, W0 | NOBCST);                     // F3 59 VMULSS
        e(1, XF3, 0x5A, "vcvtss2sd", VHW, W0 | NOBCST);                  // F3 5A VCVTSS2SD
        e(1, XF3, 0x5B, "vcvttps2dq", VW, W0);                           // F3 5B VCVTTPS2DQ
        e(1, XF3, 0x5C, "vsubss", VHW, W0 | NOBCST);                     // F3 5C VSUBSS
        e(1, XF3, 0x5D, "vminss", VHW, W0 | NOBCST);                     // F3 5D VMINSS
        e(1, XF3, 0x5E, "vdivss", VHW, W0 | NOBCST);                     // F3 5E VDIVSS
        e(1, XF3, 0x5F, "vmaxss", VHW, W0 | NOBCST);                     // F3 5F VMAXSS
        e(1, XF3, 0x6F, "vmovdqu32", VW, NOBCST | NOER);                 // F3 6F VMOVDQU32/64
        e(1, XF3, 0x70, "vpshufhw", VWIb, NOBCST | NOER);                // F3 70 VPSHUFHW
        e(1, XF3, 0x78, "vcvttss2usi", GW, NOBCST | NOMASK | NOZMEM | NOZREG); // F3 78 VCVTTSS2USI
        e(1, XF3, 0x79, "vcvtss2usi", GW, NOBCST | NOMASK | NOZMEM | NOZREG); // F3 79 VCVTSS2USI
        e(1, XF3, 0x7A, "vcvtudq2pd", VW, ERW1);                       // F3 7A VCVTUDQ2PD / VCVTUQQ2PD
        e(1, XF3, 0x7B, "vcvtusi2ss", HE, NOBCST | NOMASK | NOZMEM | NOZREG); // F3 7B VCVTUSI2SS
        e(1, XF3, 0x7E, "vmovq", VW, W1 | L0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // F3 7E VMOVQ V, W
        e(1, XF3, 0x7F, "vmovdqu32", WV, NOBCST | NOER | NOZMEM);        // F3 7F VMOVDQU32/64 W, V
        e(1, XF3, 0xC2, "vcmpss", KHWIb, W0 | L0 | NOBCST | NOZMEM | NOZREG); // F3 C2 VCMPSS
        e(1, XF3, 0xE6, "vcvtdq2pd", VW, ERW1);                        // F3 E6 VCVTDQ2PD / VCVTQQ2PD
        e(1, XF2, 0x10, "vmovsd", VHWreg, W1 | NOBCST | NOER);           // F2 10 VMOVSD
        e(1, XF2, 0x11, "vmovsd", WHVreg, W1 | NOBCST | NOER | NOZMEM);  // F2 11 VMOVSD W, V
        e(1, XF2, 0x12, "vmovddup", VW, W1 | NOBCST | NOER);             // F2 12 VMOVDDUP
        e(1, XF2, 0x2A, "vcvtsi2sd", HE, NOBCST | NOMASK | NOZMEM | NOZREG); // F2 2A VCVTSI2SD V, H, Ey
        e(1, XF2, 0x2C, "vcvttsd2si", GW, NOBCST | NOMASK | NOZMEM | NOZREG); // F2 2C VCVTTSD2SI
        e(1, XF2, 0x2D, "vcvtsd2si", GW, NOBCST | NOMASK | NOZMEM | NOZREG); // F2 2D VCVTSD2SI
        e(1, XF2, 0x51, "vsqrtsd", VHW, W1 | NOBCST);                    // F2 51 VSQRTSD
        e(1, XF2, 0x58, "vaddsd", VHW, W1 | NOBCST);                     // F2 58 VADDSD
        e(1, XF2, 0x59, "vmulsd", VHW, W1 | NOBCST);                     // F2 59 VMULSD
        e(1, XF2, 0x5A, "vcvtsd2ss", VHW, W1 | NOBCST);                  // F2 5A VCVTSD2SS
        e(1, XF2, 0x5C, "vsubsd", VHW, W1 | NOBCST);                     // F2 5C VSUBSD
        e(1, XF2, 0x5D, "vminsd", VHW, W1 | NOBCST);                     // F2 5D VMINSD
        e(1, XF2, 0x5E, "vdivsd", VHW, W1 | NOBCST);                     // F2 5E VDIVSD
        e(1, XF2, 0x5F, "vmaxsd", VHW, W1 | NOBCST);                     // F2 5F VMAXSD
        e(1, XF2, 0x6F, "vmovdqu8", VW, NOBCST | NOER);                  // F2 6F VMOVDQU8/16
        e(1, XF2, 0x70, "vpshuflw", VWIb, NOBCST | NOER);                // F2 70 VPSHUFLW
        e(1, XF2, 0x78, "vcvttsd2usi", GW, NOBCST | NOMASK | NOZMEM | NOZREG); // F2 78 VCVTTSD2USI
        e(1, XF2, 0x79, "vcvtsd2usi", GW, NOBCST | NOMASK | NOZMEM | NOZREG); // F2 79 VCVTSD2USI
        e(1, XF2, 0x7A, "vcvtudq2ps", VW, 0);                            // F2 7A VCVTUDQ2PS / VCVTUQQ2PS
        e(1, XF2, 0x7B, "vcvtusi2sd", HE, NOBCST | NOMASK | NOZMEM | NOZREG | ERW1); // F2 7B VCVTUSI2SD
        e(1, XF2, 0x7F, "vmovdqu8", WV, NOBCST | NOER | NOZMEM);         // F2 7F VMOVDQU8/16 W, V
        e(1, XF2, 0xC2, "vcmpsd", KHWIb, W1 | L0 | NOBCST | NOZMEM | NOZREG); // F2 C2 VCMPSD
        e(1, XF2, 0xE6, "vcvtpd2dq", VW, W1);                            // F2 E6 VCVTPD2DQ

        // Map 2 (0F 38).
        e(2, X66, 0x00, "vpshufb", VHW, NOBCST | NOER);                  // 66 38 00 VPSHUFB
        e(2, X66, 0x04, "vpmaddubsw", VHW, NOBCST | NOER);               // 66 38 04 VPMADDUBSW
        e(2, X66, 0x0B, "vpmulhrsw", VHW, NOBCST | NOER);                // 66 38 0B VPMULHRSW
        e(2, X66, 0x0C, "vpermilps", VHW, W0 | NOER);                    // 66 38 0C VPERMILPS
        e(2, X66, 0x0D, "vpermilpd", VHW, W1 | NOER);                    // 66 38 0D VPERMILPD
        e(2, X66, 0x10, "vpsrlvw", VHW, W1 | NOBCST | NOER);             // 66 38 10 VPSRLVW
        e(2, X66, 0x11, "vpsravw", VHW, W1 | NOBCST | NOER);             // 66 38 11 VPSRAVW
        e(2, X66, 0x12, "vpsllvw", VHW, W1 | NOBCST | NOER);             // 66 38 12 VPSLLVW
        e(2, X66, 0x13, "vcvtph2ps", VW, W0 | NOBCST);                   // 66 38 13 VCVTPH2PS
        e(2, X66, 0x14, "vprorvd", VHW, NOER);                           // 66 38 14 VPRORVD/Q
        e(2, X66, 0x15, "vprolvd", VHW, NOER);                           // 66 38 15 VPROLVD/Q
        e(2, X66, 0x16, "vpermps", VHW, L1 | NOER);                      // 66 38 16 VPERMPS/PD
        e(2, X66, 0x18, "vbroadcastss", VW, W0 | NOBCST | NOER);         // 66 38 18 VBROADCASTSS
        e(2, X66, 0x19, "vbroadcastf32x2", VW, L1 | NOBCST | NOER);      // 66 38 19 VBROADCASTF32X2 / VBROADCASTSD
        e(2, X66, 0x1A, "vbroadcastf32x4", VM, L1 | NOBCST | NOER | NOZREG); // 66 38 1A VBROADCASTF32X4 / F64X2
        e(2, X66, 0x1B, "vbroadcastf32x8", VM, L512 | NOBCST | NOER | NOZREG); // 66 38 1B VBROADCASTF32X8 / F64X4
        e(2, X66, 0x1C, "vpabsb", VW, NOBCST | NOER);                    // 66 38 1C VPABSB
        e(2, X66, 0x1D, "vpabsw", VW, NOBCST | NOER);                    // 66 38 1D VPABSW
        e(2, X66, 0x1E, "vpabsd", VW, W0 | NOER);                        // 66 38 1E VPABSD
        e(2, X66, 0x1F, "vpabsq", VW, W1 | NOER);                        // 66 38 1F VPABSQ
        e(2, X66, 0x20, "vpmovsxbw", VW, NOBCST | NOER);                 // 66 38 20 VPMOVSXBW
        e(2, X66, 0x21, "vpmovsxbd", VW, NOBCST | NOER);                 // 66 38 21 VPMOVSXBD
        e(2, X66, 0x22, "vpmovsxbq", VW, NOBCST | NOER);                 // 66 38 22 VPMOVSXBQ
        e(2, X66, 0x23, "vpmovsxwd", VW, NOBCST | NOER);                 // 66 38 23 VPMOVSXWD
        e(2, X66, 0x24, "vpmovsxwq", VW, NOBCST | NOER);                 // 66 38 24 VPMOVSXWQ
        e(2, X66, 0x25, "vpmovsxdq", VW, W0 | NOBCST | NOER);            // 66 38 25 VPMOVSXDQ
        e(2, X66, 0x26, "vptestmb", KHW, NOBCST | NOER | NOZMEM | NOZREG); // 66 38 26 VPTESTMB/W
        e(2, X66, 0x27, "vptestmd", KHW, NOER | NOZMEM | NOZREG);        // 66 38 27 VPTESTMD/Q
        e(2, X66, 0x28, "vpmuldq", VHW, W1 | NOER);                      // 66 38 28 VPMULDQ
        e(2, X66, 0x29, "vpcmpeqq", KHW, W1 | NOER | NOZMEM | NOZREG);   // 66 38 29 VPCMPEQQ
        e(2, X66, 0x2A, "vmovntdqa", VM, W0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 38 2A VMOVNTDQA
        e(2, X66, 0x2B, "vpackusdw", VHW, W0 | NOER);                    // 66 38 2B VPACKUSDW
        e(2, X66, 0x2C, "vscalefps", VHW, 0);                            // 66 38 2C VSCALEFPS/PD
        e(2, X66, 0x2D, "vscalefss", VHW, L0 | NOBCST);                  // 66 38 2D VSCALEFSS/SD
        e(2, X66, 0x30, "vpmovzxbw", VW, NOBCST | NOER);                 // 66 38 30 VPMOVZXBW
        e(2, X66, 0x31, "vpmovzxbd", VW, NOBCST | NOER);                 // 66 38 31 VPMOVZXBD
        e(2, X66, 0x32, "vpmovzxbq", VW, NOBCST | NOER);                 // 66 38 32 VPMOVZXBQ
        e(2, X66, 0x33, "vpmovzxwd", VW, NOBCST | NOER);                 // 66 38 33 VPMOVZXWD
        e(2, X66, 0x34, "vpmovzxwq", VW, NOBCST | NOER);                 // 66 38 34 VPMOVZXWQ
        e(2, X66, 0x35, "vpmovzxdq", VW, W0 | NOBCST | NOER);            // 66 38 35 VPMOVZXDQ
        e(2, X66, 0x36, "vpermd", VHW, L1 | NOER);                       // 66 38 36 VPERMD/Q
        e(2, X66, 0x37, "vpcmpgtq", KHW, W1 | NOER | NOZMEM | NOZREG);   // 66 38 37 VPCMPGTQ
        e(2, X66, 0x38, "vpminsb", VHW, NOBCST | NOER);                  // 66 38 38 VPMINSB
        e(2, X66, 0x39, "vpminsd", VHW, NOER);                           // 66 38 39 VPMINSD
        e(2, X66, 0x3A, "vpminuw", VHW, NOBCST | NOER);                  // 66 38 3A VPMINUW
        e(2, X66, 0x3B, "vpminud", VHW, NOER);                           // 66 38 3B VPMINUD
        e(2, X66, 0x3C, "vpmaxsb", VHW, NOBCST | NOER);                  // 66 38 3C VPMAXSB
        e(2, X66, 0x3D, "vpmaxsd", VHW, NOER);                           // 66 38 3D VPMAXSD
        e(2, X66, 0x3E, "vpmaxuw", VHW, NOBCST | NOER);                  // 66 38 3E VPMAXUW
        e(2, X66, 0x3F, "vpmaxud", VHW, NOER);                           // 66 38 3F VPMAXUD
        e(2, X66, 0x40, "vpmulld", VHW, NOER);                           // 66 38 40 VPMULLD
        e(2, X66, 0x42, "vgetexpps", VW, 0);                             // 66 38 42 VGETEXPPS/PD
        e(2, X66, 0x43, "vgetexpss", VHW, L0 | NOBCST);                  // 66 38 43 VGETEXPSS/SD
        e(2, X66, 0x44, "vplzcntd", VW, NOER);                           // 66 38 44 VPLZCNTD/Q
        e(2, X66, 0x45, "vpsrlvd", VHW, NOER);                           // 66 38 45 VPSRLVD/Q
        e(2, X66, 0x46, "vpsravd", VHW, NOER);                           // 66 38 46 VPSRAVD/Q
        e(2, X66, 0x47, "vpsllvd", VHW, NOER);                           // 66 38 47 VPSLLVD/Q
        e(2, X66, 0x4C, "vrcp14ps", VW, NOER);                           // 66 38 4C VRCP14PS/PD
        e(2, X66, 0x4D, "vrcp14ss", VHW, L0 | NOBCST | NOER);            // 66 38 4D VRCP14SS/SD
        e(2, X66, 0x4E, "vrsqrt14ps", VW, NOER);                         // 66 38 4E VRSQRT14PS/PD
        e(2, X66, 0x4F, "vrsqrt14ss", VHW, L0 | NOBCST | NOER);          // 66 38 4F VRSQRT14SS/SD
        e(2, X66, 0x50, "vpdpbusd", VHW, W0 | NOER);                     // 66 38 50 VPDPBUSD (VNNI)
        e(2, X66, 0x51, "vpdpbusds", VHW, W0 | NOER);                    // 66 38 51 VPDPBUSDS
        e(2, X66, 0x52, "vpdpwssd", VHW, W0 | NOER);                     // 66 38 52 VPDPWSSD
        e(2, X66, 0x53, "vpdpwssds", VHW, W0 | NOER);                    // 66 38 53 VPDPWSSDS
        e(2, X66, 0x54, "vpopcntb", VW, NOBCST | NOER);                  // 66 38 54 VPOPCNTB/W (BITALG)
        e(2, X66, 0x55, "vpopcntd", VW, NOER);                           // 66 38 55 VPOPCNTD/Q (VPOPCNTDQ)
        e(2, X66, 0x58, "vpbroadcastd", VW, W0 | NOBCST | NOER);         // 66 38 58 VPBROADCASTD
        e(2, X66, 0x59, "vbroadcasti32x2", VW, NOBCST | NOER);           // 66 38 59 VBROADCASTI32X2 / VPBROADCASTQ
        e(2, X66, 0x5A, "vbroadcasti32x4", VM, L1 | NOBCST | NOER | NOZREG); // 66 38 5A VBROADCASTI32X4 / I64X2
        e(2, X66, 0x5B, "vbroadcasti32x8", VM, L512 | NOBCST | NOER | NOZREG); // 66 38 5B VBROADCASTI32X8 / I64X4
        e(2, X66, 0x62, "vpexpandb", VW, NOBCST | NOER);                 // 66 38 62 VPEXPANDB/W (VBMI2)
        e(2, X66, 0x63, "vpcompressb", WV, NOBCST | NOER | NOZMEM);      // 66 38 63 VPCOMPRESSB/W
        e(2, X66, 0x64, "vpblendmd", VHW, NOER);                         // 66 38 64 VPBLENDMD/Q
        e(2, X66, 0x65, "vblendmps", VHW, NOER);                         // 66 38 65 VBLENDMPS/PD
        e(2, X66, 0x66, "vpblendmb", VHW, NOBCST | NOER);                // 66 38 66 VPBLENDMB/W
        e(2, X66, 0x70, "vpshldvw", VHW, W1 | NOBCST | NOER);            // 66 38 70 VPSHLDVW
        e(2, X66, 0x71, "vpshldvd", VHW, NOER);                          // 66 38 71 VPSHLDVD/Q
        e(2, X66, 0x72, "vpshrdvw", VHW, W1 | NOBCST | NOER);            // 66 38 72 VPSHRDVW
        e(2, X66, 0x73, "vpshrdvd", VHW, NOER);                          // 66 38 73 VPSHRDVD/Q
        e(2, X66, 0x75, "vpermi2b", VHW, NOBCST | NOER);                 // 66 38 75 VPERMI2B/W
        e(2, X66, 0x76, "vpermi2d", VHW, NOER);                          // 66 38 76 VPERMI2D/Q
        e(2, X66, 0x77, "vpermi2ps", VHW, NOER);                         // 66 38 77 VPERMI2PS/PD
        e(2, X66, 0x78, "vpbroadcastb", VW, W0 | NOBCST | NOER);         // 66 38 78 VPBROADCASTB
        e(2, X66, 0x79, "vpbroadcastw", VW, W0 | NOBCST | NOER);         // 66 38 79 VPBROADCASTW
        e(2, X66, 0x7A, "vpbroadcastb", VR, W0 | NOBCST | NOER | NOZMEM); // 66 38 7A VPBROADCASTB V, r32
        e(2, X66, 0x7B, "vpbroadcastw", VR, W0 | NOBCST | NOER | NOZMEM); // 66 38 7B VPBROADCASTW V, r32
        e(2, X66, 0x7C, "vpbroadcastd", VR, NOBCST | NOER | NOZMEM);     // 66 38 7C VPBROADCASTD/Q V, r
        e(2, X66, 0x7D, "vpermt2b", VHW, NOBCST | NOER);                 // 66 38 7D VPERMT2B/W
        e(2, X66, 0x7E, "vpermt2d", VHW, NOER);                          // 66 38 7E VPERMT2D/Q
        e(2, X66, 0x7F, "vpermt2ps", VHW, NOER);                         // 66 38 7F VPERMT2PS/PD
        e(2, X66, 0x83, "vpmultishiftqb", VHW, W1 | NOER);               // 66 38 83 VPMULTISHIFTQB (VBMI)
        e(2, X66, 0x88, "vexpandps", VW, NOBCST | NOER);                 // 66 38 88 VEXPANDPS/PD
        e(2, X66, 0x89, "vpexpandd", VW, NOBCST | NOER);                 // 66 38 89 VPEXPANDD/Q
        e(2, X66, 0x8A, "vcompressps", WV, NOBCST | NOER | NOZMEM);      // 66 38 8A VCOMPRESSPS/PD
        e(2, X66, 0x8B, "vpcompressd", WV, NOBCST | NOER | NOZMEM);      // 66 38 8B VPCOMPRESSD/Q
        e(2, X66, 0x8D, "vpermb", VHW, NOBCST | NOER);                   // 66 38 8D VPERMB/W
        e(2, X66, 0x8F, "vpshufbitqmb", KHW, W0 | NOBCST | NOER | NOZMEM | NOZREG); // 66 38 8F VPSHUFBITQMB (BITALG)
        e(2, X66, 0x90, "vpgatherdd", VSIB1, NOBCST | NOER | NOZMEM | NOZREG); // 66 38 90 VPGATHERDD/Q V {k}, vm32
        e(2, X66, 0x91, "vpgatherqd", VSIB1, NOBCST | NOER | NOZMEM | NOZREG); // 66 38 91 VPGATHERQD/Q
        e(2, X66, 0x92, "vgatherdps", VSIB1, NOBCST | NOER | NOZMEM | NOZREG); // 66 38 92 VGATHERDPS/PD
        e(2, X66, 0x93, "vgatherqps", VSIB1, NOBCST | NOER | NOZMEM | NOZREG); // 66 38 93 VGATHERQPS/PD
        e(2, X66, 0x96, "vfmaddsub132ps", VHW, 0);                       // 66 38 96 VFMADDSUB132PS
        e(2, X66, 0x97, "vfmsubadd132ps", VHW, 0);                       // 66 38 97 VFMSUBADD132PS
        e(2, X66, 0x98, "vfmadd132ps", VHW, 0);                          // 66 38 98 VFMADD132PS
        e(2, X66, 0x99, "vfmadd132ss", VHW, NOBCST);                     // 66 38 99 VFMADD132SS
        e(2, X66, 0x9A, "vfmsub132ps", VHW, 0);                          // 66 38 9A VFMSUB132PS
        e(2, X66, 0x9B, "vfmsub132ss", VHW, NOBCST);                     // 66 38 9B VFMSUB132SS
        e(2, X66, 0x9C, "vfnmadd132ps", VHW, 0);                         // 66 38 9C VFNMADD132PS
        e(2, X66, 0x9D, "vfnmadd132ss", VHW, NOBCST);                    // 66 38 9D VFNMADD132SS
        e(2, X66, 0x9E, "vfnmsub132ps", VHW, 0);                         // 66 38 9E VFNMSUB132PS
        e(2, X66, 0x9F, "vfnmsub132ss", VHW, NOBCST);                    // 66 38 9F VFNMSUB132SS
        e(2, X66, 0xA0, "vpscatterdd", VSIB1, NOBCST | NOER | NOZMEM | NOZREG); // 66 38 A0 VPSCATTERDD/Q vm32 {k}, V
        e(2, X66, 0xA1, "vpscatterqd", VSIB1, NOBCST | NOER | NOZMEM | NOZREG); // 66 38 A1 VPSCATTERQD/Q
        e(2, X66, 0xA2, "vscatterdps", VSIB1, NOBCST | NOER | NOZMEM | NOZREG); // 66 38 A2 VSCATTERDPS/PD
        e(2, X66, 0xA3, "vscatterqps", VSIB1, NOBCST | NOER | NOZMEM | NOZREG); // 66 38 A3 VSCATTERQPS/PD
        e(2, X66, 0xA6, "vfmaddsub213ps", VHW, 0);                       // 66 38 A6 VFMADDSUB213PS
        e(2, X66, 0xA7, "vfmsubadd213ps", VHW, 0);                       // 66 38 A7 VFMSUBADD213PS
        e(2, X66, 0xA8, "vfmadd213ps", VHW, 0);                          // 66 38 A8 VFMADD213PS
        e(2, X66, 0xA9, "vfmadd213ss", VHW, NOBCST);                     // 66 38 A9 VFMADD213SS
        e(2, X66, 0xAA, "vfmsub213ps", VHW, 0);                          // 66 38 AA VFMSUB213PS
        e(2, X66, 0xAB, "vfmsub213ss", VHW, NOBCST);                     // 66 38 AB VFMSUB213SS
        e(2, X66, 0xAC, "vfnmadd213ps", VHW, 0);                         // 66 38 AC VFNMADD213PS
        e(2, X66, 0xAD, "vfnmadd213ss", VHW, NOBCST);                    // 66 38 AD VFNMADD213SS
        e(2, X66, 0xAE, "vfnmsub213ps", VHW, 0);                         // 66 38 AE VFNMSUB213PS
        e(2, X66, 0xAF, "vfnmsub213ss", VHW, NOBCST);                    // 66 38 AF VFNMSUB213SS
        e(2, X66, 0xB4, "vpmadd52luq", VHW, W1 | NOER);                  // 66 38 B4 VPMADD52LUQ (IFMA)
        e(2, X66, 0xB5, "vpmadd52huq", VHW, W1 | NOER);                  // 66 38 B5 VPMADD52HUQ
        e(2, X66, 0xB6, "vfmaddsub231ps", VHW, 0);                       // 66 38 B6 VFMADDSUB231PS
        e(2, X66, 0xB7, "vfmsubadd231ps", VHW, 0);                       // 66 38 B7 VFMSUBADD231PS
        e(2, X66, 0xB8, "vfmadd231ps", VHW, 0);                          // 66 38 B8 VFMADD231PS
        e(2, X66, 0xB9, "vfmadd231ss", VHW, NOBCST);                     // 66 38 B9 VFMADD231SS
        e(2, X66, 0xBA, "vfmsub231ps", VHW, 0);                          // 66 38 BA VFMSUB231PS
        e(2, X66, 0xBB, "vfmsub231ss", VHW, NOBCST);                     // 66 38 BB VFMSUB231SS
        e(2, X66, 0xBC, "vfnmadd231ps", VHW, 0);                         // 66 38 BC VFNMADD231PS
        e(2, X66, 0xBD, "vfnmadd231ss", VHW, NOBCST);                    // 66 38 BD VFNMADD231SS
        e(2, X66, 0xBE, "vfnmsub231ps", VHW, 0);                         // 66 38 BE VFNMSUB231PS
        e(2, X66, 0xBF, "vfnmsub231ss", VHW, NOBCST);                    // 66 38 BF VFNMSUB231SS
        e(2, X66, 0xC4, "vpconflictd", VW, NOER);                        // 66 38 C4 VPCONFLICTD/Q
        e(2, X66, 0xC8, "vexp2ps", VW, L512);                            // 66 38 C8 VEXP2PS/PD (ER)
        e(2, X66, 0xCA, "vrcp28ps", VW, L512);                           // 66 38 CA VRCP28PS/PD
        e(2, X66, 0xCB, "vrcp28ss", VHW, L0 | NOBCST);                   // 66 38 CB VRCP28SS/SD
        e(2, X66, 0xCC, "vrsqrt28ps", VW, L512);                         // 66 38 CC VRSQRT28PS/PD
        e(2, X66, 0xCD, "vrsqrt28ss", VHW, L0 | NOBCST);                 // 66 38 CD VRSQRT28SS/SD
        e(2, X66, 0xCF, "vgf2p8mulb", VHW, W0 | NOBCST | NOER);          // 66 38 CF VGF2P8MULB
        e(2, X66, 0xDC, "vaesenc", VHW, NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 38 DC VAESENC
        e(2, X66, 0xDD, "vaesenclast", VHW, NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 38 DD VAESENCLAST
        e(2, X66, 0xDE, "vaesdec", VHW, NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 38 DE VAESDEC
        e(2, X66, 0xDF, "vaesdeclast", VHW, NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 38 DF VAESDECLAST
        e(2, XF3, 0x10, "vpmovuswb", WV, W0 | NOBCST | NOER | NOZMEM);   // F3 38 10 VPMOVUSWB
        e(2, XF3, 0x11, "vpmovusdb", WV, W0 | NOBCST | NOER | NOZMEM);   // F3 38 11 VPMOVUSDB
        e(2, XF3, 0x12, "vpmovusqb", WV, W0 | NOBCST | NOER | NOZMEM);   // F3 38 12 VPMOVUSQB
        e(2, XF3, 0x13, "vpmovusdw", WV, W0 | NOBCST | NOER | NOZMEM);   // F3 38 13 VPMOVUSDW
        e(2, XF3, 0x14, "vpmovusqw", WV, W0 | NOBCST | NOER | NOZMEM);   // F3 38 14 VPMOVUSQW
        e(2, XF3, 0x15, "vpmovusqd", WV, W0 | NOBCST | NOER | NOZMEM);   // F3 38 15 VPMOVUSQD
        e(2, XF3, 0x20, "vpmovswb", WV, W0 | NOBCST | NOER | NOZMEM);    // F3 38 20 VPMOVSWB
        e(2, XF3, 0x21, "vpmovsdb", WV, W0 | NOBCST | NOER | NOZMEM);    // F3 38 21 VPMOVSDB
        e(2, XF3, 0x22, "vpmovsqb", WV, W0 | NOBCST | NOER | NOZMEM);    // F3 38 22 VPMOVSQB
        e(2, XF3, 0x23, "vpmovsdw", WV, W0 | NOBCST | NOER | NOZMEM);    // F3 38 23 VPMOVSDW
        e(2, XF3, 0x24, "vpmovsqw", WV, W0 | NOBCST | NOER | NOZMEM);    // F3 38 24 VPMOVSQW
        e(2, XF3, 0x25, "vpmovsqd", WV, W0 | NOBCST | NOER | NOZMEM);    // F3 38 25 VPMOVSQD
        e(2, XF3, 0x26, "vptestnmb", KHW, NOBCST | NOER | NOZMEM | NOZREG); // F3 38 26 VPTESTNMB/W
        e(2, XF3, 0x27, "vptestnmd", KHW, NOER | NOZMEM | NOZREG);       // F3 38 27 VPTESTNMD/Q
        e(2, XF3, 0x28, "vpmovm2b", VK, NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // F3 38 28 VPMOVM2B/W V, k
        e(2, XF3, 0x29, "vpmovb2m", KU, NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // F3 38 29 VPMOVB2M/W2M k, U
        e(2, XF3, 0x2A, "vpbroadcastmb2q", VK, W1 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // F3 38 2A VPBROADCASTMB2Q
        e(2, XF3, 0x30, "vpmovwb", WV, W0 | NOBCST | NOER | NOZMEM);     // F3 38 30 VPMOVWB
        e(2, XF3, 0x31, "vpmovdb", WV, W0 | NOBCST | NOER | NOZMEM);     // F3 38 31 VPMOVDB
        e(2, XF3, 0x32, "vpmovqb", WV, W0 | NOBCST | NOER | NOZMEM);     // F3 38 32 VPMOVQB
        e(2, XF3, 0x33, "vpmovdw", WV, W0 | NOBCST | NOER | NOZMEM);     // F3 38 33 VPMOVDW
        e(2, XF3, 0x34, "vpmovqw", WV, W0 | NOBCST | NOER | NOZMEM);     // F3 38 34 VPMOVQW
        e(2, XF3, 0x35, "vpmovqd", WV, W0 | NOBCST | NOER | NOZMEM);     // F3 38 35 VPMOVQD
        e(2, XF3, 0x38, "vpmovm2d", VK, NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // F3 38 38 VPMOVM2D/Q
        e(2, XF3, 0x39, "vpmovd2m", KU, NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // F3 38 39 VPMOVD2M/Q2M
        e(2, XF3, 0x3A, "vpbroadcastmw2d", VK, W0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // F3 38 3A VPBROADCASTMW2D
        e(2, XF2, 0x52, "vp4dpwssd", VHM, W0 | L512 | NOBCST | NOER | NOZREG); // F2 38 52 VP4DPWSSD (4VNNIW)
        e(2, XF2, 0x53, "vp4dpwssds", VHM, W0 | L512 | NOBCST | NOER | NOZREG); // F2 38 53 VP4DPWSSDS
        e(2, XF2, 0x9A, "v4fmaddps", VHM, W0 | L512 | NOBCST | NOER | NOZREG); // F2 38 9A V4FMADDPS (4FMAPS)
        e(2, XF2, 0x9B, "v4fmaddss", VHM, W0 | L0 | NOBCST | NOER | NOZREG); // F2 38 9B V4FMADDSS
        e(2, XF2, 0xAA, "v4fnmaddps", VHM, W0 | L512 | NOBCST | NOER | NOZREG); // F2 38 AA V4FNMADDPS
        e(2, XF2, 0xAB, "v4fnmaddss", VHM, W0 | L0 | NOBCST | NOER | NOZREG); // F2 38 AB V4FNMADDSS

        // Map 3 (0F 3A): every entry takes an Ib.
        e(3, X66, 0x00, "vpermq", VWIb, W1 | L1 | NOER);                 // 66 3A 00 VPERMQ
        e(3, X66, 0x01, "vpermpd", VWIb, W1 | L1 | NOER);                // 66 3A 01 VPERMPD
        e(3, X66, 0x03, "valignd", VHWIb, NOER);                         // 66 3A 03 VALIGND/Q
        e(3, X66, 0x04, "vpermilps", VWIb, W0 | NOER);                   // 66 3A 04 VPERMILPS
        e(3, X66, 0x05, "vpermilpd", VWIb, W1 | NOER);                   // 66 3A 05 VPERMILPD
        e(3, X66, 0x08, "vrndscaleps", VWIb, W0);                        // 66 3A 08 VRNDSCALEPS
        e(3, X66, 0x09, "vrndscalepd", VWIb, W1);                        // 66 3A 09 VRNDSCALEPD
        e(3, X66, 0x0A, "vrndscaless", VHWIb, W0 | L0 | NOBCST);         // 66 3A 0A VRNDSCALESS
        e(3, X66, 0x0B, "vrndscalesd", VHWIb, W1 | L0 | NOBCST);         // 66 3A 0B VRNDSCALESD
        e(3, X66, 0x0F, "vpalignr", VHWIb, W0 | NOBCST | NOER);          // 66 3A 0F VPALIGNR
        e(3, X66, 0x14, "vpextrb", EVIb, L0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 3A 14 VPEXTRB
        e(3, X66, 0x15, "vpextrw", EVIb, L0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 3A 15 VPEXTRW
        e(3, X66, 0x16, "vpextrd", EVIb, L0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 3A 16 VPEXTRD/Q
        e(3, X66, 0x17, "vextractps", EVIb, L0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 3A 17 VEXTRACTPS
        e(3, X66, 0x18, "vinsertf32x4", VHWIb, L1 | NOBCST | NOER);      // 66 3A 18 VINSERTF32X4 / F64X2
        e(3, X66, 0x19, "vextractf32x4", WVIb, L1 | NOBCST | NOER | NOZMEM); // 66 3A 19 VEXTRACTF32X4 / F64X2
        e(3, X66, 0x1A, "vinsertf32x8", VHWIb, L512 | NOBCST | NOER);    // 66 3A 1A VINSERTF32X8 / F64X4
        e(3, X66, 0x1B, "vextractf32x8", WVIb, L512 | NOBCST | NOER | NOZMEM); // 66 3A 1B VEXTRACTF32X8 / F64X4
        e(3, X66, 0x1D, "vcvtps2ph", WVIb, W0 | NOBCST | NOZMEM);        // 66 3A 1D VCVTPS2PH
        e(3, X66, 0x1E, "vpcmpud", KHWIb, NOER | NOZMEM | NOZREG);       // 66 3A 1E VPCMPUD/Q
        e(3, X66, 0x1F, "vpcmpd", KHWIb, NOER | NOZMEM | NOZREG);        // 66 3A 1F VPCMPD/Q
        e(3, X66, 0x20, "vpinsrb", HEIb, L0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 3A 20 VPINSRB
        e(3, X66, 0x21, "vinsertps", VHWIb, W0 | L0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 3A 21 VINSERTPS
        e(3, X66, 0x22, "vpinsrd", HEIb, L0 | NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 3A 22 VPINSRD/Q
        e(3, X66, 0x23, "vshuff32x4", VHWIb, L1 | NOER);                 // 66 3A 23 VSHUFF32X4 / F64X2
        e(3, X66, 0x25, "vpternlogd", VHWIb, NOER);                      // 66 3A 25 VPTERNLOGD/Q
        e(3, X66, 0x26, "vgetmantps", VWIb, 0);                          // 66 3A 26 VGETMANTPS/PD
        e(3, X66, 0x27, "vgetmantss", VHWIb, NOBCST);                    // 66 3A 27 VGETMANTSS/SD
        e(3, X66, 0x38, "vinserti32x4", VHWIb, L1 | NOBCST | NOER);      // 66 3A 38 VINSERTI32X4 / I64X2
        e(3, X66, 0x39, "vextracti32x4", WVIb, L1 | NOBCST | NOER | NOZMEM); // 66 3A 39 VEXTRACTI32X4 / I64X2
        e(3, X66, 0x3A, "vinserti32x8", VHWIb, L512 | NOBCST | NOER);    // 66 3A 3A VINSERTI32X8 / I64X4
        e(3, X66, 0x3B, "vextracti32x8", WVIb, L512 | NOBCST | NOER | NOZMEM); // 66 3A 3B VEXTRACTI32X8 / I64X4
        e(3, X66, 0x3E, "vpcmpub", KHWIb, NOBCST | NOER | NOZMEM | NOZREG); // 66 3A 3E VPCMPUB/W
        e(3, X66, 0x3F, "vpcmpb", KHWIb, NOBCST | NOER | NOZMEM | NOZREG); // 66 3A 3F VPCMPB/W
        e(3, X66, 0x42, "vdbpsadbw", VHWIb, W0 | NOBCST | NOER);         // 66 3A 42 VDBPSADBW
        e(3, X66, 0x43, "vshufi32x4", VHWIb, L1 | NOER);                 // 66 3A 43 VSHUFI32X4 / I64X2
        e(3, X66, 0x44, "vpclmulqdq", VHWIb, NOBCST | NOER | NOMASK | NOZMEM | NOZREG); // 66 3A 44 VPCLMULQDQ
        e(3, X66, 0x50, "vrangeps", VHWIb, 0);                           // 66 3A 50 VRANGEPS/PD
        e(3, X66, 0x51, "vrangess", VHWIb, NOBCST);                      // 66 3A 51 VRANGESS/SD
        e(3, X66, 0x54, "vfixupimmps", VHWIb, 0);                        // 66 3A 54 VFIXUPIMMPS/PD
        e(3, X66, 0x55, "vfixupimmss", VHWIb, NOBCST);                   // 66 3A 55 VFIXUPIMMSS/SD
        e(3, X66, 0x56, "vreduceps", VWIb, 0);                           // 66 3A 56 VREDUCEPS/PD
        e(3, X66, 0x57, "vreducess", VHWIb, NOBCST);                     // 66 3A 57 VREDUCESS/SD
        e(3, X66, 0x66, "vfpclassps", KWIb, NOER | NOZMEM | NOZREG);     // 66 3A 66 VFPCLASSPS/PD k, W, Ib
        e(3, X66, 0x67, "vfpclassss", KWIb, L0 | NOBCST | NOER | NOZMEM | NOZREG); // 66 3A 67 VFPCLASSSS/SD
        e(3, X66, 0x70, "vpshldw", VHWIb, W1 | NOBCST | NOER);           // 66 3A 70 VPSHLDW
        e(3, X66, 0x71, "vpshldd", VHWIb, NOER);                         // 66 3A 71 VPSHLDD/Q
        e(3, X66, 0x72, "vpshrdw", VHWIb, W1 | NOBCST | NOER);           // 66 3A 72 VPSHRDW
        e(3, X66, 0x73, "vpshrdd", VHWIb, NOER);                         // 66 3A 73 VPSHRDD/Q
        e(3, X66, 0xCE, "vgf2p8affineqb", VHWIb, W1 | NOER);             // 66 3A CE VGF2P8AFFINEQB
        e(3, X66, 0xCF, "vgf2p8affineinvqb", VHWIb, W1 | NOER);          // 66 3A CF VGF2P8AFFINEINVQB
    }
}
