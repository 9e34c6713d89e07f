package dev.phoenix.vgpu.spirv;

import static org.junit.jupiter.api.Assertions.*;

import dev.phoenix.vgpu.DispatchCancelledException;
import dev.phoenix.vgpu.Kernel;
import dev.phoenix.vgpu.ShaderException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What the executor does with bad input: out-of-range access is dropped or reads 0, a shader that
 * never ends is cancelled, malformed or unsupported modules are refused with a reason, and random
 * mutations of real modules give nothing but {@link ShaderException} (or a kernel that runs).
 */
class BadInputTest {
    static final JvmExecutor EXEC = new JvmExecutor(2);
    static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;

    @AfterAll
    static void close() {
        EXEC.close();
    }

    @Test
    void outOfRangeAccessReadsZeroAndDropsWrites() throws Exception {
        Kernel k = EXEC.compile(Glslc.compile("robust", "vulkan1.1", "-O"), "main");
        try (Arena a = Arena.ofShared()) {
            MemorySegment v = a.allocate(4 * 8), o = a.allocate(4 * 8);
            for (int i = 0; i < 8; i++) v.setAtIndex(I, i, 10 * i);
            // o[g + 3] = v[g - 3] + 1: o[3..7] get v[-3..1] + 1 (v[-3..-1] read 0), o[8..10] are dropped.
            k.dispatch(1, 1, 1, new MemorySegment[] {v, o}, JvmExecutorTest.push(3), () -> false);
            assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 1, 11}, o.toArray(I));
            o.fill((byte) 0);
            // o[g - 3] = v[g + 3] + 1: o[0..4] get v[6..10] + 1 (v[8..10] read 0), o[-3..-1] are dropped.
            k.dispatch(1, 1, 1, new MemorySegment[] {v, o}, JvmExecutorTest.push(-3), () -> false);
            assertArrayEquals(new int[] {61, 71, 1, 1, 1, 0, 0, 0}, o.toArray(I));
            // Missing bindings read as empty buffers.
            k.dispatch(4, 1, 1, new MemorySegment[] {v}, JvmExecutorTest.push(0), () -> false);
        }
    }

    @Test
    void infiniteLoopIsCancelled() throws Exception {
        Kernel k = EXEC.compile(Glslc.compile("forever", "vulkan1.1", "-O"), "main");
        var calls = new AtomicInteger();
        try (Arena a = Arena.ofShared()) {
            MemorySegment d = a.allocate(16);
            assertThrows(DispatchCancelledException.class,
                    () -> k.dispatch(4, 1, 1, new MemorySegment[] {d}, new byte[0], () -> calls.incrementAndGet() > 20));
            d.set(I, 0, 1);  // the same kernel still runs and ends once the loop condition holds
            k.dispatch(1, 1, 1, new MemorySegment[] {d}, new byte[0], () -> false);
        }
    }

    @Test
    void float64AndVectorsMatricesSwitchCalls() throws Exception {
        for (String opt : new String[] {"-O", "-O0"}) {
            Kernel k = EXEC.compile(Glslc.compile("float64", "vulkan1.2", opt), "main");
            try (Arena a = Arena.ofShared()) {
                MemorySegment d = a.allocate(8);
                d.set(ValueLayout.JAVA_DOUBLE, 0, 1.25);
                k.dispatch(1, 1, 1, new MemorySegment[] {d}, new byte[0], () -> false);
                assertEquals(2.5, d.get(ValueLayout.JAVA_DOUBLE, 0));
            }
            Kernel mix = EXEC.compile(Glslc.compile("mix", "vulkan1.2", opt), "main");
            try (Arena a = Arena.ofShared()) {
                MemorySegment f = a.allocate(16 * 4), iv = a.allocate(16 * 4), m = a.allocate(64);
                float[][] mat = new float[4][4];
                for (int c = 0; c < 4; c++) for (int r = 0; r < 4; r++) m.setAtIndex(ValueLayout.JAVA_FLOAT, c * 4 + r, mat[c][r] = c - r * 0.5f);
                float[][] fv = new float[4][4];
                int[][] ia = new int[4][4];
                for (int g = 0; g < 4; g++) for (int j = 0; j < 4; j++) {
                    f.setAtIndex(ValueLayout.JAVA_FLOAT, g * 4 + j, fv[g][j] = g * 1.5f - j);
                    iv.setAtIndex(I, g * 4 + j, ia[g][j] = g * 7 - j * 3 + (j == 0 ? g : 0));
                }
                mix.dispatch(1, 1, 1, new MemorySegment[] {f, iv, m}, new byte[0], () -> false);
                for (int g = 0; g < 4; g++) {
                    float[] v = fv[g], w = new float[4];
                    for (int r = 0; r < 4; r++) for (int c = 0; c < 4; c++) w[r] += mat[c][r] * v[c];
                    w[0] += (float) Math.sqrt(Math.abs(v[0]));
                    w[1] += (float) Math.floor(v[1]);
                    w[2] += Math.max(v[2], 0.5f);
                    w[3] += Math.min(Math.max(v[3], -1f), 1f);
                    float dot = 0;
                    for (int j = 0; j < 4; j++) dot += v[j] * w[j];
                    float poly = 0;
                    for (int j = 0; j < 3 + g; j++) poly = poly * v[0] + j;
                    assertEquals(w[0], f.getAtIndex(ValueLayout.JAVA_FLOAT, g * 4), 1e-4, opt + " f[" + g + "].x");
                    assertEquals(w[1], f.getAtIndex(ValueLayout.JAVA_FLOAT, g * 4 + 1), 1e-4, opt + " f[" + g + "].y");
                    assertEquals(dot, f.getAtIndex(ValueLayout.JAVA_FLOAT, g * 4 + 2), 1e-3, opt + " f[" + g + "].z");
                    assertEquals(poly, f.getAtIndex(ValueLayout.JAVA_FLOAT, g * 4 + 3), 1e-3, opt + " f[" + g + "].w");
                    int[] a4 = ia[g];
                    int s = switch (a4[0] & 3) {
                        case 0 -> a4[1] + a4[2];
                        case 1 -> a4[1] * a4[2];
                        case 2 -> a4[1] / (a4[2] == 0 ? 1 : a4[2]);
                        default -> (a4[1] << 3) ^ (a4[2] >> 1);
                    };
                    int[] want = {s, Math.min(a4[1], a4[2]), Math.abs(a4[3]), Integer.remainderUnsigned(a4[0], 7)};
                    for (int j = 0; j < 4; j++) assertEquals(want[j], iv.getAtIndex(I, g * 4 + j), opt + " iv[" + g + "][" + j + "]");
                }
            }
        }
    }

    static void refused(byte[] spirv, String reason) {
        var e = assertThrows(ShaderException.class, () -> EXEC.compile(spirv, "main"));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void invalidModulesAreRefusedWithAReason() throws Exception {
        byte[] good = Glslc.compile("saxpy", "vulkan1.1", "-O");
        refused(new byte[0], "too short");
        refused(Arrays.copyOf(good, 16), "too short");
        refused(Arrays.copyOf(good, good.length - 2), "multiple of 4");
        refused(Arrays.copyOf(good, good.length - 4), "");
        byte[] bad = good.clone();
        bad[0] = 0x42;
        refused(bad, "magic");
        bad = good.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(20, (0xffff << 16) | 17);  // first instruction's word count
        refused(bad, "past the end");
        bad = good.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(20, 17);  // word count 0
        refused(bad, "word count 0");
        assertThrows(ShaderException.class, () -> EXEC.compile(good, "nosuch"));
        // The first instruction is OpCapability Shader: make it Int8, then Kernel.
        assertEquals((2 << 16) | 17, ByteBuffer.wrap(good).order(ByteOrder.LITTLE_ENDIAN).getInt(20));
        bad = good.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 39);
        refused(bad, "unsupported capability Int8");
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(24, 6);
        refused(bad, "unsupported capability Kernel");
    }

    /** Random word and byte mutations of real modules: only ShaderException, or a kernel that runs robustly. */
    @Test
    void fuzzedModulesOnlyThrowShaderException() throws Exception {
        String[] names = {"saxpy", "reduce", "histogram", "scan", "mix"};
        var rnd = new Random(42);
        int compiled = 0;
        for (String name : names) {
            byte[] good = Glslc.compile(name, "vulkan1.1", "-O");
            for (int iter = 0; iter < 300; iter++) {
                byte[] b = good.clone();
                int muts = 1 + rnd.nextInt(4);
                for (int j = 0; j < muts; j++) {
                    int at = 20 + rnd.nextInt(b.length - 20);
                    switch (rnd.nextInt(3)) {
                        case 0 -> b[at] = (byte) rnd.nextInt();
                        case 1 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
                        default -> b[at] = (byte) (b[at] + (rnd.nextBoolean() ? 1 : -1));
                    }
                }
                if (rnd.nextInt(10) == 0) b = Arrays.copyOf(b, rnd.nextInt(b.length + 1) & ~3);
                Kernel k;
                try {
                    k = EXEC.compile(b, "main");
                } catch (ShaderException e) {
                    assertNotNull(e.getMessage());
                    continue;
                }
                compiled++;
                try (Arena a = Arena.ofShared()) {
                    MemorySegment[] bufs = new MemorySegment[k.bindingCount()];
                    for (int i = 0; i < bufs.length; i++) bufs[i] = a.allocate(4096);
                    var calls = new AtomicInteger();
                    try {
                        k.dispatch(2, 1, 1, bufs, new byte[k.pushConstantBytes()], () -> calls.incrementAndGet() > 50);
                    } catch (DispatchCancelledException e) {
                        // a mutation that loops forever
                    }
                }
            }
        }
        assertTrue(compiled > 0, "some mutations still compile and run");
    }
}
