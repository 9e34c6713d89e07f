package dev.phoenix.emu.capstone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.emu.Arch;
import dev.phoenix.emu.Disassembler;
import dev.phoenix.x86.Insn;
import dev.phoenix.x86.X86Decoder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Phoenix's x86-64 decoder against Capstone 5: the length and validity of seeded random byte
 * sequences (uniform, and biased towards prefixes and the deep maps, which uniform bytes rarely
 * reach; a quarter of them cut short), and the instruction boundaries of a real binary's whole .text. Where Capstone is wrong
 * by the SDM, the sequence is counted under a named {@link Exception} and not compared.
 */
class X86DecoderAgreementTest {
    /** 100,000 on every build; {@code -Dx86.sequences=10000000} for the full run. */
    private static final int SEQUENCES = Integer.getInteger("x86.sequences", 100_000);
    private static final long SEED = Long.getLong("x86.seed", 0x5EED_2026L);
    /** Starts for the biased sequences; "" is uniform. {@code -Dx86.starts=hex,hex} replaces them. */
    private static final String[] STARTS = System.getProperty("x86.starts") != null
            ? System.getProperty("x86.starts").split(",", -1) : new String[] {"", "", "", "66", "f2", "f3", "f0", "48", "67", "2e", "0f", "0f",
        "660f", "f20f", "f30f", "0f38", "660f38", "f20f38", "0f3a", "660f3a", "c4", "c5", "62", "8f", "0f0f",
        "d8", "d9", "da", "db", "dc", "dd", "de", "df"};

    private static CapstoneDisassembler capstone;
    private final Insn insn = new Insn();

    @BeforeAll
    static void open() {
        capstone = CapstoneDisassembler.forArch(Arch.X86_64);
    }

    @AfterAll
    static void close() {
        capstone.close();
    }

    /** The raw shape of a sequence, read without the decoder so the exceptions do not depend on it. */
    record Shape(byte[] b, int at, boolean p66, int rep, boolean lock, int rex, boolean oddOrder) {
        int op() { return b[at] & 0xFF; }
        int next(int i) { return at + i < b.length ? b[at + i] & 0xFF : 0; }

        static Shape of(byte[] b) {
            int i = 0, rep = 0, rex = 0;
            boolean p66 = false, lock = false;
            for (; i < b.length; i++) {
                int x = b[i] & 0xFF;
                if ((x & 0xF0) == 0x40) { rex = x; continue; }
                switch (x) {
                    case 0x66 -> p66 = true;
                    case 0xF0 -> lock = true;
                    case 0xF2, 0xF3 -> { rep = x; lock = false; }
                    case 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0x67 -> { }
                    default -> { return new Shape(b, i, p66, rep, lock, rex, oddOrder(b, i)); }
                }
                rex = 0;
            }
            return new Shape(b, b.length - 1, p66, rep, lock, rex, false);
        }

