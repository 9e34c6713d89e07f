package dev.phoenix.x86;

import static dev.phoenix.x86.Form.*;
import static dev.phoenix.x86.Tables.ANY;
import static dev.phoenix.x86.Tables.NP;
import static dev.phoenix.x86.Tables.P66;
import static dev.phoenix.x86.Tables.PF2;
import static dev.phoenix.x86.Tables.PF3;

/**
 * SDM Vol. 2, Appendix A.3, Table A-4: Three-byte Opcode Map 0F 38 (SSSE3, SSE4.1/4.2, SHA,
 * AES-NI, MOVBE, CRC32, ADX, VMX/INVPCID, CET, MOVDIRI), and Table A-5: Three-byte Opcode Map
 * 0F 3A (every entry takes an Ib). One line per opcode; names by prefix as in {@link TwoByteMap}.
 */
final class ThreeByteMaps {
    private ThreeByteMaps() {
    }

    static final int[][] T38 = Tables.LEGACY[1];
    static final int[][] T3A = Tables.LEGACY[2];

    private static void m38(int op, String names, Form form) {
        TwoByteMap.sse(T38, op, names, form, 0);
    }

    private static void mmx38(int op, String name) {
        TwoByteMap.sse(T38, op, name + " " + name + " - -", VW, 0);
    }

    /** Operand-size-sensitive (66 is the operand-size prefix, not a mandatory one). */
    private static void osz38(int op, int mask, String name, Form form) {
        Tables.put(T38, mask, op, Entry.make(name, form, 0));
    }

    private static void m3a(int op, String names, Form form) {
        TwoByteMap.sse(T3A, op, names, form, 0);
    }

