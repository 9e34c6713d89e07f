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
 * resolved (what /proc/PID/exe and the image's lines in /proc/PID/maps name), and the path as
 * given (AT_EXECFN and the comm name, which execve(2) takes from its pathname argument).
 */
public record Program(ElfFile elf, String guestPath, String path) {
    /**
     * Finds {@code path} inside {@code rootfs} as execve(2) would inside the guest, as chroot(8),
     * bwrap and runsc do: an absolute path from the guest's root, a relative one from its initial
     * working directory ({@link LinuxKernel#initialCwd}), symlinks resolved inside the root (an
     * absolute link to /bin/busybox means ROOTFS/bin/busybox). With root "/" that is the host's
     * own lookup. Errors name {@code path} as given, and the rootfs it was looked up in.
     */
    public static Program find(Path rootfs, String path) throws ElfException {
        Vfs vfs = new Vfs(rootfs);
        String name = vfs.root().getNameCount() == 0 ? path : path + " in rootfs " + vfs.root();
        Vfs.Resolved file;
        try {
            file = vfs.resolve(LinuxKernel.initialCwd(vfs), path, true);
        } catch (Errno e) {
            throw new ElfException(ElfError.NOT_FOUND, name,
                    e.errno() == Errno.ENOENT ? null : Errno.message(e.errno()).toLowerCase(Locale.ROOT));
        }
        if (file.synthetic() != null) {
            throw new ElfException(ElfError.NOT_A_FILE, name, null); // a fresh Vfs mounts nothing: never here
        }
        return new Program(ElfFile.open(file.hostPath(), name), file.guestPath(), path);
    }
}
