package dev.phoenix.abi;

import dev.phoenix.emu.Trap;

/** Linux signal numbers (the same on x86_64, aarch64 and riscv64) and how CPU traps raise them. */
public final class Signals {
    private Signals() {}

    public static final int SIGHUP = 1, SIGINT = 2, SIGQUIT = 3, SIGILL = 4, SIGTRAP = 5, SIGABRT = 6, SIGBUS = 7,
            SIGFPE = 8, SIGKILL = 9, SIGUSR1 = 10, SIGSEGV = 11, SIGUSR2 = 12, SIGPIPE = 13, SIGALRM = 14,
            SIGTERM = 15, SIGCHLD = 17, SIGCONT = 18, SIGSTOP = 19, SIGTSTP = 20, SIGTTIN = 21, SIGTTOU = 22, SIGXCPU = 24, SIGXFSZ = 25,
            SIGVTALRM = 26, SIGPROF = 27, SIGWINCH = 28;
    /** Highest signal number (SIGRTMAX). */
    public static final int NSIG = 64;

    private static final String[] NAMES = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT", "SIGBUS",
        "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM", "SIGSTKFLT", "SIGCHLD",
        "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU", "SIGXFSZ", "SIGVTALRM", "SIGPROF",
        "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};
    /** strsignal(3) texts (glibc's), by number. */
    private static final String[] DESCRIPTIONS = {null, "Hangup", "Interrupt", "Quit", "Illegal instruction",
        "Trace/breakpoint trap", "Aborted", "Bus error", "Floating point exception", "Killed", "User defined signal 1",
        "Segmentation fault", "User defined signal 2", "Broken pipe", "Alarm clock", "Terminated", "Stack fault",
        "Child exited", "Continued", "Stopped (signal)", "Stopped", "Stopped (tty input)", "Stopped (tty output)",
        "Urgent I/O condition", "CPU time limit exceeded", "File size limit exceeded", "Virtual timer expired",
        "Profiling timer expired", "Window changed", "I/O possible", "Power failure", "Bad system call"};

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

    /** The signal's name ("SIGSEGV"), "SIGRTMIN+n" for real-time ones, or "SIG" + number. */
    public static String name(int signal) {
        if (signal > 0 && signal < NAMES.length) {
            return NAMES[signal];
        }
        return signal >= 32 && signal <= NSIG ? (signal == 32 ? "SIGRTMIN" : "SIGRTMIN+" + (signal - 32)) : "SIG" + signal;
    }

    /**
     * The number of signal {@code name} as a host shell spells it ("SIGQUIT"; real-time ones
     * counted as glibc does, from SIGRTMIN 34: "SIGRTMIN+2", "SIGRTMAX-1"), or 0 when unknown.
     */
    public static int number(String name) {
        for (int i = 1; i < NAMES.length; i++) {
            if (NAMES[i].equals(name)) {
                return i;
            }
        }
        try {
            if (name.startsWith("SIGRTMIN")) {
                int n = 34 + (name.length() > 8 ? Integer.parseInt(name.substring(9)) : 0);
                return n <= NSIG ? n : 0;
            }
            if (name.startsWith("SIGRTMAX")) {
                int n = NSIG - (name.length() > 8 ? Integer.parseInt(name.substring(9)) : 0);
                return n >= 34 ? n : 0;
            }
        } catch (NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /** strsignal(3) text. */
    public static String description(int signal) {
        if (signal > 0 && signal < DESCRIPTIONS.length) {
            return DESCRIPTIONS[signal];
        }
        return signal >= 32 && signal <= NSIG ? "Real-time signal " + (signal - 32) : "Unknown signal " + signal;
    }
}
