package dev.phoenix.libos.cap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The GART: first-fit placement with guard pages, reuse after unbind, translation at the edges
 * and for hostile values, holds that outlive an unbind, and frames released exactly once.
 */
class ApertureTest {
    private static final long PAGE = FrameAllocator.PAGE_SIZE;
    private static final long BASE = 1L << 32;

    private final FrameAllocator allocator = new FrameAllocator(1 << 16);

    @AfterEach
    void nothingLeaks() {
        assertEquals(0, allocator.allocatedPages(), "every frame returns to the allocator");
    }

    /** Frames for {@code length} bytes whose only holder is the aperture once bound. */
    private long bind(Aperture a, long length) {
        Frames f = allocator.allocate(length);
        long at = a.bind(f, length);
        f.release();
        return at;
    }

    @Test
    void blocksArePlacedFirstFitWithAGuardPageBetween() {
        Aperture a = new Aperture(BASE, 64 * PAGE);
        long x = bind(a, 100), y = bind(a, 2 * PAGE), z = bind(a, PAGE + 1);
        assertEquals(BASE, x);
        assertEquals(BASE + 2 * PAGE, y); // x's page, one guard page
        assertEquals(BASE + 5 * PAGE, z); // y's two pages, one guard page
        assertEquals(3, a.boundBlocks());
        assertEquals(5, a.boundPages());
        assertTrue(a.unbind(y));
        // y's pages and its two guard pages are free: 2 pages fit there, guarded on both sides, 3 do not
        long big = bind(a, 3 * PAGE);
        assertEquals(BASE + 8 * PAGE, big); // after z and its guard page
        long small = bind(a, PAGE);
        assertEquals(BASE + 2 * PAGE, small); // y's range, reused
        long small2 = bind(a, 1);
        assertEquals(BASE + 12 * PAGE, small2); // y's second page has no guard page before z
        assertEquals(1 + 2 + 3 + 1 + 1, a.boundPages());
        assertEquals(5, a.unbindAll());
        assertEquals(0, a.boundBlocks());
        assertEquals(0, a.boundPages());
        assertEquals(BASE, bind(a, 64 * PAGE)); // the whole window once empty
        assertEquals(-1, bind(a, 1));
        a.unbindAll();
    }

    @Test
    void aFullWindowRefusesAndHoldsNothing() {
        Aperture a = new Aperture(BASE, 4 * PAGE);
        assertEquals(BASE, bind(a, 2 * PAGE));
        assertEquals(BASE + 3 * PAGE, bind(a, PAGE)); // ends at the window's end
        Frames f = allocator.allocate(PAGE);
        assertEquals(-1, a.bind(f, PAGE));
        assertEquals(1, f.holders());
        f.release();
        Frames g = allocator.allocate(8 * PAGE);
        assertEquals(-1, a.bind(g, 8 * PAGE));
        g.release();
        assertFalse(a.unbind(BASE + PAGE)); // inside a block, not its start
        assertFalse(a.unbind(0));
        assertFalse(a.unbind(-1));
        assertTrue(a.unbind(BASE));
        assertFalse(a.unbind(BASE));
        a.unbindAll();
    }

    @Test
    void badArgumentsAreBugsOfTheCaller() {
        assertThrows(IllegalArgumentException.class, () -> new Aperture(0, PAGE));
        assertThrows(IllegalArgumentException.class, () -> new Aperture(BASE + 1, PAGE));
        assertThrows(IllegalArgumentException.class, () -> new Aperture(BASE, PAGE - 1));
        assertThrows(IllegalArgumentException.class, () -> new Aperture(Long.MAX_VALUE & -PAGE, PAGE));
        Aperture a = new Aperture(BASE, 4 * PAGE);
        Frames f = allocator.allocate(PAGE);
        assertThrows(IllegalArgumentException.class, () -> a.bind(f, 0));
        assertThrows(IllegalArgumentException.class, () -> a.bind(f, PAGE + 1));
        assertEquals(1, f.holders());
        f.release();
    }

