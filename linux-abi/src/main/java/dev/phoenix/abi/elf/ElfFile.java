package dev.phoenix.abi.elf;

import dev.phoenix.emu.Arch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A validated ELF64 little-endian executable: its header and program headers (elf(5), System V
 * gABI chapter 4). The file is validated before anything is mapped, and {@link ElfLoader} checks
 * where its segments land before mapping any, so a bad file is one clear error and never a
 * half-loaded process.
 */
public final class ElfFile {
    public static final int ET_EXEC = 2, ET_DYN = 3;
    public static final int PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3, PT_PHDR = 6, PT_TLS = 7,
            PT_GNU_STACK = 0x6474e551;
    public static final int PF_X = 1, PF_W = 2, PF_R = 4;
    private static final int EHDR_SIZE = 64, PHDR_SIZE = 56;
    /** binfmt_elf's load_elf_phdrs reads at most 64 KiB of program headers. */
    private static final int MAX_PHDRS_BYTES = 65536;
    private static final long PAGE = 4096;

    /** One program header. */
    public record Segment(int type, int flags, long offset, long vaddr, long fileSize, long memSize, long align) {}

    private final Path path;
    private final String name;
    private final ByteBuffer data;
    private final Arch arch;
    private final int type;
    private final long entry;
    private final long phoff;
    private final List<Segment> segments;
    private final String interpreter;

    private ElfFile(Path path, String name, ByteBuffer data, Arch arch, int type, long entry, long phoff,
            List<Segment> segments, String interpreter) {
        this.path = path;
        this.name = name;
        this.data = data;
        this.arch = arch;
        this.type = type;
        this.entry = entry;
        this.phoff = phoff;
        this.segments = segments;
        this.interpreter = interpreter;
    }

    /** Reads and validates {@code path}; throws {@link ElfException} naming what is wrong. */
    public static ElfFile open(Path path) throws ElfException {
        return open(path, path.toString());
    }

    /** As {@link #open(Path)}, naming the file {@code name} in errors (the path as the user gave it). */
    public static ElfFile open(Path path, String name) throws ElfException {
        if (Files.isDirectory(path)) {
            throw new ElfException(ElfError.NOT_A_FILE, name, "a directory");
        }
        if (!Files.exists(path)) {
            throw new ElfException(ElfError.NOT_FOUND, name, null);
        }
        if (!Files.isRegularFile(path)) {
            throw new ElfException(ElfError.NOT_A_FILE, name, null);
        }
        if (!Files.isExecutable(path)) { // access(X_OK): root too needs one execute bit, as execve(2) does
            throw new ElfException(ElfError.NO_EXEC_PERMISSION, name, null);
        }
        return parse(path, name, readAll(path, name));
    }

    /** The bytes of file {@code path}; a file that is gone or unreadable is an {@link ElfException} naming {@code name}. */
    static byte[] readAll(Path path, String name) throws ElfException {
        try {
            return Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new ElfException(ElfError.NOT_FOUND, name, null);
        } catch (AccessDeniedException e) {
            throw new ElfException(ElfError.UNREADABLE, name, "permission denied");
        } catch (IOException e) {
            throw new ElfException(ElfError.UNREADABLE, name, e.getMessage());
        }
    }

    /** Validates an in-memory image; {@code path} names it in errors. */
    public static ElfFile parse(Path path, byte[] bytes) throws ElfException {
        return parse(path, path.toString(), bytes);
    }

