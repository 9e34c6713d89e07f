package dev.phoenix.x86;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The Intel and AT&T printers on hand-picked encodings, each printed as Capstone 5 prints it (the
 * agreement over whole binaries is X86PrinterAgreementTest in the tests module), and its
 * allocation-free loop.
 */
class PrinterTest {
    private final Insn insn = new Insn();
    private final StringBuilder sb = new StringBuilder();

    private String print(String hex, long address) {
        byte[] code = HexFormat.of().parseHex(hex.replace(" ", ""));
        int n = X86Decoder.decode(code, 0, code.length, insn);
        assertEquals(code.length, n, hex);
        sb.setLength(0);
        int end = IntelPrinter.print(insn, address, sb);
        assertTrue(end == sb.length() || sb.charAt(end) == ' ');
        return sb.toString();
    }

    private void check(String expected, String hex) {
        assertEquals(expected, print(hex, 0x401000), hex);
    }

    @Test
    void generalPurpose() {
        check("mov rax, qword ptr [rip + 0x1e0dba]", "48 8b 05 ba 0d 1e 00");
        check("sub rsp, 8", "48 83 ec 08");
        check("and rsp, 0xfffffffffffffff0", "48 83 e4 f0");
        check("cmp eax, -1", "83 f8 ff");
        check("cmp eax, 0xf8000000", "3d 00 00 00 f8");
        check("test ah, 0x80", "f6 c4 80");
        check("mov qword ptr [rax], 0xffffffffffffffff", "48 c7 00 ff ff ff ff");
        check("movabs rax, 0x1122334455667788", "48 b8 88 77 66 55 44 33 22 11");
        check("movzx eax, byte ptr [rdi + rcx*4 - 8]", "0f b6 44 8f f8");
        check("movsxd rax, dword ptr [rbx]", "48 63 03");
        check("lea rdi, [rsp + 0x10]", "48 8d 7c 24 10");
        check("mov rax, qword ptr fs:[0x28]", "64 48 8b 04 25 28 00 00 00");
        check("cmovne eax, edx", "0f 45 c2");
        check("sete sil", "40 0f 94 c6");
        check("shl eax, 1", "d1 e0");
        check("sar rdx, cl", "48 d3 fa");
        check("lock cmpxchg qword ptr [rdi], rcx", "f0 48 0f b1 0f");
        check("xchg r8, rax", "49 90");
        check("cdqe", "48 98");
        check("cqo", "48 99");
        check("endbr64", "f3 0f 1e fa");
        check("nop word ptr cs:[rax + rax]", "66 2e 0f 1f 84 00 00 00 00 00");
        check("ret", "c3");
        check("repz ret", "f3 c3");
    }

    @Test
    void branchesAndStrings() {
        check("je 0x401012", "74 10");
        check("call 0x400ffb", "e8 f6 ff ff ff");
        check("jmp qword ptr [rax*8 + 0x4a1000]", "ff 24 c5 00 10 4a 00");
        check("notrack jmp rax", "3e ff e0");
        check("bnd jmp 0x401008", "f2 e9 02 00 00 00");
        check("rep stosq qword ptr [rdi], rax", "f3 48 ab");
        check("repne scasb al, byte ptr [rdi]", "f2 ae");
        check("movsb byte ptr [rdi], byte ptr [rsi]", "a4");
        check("repe cmpsb byte ptr [rsi], byte ptr [rdi]", "f3 a6");
    }

    @Test
    void x87() {
        check("fld xword ptr [rsp + 8]", "db 6c 24 08");
        check("fstp qword ptr [rbp - 8]", "dd 5d f8");
        check("fnstcw word ptr [rsp]", "d9 3c 24");
        check("fxch st(1)", "d9 c9");
        check("fmulp st(1)", "de c9");
        check("fadd st(2), st(0)", "dc c2");
        check("fucompi st(1)", "df e9");
        check("fcmovb st(0), st(3)", "da c3");
    }

    @Test
    void vectors() {
        check("movaps xmmword ptr [rsp + 0x10], xmm0", "0f 29 44 24 10");
        check("movsd xmm0, qword ptr [rip + 0x10]", "f2 0f 10 05 10 00 00 00");
        check("cvtsi2sd xmm0, rax", "f2 48 0f 2a c0");
        check("cvttsd2si eax, xmm1", "f2 0f 2c c1");
        check("movq rsi, xmm0", "66 48 0f 7e c6");
        check("movd xmm0, eax", "66 0f 6e c0");
        check("pxor mm0, mm1", "0f ef c1");
        check("pshufd xmm0, xmm1, 0x1b", "66 0f 70 c1 1b");
        check("cmpneqps xmm0, xmm5", "0f c2 c5 04");
        check("movhlps xmm5, xmm0", "0f 12 e8");
        check("vpcmpeqb ymm1, ymm0, ymmword ptr [rdi]", "c5 fd 74 0f");
        check("vpmovmskb eax, ymm1", "c5 fd d7 c1");
        check("vzeroupper", "c5 f8 77");
        check("vmovd xmm0, esi", "c5 f9 6e c6");
        check("vfmadd213sd xmm1, xmm0, qword ptr [rip + 0x1bde47]", "c4 e2 f9 a9 0d 47 de 1b 00");
        check("andn eax, ecx, edx", "c4 e2 70 f2 c2");
        check("vmovdqu64 ymm17, ymmword ptr [rsi]", "62 e1 fe 28 6f 0e");
        check("vpminub ymm19 {k1} {z}, ymm19, ymm18", "62 a1 65 a1 da da");
        check("vpcmpltub k5, ymm27, ymm30", "62 93 25 20 3e ee 01");
        check("kmovd eax, k0", "c5 fb 93 c0");
        check("kortestd k3, k2", "c4 e1 f9 98 da");
    }

