package dev.phoenix.cli.compat;

import dev.phoenix.emu.Arch;
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

    /** Not an ELF file, or unreadable. */
    static final int NONE = -1;

    /** True when {@code file} starts with the ELF magic. */
    static boolean isElf(Path file) {
        return hasMagic(head(file, 4));
    }

    private static boolean hasMagic(byte[] h) {
        return h.length >= 4 && h[0] == 0x7f && h[1] == 'E' && h[2] == 'L' && h[3] == 'F';
    }

    /** The e_machine of {@code file}, or {@link #NONE}. */
    static int machine(Path file) {
        byte[] h = head(file, 20);
        if (h.length < 20 || !hasMagic(h)) {
            return NONE;
        }
        int lo = h[18] & 0xff;
        int hi = h[19] & 0xff;
        return h[5] == 2 ? (lo << 8) | hi : (hi << 8) | lo;
    }

    /** The e_machine of the host's own programs, from os.arch; {@link #NONE} if unknown. */
    static int host() {
        return switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> Arch.X86_64.elfMachine();
            case "aarch64", "arm64" -> Arch.AARCH64.elfMachine();
            case "riscv64" -> Arch.RISCV64.elfMachine();
            default -> NONE;
        };
    }

    /** The arch name reports use (JUnit classname phoenix.compat.ARCH). */
    static String name(int machine) {
        Arch arch = Arch.fromElfMachine(machine);
        return arch != null ? arch.unameMachine() : machine == NONE ? "unknown" : "em" + machine;
    }

    private static byte[] head(Path file, int n) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        } catch (IOException | RuntimeException e) {
            return new byte[0];
        }
    }
}
