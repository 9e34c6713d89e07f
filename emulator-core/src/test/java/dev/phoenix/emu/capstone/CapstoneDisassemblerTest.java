package dev.phoenix.emu.capstone;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.phoenix.emu.Arch;
import dev.phoenix.emu.Disassembler;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Capstone 5 through FFM on all three arches: text, length, and refusal of bad bytes. */
class CapstoneDisassemblerTest {
    private static Disassembler.Instruction decode(Arch arch, String hex, long address) {
        byte[] code = HexFormat.of().parseHex(hex);
        try (Disassembler d = CapstoneDisassembler.forArch(arch)) {
            return d.decode(code, 0, code.length, address);
        }
    }

    @Test
    void x86_64() {
        Disassembler.Instruction i = decode(Arch.X86_64, "48c7c001000000", 0x401000);
        assertEquals("mov rax, 1", i.toString());
        assertEquals(7, i.size());
        assertEquals("syscall", decode(Arch.X86_64, "0f05", 0).toString());
        // RIP-relative operands are shown relative to the address given.
        assertEquals("lea rdi, [rip + 0x10]", decode(Arch.X86_64, "488d3d10000000", 0x1000).toString());
    }

    @Test
    void aarch64() {
        assertEquals("svc #0", decode(Arch.AARCH64, "010000d4", 0).toString());
        assertEquals("casa w0, w1, [x2]", decode(Arch.AARCH64, "417ce088", 0).toString());
    }

    @Test
    void riscv64IncludingCompressed() {
        assertEquals("ecall", decode(Arch.RISCV64, "73000000", 0).toString());
        Disassembler.Instruction c = decode(Arch.RISCV64, "0545", 0);
        assertEquals("c.li a0, 1", c.toString());
        assertEquals(2, c.size());
    }

    @Test
    void truncatedOrInvalidBytesDecodeToNull() {
        assertNull(decode(Arch.X86_64, "48", 0));
        assertNull(decode(Arch.AARCH64, "0000", 0));
        assertEquals("udf #0", decode(Arch.AARCH64, "00000000", 0).toString());
        assertNull(decode(Arch.RISCV64, "ffffffff", 0));
    }
}
