package dev.phoenix.abi;

import dev.phoenix.abi.elf.ElfError;
import dev.phoenix.abi.elf.ElfException;
import dev.phoenix.abi.elf.ElfFile;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.fs.Vfs;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The program a run starts: its ELF file, the guest path of that file with every symlink
 * resolved (what /proc/PID/exe and the image's lines in /proc/PID/maps name), the path as
 * given (AT_EXECFN and the comm name, which execve(2) takes from its pathname argument), and
 * for a dynamically linked program its interpreter and that interpreter's guest path (null for
 * a static one).
 */
public record Program(ElfFile elf, String guestPath, String path, ElfFile interpreter, String interpreterPath) {
    /** A static program. */
    public Program(ElfFile elf, String guestPath, String path) {
        this(elf, guestPath, path, null, null);
    }

    /** As {@link #find(Path, Path, String)} without a sysroot. */
    public static Program find(Path rootfs, String path) throws ElfException {
        return find(rootfs, null, path);
    }

    /**
     * Finds {@code path} inside {@code rootfs} as execve(2) would inside the guest, as chroot(8),
     * bwrap and runsc do: an absolute path from the guest's root, a relative one from its initial
     * working directory ({@link LinuxKernel#initialCwd}), symlinks resolved inside the root (an
     * absolute link to /bin/busybox means ROOTFS/bin/busybox). With root "/" that is the host's
     * own lookup. With a {@code sysroot} (-L), absolute paths are looked up there first. The
     * interpreter a dynamically linked program names is found the same way. Errors name
     * {@code path} as given, and the rootfs it was looked up in.
     */
    public static Program find(Path rootfs, Path sysroot, String path) throws ElfException {
        Vfs vfs = new Vfs(rootfs, sysroot);
        String where = vfs.root().getNameCount() == 0 ? "" : " in rootfs " + vfs.root();
        Vfs.Resolved file = lookUp(vfs, path, ElfError.NOT_FOUND, path + where);
        ElfFile elf = ElfFile.open(file.hostPath(), path + where);
        if (elf.interpreter() == null) {
            return new Program(elf, file.guestPath(), path);
        }
        String interpName = elf.interpreter();
        Vfs.Resolved interpFile;
        try {
            interpFile = lookUp(vfs, interpName, ElfError.NO_INTERPRETER, path + where);
        } catch (ElfException e) {
            throw new ElfException(ElfError.NO_INTERPRETER, path + where, "looked for " + interpName
                    + (sysroot == null ? "" : " in " + sysroot + " and then") + " in " + vfs.root());
        }
        ElfFile interp = ElfFile.open(interpFile.hostPath(), interpName + " (interpreter of " + path + ")");
        if (interp.arch() != elf.arch()) {
            throw new ElfException(ElfError.WRONG_INTERPRETER, path + where, interpName + " is for " + interp.arch()
                    .name().toLowerCase(Locale.ROOT) + ", the program for " + elf.arch().name().toLowerCase(Locale.ROOT));
        }
        return new Program(elf, file.guestPath(), path, interp, interpFile.guestPath());
    }

    /** {@code path} resolved in {@code vfs}; {@code error} naming {@code name} when it is not there. */
    private static Vfs.Resolved lookUp(Vfs vfs, String path, ElfError error, String name) throws ElfException {
        Vfs.Resolved file;
        try {
            file = vfs.resolve(LinuxKernel.initialCwd(vfs), path, true);
        } catch (Errno e) {
            throw new ElfException(error, name,
                    e.errno() == Errno.ENOENT ? null : Errno.message(e.errno()).toLowerCase(Locale.ROOT));
        }
        if (file.synthetic() != null) {
            throw new ElfException(ElfError.NOT_A_FILE, name, null); // a fresh Vfs mounts nothing: never here
        }
        if (error == ElfError.NO_INTERPRETER && !java.nio.file.Files.isRegularFile(file.hostPath())) {
            throw new ElfException(error, name, null);
        }
        return file;
    }
}
