package dev.phoenix.cli;

/**
 * Exit codes Phoenix itself uses (the guest's own status passes through). Program-loading
 * errors use {@link dev.phoenix.abi.elf.ElfError#exitCode()} (66-78).
 */
final class ExitCodes {
    private ExitCodes() {}

    /** Bad command-line usage (picocli's convention). */
    static final int USAGE = 2;
    /** An emulator bug (EX_SOFTWARE). */
    static final int INTERNAL = 70;
    /** Unicorn or Capstone is missing: run scripts/fetch-native.sh. */
    static final int NATIVE_LIBRARY = 79;
    /** {@code phoenix sysroot}: a package named does not exist for the arch and suite. */
    static final int NO_PACKAGE = 81;
    /** {@code phoenix sysroot}: apt-get, the mirror or the network failed, or dependencies cannot be resolved. */
    static final int FETCH_FAILED = 82;
    /** {@code phoenix sysroot}: a .deb could not be unpacked into the sysroot. */
    static final int UNPACK_FAILED = 83;
}
