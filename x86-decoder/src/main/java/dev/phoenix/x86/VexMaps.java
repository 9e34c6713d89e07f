package dev.phoenix.x86;

import static dev.phoenix.x86.Entry.L0;
import static dev.phoenix.x86.Entry.L1;
import static dev.phoenix.x86.Entry.W0;
import static dev.phoenix.x86.Entry.W1;
import static dev.phoenix.x86.Form.*;

/**
 * SDM Vol. 2, Appendix A.3, Tables and A-5 (the VEX-encoded cells, "v" prefix) for
 * AVX, AVX2, FMA, F16C, VAES/VPCLMULQDQ, GFNI, BMI1/2, and the AVX-512 opmask instructions
 * (VEX-encoded, SDM Vol. 2 Chapter 3-5 KADDW ... KXORW), and AMD's FMA4 (VEX map 3) and XOP
 * (AMD APM Vol. 6). One line per (map, prefix, opcode): {@code v(map, pp, op, name, form, rules)}
 * with pp 0 none, 1 66, 2 F3, 3 F2; rules L0/L1 (VEX.L must be 0/1, else LIG or either) and
 * W0/W1 (else WIG). A form naming H uses VEX.vvvv; any other form needs vvvv = 1111.
 */
final class VexMaps {
    private VexMaps() {
    }

    private static final int NP = 0, X66 = 1, XF3 = 2, XF2 = 3;

    private static void v(int map, int pp, int op, String name, Form form, int rules) {
        Tables.VEX[map][pp][op] = Entry.make(name, form, rules | Entry.MP);
    }

    private static void xop(int map, int op, String name, Form form, int rules) {
        Tables.XOP[map - 8][op] = Entry.make(name, form, rules | Entry.MP);
    }

    /** Packed single/double with their scalar twins: ps (none), pd (66), ss (F3, LIG), sd (F2, LIG). */
    private static void arith(int op, String base) {
        v(1, NP, op, "v" + base + "ps", VHW, 0);
        v(1, X66, op, "v" + base + "pd", VHW, 0);
        v(1, XF3, op, "v" + base + "ss", VHW, 0);
        v(1, XF2, op, "v" + base + "sd", VHW, 0);
    }

    /** The opmask instructions: one name per (pp, W): none/W0 "w", none/W1 "q", 66/W0 "b", 66/W1 "d". */
    private static void kop(int map, int op, String base, Form form, int l) {
        v(map, NP, op, base + "w", form, l); // W picks w or q; the printer reads REX.W
        v(map, X66, op, base + "b", form, l);
    }

