package dev.phoenix.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Hand-written encodings for every feature of the decoded form (SDM Vol. 2, Chapter 2). */
class X86DecoderTest {
    private final Insn insn = new Insn();

    /** Decodes hex (spaces allowed) and returns the result; fields are in {@link #insn}. */
    private int decode(String hex) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        return X86Decoder.decode(b, 0, b.length, insn);
    }

    private long ok(String hex, int length, String mnemonic) {
        assertEquals(length, decode(hex), hex);
        assertEquals(mnemonic, Entry.name(insn.entry), hex);
        return insn.rde;
    }

    private void invalid(String hex) {
        assertEquals(X86Decoder.INVALID, decode(hex), hex);
    }

    @Test
    void oneByteOpcodesAndOperandSize() {
        long r = ok("01 c0", 2, "add");
        assertEquals(Rde.OSZ_32, Rde.osz(r));
        assertEquals(0xC0, Rde.modrm(r));
        assertEquals(3, Rde.mod(r));
        assertEquals(Rde.OSZ_16, Rde.osz(ok("66 01 c0", 3, "add")));
        assertEquals(Rde.OSZ_64, Rde.osz(ok("48 01 c0", 3, "add")));
        assertEquals(Rde.OSZ_64, Rde.osz(ok("66 48 01 c0", 4, "add")), "REX.W wins over 66");
        assertEquals(Rde.ASZ_32, Rde.asz(ok("67 8b 00", 3, "mov")));
        assertEquals(Rde.ASZ_64, Rde.asz(ok("8b 00", 2, "mov")));
    }

    @Test
    void defaultAndForced64BitOperands() {
        assertEquals(Rde.OSZ_64, Rde.osz(ok("50", 1, "push")));
        assertEquals(Rde.OSZ_16, Rde.osz(ok("66 50", 2, "push")));
        assertEquals(1, Rde.rexB(ok("41 50", 2, "push")), "push r8");
        // Near branches ignore 66 in 64-bit mode (Intel): still a rel32.
        assertEquals(Rde.OSZ_64, Rde.osz(ok("66 e8 00 00 00 00", 6, "call")));
        assertEquals(Rde.OSZ_64, Rde.osz(ok("ff d0", 2, "call")));
        ok("6a ff", 2, "push");
        assertEquals(-1, insn.imm);
        assertEquals(Rde.OSZ_16, Rde.osz(ok("66 68 34 12", 4, "push")));
    }

    @Test
    void legacyPrefixRules() {
        long r = ok("2e 3e 64 8b 00", 5, "mov");
        assertEquals(Rde.SEG_FS, Rde.segment(r), "the last segment override wins");
        r = ok("f2 f3 0f 10 c0", 5, "movss");
        assertEquals(Rde.PP_F3, Rde.pp(r), "the last of F2/F3 is the mandatory prefix");
        ok("f3 f2 0f 10 c0", 5, "movsd");
        ok("66 0f 10 c0", 4, "movupd");
        r = ok("66 f2 0f 38 f1 c0", 6, "crc32");
        assertEquals(Rde.OSZ_16, Rde.osz(r), "66 still sizes CRC32 under F2");
        r = ok("66 0f 6e c0", 4, "movd");
        assertEquals(Rde.OSZ_32, Rde.osz(r), "66 as a mandatory prefix is not an operand size");
        r = ok("f3 a4", 2, "movsb");
        assertEquals(3, Rde.rep(r));
        r = ok("f0 f2 01 00", 4, "add");
        assertFalse(Rde.lock(r), "F0, F2, F3 share group 1: the last one is kept");
        assertTrue(Rde.lock(ok("f2 f0 01 00", 4, "add")));
        ok("2e".repeat(14) + "90", 15, "nop");
        invalid("2e".repeat(15) + "90");
    }

    @Test
    void rexCountsOnlyRightBeforeTheOpcode() {
        long r = ok("48 66 89 c0", 4, "mov");
        assertFalse(Rde.hasRex(r));
        assertEquals(Rde.OSZ_16, Rde.osz(r));
        r = ok("66 48 89 c0", 4, "mov");
        assertTrue(Rde.rexW(r));
        assertEquals(Rde.OSZ_64, Rde.osz(r));
        r = ok("4c 89 c0", 3, "mov");
        assertEquals(8, Rde.reg(r), "REX.R extends ModRM.reg");
        ok("49 90", 2, "nop"); // xchg r8, rax: the printer reads REX.B
    }

    @Test
    void sibDisplacementAndRipRelative() {
        long r = ok("8b 04 25 78 56 34 12", 7, "mov");
        assertTrue(Rde.hasSib(r));
        assertEquals(4, Rde.index(r), "no index");
        assertEquals(5, Rde.base(r), "no base with mod 0");
        assertEquals(4, Rde.dispSize(r));
        assertEquals(0x12345678, insn.disp);
        assertFalse(Rde.ripRelative(r));
        r = ok("48 8d 05 10 00 00 00", 7, "lea");
        assertTrue(Rde.ripRelative(r));
        assertEquals(0x10, insn.disp);
        r = ok("8b 44 8d f0", 4, "mov");
        assertEquals(2, Rde.scale(r));
        assertEquals(1, Rde.index(r));
        assertEquals(5, Rde.base(r));
        assertEquals(-16, insn.disp);
        ok("8b 84 24 00 01 00 00", 7, "mov");
        invalid("8d c0"); // LEA needs memory
    }

    @Test
    void moffsAndWideImmediates() {
        long r = ok("48 a1 88 77 66 55 44 33 22 11", 10, "mov");
        assertEquals(8, Rde.dispSize(r));
        assertEquals(0x1122334455667788L, insn.disp);
        assertEquals(4, Rde.dispSize(ok("67 a1 44 33 22 11", 6, "mov")));
        r = ok("48 b8 01 02 03 04 05 06 07 08", 10, "mov");
        assertEquals(8, Rde.immSize(r));
        assertEquals(0x0807060504030201L, insn.imm);
        assertEquals(4, Rde.immSize(ok("b8 01 02 03 04", 5, "mov")));
        assertEquals(4, Rde.immSize(ok("48 c7 c0 ff ff ff ff", 7, "mov")));
        assertEquals(-1, insn.imm);
        r = ok("c2 10 00", 3, "ret");
        assertEquals(2, Rde.immSize(r));
        assertEquals(16, insn.imm);
        r = ok("c8 10 00 02", 4, "enter");
        assertEquals(16, insn.imm);
        assertTrue(Rde.hasImm2(r));
        assertEquals(2, insn.imm2);
        r = ok("66 0f 78 c0 04 08", 6, "extrq");
        assertEquals(4, insn.imm);
        assertEquals(8, insn.imm2);
        ok("f2 0f 78 c1 04 08", 6, "insertq");
        ok("f6 c0 01", 3, "test"); // F6 /0 has an Ib, F6 /2 does not
        ok("f6 d0", 2, "not");
        ok("f7 c0 01 00 00 00", 6, "test");
    }

    @Test
    void twoAndThreeByteMaps() {
        long r = ok("0f 05", 2, "syscall");
        assertEquals(Rde.MAP_0F, Rde.map(r));
        r = ok("66 0f 38 00 c1", 5, "pshufb");
        assertEquals(Rde.MAP_0F38, Rde.map(r));
        r = ok("66 0f 3a 0f c1 08", 6, "palignr");
        assertEquals(Rde.MAP_0F3A, Rde.map(r));
        assertEquals(8, insn.imm);
        ok("f3 0f 1e fa", 4, "endbr");
        ok("f3 0f b8 c0", 4, "popcnt");
        invalid("0f b8 c0"); // JMPE is not in 64-bit mode
        ok("0f 01 d0", 3, "xgetbv");
        ok("0f ae e8", 3, "lfence");
        r = ok("0f 0f c1 b4", 4, "pfmul"); // 3DNow!: the opcode is the trailing byte
        assertEquals(Rde.MAP_3DNOW, Rde.map(r));
        assertEquals(0xB4, Rde.opcode(r));
        invalid("0f 0f c1 ff");
    }

    @Test
    void capstonesMandatoryPrefixRules() {
        // With REX.W, a mandatory-prefix column without this opcode falls back to the no-prefix one.
        invalid("f3 0f 61 c0");
        ok("f3 48 0f 61 c0", 5, "punpcklwd");
        ok("66 48 0f 78 00", 5, "vmread"); // EXTRQ has no memory form
        // 66 with F2/F3 refuses FXSAVE and friends (without REX.W).
        ok("f3 0f ae 00", 4, "fxsave");
        invalid("66 f3 0f ae 00");
        ok("66 f3 0f 10 c0", 5, "movss"); // SSE: F3 chooses, 66 is ignored
        invalid("f3 66 0f 60 c0");
    }

    @Test
    void x87() {
        ok("d9 c0", 2, "fld");
        ok("dd 00", 2, "fld");
        ok("de c1", 2, "faddp");
        ok("df e0", 2, "fnstsw");
        invalid("d9 d1");
        invalid("dd 28"); // DD /5 memory is reserved
    }

    @Test
    void vexEvexAndXop() {
        long r = ok("c5 f8 77", 3, "vzeroupper");
        assertEquals(Rde.ENC_VEX, Rde.encoding(r));
        r = ok("c4 e2 7d 18 00", 5, "vbroadcastss");
        assertEquals(Rde.MAP_0F38, Rde.map(r));
        assertEquals(1, Vex.l(insn.vex));
        r = ok("c5 f0 58 c2", 4, "vaddps");
        assertEquals(1, Vex.vvvv(insn.vex));
        invalid("48 c5 f8 77"); // REX before VEX
        invalid("c4 e2 f9 0c c0"); // VPERMILPS is W0
        r = ok("62 f1 7c 48 58 c0", 6, "vaddps");
        assertEquals(Rde.ENC_EVEX, Rde.encoding(r));
        assertEquals(2, Vex.l(insn.vex));
        assertEquals(Rde.OSZ_32, Rde.osz(ok("62 f3 7d 08 16 c0 01", 7, "vpextrd")));
        assertEquals(Rde.OSZ_64, Rde.osz(ok("62 f3 fd 08 16 c0 01", 7, "vpextrd"))); // VPEXTRQ
        r = ok("62 f1 7c 4a 58 40 01", 7, "vaddps"); // {k2}, disp8 (scaled by the operand size, N)
        assertEquals(2, Vex.aaa(insn.vex));
        assertEquals(1, insn.disp);
        ok("62 f1 7c 18 58 c0", 6, "vaddps"); // b with registers: rounding control
        invalid("62 f1 7c 68 58 c0"); // EVEX.L'L = 3 without rounding is reserved
        invalid("62 f1 7c 48 10 00".replace("7c 48", "7c 58")); // VMOVUPS cannot broadcast
        r = ok("8f e9 78 80 c0", 5, "vfrczps");
        assertEquals(Rde.ENC_XOP, Rde.encoding(r));
        ok("8f c0", 2, "pop"); // 8F with mmmmm < 8 is POP Ev
    }

    @Test
    void invalidEncodings() {
        ok("0f 0b", 2, "ud2"); // decodes: the engine raises SIGILL when it runs
        ok("0f ff c0", 3, "ud0");
        ok("0f b9 c0", 3, "ud1");
        invalid("f0 01 c0"); // LOCK needs a memory destination
        assertTrue(Rde.lock(ok("f0 01 00", 3, "add")));
        invalid("f0 8b 00"); // MOV is not lockable
        invalid("06"); // PUSH ES is invalid in 64-bit mode
        invalid("0f 04");
        invalid("8c f0"); // segment register 6
        invalid("fe d0"); // FE /2
    }

    @Test
    void truncatedInstructions() {
        assertEquals(X86Decoder.TRUNCATED, decode("48"));
        assertEquals(X86Decoder.TRUNCATED, decode("0f"));
        assertEquals(X86Decoder.TRUNCATED, decode("e8 00 00"));
        assertEquals(X86Decoder.TRUNCATED, decode("8b 04"));
        assertEquals(X86Decoder.TRUNCATED, decode("62 f1 7c"));
        byte[] code = HexFormat.of().parseHex("90e800000000");
        assertEquals(X86Decoder.TRUNCATED, X86Decoder.decode(code, 1, 4, insn), "length bounds the read");
        assertEquals(5, X86Decoder.decode(code, 1, 5, insn));
    }

    @Test
    void decodingAllocatesNothing() {
        byte[] code = HexFormat.of().parseHex("488d0510000000" + "62f17c4a584001" + "c4e27d1800" + "f20f38f1c0" + "dd00");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int warm = 0; warm < 3; warm++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 200_000; i++) {
                for (int at = 0; at < code.length; ) {
                    int n = X86Decoder.decode(code, at, code.length - at, insn);
                    sink += insn.rde;
                    at += n;
                }
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (warm == 2) {
                assertTrue(allocated < 4096, "allocated " + allocated + " bytes for 1M instructions");
            }
        }
        assertTrue(sink != 0);
    }
}