    private static ElfFile parse(Path path, String name, byte[] bytes) throws ElfException {
        Arch arch = checkIdentity(name, bytes);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int type = Short.toUnsignedInt(b.getShort(16));
        if (type != ET_EXEC && type != ET_DYN) {
            throw new ElfException(ElfError.NOT_EXECUTABLE, name, "e_type " + type);
        }
        long entry = b.getLong(24);
        long phoff = b.getLong(32);
        int phentsize = Short.toUnsignedInt(b.getShort(54));
        int phnum = Short.toUnsignedInt(b.getShort(56));
        if (phnum == 0 || phentsize != PHDR_SIZE) {
            throw new ElfException(ElfError.TRUNCATED, name, "e_phnum " + phnum + ", e_phentsize " + phentsize);
        }
        if (phnum * PHDR_SIZE > MAX_PHDRS_BYTES) {
            throw new ElfException(ElfError.TRUNCATED, name, "e_phnum " + phnum + ": more than 64 KiB of program headers");
        }
        if (phoff < 0 || phoff > bytes.length || (long) phnum * PHDR_SIZE > bytes.length - phoff) {
            throw new ElfException(ElfError.TRUNCATED, name, "program headers end beyond the file");
        }
        List<Segment> segs = new ArrayList<>(phnum);
        for (int i = 0; i < phnum; i++) {
            int o = (int) (phoff + (long) i * PHDR_SIZE);
            segs.add(new Segment(b.getInt(o), b.getInt(o + 4), b.getLong(o + 8), b.getLong(o + 16), b.getLong(o + 32),
                    b.getLong(o + 40), b.getLong(o + 48)));
        }
        validateSegments(name, bytes.length, segs);
        validateEntry(name, entry, segs);
        String interpreter = interpreter(name, bytes, segs);
        return new ElfFile(path, name, b.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN), arch, type, entry, phoff, segs,
                interpreter);
    }

    /**
     * Checks that {@code bytes} start with the header of a 64-bit little-endian ELF file for one of
     * Phoenix's machines, and returns that machine; throws {@link ElfException} naming what is not.
     */
    static Arch checkIdentity(String name, byte[] bytes) throws ElfException {
        if (bytes.length < 4 || bytes[0] != 0x7f || bytes[1] != 'E' || bytes[2] != 'L' || bytes[3] != 'F') {
            throw new ElfException(ElfError.NOT_ELF, name, bytes.length < 4 ? "file too short" : "bad magic number");
        }
        if (bytes.length < 6) {
            throw new ElfException(ElfError.TRUNCATED, name, "file ends inside the ELF identification");
        }
        if (bytes[4] == 1) {
            throw new ElfException(ElfError.NOT_64_BIT, name, "ELFCLASS32");
        }
        if (bytes[4] != 2) {
            throw new ElfException(ElfError.TRUNCATED, name, "unknown ELF class " + bytes[4]);
        }
        if (bytes[5] == 2) {
            throw new ElfException(ElfError.BIG_ENDIAN, name, "ELFDATA2MSB");
        }
        if (bytes[5] != 1) {
            throw new ElfException(ElfError.TRUNCATED, name, "unknown ELF data encoding " + bytes[5]);
        }
        if (bytes.length < EHDR_SIZE) {
            throw new ElfException(ElfError.TRUNCATED, name, "file is " + bytes.length + " bytes, the ELF header needs 64");
        }
        int machine = (bytes[18] & 0xff) | (bytes[19] & 0xff) << 8;
        Arch arch = Arch.fromElfMachine(machine);
        if (arch == null) {
            throw new ElfException(ElfError.UNSUPPORTED_MACHINE, name, "e_machine " + machine
                    + "; supported: x86_64 (62), aarch64 (183), riscv64 (243)");
        }
        return arch;
    }

    /**
     * Checks each PT_LOAD as binfmt_elf does before mapping it (elf_map, elf_load): its file bytes
     * lie in the file, p_filesz <= p_memsz, p_vaddr and p_offset agree modulo the page size (mmap
     * maps whole pages of the file), and p_vaddr + p_memsz does not wrap. Where the segment may
     * lie depends on the arch and on what else is mapped: {@link ElfLoader} checks that. Segments
     * that overlap are refused too (Linux would let a later one replace part of an earlier one;
     * no linker writes that, and the image would not be the one the file describes).
     */
    private static void validateSegments(String name, long fileLength, List<Segment> segs) throws ElfException {
        boolean anyLoad = false;
        List<Segment> loads = new ArrayList<>();
        for (Segment s : segs) {
            if (s.type() != PT_LOAD) {
                continue;
            }
            anyLoad = true;
            if (s.offset() < 0 || s.fileSize() < 0 || s.offset() > fileLength || s.fileSize() > fileLength - s.offset()) {
                throw new ElfException(ElfError.SEGMENT_OUTSIDE_FILE, name, String.format(
                        "offset 0x%x + size 0x%x > file size 0x%x", s.offset(), s.fileSize(), fileLength));
            }
            if (Long.compareUnsigned(s.memSize(), s.fileSize()) < 0) {
                throw new ElfException(ElfError.BAD_LAYOUT, name, String.format("p_filesz 0x%x > p_memsz 0x%x",
                        s.fileSize(), s.memSize()));
            }
            if (((s.vaddr() - s.offset()) & (PAGE - 1)) != 0) {
                throw new ElfException(ElfError.BAD_LAYOUT, name, String.format(
                        "vaddr 0x%x and offset 0x%x differ modulo the page size", s.vaddr(), s.offset()));
            }
            if (s.vaddr() != 0 && Long.compareUnsigned(s.memSize(), -s.vaddr()) >= 0) {
                throw new ElfException(ElfError.BAD_LAYOUT, name, String.format(
                        "vaddr 0x%x + memsz 0x%x reaches past 2^64", s.vaddr(), s.memSize()));
            }
            if (s.memSize() == 0) {
                continue;
            }
            for (Segment o : loads) {
                if (Long.compareUnsigned(s.vaddr(), o.vaddr() + o.memSize()) < 0
                        && Long.compareUnsigned(o.vaddr(), s.vaddr() + s.memSize()) < 0) {
                    throw new ElfException(ElfError.BAD_LAYOUT, name, String.format(
                            "PT_LOAD 0x%x-0x%x overlaps 0x%x-0x%x", s.vaddr(), s.vaddr() + s.memSize(), o.vaddr(),
                            o.vaddr() + o.memSize()));
                }
            }
            loads.add(s);
        }
        if (!anyLoad) {
            throw new ElfException(ElfError.TRUNCATED, name, "no PT_LOAD segment");
        }
    }

    /** binfmt_elf's limit on the interpreter's path, PATH_MAX with its NUL. */
    private static final int PATH_MAX = 4096;

    /**
     * The path in the first PT_INTERP, or null: as binfmt_elf reads it, between 2 and PATH_MAX
     * bytes within the file, ending with its only NUL.
     */
    private static String interpreter(String name, byte[] bytes, List<Segment> segs) throws ElfException {
        for (Segment s : segs) {
            if (s.type() != PT_INTERP) {
                continue;
            }
            if (s.fileSize() < 2 || s.fileSize() > PATH_MAX) {
                throw new ElfException(ElfError.TRUNCATED, name, "PT_INTERP of " + s.fileSize() + " bytes");
            }
            if (s.offset() < 0 || s.offset() > bytes.length - s.fileSize()) {
                throw new ElfException(ElfError.SEGMENT_OUTSIDE_FILE, name, String.format(
                        "PT_INTERP at offset 0x%x + size 0x%x > file size 0x%x", s.offset(), s.fileSize(), bytes.length));
            }
            int from = (int) s.offset();
            int len = (int) s.fileSize() - 1;
            if (bytes[from + len] != 0) {
                throw new ElfException(ElfError.TRUNCATED, name, "PT_INTERP does not end with a NUL");
            }
            for (int i = from; i < from + len; i++) {
                if (bytes[i] == 0) {
                    throw new ElfException(ElfError.TRUNCATED, name, "PT_INTERP has a NUL inside its path");
                }
            }
            return new String(bytes, from, len, java.nio.charset.StandardCharsets.UTF_8);
        }
        return null;
    }

    /**
     * The entry point must lie in a loaded segment. Linux only checks that it is below the top
     * of user space and lets the first instruction fault; no static program starts outside its
     * image, so the header is what is wrong, and saying so beats a SIGSEGV at the first fetch.
     */
    private static void validateEntry(String name, long entry, List<Segment> segs) throws ElfException {
        for (Segment s : segs) {
            if (s.type() == PT_LOAD && Long.compareUnsigned(entry - s.vaddr(), s.memSize()) < 0) {
                return;
            }
        }
        throw new ElfException(ElfError.TRUNCATED, name, String.format("e_entry 0x%x lies in no PT_LOAD segment", entry));
    }

    public Path path() {
        return path;
    }

    /** The file as errors name it: the path as the user gave it. */
    public String name() {
        return name;
    }

    public Arch arch() {
        return arch;
    }

    /** ET_EXEC or ET_DYN (static-pie). */
    public int type() {
        return type;
    }

    public long entry() {
        return entry;
    }

    /** The interpreter PT_INTERP names (the dynamic loader), or null for a static program. */
    public String interpreter() {
        return interpreter;
    }

    public long programHeaderOffset() {
        return phoff;
    }

    public int programHeaderCount() {
        return segments.size();
    }

    public List<Segment> segments() {
        return segments;
    }

    /** The file's size in bytes, as read. */
    public long fileSize() {
        return data.capacity();
    }

    /** Copies {@code length} bytes from file offset {@code offset}. */
    public byte[] bytes(long offset, int length) {
        byte[] out = new byte[length];
        data.get((int) offset, out);
        return out;
    }
}