    static void fill() {
        mmx38(0x00, "pshufb");                          // 00 PSHUFB
        mmx38(0x01, "phaddw");                          // 01 PHADDW
        mmx38(0x02, "phaddd");                          // 02 PHADDD
        mmx38(0x03, "phaddsw");                         // 03 PHADDSW
        mmx38(0x04, "pmaddubsw");                       // 04 PMADDUBSW
        mmx38(0x05, "phsubw");                          // 05 PHSUBW
        mmx38(0x06, "phsubd");                          // 06 PHSUBD
        mmx38(0x07, "phsubsw");                         // 07 PHSUBSW
        mmx38(0x08, "psignb");                          // 08 PSIGNB
        mmx38(0x09, "psignw");                          // 09 PSIGNW
        mmx38(0x0A, "psignd");                          // 0A PSIGND
        mmx38(0x0B, "pmulhrsw");                        // 0B PMULHRSW
        m38(0x10, "- pblendvb - -", VW);                // 10 PBLENDVB (XMM0 implicit)
        m38(0x14, "- blendvps - -", VW);                // 14 BLENDVPS
        m38(0x15, "- blendvpd - -", VW);                // 15 BLENDVPD
        m38(0x17, "- ptest - -", VW);                   // 17 PTEST
        mmx38(0x1C, "pabsb");                           // 1C PABSB
        mmx38(0x1D, "pabsw");                           // 1D PABSW
        mmx38(0x1E, "pabsd");                           // 1E PABSD
        m38(0x20, "- pmovsxbw - -", VW);                // 20 PMOVSXBW
        m38(0x21, "- pmovsxbd - -", VW);                // 21 PMOVSXBD
        m38(0x22, "- pmovsxbq - -", VW);                // 22 PMOVSXBQ
        m38(0x23, "- pmovsxwd - -", VW);                // 23 PMOVSXWD
        m38(0x24, "- pmovsxwq - -", VW);                // 24 PMOVSXWQ
        m38(0x25, "- pmovsxdq - -", VW);                // 25 PMOVSXDQ
        m38(0x28, "- pmuldq - -", VW);                  // 28 PMULDQ
        m38(0x29, "- pcmpeqq - -", VW);                 // 29 PCMPEQQ
        m38(0x2A, "- movntdqa - -", VM);                // 2A MOVNTDQA
        m38(0x2B, "- packusdw - -", VW);                // 2B PACKUSDW
        m38(0x30, "- pmovzxbw - -", VW);                // 30 PMOVZXBW
        m38(0x31, "- pmovzxbd - -", VW);                // 31 PMOVZXBD
        m38(0x32, "- pmovzxbq - -", VW);                // 32 PMOVZXBQ
        m38(0x33, "- pmovzxwd - -", VW);                // 33 PMOVZXWD
        m38(0x34, "- pmovzxwq - -", VW);                // 34 PMOVZXWQ
        m38(0x35, "- pmovzxdq - -", VW);                // 35 PMOVZXDQ
        m38(0x37, "- pcmpgtq - -", VW);                 // 37 PCMPGTQ
        m38(0x38, "- pminsb - -", VW);                  // 38 PMINSB
        m38(0x39, "- pminsd - -", VW);                  // 39 PMINSD
        m38(0x3A, "- pminuw - -", VW);                  // 3A PMINUW
        m38(0x3B, "- pminud - -", VW);                  // 3B PMINUD
        m38(0x3C, "- pmaxsb - -", VW);                  // 3C PMAXSB
        m38(0x3D, "- pmaxsd - -", VW);                  // 3D PMAXSD
        m38(0x3E, "- pmaxuw - -", VW);                  // 3E PMAXUW
        m38(0x3F, "- pmaxud - -", VW);                  // 3F PMAXUD
        m38(0x40, "- pmulld - -", VW);                  // 40 PMULLD
        m38(0x41, "- phminposuw - -", VW);              // 41 PHMINPOSUW
        m38(0x80, "- invept - -", GvM);                 // 80 INVEPT Gy, Mdq
        m38(0x81, "- invvpid - -", GvM);                // 81 INVVPID Gy, Mdq
        m38(0x82, "- invpcid - -", GvM);                // 82 INVPCID Gy, Mdq
        // C8-CD, 0F 3A CC: SHA takes no mandatory prefix; 66/F2/F3 are ignored (as Capstone does).
        osz38(0xC8, ANY, "sha1nexte", VW);              // C8 SHA1NEXTE
        osz38(0xC9, ANY, "sha1msg1", VW);               // C9 SHA1MSG1
        osz38(0xCA, ANY, "sha1msg2", VW);               // CA SHA1MSG2
        osz38(0xCB, ANY, "sha256rnds2", VW);            // CB SHA256RNDS2
        osz38(0xCC, ANY, "sha256msg1", VW);             // CC SHA256MSG1
        osz38(0xCD, ANY, "sha256msg2", VW);             // CD SHA256MSG2
        m38(0xCF, "- gf2p8mulb - -", VW);               // CF GF2P8MULB
        m38(0xDB, "- aesimc - -", VW);                  // DB AESIMC
        m38(0xDC, "- aesenc - -", VW);                  // DC AESENC
        m38(0xDD, "- aesenclast - -", VW);              // DD AESENCLAST
        m38(0xDE, "- aesdec - -", VW);                  // DE AESDEC
        m38(0xDF, "- aesdeclast - -", VW);              // DF AESDECLAST
        osz38(0xF0, NP | P66, "movbe", GvM);            // F0 MOVBE Gy, My
        osz38(0xF0, PF2, "crc32", GvEv);                // F2 0F 38 F0 CRC32 Gd, Eb
        osz38(0xF1, NP | P66, "movbe", MG);             // F1 MOVBE My, Gy
        osz38(0xF1, PF2, "crc32", GvEv);                // F2 0F 38 F1 CRC32 Gd, Ey
        osz38(0xF5, P66, "wrussd", MG);                 // 66 0F 38 F5 WRUSSD/Q (CET)
        osz38(0xF6, NP, "wrssd", MG);                   // 0F 38 F6 WRSSD/Q (CET)
        osz38(0xF6, P66, "adcx", GvEv);                 // 66 0F 38 F6 ADCX
        osz38(0xF6, PF3, "adox", GvEv);                 // F3 0F 38 F6 ADOX
        osz38(0xF8, P66, "movdir64b", GvM);             // 66 0F 38 F8 MOVDIR64B
        osz38(0xF8, PF2, "enqcmd", GvM);                // F2 0F 38 F8 ENQCMD
        osz38(0xF8, PF3, "enqcmds", GvM);               // F3 0F 38 F8 ENQCMDS
        osz38(0xF9, ANY, "movdiri", MG);                // 0F 38 F9 MOVDIRI

        m3a(0x08, "- roundps - -", VWIb);               // 08 ROUNDPS
        m3a(0x09, "- roundpd - -", VWIb);               // 09 ROUNDPD
        m3a(0x0A, "- roundss - -", VWIb);               // 0A ROUNDSS
        m3a(0x0B, "- roundsd - -", VWIb);               // 0B ROUNDSD
        m3a(0x0C, "- blendps - -", VWIb);               // 0C BLENDPS
        m3a(0x0D, "- blendpd - -", VWIb);               // 0D BLENDPD
        m3a(0x0E, "- pblendw - -", VWIb);               // 0E PBLENDW
        m3a(0x0F, "palignr palignr - -", VWIb);         // 0F PALIGNR
        m3a(0x14, "- pextrb - -", VWIb);                // 14 PEXTRB Rd/Mb, V, Ib
        m3a(0x15, "- pextrw - -", VWIb);                // 15 PEXTRW Rd/Mw, V, Ib
        m3a(0x16, "- pextrd - -", VWIb);                // 16 PEXTRD/Q Ey, V, Ib
        m3a(0x17, "- extractps - -", VWIb);             // 17 EXTRACTPS Ed, V, Ib
        m3a(0x20, "- pinsrb - -", VWIb);                // 20 PINSRB V, Rd/Mb, Ib
        m3a(0x21, "- insertps - -", VWIb);              // 21 INSERTPS
        m3a(0x22, "- pinsrd - -", VWIb);                // 22 PINSRD/Q V, Ey, Ib
        m3a(0x40, "- dpps - -", VWIb);                  // 40 DPPS
        m3a(0x41, "- dppd - -", VWIb);                  // 41 DPPD
        m3a(0x42, "- mpsadbw - -", VWIb);               // 42 MPSADBW
        m3a(0x44, "- pclmulqdq - -", VWIb);             // 44 PCLMULQDQ
        m3a(0x60, "- pcmpestrm - -", VWIb);             // 60 PCMPESTRM
        m3a(0x61, "- pcmpestri - -", VWIb);             // 61 PCMPESTRI
        m3a(0x62, "- pcmpistrm - -", VWIb);             // 62 PCMPISTRM
        m3a(0x63, "- pcmpistri - -", VWIb);             // 63 PCMPISTRI
        Tables.put(T3A, ANY, 0xCC, Entry.make("sha1rnds4", VWIb, 0)); // CC SHA1RNDS4
        m3a(0xCE, "- gf2p8affineqb - -", VWIb);         // CE GF2P8AFFINEQB
        m3a(0xCF, "- gf2p8affineinvqb - -", VWIb);      // CF GF2P8AFFINEINVQB
        m3a(0xDF, "- aeskeygenassist - -", VWIb);       // DF AESKEYGENASSIST
    }
}
