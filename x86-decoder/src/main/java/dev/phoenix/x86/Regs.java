package dev.phoenix.x86;

/** Register names and memory-size keywords as Capstone 5 spells them (lower case). */
final class Regs {
    private Regs() {
    }

    static final String[] R64 = {"rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};
    static final String[] R32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi",
        "r8d", "r9d", "r10d", "r11d", "r12d", "r13d", "r14d", "r15d"};
    static final String[] R16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di",
        "r8w", "r9w", "r10w", "r11w", "r12w", "r13w", "r14w", "r15w"};
    /** With any REX prefix: SPL, BPL, SIL, DIL instead of AH, CH, DH, BH (SDM 3.4.1.1). */
    static final String[] R8REX = {"al", "cl", "dl", "bl", "spl", "bpl", "sil", "dil",
        "r8b", "r9b", "r10b", "r11b", "r12b", "r13b", "r14b", "r15b"};
    static final String[] R8 = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
    static final String[] SEG = {"", "es", "cs", "ss", "ds", "fs", "gs"};
    static final String[] SREG = {"es", "cs", "ss", "ds", "fs", "gs", "", ""};
    static final String[] XMM = names("xmm", 32);
    static final String[] YMM = names("ymm", 32);
    static final String[] ZMM = names("zmm", 32);
    static final String[] MM = names("mm", 8);
    static final String[] K = names("k", 8);
    static final String[] ST = {"st(0)", "st(1)", "st(2)", "st(3)", "st(4)", "st(5)", "st(6)", "st(7)"};
    static final String[] CR = names("cr", 16);
    static final String[] DR = names("dr", 16);
    static final String[] BND = names("bnd", 4);

    private static String[] names(String prefix, int n) {
        String[] r = new String[n];
        for (int i = 0; i < n; i++) {
            r[i] = prefix + i;
        }
        return r;
    }

    /** A general register of {@code bytes} (1, 2, 4, 8). */
    static String gpr(int bytes, int n, boolean rex) {
        return switch (bytes) {
            case 1 -> rex || n >= 8 ? R8REX[n] : R8[n];
            case 2 -> R16[n];
            case 4 -> R32[n];
            default -> R64[n];
        };
    }

    /** A vector register of {@code bytes} (16, 32, 64). */
    static String vec(int bytes, int n) {
        return bytes == 64 ? ZMM[n] : bytes == 32 ? YMM[n] : XMM[n];
    }

    /** Intel's size keyword for a memory operand of {@code bytes}; null for none. */
    static String ptr(int bytes) {
        return switch (bytes) {
            case 1 -> "byte ptr ";
            case 3 -> "ptr ";
            case 2 -> "word ptr ";
            case 4 -> "dword ptr ";
            case 6 -> "fword ptr ";
            case 8 -> "qword ptr ";
            case 10 -> "xword ptr ";
            case 11 -> "tbyte ptr ";
            case 16 -> "xmmword ptr ";
            case 32 -> "ymmword ptr ";
            case 64 -> "zmmword ptr ";
            default -> "";
        };
    }
}
