package dev.phoenix.bench;

import dev.phoenix.abi.LinuxKernel;
import dev.phoenix.abi.Program;
import dev.phoenix.abi.elf.ElfException;
import dev.phoenix.emu.Cpus;
import dev.phoenix.abi.Machine;
import dev.phoenix.libos.fs.OpenFile;
import dev.phoenix.libos.fs.StdioFile;
import dev.phoenix.libos.proc.ExitStatus;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** Runs one built guest program (tests/target/guest/TARGET/NAME) to completion, output discarded. */
final class GuestRunner {
    private final Program program;
    private final String name;
    private final LinuxKernel kernel;

    /** Where tests/guest/build.sh put the guest programs (-Dphoenix.guest.dir, else tests/target/guest). */
    static Path guestDir() {
        return Path.of(System.getProperty("phoenix.guest.dir", "tests/target/guest"));
    }

    GuestRunner(String target, String name) throws ElfException {
        Path dir = guestDir();
        this.program = Program.find(Path.of("/"), dir.resolve(target).resolve(name).toAbsolutePath().toString());
        this.name = name;
        this.kernel = new LinuxKernel(new LinuxKernel.Options("bench", Path.of("/"), Machine.host(),
                new PrintStream(OutputStream.nullOutputStream()), null, null, Cpus.Engine.UNICORN));
    }

    /** Runs the program with {@code args}; IllegalStateException unless it exits 0. */
    int run(String... args) {
        OpenFile[] stdio = {new StdioFile(null, null, -1), new StdioFile(null, OutputStream.nullOutputStream(), -1),
            new StdioFile(null, OutputStream.nullOutputStream(), -1)};
        List<String> argv = new java.util.ArrayList<>(List.of(name));
        argv.addAll(List.of(args));
        ExitStatus st;
        try {
            st = kernel.run(program, argv, List.of(), stdio);
        } catch (ElfException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        if (st.shellStatus() != 0) {
            throw new IllegalStateException("guest failed: " + st);
        }
        return st.code();
    }
}
