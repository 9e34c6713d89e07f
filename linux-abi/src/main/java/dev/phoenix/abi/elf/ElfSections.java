package dev.phoenix.abi.elf;

import dev.phoenix.emu.Arch;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The section headers and symbols of an ELF64 little-endian file of any type (an executable, a
 * shared object, an object file), for {@code phoenix disasm}: what a linker's view shows, where
 * {@link ElfFile} is the loader's view (program headers). System V gABI chapter 4, "Sections" and
 * "Symbol Table". Every offset and size is checked against the file, so a malformed file is one
 * {@link ElfException}, never an exception out of the parser.
 */
public final class ElfSections {
    public static final int SHT_NOBITS = 8, SHT_SYMTAB = 2, SHT_DYNSYM = 11;
    public static final long SHF_EXECINSTR = 4;
    private static final int SHDR_SIZE = 64, SYM_SIZE = 24;
    private static final int STT_OBJECT = 1, STT_FUNC = 2, STT_SECTION = 3, STT_FILE = 4;

    /** One section header, its name resolved. */
    public record Section(int index, String name, int type, long flags, long address, long offset, long size) {
        /** Whether it holds instructions that are loaded (SHF_EXECINSTR with file contents). */
        public boolean executable() {
            return (flags & SHF_EXECINSTR) != 0 && type != SHT_NOBITS && size > 0;
        }
    }

    /** A symbol naming an address in section {@code section} (functions, objects and untyped labels). */
    public record Symbol(String name, long value, int section) { }

    private final Arch arch;
    private final byte[] bytes;
    private final List<Section> sections;
    private final List<Symbol> symbols;
    private final List<Symbol> dynamicSymbols;

    private ElfSections(Arch arch, byte[] bytes, List<Section> sections, List<Symbol> symbols, List<Symbol> dynamicSymbols) {
        this.arch = arch;
        this.bytes = bytes;
        this.sections = sections;
        this.symbols = symbols;
        this.dynamicSymbols = dynamicSymbols;
    }

    /** Reads {@code path}, naming it {@code name} in errors. */
    public static ElfSections read(Path path, String name) throws ElfException {
        if (Files.isDirectory(path)) {
            throw new ElfException(ElfError.NOT_A_FILE, name, "a directory");
        }
        return parse(name, ElfFile.readAll(path, name));
    }

    /** Parses an in-memory file named {@code name} in errors. */
    public static ElfSections parse(String name, byte[] bytes) throws ElfException {
        Arch arch = ElfFile.checkIdentity(name, bytes);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long shoff = b.getLong(40);
        int shentsize = Short.toUnsignedInt(b.getShort(58));
        int shnum = Short.toUnsignedInt(b.getShort(60));
        int shstrndx = Short.toUnsignedInt(b.getShort(62));
        if (shnum == 0 && shoff != 0 && shoff >= 0 && shoff <= bytes.length - SHDR_SIZE) {
            shnum = (int) Math.min(b.getLong((int) shoff + 32), 1 << 20);  // sh_size of section 0 holds a large count
        }
        if (shnum == 0) {
            return new ElfSections(arch, bytes, List.of(), List.of(), List.of());
        }
        if (shentsize != SHDR_SIZE || shoff < 0 || shoff > bytes.length || (long) shnum * SHDR_SIZE > bytes.length - shoff) {
            throw new ElfException(ElfError.TRUNCATED, name, "section headers end beyond the file");
        }
        if (shstrndx == 0xffff) {
            shstrndx = b.getInt((int) shoff + 40);  // sh_link of section 0 holds a large index
        }
        long[][] raw = new long[shnum][];
        for (int i = 0; i < shnum; i++) {
            int o = (int) (shoff + (long) i * SHDR_SIZE);
            raw[i] = new long[] {Integer.toUnsignedLong(b.getInt(o)), b.getInt(o + 4), b.getLong(o + 8), b.getLong(o + 16),
                b.getLong(o + 24), b.getLong(o + 32), Integer.toUnsignedLong(b.getInt(o + 40))};
            if (raw[i][1] != SHT_NOBITS && raw[i][1] != 0 && !inFile(bytes, raw[i][4], raw[i][5])) {
                throw new ElfException(ElfError.TRUNCATED, name, "section " + i + " lies beyond the end of the file");
            }
        }
        long[] names = shstrndx > 0 && shstrndx < shnum ? raw[shstrndx] : null;
        List<Section> sections = new ArrayList<>(shnum);
        for (int i = 0; i < shnum; i++) {
            String n = names == null ? "" : string(bytes, names[4], names[5], raw[i][0]);
            sections.add(new Section(i, n, (int) raw[i][1], raw[i][2], raw[i][3], raw[i][4], raw[i][5]));
        }
        return new ElfSections(arch, bytes, List.copyOf(sections), symbols(bytes, b, raw, SHT_SYMTAB),
                symbols(bytes, b, raw, SHT_DYNSYM));
    }

    /**
     * The symbols of the tables of {@code type} (SHT_SYMTAB or SHT_DYNSYM) among the section
     * headers {@code raw} that name code or data in a section.
     */
    private static List<Symbol> symbols(byte[] bytes, ByteBuffer b, long[][] raw, int type) {
        int shnum = raw.length;
        List<Symbol> symbols = new ArrayList<>();
        for (int i = 0; i < shnum; i++) {
            if (raw[i][1] != type) continue;
            long link = raw[i][6];
            if (link <= 0 || link >= shnum) continue;
            long[] strtab = raw[(int) link];
            long count = raw[i][5] / SYM_SIZE;
            for (long k = 1; k < count; k++) {
                int o = (int) (raw[i][4] + k * SYM_SIZE);
                int symType = bytes[o + 4] & 0xf;
                int shndx = Short.toUnsignedInt(b.getShort(o + 6));
                if (symType == STT_SECTION || symType == STT_FILE || shndx == 0 || shndx >= shnum) continue;
                if (symType != STT_FUNC && symType != STT_OBJECT && symType != 0) continue;
                String n = string(bytes, strtab[4], strtab[5], Integer.toUnsignedLong(b.getInt(o)));
                if (!n.isEmpty()) symbols.add(new Symbol(n, b.getLong(o + 8), shndx));
            }
        }
        return List.copyOf(symbols);
    }

    private static boolean inFile(byte[] bytes, long offset, long size) {
        return offset >= 0 && size >= 0 && offset <= bytes.length && size <= bytes.length - offset;
    }

    /** The NUL-terminated string at {@code index} of the string table at {@code [offset, offset+size)}; "" outside it. */
    private static String string(byte[] bytes, long offset, long size, long index) {
        if (!inFile(bytes, offset, size) || index < 0 || index >= size) return "";
        int from = (int) (offset + index), end = from, limit = (int) (offset + size);
        while (end < limit && bytes[end] != 0) end++;
        return new String(bytes, from, end - from, StandardCharsets.UTF_8);
    }

    /** The machine the file is for. */
    public Arch arch() {
        return arch;
    }

    /** Every section header, in order (index 0 is the null section). */
    public List<Section> sections() {
        return sections;
    }

    /** The symbols of .symtab that name code or data in a section, in table order (none when stripped). */
    public List<Symbol> symbols() {
        return symbols;
    }

    /** The symbols of .dynsym that name code or data in a section (what a shared object exports). */
    public List<Symbol> dynamicSymbols() {
        return dynamicSymbols;
    }

    /** The file's bytes of {@code s} (a copy). */
    public byte[] contents(Section s) {
        return java.util.Arrays.copyOfRange(bytes, (int) s.offset(), (int) (s.offset() + s.size()));
    }
}
