package dev.phoenix.libos.mm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.emu.Arch;
import dev.phoenix.emu.Cpu;
import dev.phoenix.emu.Cpus;
import dev.phoenix.emu.Prot;
import dev.phoenix.libos.Errno;
import dev.phoenix.libos.cap.FrameAllocator;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** VMA bookkeeping and capability-checked guest memory access, on a real engine's map. */
class AddressSpaceTest {
    private static final long PAGE = AddressSpace.PAGE;
    private static final long BASE = 0x100000;

    private Cpu cpu;
    private FrameAllocator frames;
    private AddressSpace as;

    @BeforeEach
    void open() {
        cpu = Cpus.open(Cpus.Engine.UNICORN, Arch.X86_64);
        frames = new FrameAllocator(1 << 20);
        as = new AddressSpace(cpu, frames, 0x10000000L, 0x20000000L);
    }

    @AfterEach
    void close() {
        as.destroy();
        assertEquals(0, frames.allocatedPages(), "every frame returns to the allocator");
        cpu.close();
    }

    private static int errno(Runnable r) {
        return assertThrows(Errno.class, r::run).errno();
    }

    /**
     * fork(2)'s copy: private memory is copied (each side's stores stay its own), shared
     * anonymous memory is the same frames (a store in one shows in the other), protections and
     * names follow, and the child's engine has the pages mapped; every frame comes back once
     * both are destroyed.
     */
    @Test
    void aForkedCopySharesSharedMemoryAndCopiesPrivateMemory() {
        as.mapAnonymous(BASE, 2 * PAGE, Prot.READ | Prot.WRITE, "[heap]");
        as.mapAnonymous(BASE + 4 * PAGE, PAGE, Prot.READ | Prot.WRITE, null);
        as.setSharedAnonymous(BASE + 4 * PAGE);
        as.mapAnonymous(BASE + 8 * PAGE, PAGE, Prot.READ, null);
        as.memory().writeLong(BASE + PAGE, 1111);
        as.memory().writeLong(BASE + 4 * PAGE, 2222);
        Cpu childCpu = Cpus.open(Cpus.Engine.UNICORN, Arch.X86_64);
        try {
            AddressSpace child = as.forkTo(childCpu);
            assertEquals(as.maps(), child.maps());
            assertEquals(1111, child.memory().readLong(BASE + PAGE));
            child.memory().writeLong(BASE + PAGE, 3333); // private: the parent keeps its own
            assertEquals(1111, as.memory().readLong(BASE + PAGE));
            as.memory().writeLong(BASE + PAGE + 8, 4444);
            assertEquals(0, child.memory().readLong(BASE + PAGE + 8));
            child.memory().writeLong(BASE + 4 * PAGE, 5555); // shared: both see it
            assertEquals(5555, as.memory().readLong(BASE + 4 * PAGE));
            byte[] seen = new byte[8];
            assertEquals(8, childCpu.readForDiagnostics(BASE + PAGE, seen)); // in the child engine's map
            assertEquals(3333, java.nio.ByteBuffer.wrap(seen).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong());
            assertEquals(Errno.EFAULT, errno(() -> child.memory().writeLong(BASE + 8 * PAGE, 1))); // still read-only
            child.destroy();
        } finally {
            childCpu.close();
        }
    }

    @Test
    void partialUnmapSplitsAMappingAndKeepsTheRest() {
        as.mapAnonymous(BASE, 4 * PAGE, Prot.READ | Prot.WRITE, null);
        as.memory().writeLong(BASE + 3 * PAGE, 0x1122334455667788L);
        as.unmap(BASE + PAGE, PAGE);
        assertEquals(List.of("00100000-00101000 rw-p", "00102000-00104000 rw-p"), as.describe());
        assertEquals(0x1122334455667788L, as.memory().readLong(BASE + 3 * PAGE));
        assertEquals(Errno.EFAULT, errno(() -> as.memory().readLong(BASE + PAGE)));
        assertFalse(as.isFullyMapped(BASE, BASE + 4 * PAGE));
        assertTrue(as.isFree(BASE + PAGE, BASE + 2 * PAGE));
    }