    @Test
    void resolveGivesTheBytesOnlyWithinOneBlock() {
        Aperture a = new Aperture(BASE, 64 * PAGE);
        long x = bind(a, 100), y = bind(a, 2 * PAGE);
        MemorySegment xs = a.resolve(x, 100);
        assertNotNull(xs);
        assertEquals(100, xs.byteSize());
        xs.set(ValueLayout.JAVA_INT_UNALIGNED, 96, 0x12345678);
        assertEquals(0x12345678, a.resolve(x + 96, 4).get(ValueLayout.JAVA_INT_UNALIGNED, 0));
        assertEquals(0, a.resolve(x + 100, 0).byteSize()); // empty, at the end
        assertEquals(2 * PAGE, a.resolve(y, 2 * PAGE).byteSize());
        assertNotNull(a.resolve(y + 2 * PAGE - 1, 1));
        // past the block's length (within its page), in the guard page, across two blocks
        assertNull(a.resolve(x + 97, 4));
        assertNull(a.resolve(x + 100, 1));
        assertNull(a.resolve(x + PAGE, 1));
        assertNull(a.resolve(y - 1, 1));
        assertNull(a.resolve(x, y - x + 1));
        assertNull(a.resolve(y + 2 * PAGE, 1));
        assertNull(a.resolve(y + 2 * PAGE - 1, 2));
        // below and above the window, negative, overflowing
        assertNull(a.resolve(0, 0));
        assertNull(a.resolve(BASE - 1, 1));
        assertNull(a.resolve(BASE + 64 * PAGE, 1));
        assertNull(a.resolve(-1, 1));
        assertNull(a.resolve(Long.MIN_VALUE, 1));
        assertNull(a.resolve(x, -1));
        assertNull(a.resolve(x, Long.MIN_VALUE));
        assertNull(a.resolve(x + 1, Long.MAX_VALUE));
        assertNull(a.resolve(Long.MAX_VALUE, Long.MAX_VALUE));
        assertNull(a.resolve(y + 8, -8)); // a "negative length" that would wrap back into x
        assertNull(a.hold(x + 97, 4));
        assertNull(a.hold(-1, 1));
        a.unbind(x);
        assertNull(a.resolve(x, 1)); // an unbound range names nothing
        a.unbindAll();
    }

    @Test
    void resolveNeverThrowsForAnyValues() {
        Aperture a = new Aperture(BASE, 64 * PAGE);
        long x = bind(a, 3 * PAGE + 5);
        long[] interesting = {0, 1, -1, PAGE, x, x - 1, x + 1, x + 3 * PAGE + 5, x + 4 * PAGE, Long.MAX_VALUE,
                Long.MIN_VALUE, Long.MAX_VALUE - x, -x, 1L << 62, BASE + 64 * PAGE};
        for (long addr : interesting) {
            for (long len : interesting) {
                MemorySegment s = a.resolve(addr, len);
                boolean inside = len >= 0 && addr >= x && addr - x <= 3 * PAGE + 5 && len <= x + 3 * PAGE + 5 - addr;
                assertEquals(inside, s != null, addr + "+" + len);
            }
        }
        ThreadLocalRandom r = ThreadLocalRandom.current();
        for (int i = 0; i < 100_000; i++) {
            a.resolve(r.nextLong(), r.nextLong());
            a.resolve(x + r.nextLong(-PAGE, 5 * PAGE), r.nextLong(-PAGE, 5 * PAGE));
        }
        a.unbindAll();
    }

    @Test
    void aHoldOutlivesTheUnbindAndFramesAreReleasedExactlyOnce() {
        Aperture a = new Aperture(BASE, 64 * PAGE);
        Frames f = allocator.allocate(2 * PAGE);
        long x = a.bind(f, 2 * PAGE);
        assertEquals(2, f.holders()); // the allocation's and the block's
        f.release();
        assertEquals(1, f.holders());
        Aperture.Hold h = a.hold(x + 8, 16);
        assertEquals(2, f.holders());
        assertEquals(16, h.segment().byteSize());
        assertTrue(a.unbind(x));
        assertEquals(1, f.holders());
        assertEquals(2, allocator.allocatedPages()); // the hold keeps the memory
        assertNull(a.resolve(x + 8, 16)); // but the address names nothing any more
        h.segment().set(ValueLayout.JAVA_LONG_UNALIGNED, 0, 77);
        assertEquals(77, h.segment().get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
        // the range is free again: a new block there is other memory
        long y = bind(a, PAGE);
        assertEquals(x, y);
        assertEquals(0, a.resolve(y + 8, 8).get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
        h.release();
        assertEquals(0, f.holders());
        assertThrows(IllegalStateException.class, h::release);
        assertThrows(IllegalStateException.class, h::segment);
        assertEquals(1, allocator.allocatedPages()); // y's page only
        a.unbindAll();
    }

    @Test
    void holdsAndUnbindsFromManyThreadsBalance() throws Exception {
        Aperture a = new Aperture(BASE, 1 << 20);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 500; i++) {
                        long at = bind(a, (i % 3 + 1) * 1000);
                        Aperture.Hold h = a.hold(at, 1000);
                        h.segment().fill((byte) i);
                        assertTrue(a.unbind(at));
                        h.release();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertNull(failure.get());
        assertEquals(0, a.boundBlocks());
        assertEquals(0, a.boundPages());
    }
}