        private static boolean oddOrder(byte[] b, int end) {
            for (int i = 0; i + 2 < end; i++) {
                if ((b[i] & 0xFF) != 0x66 || (b[i + 1] & 0xFF) != 0xF2 && (b[i + 1] & 0xFF) != 0xF3) {
                    continue;
                }
                int j = i + 1;
                while (j < end && ((b[j] & 0xFF) == 0xF2 || (b[j] & 0xFF) == 0xF3)) {
                    j++;
                }
                int y = j < end ? b[j] & 0xFF : 0;
                if (y == 0x26 || y == 0x2E || y == 0x36 || y == 0x3E || y == 0x64 || y == 0x65 || y == 0x67 || y == 0xF0) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Where Capstone 5 disagrees with the SDM (Vol. 2 unless named). Each is a named pattern of
     * bytes; sequences that match are counted, not compared.
     */
    enum Exception {
        /** MOVSXD r32, r/m32 (63 /r without REX.W) is a valid if discouraged form; Capstone refuses it. */
        MOVSXD_WITHOUT_REX_W(s -> s.op() == 0x63 && (s.rex() & 8) == 0),
        /** LOCK with ALU r, r/m (02/03, 0A/0B, 12/13, 22/23, 2A/2B, 32/33): no memory destination, #UD (LOCK page); Capstone accepts. */
        LOCK_WITH_REGISTER_DESTINATION(s -> s.lock() && s.op() < 0x40 && (s.op() & 7) >= 2 && (s.op() & 7) <= 3),
        /** MOV CS, r/m (8E /1): "loading the CS register with MOV results in #UD" (MOV page); Capstone accepts. */
        MOV_TO_CS(s -> s.op() == 0x8E && ((s.next(1) >>> 3) & 7) == 1),
        /** 66 0F 80-8F: Jcc is rel32 in 64-bit mode, 66 ignored (Jcc page, Intel 64); Capstone reads rel16. */
        JCC_WITH_66(s -> s.p66() && s.op() == 0x0F && (s.next(1) & 0xF0) == 0x80),
        /** UD0 (0F FF /r) and UD1 (0F B9 /r) take a ModRM byte (UD page); Capstone decodes two bytes. */
        UD0_UD1_MODRM(s -> s.op() == 0x0F && (s.next(1) == 0xFF || s.next(1) == 0xB9)),
        /** RET imm16 (C2 iw) with 66 and REX.W: the immediate is 16 bits (RET page); Capstone reads 32. */
        RET_IMM16_WITH_66_REX_W(s -> s.op() == 0xC2 && s.p66() && (s.rex() & 8) != 0),
        /** ENQCMD/ENQCMDS (F2/F3 0F 38 F8 /r): Capstone 5 does not know them. */
        ENQCMD(s -> s.rep() != 0 && s.op() == 0x0F && s.next(1) == 0x38 && s.next(2) == 0xF8),
        /** AVX-VNNI, VEX.66.0F38.W0 50-53 (VPDPBUSD ...): Capstone 5 has only the EVEX forms. */
        AVX_VNNI(s -> s.op() == 0xC4 && (s.next(1) & 0x1F) == 2 && (s.next(2) & 3) == 1
                && s.next(3) >= 0x50 && s.next(3) <= 0x53),
        /** VPHSUBD (06) and VPACKUSDW (2B) are VEX.66.0F38.WIG; Capstone refuses W1. */
        VEX_WIG_REFUSED_W1(s -> s.op() == 0xC4 && (s.next(1) & 0x1F) == 2 && (s.next(2) & 0x83) == 0x81
                && (s.next(3) == 0x06 || s.next(3) == 0x2B)),
        /** 66, F2 or F3 before VEX/EVEX/XOP is #UD (2.3.2, 2.7.1); Capstone ignores the prefix. */
        PREFIX_BEFORE_VEX(s -> (s.p66() || s.rep() != 0) && (s.op() == 0xC4 || s.op() == 0xC5 || s.op() == 0x62
                || s.op() == 0x8F && (s.next(1) & 0x1F) >= 8)),
        /** EVEX.L'L = 11b is reserved (2.7.10) unless it is rounding control (b = 1, register form); Capstone takes 512. */
        EVEX_LL_RESERVED(s -> s.op() == 0x62 && ((s.next(3) >>> 5) & 3) == 3
                && !((s.next(3) & 0x10) != 0 && (s.next(5) >>> 6) == 3)),
        /** PAUSE (F3 90) with 66: the CPU pauses (66 is meaningless); Capstone refuses it. */
        PAUSE_WITH_66(s -> s.p66() && s.rep() == 0xF3 && s.op() == 0x90),
        /** LOCK NOP (F0 0F 1F /0 m): NOP is not lockable, #UD (LOCK page); Capstone accepts it. */
        LOCK_NOP(s -> s.lock() && s.op() == 0x0F && s.next(1) == 0x1F),
        /**
         * 66, then F2/F3 (one or more), then a segment, 67 or F0 prefix, before a 0F opcode: prefixes
         * may come in any order (2.1.1); Capstone refuses this one order.
         */
        PREFIX_ORDER_66_REP_SEGMENT(s -> s.op() == 0x0F && s.oddOrder()),
        /** RDPRU (0F 01 FD, AMD APM Vol. 3): Capstone 5 does not know it. */
        RDPRU(s -> s.op() == 0x0F && s.next(1) == 0x01 && s.next(2) == 0xFD);

        final Predicate<Shape> matches;

        Exception(Predicate<Shape> matches) {
            this.matches = matches;
        }

        static Exception of(byte[] b) {
            Shape s = Shape.of(b);
            for (Exception e : values()) {
                if (e.matches.test(s)) {
                    return e;
                }
            }
            return null;
        }
    }

    private static String hex(byte[] b, int off, int n) {
        return HexFormat.ofDelimiter(" ").formatHex(b, off, off + n);
    }

    @Test
    void randomSequencesAgreeWithCapstone() {
        Random random = new Random(SEED);
        byte[] b = new byte[15];
        Map<Exception, Integer> excepted = new EnumMap<>(Exception.class);
        List<String> disagreements = new ArrayList<>();
        int mismatches = 0, valid = 0;
        for (int n = 0; n < SEQUENCES; n++) {
            random.nextBytes(b);
            byte[] start = HexFormat.of().parseHex(STARTS[n % STARTS.length]);
            System.arraycopy(start, 0, b, 0, start.length);
            // One in four ends early, as at the end of a section: a truncated instruction is invalid.
            int length = n % 4 == 3 ? 1 + random.nextInt(15) : 15;
            Exception e = Exception.of(b);
            if (e != null) {
                excepted.merge(e, 1, Integer::sum);
                continue;
            }
            Disassembler.Instruction c = capstone.decode(b, 0, length, 0x1000);
            int mine = X86Decoder.decode(b, 0, length, insn);
            int theirs = c == null ? -1 : c.size();
            if (mine > 0) {
                valid++;
            }
            if (Math.max(mine, -1) != theirs) {
                mismatches++;
                if (disagreements.size() < 20) {
                    disagreements.add(hex(b, 0, length) + ": Capstone " + (c == null ? "invalid" : theirs + " (" + c + ")")
                            + ", Phoenix " + (mine > 0 ? mine + " (" + dev.phoenix.x86.Entry.name(insn.entry) + ")" : mine));
                }
            }
        }
        System.out.printf("x86 decoder vs Capstone: %d sequences, %d valid, %d excepted %s, %d disagreements%n",
                SEQUENCES, valid, excepted.values().stream().mapToInt(Integer::intValue).sum(), excepted, mismatches);
        assertEquals(List.of(), disagreements, mismatches + " disagreements");
    }

    /** One example of each exception: it is matched by its own pattern, and Phoenix decodes it as the SDM says. */
    @Test
    void exceptionsAreWhatTheyClaim() {
        Object[][] cases = {
            {Exception.MOVSXD_WITHOUT_REX_W, "63c0", 2},
            {Exception.LOCK_WITH_REGISTER_DESTINATION, "f0030000", X86Decoder.INVALID},
            {Exception.MOV_TO_CS, "8ec8", X86Decoder.INVALID},
            {Exception.JCC_WITH_66, "660f8000000000", 7},
            {Exception.UD0_UD1_MODRM, "0fffc0", 3},
            {Exception.RET_IMM16_WITH_66_REX_W, "6648c21000", 5},
            {Exception.ENQCMD, "f20f38f800", 5},
            {Exception.AVX_VNNI, "c4e27950c0", 5},
            {Exception.VEX_WIG_REFUSED_W1, "c4e2f906c0", 5},
            {Exception.PREFIX_BEFORE_VEX, "66c5f877", X86Decoder.INVALID},
            {Exception.EVEX_LL_RESERVED, "62f17c6858c0", X86Decoder.INVALID},
            {Exception.PAUSE_WITH_66, "66f390", 3},
            {Exception.LOCK_NOP, "f00f1f00", X86Decoder.INVALID},
            {Exception.PREFIX_ORDER_66_REP_SEGMENT, "66f2650f08", 5},
            {Exception.RDPRU, "0f01fd", 3},
        };
        assertEquals(Exception.values().length, cases.length, "one example per exception");
        Insn i = new Insn();
        for (Object[] c : cases) {
            byte[] b = HexFormat.of().parseHex((String) c[1]);
            assertEquals(c[0], Exception.of(b), (String) c[1]);
            assertEquals(c[2], X86Decoder.decode(b, 0, b.length, i), (String) c[1]);
        }
        assertEquals(null, Exception.of(HexFormat.of().parseHex("4863c0")));
        assertEquals(null, Exception.of(HexFormat.of().parseHex("62f17c5858c0")), "L'L = 3 is rounding here");
    }

    /** A linear sweep over busybox's .text meets the same boundaries as Capstone's. */
    @Test
    void busyboxTextDecodesToCapstoneBoundaries() throws IOException {
        Path busybox = Path.of("/bin/busybox");
        byte[] elf = Files.readAllBytes(busybox);
        ByteBuffer h = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0x464C457F, h.getInt(0), "ELF magic");
        assertEquals(62, h.getShort(18), "x86-64 (EM_X86_64)");
        long shoff = h.getLong(0x28);
        int shentsize = h.getShort(0x3A), shnum = h.getShort(0x3C), shstrndx = h.getShort(0x3E);
        int strtab = (int) h.getLong((int) (shoff + (long) shstrndx * shentsize + 0x18));
        int textOff = -1, textSize = 0;
        long textAddr = 0;
        for (int s = 0; s < shnum; s++) {
            int sh = (int) (shoff + (long) s * shentsize);
            int name = strtab + h.getInt(sh);
            if (".text".equals(cString(elf, name))) {
                textAddr = h.getLong(sh + 0x10);
                textOff = (int) h.getLong(sh + 0x18);
                textSize = (int) h.getLong(sh + 0x20);
            }
        }
        assertTrue(textOff > 0, "no .text in " + busybox);
        int end = textOff + textSize, instructions = 0;
        List<String> disagreements = new ArrayList<>();
        for (int at = textOff; at < end; ) {
            int avail = Math.min(15, end - at);
            Disassembler.Instruction c = capstone.decode(elf, at, avail, textAddr + at - textOff);
            int mine = X86Decoder.decode(elf, at, avail, insn);
            int theirs = c == null ? -1 : c.size();
            if (Math.max(mine, -1) != theirs && disagreements.size() < 20) {
                disagreements.add(String.format("%x: %s: Capstone %s, Phoenix %d", textAddr + at - textOff,
                        hex(elf, at, avail), c == null ? "invalid" : theirs + " (" + c + ")", mine));
            }
            at += theirs > 0 ? theirs : 1; // an undecodable byte is skipped, as objdump's (bad)
            instructions++;
        }
        System.out.printf("busybox .text: %d bytes, %d instructions, %d disagreements%n", textSize, instructions,
                disagreements.size());
        assertEquals(List.of(), disagreements);
    }

    private static String cString(byte[] b, int at) {
        int e = at;
        while (e < b.length && b[e] != 0) {
            e++;
        }
        return new String(b, at, e - at, java.nio.charset.StandardCharsets.US_ASCII);
    }
}
