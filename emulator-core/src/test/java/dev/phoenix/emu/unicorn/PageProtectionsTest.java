package dev.phoenix.emu.unicorn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.phoenix.emu.Prot;
import org.junit.jupiter.api.Test;

class PageProtectionsTest {
    private static final int RW = Prot.READ | Prot.WRITE;
    private static final int RX = Prot.READ | Prot.EXEC;

    @Test
    void mapsSplitsAndUnmapsRuns() {
        PageProtections p = new PageProtections();
        assertEquals(PageProtections.UNMAPPED, p.get(0x400000));
        p.set(0x400000, 0x410000, RW);
        p.set(0x404000, 0x408000, RX);
        assertEquals(PageProtections.UNMAPPED, p.get(0x3fffff));
        assertEquals(RW, p.get(0x403fff));
        assertEquals(RX, p.get(0x404000));
        assertEquals(RX, p.get(0x407fff));
        assertEquals(RW, p.get(0x408000));
        assertEquals(PageProtections.UNMAPPED, p.get(0x410000));
        p.set(0x402000, 0x406000, PageProtections.UNMAPPED);
        assertEquals(RW, p.get(0x401fff));
        assertEquals(PageProtections.UNMAPPED, p.get(0x405fff));
        assertEquals(RX, p.get(0x406000));
        assertEquals(0, p.lowestUnmapped());
    }

    @Test
    void addressesAreUnsigned() {
        PageProtections p = new PageProtections();
        p.set(0, 0x1000, Prot.READ);
        p.set(0xffffffffff600000L, 0xffffffffff601000L, RX);
        assertEquals(Prot.READ, p.get(0xfff));
        assertEquals(RX, p.get(0xffffffffff600123L));
        assertEquals(PageProtections.UNMAPPED, p.get(0xffffffffff601000L));
        assertEquals(PageProtections.UNMAPPED, p.get(0x7fffffffffffffffL));
        assertEquals(0x1000, p.lowestUnmapped());
    }
}
