package dev.phoenix.abi.elf;

/**
 * Why a program cannot be loaded, each with its own process exit code so scripts can tell them
 * apart (documented in README.md). Codes 64-80 follow sysexits(3) where one fits; a file without
 * execute permission is 126, the shell's status for "found but cannot execute".
 */
public enum ElfError {
    NOT_FOUND(66, "no such file"),
    NOT_A_FILE(67, "is a directory or not a regular file"),
    /** No execute permission, as execve(2) refuses with EACCES; 126, as a shell reports it. */
    NO_EXEC_PERMISSION(126, "permission denied: the file is not executable (chmod +x)"),
    UNREADABLE(68, "cannot read"),
    NOT_ELF(69, "not an ELF file"),
    NOT_64_BIT(71, "32-bit ELF files are not supported; Phoenix runs 64-bit x86_64, aarch64 and riscv64 programs"),
    BIG_ENDIAN(72, "big-endian ELF files are not supported"),
    UNSUPPORTED_MACHINE(73, "unsupported machine"),
    TRUNCATED(74, "truncated or malformed ELF headers"),
    SEGMENT_OUTSIDE_FILE(75, "a PT_LOAD segment lies beyond the end of the file"),
    /** A dynamically linked program whose interpreter (PT_INTERP) is not there. */
    NO_INTERPRETER(76, "its interpreter (dynamic loader) was not found; give a sysroot holding it with -L DIR "
            + "(phoenix sysroot --arch ARCH DIR PACKAGE makes one)"),
    /** The interpreter is an ELF file for another machine than the program. */
    WRONG_INTERPRETER(80, "its interpreter is for another machine"),
    NOT_EXECUTABLE(77, "not an executable (ELF type is neither ET_EXEC nor ET_DYN)"),
    BAD_LAYOUT(78, "a PT_LOAD segment cannot be mapped");

    private final int exitCode;
    private final String text;

    ElfError(int exitCode, String text) {
        this.exitCode = exitCode;
        this.text = text;
    }

    /** The exit code phoenix uses for this error. */
    public int exitCode() {
        return exitCode;
    }

    /** A short description, completed by the file name and details in {@link ElfException}. */
    public String text() {
        return text;
    }
}