    private void att(String expected, String hex) {
        byte[] code = HexFormat.of().parseHex(hex.replace(" ", ""));
        assertEquals(code.length, X86Decoder.decode(code, 0, code.length, insn), hex);
        sb.setLength(0);
        sb.append("> "); // the printers append: what is already there stays
        int end = AttPrinter.print(insn, 0x401000, sb);
        assertEquals("> " + expected, sb.toString(), hex);
        assertTrue(end == sb.length() || sb.charAt(end) == ' ');
    }

    @Test
    void att() {
        att("movq 0x1e0dba(%rip), %rax", "48 8b 05 ba 0d 1e 00");
        att("subq $8, %rsp", "48 83 ec 08");
        att("andq $0xfffffffffffffff0, %rsp", "48 83 e4 f0");
        att("movq $18446744073709551615, (%rax)", "48 c7 00 ff ff ff ff");
        att("movzbl -8(%rdi, %rcx, 4), %eax", "0f b6 44 8f f8");
        att("movslq (%rbx), %rax", "48 63 03");
        att("movq %fs:0x28, %rax", "64 48 8b 04 25 28 00 00 00");
        att("nopw %cs:(%rax, %rax)", "66 2e 0f 1f 84 00 00 00 00 00");
        att("cltq", "48 98");
        att("retq", "c3");
        att("callq 0x400ffb", "e8 f6 ff ff ff");
        att("jmpq *0x4a1000(, %rax, 8)", "ff 24 c5 00 10 4a 00");
        att("notrack jmpq *%rax", "3e ff e0");
        att("rep stosq %rax, (%rdi)", "f3 48 ab");
        att("rep stosl %eax, (%rdi)", "f3 ab");
        att("repne scasb (%rdi), %al", "f2 ae");
        att("lock cmpxchgq %rcx, (%rdi)", "f0 48 0f b1 0f");
        att("xchgq %rax, %r8", "49 90");
        att("shll $1, %eax", "d1 e0");
        att("shll 0x98(%rbx)", "d1 a3 98 00 00 00");
        att("fldt 8(%rsp)", "db 6c 24 08");
        att("fstpl -8(%rbp)", "dd 5d f8");
        att("fadd %st(0), %st(2)", "dc c2");
        att("fsubrp %st(1)", "de e9");
        att("cvtsi2sdq %rax, %xmm0", "f2 48 0f 2a c0");
        att("andnl %edx, %ecx, %eax", "c4 e2 70 f2 c2");
        att("vpminub %ymm18, %ymm19, %ymm19 {%k1} {z}", "62 a1 65 a1 da da");
        att("vmovdqu8 %zmm16, (%rax) {%k1}", "62 e1 7f 49 7f 00");
    }

    /**
     * Whatever decodes prints: 500,000 seeded random sequences (half starting with a prefix, an
     * escape or a VEX/EVEX/XOP byte), each valid one printed in both syntaxes without throwing,
     * with a mnemonic. The disassembler behind --trace and the fault reports must not fail on
     * the bytes a guest happens to hold.
     */
    @Test
    void everyDecodableSequencePrints() {
        java.util.Random random = new java.util.Random(20);
        int[] starts = {0x66, 0x67, 0xF2, 0xF3, 0xF0, 0x2E, 0x64, 0x48, 0x41, 0x0F, 0xC4, 0xC5, 0x62, 0x8F, 0xD8, 0xDF};
        byte[] code = new byte[15];
        int printed = 0;
        for (int i = 0; i < 500_000; i++) {
            random.nextBytes(code);
            if (random.nextBoolean()) {
                code[0] = (byte) starts[random.nextInt(starts.length)];
            }
            if (X86Decoder.decode(code, 0, code.length, insn) <= 0) {
                continue;
            }
            for (int syntax = 0; syntax < 2; syntax++) {
                sb.setLength(0);
                int end;
                try {
                    end = syntax == 0 ? IntelPrinter.print(insn, 0x1000, sb) : AttPrinter.print(insn, 0x1000, sb);
                } catch (RuntimeException e) {
                    throw new AssertionError(HexFormat.of().formatHex(code, 0, Rde.length(insn.rde)), e);
                }
                assertTrue(end > 0, HexFormat.of().formatHex(code, 0, Rde.length(insn.rde)));
            }
            printed++;
        }
        assertTrue(printed > 300_000, "printed " + printed);
    }

    @Test
    void printingAllocatesNothing() {
        byte[] code = HexFormat.of().parseHex("488d0510000000" + "62f17c4a584001" + "c4e27d1800" + "f20f38f1c0" + "dd00"
                + "f348ab" + "0f1f8400000000006690" + "e8f6ffffff");
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long sink = 0;
        for (int warm = 0; warm < 3; warm++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                for (int at = 0; at < code.length; ) {
                    int n = X86Decoder.decode(code, at, code.length - at, insn);
                    sb.setLength(0);
                    sink += IntelPrinter.print(insn, 0x401000 + at, sb);
                    sb.setLength(0);
                    sink += AttPrinter.print(insn, 0x401000 + at, sb);
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
