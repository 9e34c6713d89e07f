package dev.phoenix.cli.sysroot;

import java.util.Locale;

/**
 * The arches a sysroot can be made for, with Debian's name for each and the suite to take it
 * from: bookworm (Debian 12) where it has the arch, trixie (Debian 13) for riscv64, which
 * became an official Debian arch only in trixie.
 */
public enum DebianArch {
    /** x86_64 (Debian's amd64). */
    X86_64("x86_64", "amd64", "bookworm"),
    /** aarch64 (Debian's arm64). */
    AARCH64("aarch64", "arm64", "bookworm"),
    /** riscv64, the same name in Debian. */
    RISCV64("riscv64", "riscv64", "trixie");

    private final String machine;
    private final String debian;
    private final String defaultSuite;

    DebianArch(String machine, String debian, String defaultSuite) {
        this.machine = machine;
        this.debian = debian;
        this.defaultSuite = defaultSuite;
    }

    /** The arch named either as uname(2) does ({@code aarch64}) or as Debian does ({@code arm64}); null if neither. */
    public static DebianArch parse(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (DebianArch a : values()) {
            if (a.machine.equals(n) || a.debian.equals(n)) {
                return a;
            }
        }
        return null;
    }

    /** The name uname(2) gives the machine: {@code x86_64}, {@code aarch64}, {@code riscv64}. */
    public String machine() {
        return machine;
    }

    /** Debian's name for the arch: {@code amd64}, {@code arm64}, {@code riscv64}. */
    public String debian() {
        return debian;
    }

    /** The Debian suite packages come from unless the user names another. */
    public String defaultSuite() {
        return defaultSuite;
    }
}
