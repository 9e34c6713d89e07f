package dev.phoenix.emu;

/** The guest instruction-set architectures Phoenix runs, with their ELF machine numbers. */
public enum Arch {
    X86_64(62, "x86_64"),
    AARCH64(183, "aarch64"),
    RISCV64(243, "riscv64");

    private final int elfMachine;
    private final String unameMachine;

    Arch(int elfMachine, String unameMachine) {
        this.elfMachine = elfMachine;
        this.unameMachine = unameMachine;
    }

    /** The {@code e_machine} value of ELF files for this arch (EM_X86_64, EM_AARCH64, EM_RISCV). */
    public int elfMachine() {
        return elfMachine;
    }

    /** What uname(2) reports as {@code machine}, and the name users type on the command line. */
    public String unameMachine() {
        return unameMachine;
    }

    /** The arch whose ELF machine number is {@code eMachine}, or null. */
    public static Arch fromElfMachine(int eMachine) {
        for (Arch a : values()) {
            if (a.elfMachine == eMachine) {
                return a;
            }
        }
        return null;
    }
}
