package dev.phoenix.abi;

import dev.phoenix.emu.Trap;

/** Linux signal numbers (the same on x86_64, aarch64 and riscv64) and how CPU traps raise them. */
public final class Signals {
    private Signals() {}

    public static final int SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7, SIGFPE = 8, SIGKILL = 9,
            SIGSEGV = 11;

    /** The signal a trap raises, as Linux's trap handlers do. */
    public static int forTrap(Trap trap) {
        return switch (trap) {
            case READ_UNMAPPED, WRITE_UNMAPPED, FETCH_UNMAPPED, READ_PROT, WRITE_PROT, FETCH_PROT, GENERAL_PROTECTION ->
                SIGSEGV;
            case ILLEGAL_INSTRUCTION, OTHER -> SIGILL;
            case BREAKPOINT -> SIGTRAP;
            case DIVIDE_ERROR -> SIGFPE;
            case MISALIGNED -> SIGBUS;
            case STOP_REQUESTED -> throw new IllegalArgumentException("a requested stop raises no signal");
        };
    }

    /** The signal's name ("SIGSEGV"), or "SIG" + number. */
    public static String name(int signal) {
        return switch (signal) {
            case SIGILL -> "SIGILL";
            case SIGTRAP -> "SIGTRAP";
            case SIGABRT -> "SIGABRT";
            case SIGBUS -> "SIGBUS";
            case SIGFPE -> "SIGFPE";
            case SIGKILL -> "SIGKILL";
            case SIGSEGV -> "SIGSEGV";
            default -> "SIG" + signal;
        };
    }

    /** strsignal(3) text. */
    public static String description(int signal) {
        return switch (signal) {
            case SIGILL -> "Illegal instruction";
            case SIGTRAP -> "Trace/breakpoint trap";
            case SIGABRT -> "Aborted";
            case SIGBUS -> "Bus error";
            case SIGFPE -> "Floating point exception";
            case SIGKILL -> "Killed";
            case SIGSEGV -> "Segmentation fault";
            default -> "Signal " + signal;
        };
    }
}
