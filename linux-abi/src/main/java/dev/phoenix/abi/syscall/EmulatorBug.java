package dev.phoenix.abi.syscall;

/**
 * An emulator defect found while serving the guest (anything thrown by a handler other than an
 * errno). Carries the guest pc and syscall for the one-line report; the CLI exits 70.
 */
public final class EmulatorBug extends RuntimeException {
    public EmulatorBug(String where, long pc, Throwable cause) {
        super("internal error " + where + " at guest pc 0x" + Long.toHexString(pc) + ": " + cause, cause);
    }
}