    @Test
    void freeRunsAreTheGapsBetweenMappings() {
        as.mapAnonymous(BASE + PAGE, PAGE, Prot.READ, null);
        as.mapAnonymous(BASE + 3 * PAGE, 2 * PAGE, Prot.READ, null);
        assertEquals(List.of(List.of(BASE, BASE + PAGE), List.of(BASE + 2 * PAGE, BASE + 3 * PAGE),
                List.of(BASE + 5 * PAGE, BASE + 6 * PAGE)), runs(as.freeRuns(BASE, BASE + 6 * PAGE)));
        assertEquals(List.of(), runs(as.freeRuns(BASE + 3 * PAGE, BASE + 5 * PAGE)));
        // A range of 2^46 bytes costs what its few mappings cost, not one step per page.
        assertEquals(List.of(List.of(BASE + 5 * PAGE, 1L << 46)), runs(as.freeRuns(BASE + 4 * PAGE, 1L << 46)));
    }

    private static List<List<Long>> runs(List<long[]> runs) {
        return runs.stream().map(r -> List.of(r[0], r[1])).toList();
    }

    @Test
    void protectSplitsAndIsEnforcedForTheLibOs() {
        as.mapAnonymous(BASE, 3 * PAGE, Prot.READ | Prot.WRITE, null);
        as.protect(BASE + PAGE, PAGE, Prot.READ);
        assertEquals(List.of("00100000-00101000 rw-p", "00101000-00102000 r--p", "00102000-00103000 rw-p"),
                as.describe());
        assertEquals(0, as.memory().readInt(BASE + PAGE));
        assertEquals(Errno.EFAULT, errno(() -> as.memory().writeInt(BASE + PAGE, 1)));
        assertEquals(Errno.ENOMEM, errno(() -> as.protect(BASE + 2 * PAGE, 2 * PAGE, Prot.READ)));
    }

    @Test
    void accessesSpanAdjacentMappings() {
        as.mapAnonymous(BASE, PAGE, Prot.READ | Prot.WRITE, null);
        as.mapAnonymous(BASE + PAGE, PAGE, Prot.READ | Prot.WRITE, null);
        byte[] data = "across the page boundary".getBytes(StandardCharsets.UTF_8);
        as.memory().write(BASE + PAGE - 6, data);
        as.memory().writeInt(BASE + PAGE - 6 + data.length, 0);
        assertArrayEquals(data, as.memory().read(BASE + PAGE - 6, data.length));
        assertEquals("across the page boundary", as.memory().readCString(BASE + PAGE - 6, 4096));
        assertEquals(Errno.ENAMETOOLONG, errno(() -> as.memory().readCString(BASE + PAGE - 6, 10)));
        // An 8-byte read that straddles the two mappings.
        long expected = java.nio.ByteBuffer.wrap(data, 2, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(expected, as.memory().readLong(BASE + PAGE - 4));
    }

    @Test
    void findFreeGoesTopDownAroundMappings() {
        long top = 0x20000000L;
        assertEquals(top - 2 * PAGE, as.findFree(2 * PAGE));
        as.mapAnonymous(top - 2 * PAGE, 2 * PAGE, Prot.READ, null);
        assertEquals(top - 5 * PAGE, as.findFree(3 * PAGE));
        assertEquals(-1, as.findFree(0x20000000L));
    }

    @Test
    void mapFixedReplacesWhatWasThere() {
        as.mapAnonymous(BASE, 2 * PAGE, Prot.READ | Prot.WRITE, null);
        as.memory().writeLong(BASE, 42);
        as.mapAnonymous(BASE, PAGE, Prot.READ | Prot.WRITE, "[new]");
        assertEquals(0, as.memory().readLong(BASE), "fresh pages are zero");
        assertEquals(List.of("00100000-00101000 rw-p [new]", "00101000-00102000 rw-p"), as.describe());
    }
}
