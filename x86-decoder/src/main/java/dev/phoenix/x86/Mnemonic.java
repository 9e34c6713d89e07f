package dev.phoenix.x86;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Mnemonic ids: interned once while the opcode tables are built, read by a printer. */
public final class Mnemonic {
    private Mnemonic() {
    }

    private static final Map<String, Integer> IDS = new HashMap<>();
    private static String[] names = new String[512];
    private static int count = 1; // 0: no mnemonic

    static synchronized int id(String name) {
        Integer id = IDS.get(name);
        if (id != null) {
            return id;
        }
        if (count == names.length) {
            names = Arrays.copyOf(names, count * 2);
        }
        if (count >= LIMIT) {
            throw new IllegalStateException("too many mnemonics");
        }
        names[count] = name;
        IDS.put(name, count);
        return count++;
    }

    /** Room for every mnemonic id ({@link Entry} packs them in 11 bits): the size of a per-mnemonic table. */
    static final int LIMIT = 0x800;

    /** Sets the entry of each of {@code names} in the per-mnemonic table {@code table} to {@code value}. */
    static void mark(byte[] table, int value, String... names) {
        for (String n : names) {
            table[id(n)] = (byte) value;
        }
    }

    /** Marks each of {@code names} in the per-mnemonic table {@code table}. */
    static void mark(boolean[] table, String... names) {
        for (String n : names) {
            table[id(n)] = true;
        }
    }

    /** The mnemonic's name, in lower case as the SDM's headings spell it. */
    public static String name(int id) {
        return names[id];
    }
}
