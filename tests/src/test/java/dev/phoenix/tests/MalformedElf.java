package dev.phoenix.tests;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * A corpus of malformed ELF files made from a real guest program: each case changes one field of
 * the ELF header or of one program header (elf(5)) to a value at or past its limits, or cuts the
 * file at a header boundary. {@code BadInputTest} runs every case: each must either run or be
 * refused with one line and a documented exit code.
 */
final class MalformedElf {
    private MalformedElf() {}

    /** One malformed file: a name saying what was changed, and its bytes. */
    record Case(String name, byte[] bytes) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final int PHDR = 56;
    private static final int PT_NULL = 0, PT_LOAD = 1, PT_DYNAMIC = 2, PT_INTERP = 3;
    private static final long PAGE = 4096;
    /** Values every 64-bit field is tried with: the edges of signed and unsigned 64-bit arithmetic. */
    private static final long[] EDGES = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 1L << 32, -PAGE};

    /** The cases made from {@code elf}, each named after {@code label} and the change. */
    static List<Case> of(String label, byte[] elf) {
        List<Case> out = new ArrayList<>();
        Mutator m = new Mutator(label, elf, out);
        m.header();
        m.truncations();
        for (int i = 0; i < m.phnum; i++) {
            if (m.type(i) == PT_LOAD) {
                m.loadSegment(i);
            }
        }
        m.noLoadSegment();
        return out;
    }

    /** Writes the cases for one program. */
    private static final class Mutator {
        private final String label;
        private final byte[] elf;
        private final List<Case> out;
        private final long phoff;
        private final int phnum;
        private final java.util.Set<String> names = new java.util.HashSet<>();

        Mutator(String label, byte[] elf, List<Case> out) {
            this.label = label;
            this.elf = elf;
            this.out = out;
            this.phoff = le(elf).getLong(32);
            this.phnum = Short.toUnsignedInt(le(elf).getShort(56));
        }

        private static ByteBuffer le(byte[] b) {
            return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        }

        int type(int phdr) {
            return le(elf).getInt(phdrField(phdr, 0));
        }

        private long field64(int offset) {
            return le(elf).getLong(offset);
        }

        private int phdrField(int phdr, int offset) {
            return (int) (phoff + (long) phdr * PHDR + offset);
        }

        private void add(String what, byte[] bytes) {
            String name = label + " " + what;
            if (names.add(name)) { // an edge value may equal a field's own neighbour: one case each
                out.add(new Case(name, bytes));
            }
        }

        private void set8(String what, int offset, int value) {
            byte[] b = elf.clone();
            b[offset] = (byte) value;
            add(what, b);
        }

        private void set16(String what, int offset, int value) {
            byte[] b = elf.clone();
            le(b).putShort(offset, (short) value);
            add(what, b);
        }

        private void set32(String what, int offset, int value) {
            byte[] b = elf.clone();
            le(b).putInt(offset, value);
            add(what, b);
        }

        private void set64(String what, int offset, long value) {
            byte[] b = elf.clone();
            le(b).putLong(offset, value);
            add(what + "=0x" + Long.toHexString(value), b);
        }

        /** The ELF header's fields (elf(5): e_ident, e_type ... e_phnum). */
        void header() {
            for (int v : new int[] {0, 3, 0xff}) {
                set8("EI_CLASS=" + v, 4, v);
                set8("EI_DATA=" + v, 5, v);
            }
            set8("EI_VERSION=99", 6, 99);
            set8("EI_OSABI=97", 7, 97);
            for (int v : new int[] {0, 1, 4, 0xfe00, 0xffff}) {
                set16("e_type=" + v, 16, v);
            }
            for (int v : new int[] {0, 3, 40, 0xffff}) {
                set16("e_machine=" + v, 18, v);
            }
            long end = 0;
            for (int i = 0; i < phnum; i++) {
                if (type(i) == PT_LOAD) {
                    end = Math.max(end, field64(phdrField(i, 16)) + field64(phdrField(i, 40)));
                }
            }
            for (long v : concat(EDGES, 0x7ffffffff000L, 0x800000000000L, end, end + PAGE)) {
                set64("e_entry", 24, v);
            }
            long len = elf.length;
            for (long v : concat(EDGES, 2, 63, len - 1, len, len + 1, len - (long) phnum * PHDR + 1)) {
                set64("e_phoff", 32, v);
            }
            for (int v : new int[] {0, 1, 32, 55, 57, 64, 0xffff}) {
                set16("e_phentsize=" + v, 54, v);
            }
            for (int v : new int[] {0, 1, phnum - 1, phnum + 1, 65536 / PHDR, 65536 / PHDR + 1, 0xffff}) {
                set16("e_phnum=" + v, 56, v);
            }
        }

        /** The file cut short at each field of the ELF header, of each program header, and inside each segment. */
        void truncations() {
            TreeSet<Long> at = new TreeSet<>(List.of(0L, 1L, 3L, 4L, 5L, 6L, 7L, 16L, 18L, 20L, 24L, 32L, 40L, 48L,
                    52L, 54L, 56L, 58L, 60L, 62L, 63L, 64L));
            for (int i = 0; i <= phnum; i++) {
                for (int f : new int[] {0, 4, 8, 16, 24, 32, 40, 48, 55}) {
                    at.add(phoff + (long) i * PHDR + f);
                }
            }
            for (int i = 0; i < phnum; i++) {
                long offset = field64(phdrField(i, 8));
                long size = field64(phdrField(i, 32));
                if (type(i) == PT_LOAD && size > 0) {
                    at.add(offset + size / 2);
                    at.add(offset + size - 1);
                }
            }
            at.add((long) elf.length - 1);
            for (long n : at) {
                if (n < elf.length) {
                    add("cut to " + n + " bytes", Arrays.copyOf(elf, (int) n));
                }
            }
        }

        /** One PT_LOAD's fields (elf(5): p_type, p_flags, p_offset, p_vaddr, p_filesz, p_memsz, p_align). */
        void loadSegment(int i) {
            String s = "PT_LOAD[" + i + "] ";
            long offset = field64(phdrField(i, 8));
            long vaddr = field64(phdrField(i, 16));
            long fileSize = field64(phdrField(i, 32));
            long memSize = field64(phdrField(i, 40));
            long len = elf.length;
            long low = vaddr & (PAGE - 1);
            for (int v : new int[] {PT_NULL, PT_DYNAMIC, PT_INTERP}) {
                set32(s + "p_type=" + v, phdrField(i, 0), v);
            }
            for (int v : new int[] {0, 1, 7}) {
                set32(s + "p_flags=" + v, phdrField(i, 4), v);
            }
            for (long v : concat(EDGES, offset + 1, len, len + 1, len - fileSize + 1)) {
                set64(s + "p_offset", phdrField(i, 8), v);
            }
            for (long v : concat(EDGES, vaddr + 1, low, 0x1000 + low, 0x7ffffffff000L + low, 0x800000000000L + low,
                    (1L << 38) + low, (1L << 39) + low, 0xffff800000000000L + low, previousLoadPage(i) + low)) {
                set64(s + "p_vaddr", phdrField(i, 16), v);
            }
            for (long v : concat(EDGES, fileSize - 1, memSize + 1, len + 1)) {
                set64(s + "p_filesz", phdrField(i, 32), v);
            }
            for (long v : concat(EDGES, fileSize - 1, 1L << 30, 1L << 36, 1L << 40, 0x7ff000000000L, 1L << 47,
                    0x7ffffffff000L - vaddr, 0x800000000000L - vaddr)) {
                set64(s + "p_memsz", phdrField(i, 40), v);
            }
            for (long v : new long[] {0, 3, 1L << 40, Long.MIN_VALUE, -1}) {
                set64(s + "p_align", phdrField(i, 48), v);
            }
        }

        /** The page of the PT_LOAD before {@code i}, or of {@code i} itself: a vaddr there overlaps it. */
        private long previousLoadPage(int i) {
            long page = field64(phdrField(i, 16)) & -PAGE;
            for (int k = 0; k < i; k++) {
                if (type(k) == PT_LOAD) {
                    page = field64(phdrField(k, 16)) & -PAGE;
                }
            }
            return page;
        }

        /** Every PT_LOAD made PT_NULL: nothing to map. */
        void noLoadSegment() {
            byte[] b = elf.clone();
            for (int i = 0; i < phnum; i++) {
                if (type(i) == PT_LOAD) {
                    le(b).putInt(phdrField(i, 0), PT_NULL);
                }
            }
            add("no PT_LOAD", b);
        }

        private static long[] concat(long[] a, long... b) {
            long[] out = Arrays.copyOf(a, a.length + b.length);
            System.arraycopy(b, 0, out, a.length, b.length);
            return out;
        }
    }
}
