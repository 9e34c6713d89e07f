package dev.phoenix.cli.compat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads just enough of an ELF header to tell which arch a test is for: only binaries of the
 * host's own machine are ever run natively, because a host with binfmt_misc would quietly run
 * foreign ones under qemu and the comparison would prove nothing about Phoenix.
 */
final class ElfMachine {
    private ElfMachine() {}

    /** e_machine of x86-64, AArch64 and RISC-V (ELF gABI). */
    static final int X86_64 = 62;
    static final int AARCH64 = 183;
    static final int RISCV = 243;
    /** Not an ELF file, or unreadable. */
    static final int NONE = -1;

    /** True when {@code file} starts with the ELF magic. */
    static boolean isElf(Path file) {
        byte[] head = head(file, 4);
        return head.length == 4 && head[0] == 0x7f && head[1] == 'E' && head[2] == 'L' && head[3] == 'F';
    }

    /** The e_machine of {@code file}, or {@link #NONE}. */
    static int machine(Path file) {
        byte[] h = head(file, 20);
        if (h.length < 20 || !isElf(file)) {
            return NONE;
        }
        int lo = h[18] & 0xff;
        int hi = h[19] & 0xff;
        return h[5] == 2 ? (lo << 8) | hi : (hi << 8) | lo;
    }

    /** The e_machine of the host's own programs, from os.arch; {@link #NONE} if unknown. */
    static int host() {
        return switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> X86_64;
            case "aarch64", "arm64" -> AARCH64;
            case "riscv64" -> RISCV;
            default -> NONE;
        };
    }

    /** The arch name reports use (JUnit classname phoenix.compat.ARCH). */
    static String name(int machine) {
        return switch (machine) {
            case X86_64 -> "x86_64";
            case AARCH64 -> "aarch64";
            case RISCV -> "riscv64";
            case NONE -> "unknown";
            default -> "em" + machine;
        };
    }

    private static byte[] head(Path file, int n) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        } catch (IOException | RuntimeException e) {
            return new byte[0];
        }
    }
}
