package dev.phoenix.abi.syscall;

import dev.phoenix.libos.Errno;

/**
 * An arch-neutral syscall declaration: name, handler, support level with its note, the errno
 * an unsupported syscall returns, and how strace shows its arguments and result.
 */
public record SyscallDef(String name, SyscallHandler handler, Support support, String note, int errno, Arg[] args,
        Arg result) {

    /** A fully supported syscall. */
    public static SyscallDef supported(String name, SyscallHandler h, Arg result, Arg... args) {
        return new SyscallDef(name, h, Support.SUPPORTED, "", 0, args, result);
    }

    /** A partially supported syscall; {@code note} says what is missing. */
    public static SyscallDef partial(String name, String note, SyscallHandler h, Arg result, Arg... args) {
        return new SyscallDef(name, h, Support.PARTIAL, note, 0, args, result);
    }

    /** The note of a syscall Linux has and Phoenix does not implement at all. */
    public static final String NOT_IMPLEMENTED = "not implemented";

    /** A syscall Linux numbers that Phoenix has no code for: ENOSYS, with a warning once per run. */
    public static SyscallDef missing(String name, Arg... args) {
        return new SyscallDef(name, (c, a0, a1, a2, a3, a4, a5) -> -Errno.ENOSYS, Support.UNSUPPORTED,
                NOT_IMPLEMENTED, Errno.ENOSYS, args, Arg.DEC);
    }

    /** True for a syscall Phoenix has no code for, as opposed to one it refuses on purpose. */
    public boolean isMissing() {
        return note == NOT_IMPLEMENTED;
    }

    /** A syscall refused on purpose with {@code errno}; {@code note} says why. */
    public static SyscallDef unsupported(String name, int errno, String note, Arg... args) {
        return new SyscallDef(name, (c, a0, a1, a2, a3, a4, a5) -> -errno, Support.UNSUPPORTED, note, errno, args,
                Arg.DEC);
    }
}
