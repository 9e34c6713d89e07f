package dev.phoenix.abi.linux;

import dev.phoenix.abi.elf.ElfException;
import dev.phoenix.abi.elf.ElfSections;
import dev.phoenix.emu.Arch;
import dev.phoenix.emu.IoReader;
import dev.phoenix.emu.Prot;
import dev.phoenix.libos.Clock;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.mm.AddressSpace;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The virtual dynamic shared object each process gets, as Linux maps one: a small ELF image per
 * arch (built by {@code scripts/build-vdso.sh} from {@code linux-abi/src/main/vdso}) with the time
 * functions Linux exports for that arch and, on aarch64 and riscv64, the signal return
 * trampoline. Below it sits the vvar page: an I/O page whose loads the kernel answers from its
 * {@link Clock}, so a guest reads the time with plain loads and no syscall, and a deterministic
 * clock stays in charge of what the guest sees.
 */
public final class Vdso {
    private Vdso() {}

    private static final long NS = 1_000_000_000L;
    private static final Map<Arch, Image> IMAGES = new EnumMap<>(Arch.class);

    /** A vDSO image and its exported symbols (values relative to the image). */
    public record Image(byte[] bytes, Map<String, Long> symbols) {
        /** The offset of {@code name} in the image; IllegalStateException when not exported. */
        public long symbol(String name) {
            Long v = symbols.get(name);
            if (v == null) {
                throw new IllegalStateException("vDSO exports no " + name);
            }
            return v;
        }
    }

    /** The image for {@code arch}, loaded from the jar once. */
    public static synchronized Image image(Arch arch) {
        return IMAGES.computeIfAbsent(arch, a -> {
            String resource = "/dev/phoenix/abi/vdso/" + a.unameMachine() + ".so";
            try (InputStream in = Vdso.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource " + resource);
                }
                byte[] bytes = in.readAllBytes();
                return new Image(bytes, dynamicSymbols(resource, bytes));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The symbol a handler returns to on this arch when the guest gave no SA_RESTORER, or null. */
    public static String sigreturnSymbol(Arch arch) {
        return switch (arch) {
            case X86_64 -> null; // x86_64 requires SA_RESTORER
            case AARCH64 -> "__kernel_rt_sigreturn";
            case RISCV64 -> "__vdso_rt_sigreturn";
        };
    }

    /**
     * Maps [vvar] (a data page and a doorbell page) and [vdso] at the top of the mmap area of
     * {@code as}, as Linux does, and returns the image's address (AT_SYSINFO_EHDR).
     */
    public static long map(AddressSpace as, Arch arch, Clock clock) {
        byte[] bytes = image(arch).bytes();
        long imageLength = AddressSpace.pageUp(bytes.length);
        long data = as.findFree(2 * AddressSpace.PAGE + imageLength);
        if (data < 0) {
            throw Errno.of(Errno.ENOMEM);
        }
        long doorbell = data + AddressSpace.PAGE;
        long base = doorbell + AddressSpace.PAGE;
        as.mapAnonymous(data, AddressSpace.PAGE, Prot.READ, "[vvar]");
        as.mapIo(doorbell, AddressSpace.PAGE, new Vvar(clock, as.kernelView(data, AddressSpace.PAGE)), "[vvar]");
        as.mapAnonymous(base, imageLength, Prot.READ | Prot.WRITE, "[vdso]");
        as.memory().write(base, bytes);
        as.protect(base, imageLength, Prot.READ | Prot.EXEC);
        return base;
    }

    /**
     * Gives a forked child's address space {@code child} a [vvar] of its own below the vDSO at
     * {@code base}: a data page and a doorbell that writes into it. fork shares the parent's
     * read-only data page and its doorbell's reader, and two processes run on two host threads,
     * so a clock_gettime in one could read the seconds of its own call and the nanoseconds the
     * other had just written (nginx's workers saw their monotonic clock go back a second and
     * closed their keep-alive connections). Nothing is done when the vvar is no longer where the
     * vDSO was mapped (the guest unmapped or moved it).
     */
    public static void forked(AddressSpace child, long base, Clock clock) {
        long data = base - 2 * AddressSpace.PAGE;
        long doorbell = base - AddressSpace.PAGE;
        if (base == 0 || !"[vvar]".equals(child.nameAt(data)) || !"[vvar]".equals(child.nameAt(doorbell))) {
            return;
        }
        child.mapAnonymous(data, AddressSpace.PAGE, Prot.READ, "[vvar]");
        child.mapIo(doorbell, AddressSpace.PAGE, new Vvar(clock, child.kernelView(data, AddressSpace.PAGE)), "[vvar]");
    }

    /** Symbols of the image's .dynsym, by name. */
    private static Map<String, Long> dynamicSymbols(String name, byte[] bytes) {
        Map<String, Long> out = new HashMap<>();
        try {
            for (ElfSections.Symbol s : ElfSections.parse(name, bytes).dynamicSymbols()) {
                out.put(s.name(), s.value());
            }
        } catch (ElfException e) {
            throw new IllegalStateException("Phoenix's own vDSO image is malformed: " + e.getMessage(), e);
        }
        return out;
    }

    /**
     * The doorbell page's protocol (see {@code vdso/x86_64.S}): a load at 4*id writes clock id's
     * time into the data page (seconds at 0, nanoseconds at 8, microseconds at 16) and yields 0;
     * at 0x40 + 4*id the same with the clock's resolution; 1 when the id is not a Linux clock.
     * The engine splits wider loads into 32-bit ones (QEMU's default for I/O regions), so every
     * answer fits 32 bits and one upcall serves one call.
     */
    static final class Vvar implements IoReader {
        private static final int CLOCKS = 16;
        private static final ValueLayout.OfLong WORD = ValueLayout.JAVA_LONG_UNALIGNED;
        private final Clock clock;
        private final MemorySegment data;

        Vvar(Clock clock, MemorySegment data) {
            this.clock = clock;
            this.data = data;
        }

        @Override
        public long read(long offset, int size) {
            int index = (int) (offset >> 2);
            if (index < 0 || index >= 2 * CLOCKS) {
                return 1;
            }
            long ns;
            try {
                ns = index < CLOCKS ? TimeSyscalls.now(clock, index) : TimeSyscalls.resolution(clock, index - CLOCKS);
            } catch (Errno e) {
                return 1;
            }
            data.set(WORD, 0, Math.floorDiv(ns, NS));
            data.set(WORD, 8, Math.floorMod(ns, NS));
            data.set(WORD, 16, Math.floorMod(ns, NS) / 1000);
            return 0;
        }
    }
}