    static void fill() {
        // Map 1 (0F), Table A-3.
        v(1, NP, 0x10, "vmovups", VW, 0);                // 10 VMOVUPS V, W
        v(1, X66, 0x10, "vmovupd", VW, 0);               // 66 10 VMOVUPD
        v(1, XF3, 0x10, "vmovss", VHWreg, 0);            // F3 10 VMOVSS V, (H,) W
        v(1, XF2, 0x10, "vmovsd", VHWreg, 0);            // F2 10 VMOVSD
        v(1, NP, 0x11, "vmovups", WV, 0);                // 11 VMOVUPS W, V
        v(1, X66, 0x11, "vmovupd", WV, 0);               // 66 11 VMOVUPD
        v(1, XF3, 0x11, "vmovss", WHVreg, 0);            // F3 11 VMOVSS W, (H,) V
        v(1, XF2, 0x11, "vmovsd", WHVreg, 0);            // F2 11 VMOVSD
        v(1, NP, 0x12, "vmovlps", VHW, L0);              // 12 VMOVLPS V, H, M / VMOVHLPS V, H, U
        v(1, X66, 0x12, "vmovlpd", VHM, L0);             // 66 12 VMOVLPD V, H, M
        v(1, XF3, 0x12, "vmovsldup", VW, 0);             // F3 12 VMOVSLDUP
        v(1, XF2, 0x12, "vmovddup", VW, 0);              // F2 12 VMOVDDUP
        v(1, NP, 0x13, "vmovlps", MV, L0);               // 13 VMOVLPS M, V
        v(1, X66, 0x13, "vmovlpd", MV, L0);              // 66 13 VMOVLPD M, V
        v(1, NP, 0x14, "vunpcklps", VHW, 0);             // 14 VUNPCKLPS
        v(1, X66, 0x14, "vunpcklpd", VHW, 0);            // 66 14 VUNPCKLPD
        v(1, NP, 0x15, "vunpckhps", VHW, 0);             // 15 VUNPCKHPS
        v(1, X66, 0x15, "vunpckhpd", VHW, 0);            // 66 15 VUNPCKHPD
        v(1, NP, 0x16, "vmovhps", VHW, L0);              // 16 VMOVHPS V, H, M / VMOVLHPS V, H, U
        v(1, X66, 0x16, "vmovhpd", VHM, L0);             // 66 16 VMOVHPD V, H, M
        v(1, XF3, 0x16, "vmovshdup", VW, 0);             // F3 16 VMOVSHDUP
        v(1, NP, 0x17, "vmovhps", MV, L0);               // 17 VMOVHPS M, V
        v(1, X66, 0x17, "vmovhpd", MV, L0);              // 66 17 VMOVHPD M, V
        v(1, NP, 0x28, "vmovaps", VW, 0);                // 28 VMOVAPS
        v(1, X66, 0x28, "vmovapd", VW, 0);               // 66 28 VMOVAPD
        v(1, NP, 0x29, "vmovaps", WV, 0);                // 29 VMOVAPS W, V
        v(1, X66, 0x29, "vmovapd", WV, 0);               // 66 29 VMOVAPD W, V
        v(1, XF3, 0x2A, "vcvtsi2ss", HE, 0);             // F3 2A VCVTSI2SS V, H, Ey
        v(1, XF2, 0x2A, "vcvtsi2sd", HE, 0);             // F2 2A VCVTSI2SD V, H, Ey
        v(1, NP, 0x2B, "vmovntps", MV, 0);               // 2B VMOVNTPS
        v(1, X66, 0x2B, "vmovntpd", MV, 0);              // 66 2B VMOVNTPD
        v(1, XF3, 0x2C, "vcvttss2si", VW, 0);            // F3 2C VCVTTSS2SI Gy, W
        v(1, XF2, 0x2C, "vcvttsd2si", VW, 0);            // F2 2C VCVTTSD2SI
        v(1, XF3, 0x2D, "vcvtss2si", VW, 0);             // F3 2D VCVTSS2SI
        v(1, XF2, 0x2D, "vcvtsd2si", VW, 0);             // F2 2D VCVTSD2SI
        v(1, NP, 0x2E, "vucomiss", VW, 0);               // 2E VUCOMISS
        v(1, X66, 0x2E, "vucomisd", VW, 0);              // 66 2E VUCOMISD
        v(1, NP, 0x2F, "vcomiss", VW, 0);                // 2F VCOMISS
        v(1, X66, 0x2F, "vcomisd", VW, 0);               // 66 2F VCOMISD
        kop(1, 0x41, "kand", KHK, L1);                   // 41 KANDW/Q/B/D k, k, k
        kop(1, 0x42, "kandn", KHK, L1);                  // 42 KANDNW/Q/B/D
        kop(1, 0x44, "knot", KK, L0);                    // 44 KNOTW/Q/B/D k, k
        kop(1, 0x45, "kor", KHK, L1);                    // 45 KORW/Q/B/D
        kop(1, 0x46, "kxnor", KHK, L1);                  // 46 KXNORW/Q/B/D
        kop(1, 0x47, "kxor", KHK, L1);                   // 47 KXORW/Q/B/D
        kop(1, 0x4A, "kadd", KHK, L1);                   // 4A KADDW/Q/B/D
        v(1, NP, 0x4B, "kunpckwd", KHK, L1);             // 4B KUNPCKWD (W0) / KUNPCKDQ (W1)
        v(1, X66, 0x4B, "kunpckbw", KHK, L1 | W0);       // 66 4B KUNPCKBW
        v(1, NP, 0x50, "vmovmskps", GU, 0);              // 50 VMOVMSKPS Gd, U
        v(1, X66, 0x50, "vmovmskpd", GU, 0);             // 66 50 VMOVMSKPD
        v(1, NP, 0x51, "vsqrtps", VW, 0);                // 51 VSQRTPS
        v(1, X66, 0x51, "vsqrtpd", VW, 0);               // 66 51 VSQRTPD
        v(1, XF3, 0x51, "vsqrtss", VHW, 0);              // F3 51 VSQRTSS
        v(1, XF2, 0x51, "vsqrtsd", VHW, 0);              // F2 51 VSQRTSD
        v(1, NP, 0x52, "vrsqrtps", VW, 0);               // 52 VRSQRTPS
        v(1, XF3, 0x52, "vrsqrtss", VHW, 0);             // F3 52 VRSQRTSS
        v(1, NP, 0x53, "vrcpps", VW, 0);                 // 53 VRCPPS
        v(1, XF3, 0x53, "vrcpss", VHW, 0);               // F3 53 VRCPSS
        v(1, NP, 0x54, "vandps", VHW, 0);                // 54 VANDPS
        v(1, X66, 0x54, "vandpd", VHW, 0);               // 66 54 VANDPD
        v(1, NP, 0x55, "vandnps", VHW, 0);               // 55 VANDNPS
        v(1, X66, 0x55, "vandnpd", VHW, 0);              // 66 55 VANDNPD
        v(1, NP, 0x56, "vorps", VHW, 0);                 // 56 VORPS
        v(1, X66, 0x56, "vorpd", VHW, 0);                // 66 56 VORPD
        v(1, NP, 0x57, "vxorps", VHW, 0);                // 57 VXORPS
        v(1, X66, 0x57, "vxorpd", VHW, 0);               // 66 57 VXORPD
        arith(0x58, "add");                              // 58 VADDPS/PD/SS/SD
        arith(0x59, "mul");                              // 59 VMULPS/PD/SS/SD
        v(1, NP, 0x5A, "vcvtps2pd", VW, 0);              // 5A VCVTPS2PD
        v(1, X66, 0x5A, "vcvtpd2ps", VW, 0);             // 66 5A VCVTPD2PS
        v(1, XF3, 0x5A, "vcvtss2sd", VHW, 0);            // F3 5A VCVTSS2SD
        v(1, XF2, 0x5A, "vcvtsd2ss", VHW, 0);            // F2 5A VCVTSD2SS
        v(1, NP, 0x5B, "vcvtdq2ps", VW, 0);              // 5B VCVTDQ2PS
        v(1, X66, 0x5B, "vcvtps2dq", VW, 0);             // 66 5B VCVTPS2DQ
        v(1, XF3, 0x5B, "vcvttps2dq", VW, 0);            // F3 5B VCVTTPS2DQ
        arith(0x5C, "sub");                              // 5C VSUBPS/PD/SS/SD
        arith(0x5D, "min");                              // 5D VMINPS/PD/SS/SD
        arith(0x5E, "div");                              // 5E VDIVPS/PD/SS/SD
        arith(0x5F, "max");                              // 5F VMAXPS/PD/SS/SD
        String[] p60 = {"vpunpcklbw", "vpunpcklwd", "vpunpckldq", "vpacksswb", "vpcmpgtb", "vpcmpgtw", "vpcmpgtd",
            "vpackuswb", "vpunpckhbw", "vpunpckhwd", "vpunpckhdq", "vpackssdw", "vpunpcklqdq", "vpunpckhqdq"};
        for (int i = 0; i < p60.length; i++) {
            v(1, X66, 0x60 + i, p60[i], VHW, 0);         // 66 60-6D: VPUNPCK*, VPACK*, VPCMPGT*
        }
        v(1, X66, 0x6E, "vmovd", VW, L0);                // 66 6E VMOVD/VMOVQ V, Ey
        v(1, X66, 0x6F, "vmovdqa", VW, 0);               // 66 6F VMOVDQA
        v(1, XF3, 0x6F, "vmovdqu", VW, 0);               // F3 6F VMOVDQU
        v(1, X66, 0x70, "vpshufd", VWIb, 0);             // 66 70 VPSHUFD
        v(1, XF3, 0x70, "vpshufhw", VWIb, 0);            // F3 70 VPSHUFHW
        v(1, XF2, 0x70, "vpshuflw", VWIb, 0);            // F2 70 VPSHUFLW
        Tables.VEX[1][X66][0x71] = Tables.groupEntry(Groups.VG12); // 66 71 Group 12: VPSRLW/VPSRAW/VPSLLW H, U, Ib
        Tables.VEX[1][X66][0x72] = Tables.groupEntry(Groups.VG13); // 66 72 Group 13
        Tables.VEX[1][X66][0x73] = Tables.groupEntry(Groups.VG14); // 66 73 Group 14
        v(1, X66, 0x74, "vpcmpeqb", VHW, 0);             // 66 74 VPCMPEQB
        v(1, X66, 0x75, "vpcmpeqw", VHW, 0);             // 66 75 VPCMPEQW
        v(1, X66, 0x76, "vpcmpeqd", VHW, 0);             // 66 76 VPCMPEQD
        v(1, NP, 0x77, "vzeroupper", NONE, 0);           // 77 VZEROUPPER (L0) / VZEROALL (L1)
        v(1, X66, 0x7C, "vhaddpd", VHW, 0);              // 66 7C VHADDPD
        v(1, XF2, 0x7C, "vhaddps", VHW, 0);              // F2 7C VHADDPS
        v(1, X66, 0x7D, "vhsubpd", VHW, 0);              // 66 7D VHSUBPD
        v(1, XF2, 0x7D, "vhsubps", VHW, 0);              // F2 7D VHSUBPS
        v(1, X66, 0x7E, "vmovd", WV, L0);                // 66 7E VMOVD/VMOVQ Ey, V
        v(1, XF3, 0x7E, "vmovq", VW, L0);                // F3 7E VMOVQ V, W
        v(1, X66, 0x7F, "vmovdqa", WV, 0);               // 66 7F VMOVDQA W, V
        v(1, XF3, 0x7F, "vmovdqu", WV, 0);               // F3 7F VMOVDQU W, V
        kop(1, 0x90, "kmov", KE, L0);                    // 90 KMOVW/Q/B/D k, k/m
        kop(1, 0x91, "kmov", MK, L0);                    // 91 KMOVW/Q/B/D m, k
        v(1, NP, 0x92, "kmovw", KR, L0 | W0);            // 92 KMOVW k, r32
        v(1, X66, 0x92, "kmovb", KR, L0 | W0);           // 66 92 KMOVB k, r32
        v(1, XF2, 0x92, "kmovd", KR, L0);                // F2 92 KMOVD (W0) / KMOVQ (W1) k, r
        v(1, NP, 0x93, "kmovw", RK, L0 | W0);            // 93 KMOVW r32, k
        v(1, X66, 0x93, "kmovb", RK, L0 | W0);           // 66 93 KMOVB r32, k
        v(1, XF2, 0x93, "kmovd", RK, L0);                // F2 93 KMOVD/KMOVQ r, k
        kop(1, 0x98, "kortest", KK, L0);                 // 98 KORTESTW/Q/B/D
        kop(1, 0x99, "ktest", KK, L0);                   // 99 KTESTW/Q/B/D
        Tables.VEX[1][NP][0xAE] = Tables.groupEntry(Groups.VG15); // AE Group 15: VLDMXCSR, VSTMXCSR
        v(1, NP, 0xC2, "vcmpps", VHWIb, 0);              // C2 VCMPPS
        v(1, X66, 0xC2, "vcmppd", VHWIb, 0);             // 66 C2 VCMPPD
        v(1, XF3, 0xC2, "vcmpss", VHWIb, 0);             // F3 C2 VCMPSS
        v(1, XF2, 0xC2, "vcmpsd", VHWIb, 0);             // F2 C2 VCMPSD
        v(1, X66, 0xC4, "vpinsrw", VHWIb, L0 | W0);           // 66 C4 VPINSRW V, H, Ry/Mw, Ib
        v(1, X66, 0xC5, "vpextrw", GUIb, L0 | W0);            // 66 C5 VPEXTRW Gd, U, Ib
        v(1, NP, 0xC6, "vshufps", VHWIb, 0);             // C6 VSHUFPS
        v(1, X66, 0xC6, "vshufpd", VHWIb, 0);            // 66 C6 VSHUFPD
        v(1, X66, 0xD0, "vaddsubpd", VHW, 0);            // 66 D0 VADDSUBPD
        v(1, XF2, 0xD0, "vaddsubps", VHW, 0);            // F2 D0 VADDSUBPS
        String[] pd = {null, "vpsrlw", "vpsrld", "vpsrlq", "vpaddq", "vpmullw", null, null, "vpsubusb", "vpsubusw",
            "vpminub", "vpand", "vpaddusb", "vpaddusw", "vpmaxub", "vpandn", "vpavgb", "vpsraw", "vpsrad", "vpavgw",
            "vpmulhuw", "vpmulhw", null, null, "vpsubsb", "vpsubsw", "vpminsw", "vpor", "vpaddsb", "vpaddsw", "vpmaxsw",
            "vpxor", null, "vpsllw", "vpslld", "vpsllq", "vpmuludq", "vpmaddwd", "vpsadbw", null, "vpsubb", "vpsubw",
            "vpsubd", "vpsubq", "vpaddb", "vpaddw", "vpaddd"};
        for (int i = 0; i < pd.length; i++) {
            if (pd[i] != null) {
                v(1, X66, 0xD0 + i, pd[i], VHW, 0);      // 66 D1-FE: integer ops V, H, W
            }
        }
        v(1, X66, 0xD6, "vmovq", WV, L0);                // 66 D6 VMOVQ W, V
        v(1, X66, 0xD7, "vpmovmskb", GU, 0);             // 66 D7 VPMOVMSKB Gd, U
        v(1, X66, 0xE6, "vcvttpd2dq", VW, 0);            // 66 E6 VCVTTPD2DQ
        v(1, XF3, 0xE6, "vcvtdq2pd", VW, 0);             // F3 E6 VCVTDQ2PD
        v(1, XF2, 0xE6, "vcvtpd2dq", VW, 0);             // F2 E6 VCVTPD2DQ
        v(1, X66, 0xE7, "vmovntdq", MV, 0);              // 66 E7 VMOVNTDQ
        v(1, XF2, 0xF0, "vlddqu", VM, 0);                // F2 F0 VLDDQU
        v(1, X66, 0xF7, "vmaskmovdqu", VU, L0);          // 66 F7 VMASKMOVDQU

        // Map 2 (0F 38), Table A-4.
        String[] p38 = {"vpshufb", "vphaddw", "vphaddd", "vphaddsw", "vpmaddubsw", "vphsubw", "vphsubd", "vphsubsw",
            "vpsignb", "vpsignw", "vpsignd", "vpmulhrsw"};
        for (int i = 0; i < p38.length; i++) {
            v(2, X66, i, p38[i], VHW, 0);                // 66 38 00-0B: SSSE3 ops V, H, W
        }
        v(2, X66, 0x0C, "vpermilps", VHW, W0);           // 66 38 0C VPERMILPS V, H, W
        v(2, X66, 0x0D, "vpermilpd", VHW, W0);           // 66 38 0D VPERMILPD
        v(2, X66, 0x0E, "vtestps", VW, W0);              // 66 38 0E VTESTPS
        v(2, X66, 0x0F, "vtestpd", VW, W0);              // 66 38 0F VTESTPD
        v(2, X66, 0x13, "vcvtph2ps", VW, W0);            // 66 38 13 VCVTPH2PS (F16C)
        v(2, X66, 0x16, "vpermps", VHW, L1 | W0);        // 66 38 16 VPERMPS
        v(2, X66, 0x17, "vptest", VW, 0);                // 66 38 17 VPTEST
        v(2, X66, 0x18, "vbroadcastss", VW, W0);         // 66 38 18 VBROADCASTSS
        v(2, X66, 0x19, "vbroadcastsd", VW, L1 | W0);    // 66 38 19 VBROADCASTSD
        v(2, X66, 0x1A, "vbroadcastf128", VM, L1 | W0);  // 66 38 1A VBROADCASTF128
        v(2, X66, 0x1C, "vpabsb", VW, 0);                // 66 38 1C VPABSB
        v(2, X66, 0x1D, "vpabsw", VW, 0);                // 66 38 1D VPABSW
        v(2, X66, 0x1E, "vpabsd", VW, 0);                // 66 38 1E VPABSD
        String[] mov = {"vpmovsxbw", "vpmovsxbd", "vpmovsxbq", "vpmovsxwd", "vpmovsxwq", "vpmovsxdq"};
        for (int i = 0; i < 6; i++) {
            v(2, X66, 0x20 + i, mov[i], VW, 0);          // 66 38 20-25 VPMOVSX*
            v(2, X66, 0x30 + i, mov[i].replace("sx", "zx"), VW, 0); // 66 38 30-35 VPMOVZX*
        }
        v(2, X66, 0x28, "vpmuldq", VHW, 0);              // 66 38 28 VPMULDQ
        v(2, X66, 0x29, "vpcmpeqq", VHW, 0);             // 66 38 29 VPCMPEQQ
        v(2, X66, 0x2A, "vmovntdqa", VM, 0);             // 66 38 2A VMOVNTDQA
        v(2, X66, 0x2B, "vpackusdw", VHW, 0);            // 66 38 2B VPACKUSDW
        v(2, X66, 0x2C, "vmaskmovps", VHM, W0);          // 66 38 2C VMASKMOVPS V, H, M
        v(2, X66, 0x2D, "vmaskmovpd", VHM, W0);          // 66 38 2D VMASKMOVPD
        v(2, X66, 0x2E, "vmaskmovps", MHV, W0);          // 66 38 2E VMASKMOVPS M, H, V
        v(2, X66, 0x2F, "vmaskmovpd", MHV, W0);          // 66 38 2F VMASKMOVPD
        v(2, X66, 0x36, "vpermd", VHW, L1 | W0);         // 66 38 36 VPERMD
        v(2, X66, 0x37, "vpcmpgtq", VHW, 0);             // 66 38 37 VPCMPGTQ
        String[] mm = {"vpminsb", "vpminsd", "vpminuw", "vpminud", "vpmaxsb", "vpmaxsd", "vpmaxuw", "vpmaxud", "vpmulld"};
        for (int i = 0; i < mm.length; i++) {
            v(2, X66, 0x38 + i, mm[i], VHW, 0);          // 66 38 38-40 VPMIN*/VPMAX*/VPMULLD
        }
        v(2, X66, 0x41, "vphminposuw", VW, L0);          // 66 38 41 VPHMINPOSUW
        v(2, X66, 0x45, "vpsrlvd", VHW, 0);              // 66 38 45 VPSRLVD/Q
        v(2, X66, 0x46, "vpsravd", VHW, W0);             // 66 38 46 VPSRAVD
        v(2, X66, 0x47, "vpsllvd", VHW, 0);              // 66 38 47 VPSLLVD/Q
        v(2, X66, 0x50, "vpdpbusd", VHW, W0);            // 66 38 50 VPDPBUSD (AVX-VNNI)
        v(2, X66, 0x51, "vpdpbusds", VHW, W0);           // 66 38 51 VPDPBUSDS
        v(2, X66, 0x52, "vpdpwssd", VHW, W0);            // 66 38 52 VPDPWSSD
        v(2, X66, 0x53, "vpdpwssds", VHW, W0);           // 66 38 53 VPDPWSSDS
        v(2, X66, 0x58, "vpbroadcastd", VW, W0);         // 66 38 58 VPBROADCASTD
        v(2, X66, 0x59, "vpbroadcastq", VW, W0);         // 66 38 59 VPBROADCASTQ
        v(2, X66, 0x5A, "vbroadcasti128", VM, L1 | W0);  // 66 38 5A VBROADCASTI128
        v(2, X66, 0x78, "vpbroadcastb", VW, W0);         // 66 38 78 VPBROADCASTB
        v(2, X66, 0x79, "vpbroadcastw", VW, W0);         // 66 38 79 VPBROADCASTW
        v(2, X66, 0x8C, "vpmaskmovd", VHM, 0);           // 66 38 8C VPMASKMOVD/Q V, H, M
        v(2, X66, 0x8E, "vpmaskmovd", MHV, 0);           // 66 38 8E VPMASKMOVD/Q M, H, V
        v(2, X66, 0x90, "vpgatherdd", VSIB, 0);          // 66 38 90 VPGATHERDD/Q V, VSIB, H
        v(2, X66, 0x91, "vpgatherqd", VSIB, 0);          // 66 38 91 VPGATHERQD/Q
        v(2, X66, 0x92, "vgatherdps", VSIB, 0);          // 66 38 92 VGATHERDPS/PD
        v(2, X66, 0x93, "vgatherqps", VSIB, 0);          // 66 38 93 VGATHERQPS/PD
        String[] fma = {"vfmaddsub", "vfmsubadd", "vfmadd", "vfmadd", "vfmsub", "vfmsub", "vfnmadd", "vfnmadd", "vfnmsub", "vfnmsub"};
        for (int i = 0; i < 10; i++) {
            String sfx = i < 2 ? "p" : (i % 2 == 0 ? "p" : "s");
            v(2, X66, 0x96 + i, fma[i] + "132" + sfx, VHW, 0); // 66 38 96-9F FMA 132
            v(2, X66, 0xA6 + i, fma[i] + "213" + sfx, VHW, 0); // 66 38 A6-AF FMA 213
            v(2, X66, 0xB6 + i, fma[i] + "231" + sfx, VHW, 0); // 66 38 B6-BF FMA 231
        }
        v(2, X66, 0xCF, "vgf2p8mulb", VHW, W0);          // 66 38 CF VGF2P8MULB
        v(2, X66, 0xDB, "vaesimc", VW, L0);              // 66 38 DB VAESIMC
        v(2, X66, 0xDC, "vaesenc", VHW, 0);              // 66 38 DC VAESENC
        v(2, X66, 0xDD, "vaesenclast", VHW, 0);          // 66 38 DD VAESENCLAST
        v(2, X66, 0xDE, "vaesdec", VHW, 0);              // 66 38 DE VAESDEC
        v(2, X66, 0xDF, "vaesdeclast", VHW, 0);          // 66 38 DF VAESDECLAST
        v(2, NP, 0xF2, "andn", HE, L0);                  // 38 F2 ANDN Gy, By, Ey (BMI1)
        Tables.VEX[2][NP][0xF3] = Tables.groupEntry(Groups.VG17); // 38 F3 Group 17: BLSR/BLSMSK/BLSI By, Ey
        v(2, NP, 0xF5, "bzhi", HE, L0);                  // 38 F5 BZHI Gy, Ey, By (BMI2)
        v(2, XF3, 0xF5, "pext", HE, L0);                 // F3 38 F5 PEXT Gy, By, Ey
        v(2, XF2, 0xF5, "pdep", HE, L0);                 // F2 38 F5 PDEP Gy, By, Ey
        v(2, XF2, 0xF6, "mulx", HE, L0);                 // F2 38 F6 MULX By, Gy, Ey
        v(2, NP, 0xF7, "bextr", HE, L0);                 // 38 F7 BEXTR Gy, Ey, By
        v(2, X66, 0xF7, "shlx", HE, L0);                 // 66 38 F7 SHLX Gy, Ey, By
        v(2, XF3, 0xF7, "sarx", HE, L0);                 // F3 38 F7 SARX
        v(2, XF2, 0xF7, "shrx", HE, L0);                 // F2 38 F7 SHRX

        // Map 3 (0F 3A), Table A-5: every entry takes an Ib.
        v(3, X66, 0x00, "vpermq", VWIb, L1 | W1);        // 66 3A 00 VPERMQ
        v(3, X66, 0x01, "vpermpd", VWIb, L1 | W1);       // 66 3A 01 VPERMPD
        v(3, X66, 0x02, "vpblendd", VHWIb, W0);          // 66 3A 02 VPBLENDD
        v(3, X66, 0x04, "vpermilps", VWIb, W0);          // 66 3A 04 VPERMILPS V, W, Ib
        v(3, X66, 0x05, "vpermilpd", VWIb, W0);          // 66 3A 05 VPERMILPD
        v(3, X66, 0x06, "vperm2f128", VHWIb, L1 | W0);   // 66 3A 06 VPERM2F128
        v(3, X66, 0x08, "vroundps", VWIb, 0);            // 66 3A 08 VROUNDPS
        v(3, X66, 0x09, "vroundpd", VWIb, 0);            // 66 3A 09 VROUNDPD
        v(3, X66, 0x0A, "vroundss", VHWIb, 0);           // 66 3A 0A VROUNDSS
        v(3, X66, 0x0B, "vroundsd", VHWIb, 0);           // 66 3A 0B VROUNDSD
        v(3, X66, 0x0C, "vblendps", VHWIb, 0);           // 66 3A 0C VBLENDPS
        v(3, X66, 0x0D, "vblendpd", VHWIb, 0);           // 66 3A 0D VBLENDPD
        v(3, X66, 0x0E, "vpblendw", VHWIb, 0);           // 66 3A 0E VPBLENDW
        v(3, X66, 0x0F, "vpalignr", VHWIb, 0);           // 66 3A 0F VPALIGNR
        v(3, X66, 0x14, "vpextrb", WVIb, L0 | W0);            // 66 3A 14 VPEXTRB Rd/Mb, V, Ib
        v(3, X66, 0x15, "vpextrw", WVIb, L0 | W0);            // 66 3A 15 VPEXTRW Rd/Mw, V, Ib
        v(3, X66, 0x16, "vpextrd", WVIb, L0);            // 66 3A 16 VPEXTRD/Q Ey, V, Ib
        v(3, X66, 0x17, "vextractps", WVIb, L0);         // 66 3A 17 VEXTRACTPS Ed, V, Ib
        v(3, X66, 0x18, "vinsertf128", VHWIb, L1 | W0);  // 66 3A 18 VINSERTF128
        v(3, X66, 0x19, "vextractf128", WVIb, L1 | W0);  // 66 3A 19 VEXTRACTF128
        v(3, X66, 0x1D, "vcvtps2ph", WVIb, W0);          // 66 3A 1D VCVTPS2PH (F16C)
        v(3, X66, 0x20, "vpinsrb", VHWIb, L0 | W0);           // 66 3A 20 VPINSRB V, H, Ry/Mb, Ib
        v(3, X66, 0x21, "vinsertps", VHWIb, L0);         // 66 3A 21 VINSERTPS
        v(3, X66, 0x22, "vpinsrd", VHWIb, L0);           // 66 3A 22 VPINSRD/Q V, H, Ey, Ib
        v(3, X66, 0x30, "kshiftrb", KKIb, L0);           // 66 3A 30 KSHIFTRB (W0) / KSHIFTRW (W1)
        v(3, X66, 0x31, "kshiftrd", KKIb, L0);           // 66 3A 31 KSHIFTRD / KSHIFTRQ
        v(3, X66, 0x32, "kshiftlb", KKIb, L0);           // 66 3A 32 KSHIFTLB / KSHIFTLW
        v(3, X66, 0x33, "kshiftld", KKIb, L0);           // 66 3A 33 KSHIFTLD / KSHIFTLQ
        v(3, X66, 0x38, "vinserti128", VHWIb, L1 | W0);  // 66 3A 38 VINSERTI128
        v(3, X66, 0x39, "vextracti128", WVIb, L1 | W0);  // 66 3A 39 VEXTRACTI128
        v(3, X66, 0x40, "vdpps", VHWIb, 0);              // 66 3A 40 VDPPS
        v(3, X66, 0x41, "vdppd", VHWIb, L0);             // 66 3A 41 VDPPD
        v(3, X66, 0x42, "vmpsadbw", VHWIb, 0);           // 66 3A 42 VMPSADBW
        v(3, X66, 0x44, "vpclmulqdq", VHWIb, 0);         // 66 3A 44 VPCLMULQDQ
        v(3, X66, 0x46, "vperm2i128", VHWIb, L1 | W0);   // 66 3A 46 VPERM2I128
        v(3, X66, 0x48, "vpermil2ps", VHWIb, 0);         // 66 3A 48 VPERMIL2PS (AMD XOP-era): V, H, W, Is4 | m2z
        v(3, X66, 0x49, "vpermil2pd", VHWIb, 0);         // 66 3A 49 VPERMIL2PD
        v(3, X66, 0x4A, "vblendvps", VHWIb, W0);         // 66 3A 4A VBLENDVPS V, H, W, Lx (is4)
        v(3, X66, 0x4B, "vblendvpd", VHWIb, W0);         // 66 3A 4B VBLENDVPD
        v(3, X66, 0x4C, "vpblendvb", VHWIb, W0);         // 66 3A 4C VPBLENDVB
        String[] fma4 = {"vfmaddsubps", "vfmaddsubpd", "vfmsubaddps", "vfmsubaddpd"};
        for (int i = 0; i < 4; i++) {
            v(3, X66, 0x5C + i, fma4[i], VHWIb, 0);      // 66 3A 5C-5F FMA4 (AMD): V, H, W/Is4, Is4/W
        }
        String[] fma4b = {"vfmaddps", "vfmaddpd", "vfmaddss", "vfmaddsd", "vfmsubps", "vfmsubpd", "vfmsubss", "vfmsubsd"};
        for (int i = 0; i < 8; i++) {
            v(3, X66, 0x68 + i, fma4b[i], VHWIb, 0);     // 66 3A 68-6F FMA4
            v(3, X66, 0x78 + i, fma4b[i].replace("vfm", "vfnm"), VHWIb, 0); // 66 3A 78-7F FMA4 negated
        }
        v(3, X66, 0x60, "vpcmpestrm", VWIb, L0 | W0);         // 66 3A 60 VPCMPESTRM
        v(3, X66, 0x61, "vpcmpestri", VWIb, L0 | W0);         // 66 3A 61 VPCMPESTRI
        v(3, X66, 0x62, "vpcmpistrm", VWIb, L0 | W0);         // 66 3A 62 VPCMPISTRM
        v(3, X66, 0x63, "vpcmpistri", VWIb, L0 | W0);         // 66 3A 63 VPCMPISTRI
        v(3, X66, 0xCE, "vgf2p8affineqb", VHWIb, W1);    // 66 3A CE VGF2P8AFFINEQB
        v(3, X66, 0xCF, "vgf2p8affineinvqb", VHWIb, W1); // 66 3A CF VGF2P8AFFINEINVQB
        v(3, X66, 0xDF, "vaeskeygenassist", VWIb, L0);   // 66 3A DF VAESKEYGENASSIST
        v(3, XF2, 0xF0, "rorx", VWIb, L0);               // F2 3A F0 RORX Gy, Ey, Ib (BMI2)
    }
}
