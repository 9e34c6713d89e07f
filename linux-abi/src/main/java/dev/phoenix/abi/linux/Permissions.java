package dev.phoenix.abi.linux;

import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/** Converts a Linux mode's permission bits (0777) to the JDK's permission set. */
final class Permissions {
    private Permissions() {}

    // PosixFilePermission's order is owner rwx, group rwx, others rwx: bit 8 down to bit 0.
    private static final PosixFilePermission[] BY_BIT = PosixFilePermission.values();

    static Set<PosixFilePermission> of(int mode) {
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < 9; i++) {
            if ((mode & (0400 >> i)) != 0) {
                out.add(BY_BIT[i]);
            }
        }
        return out;
    }
}
