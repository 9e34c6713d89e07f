package dev.phoenix.vgpu.vulkan;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.phoenix.vgpu.Kernel;
import dev.phoenix.vgpu.ShaderException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Runs GLSL kernels compiled by glslc through {@link VulkanExecutor} on the host's Vulkan device
 * (lavapipe in CI) and compares with the same computation in Java; checks that bad SPIR-V is
 * refused before the driver sees it, and that out-of-range accesses are robust.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VulkanExecutorTest {
    private static VulkanExecutor vulkan;
    private static final Arena ARENA = Arena.ofShared();

    @BeforeAll
    static void open() throws Exception {
        vulkan = VulkanExecutor.open();
    }

    @AfterAll
    static void close() {
        vulkan.close();
    }

    private static MemorySegment floats(float[] v) {
        MemorySegment s = ARENA.allocate(4L * v.length, 4);
        MemorySegment.copy(v, 0, s, JAVA_FLOAT, 0, v.length);
        return s;
    }

    private static MemorySegment ints(int[] v) {
        MemorySegment s = ARENA.allocate(4L * Math.max(1, v.length), 4).asSlice(0, 4L * v.length);
        MemorySegment.copy(v, 0, s, JAVA_INT, 0, v.length);
        return s;
    }

    private static byte[] push(Object... words) {
        ByteBuffer b = ByteBuffer.allocate(4 * words.length).order(ByteOrder.LITTLE_ENDIAN);
        for (Object w : words) {
            if (w instanceof Float f) b.putFloat(f);
            else b.putInt((Integer) w);
        }
        return b.array();
    }

    /** Runs SAXPY on {@code executor} over n floats and checks y against Java's a * x + y. */
    static void saxpy(VulkanExecutor executor, int n, MemorySegment x, MemorySegment y) throws Exception {
        float[] xs = new float[n], ys = new float[n];
        Random r = new Random(1);
        for (int i = 0; i < n; i++) { xs[i] = r.nextFloat(); ys[i] = r.nextFloat(); }
        MemorySegment.copy(xs, 0, x, JAVA_FLOAT, 0, n);
        MemorySegment.copy(ys, 0, y, JAVA_FLOAT, 0, n);
        try (Kernel k = executor.compile(Glslc.compile("saxpy"), "main")) {
            assertArrayEquals(new int[] {64, 1, 1}, k.localSize());
            assertEquals(2, k.bindingCount());
            assertEquals(8, k.pushConstantBytes());
            k.dispatch((n + 63) / 64, 1, 1, new MemorySegment[] {x, y}, push(2.5f, n), () -> false);
        }
        for (int i = 0; i < n; i++) {
            assertEquals(2.5f * xs[i] + ys[i], y.getAtIndex(JAVA_FLOAT, i), 1e-5f, "y[" + i + "]");
        }
    }

    @Test
    @Order(1)
    void saxpyCopied() throws Exception {
        int n = 10_000;
        saxpy(vulkan, n, ARENA.allocate(4L * n, 4), ARENA.allocate(4L * n, 4));
    }

    @Test
    @Order(2)
    void saxpyImportsPageAlignedGuestMemory() throws Exception {
        try (VulkanExecutor shared = VulkanExecutor.open(true)) {
            int n = 4096;  // 16 KiB: whole pages
            saxpy(shared, n, ARENA.allocate(4L * n, 4096), ARENA.allocate(4L * n, 4096));
            assertTrue(shared.device().imports > 0 || !shared.device().importHostMemory,
                    "a device offering VK_EXT_external_memory_host imported the guest's pages");
        }
    }

    @Test
    @Order(3)
    void sharedMemoryReduction() throws Exception {
        int groups = 40, n = groups * 256;
        int[] data = new Random(2).ints(n, 0, 1 << 20).toArray();
        MemorySegment in = ints(data), out = ints(new int[groups]);
        try (Kernel k = vulkan.compile(Glslc.compile("reduce"), "main")) {
            k.dispatch(groups, 1, 1, new MemorySegment[] {in, out}, null, () -> false);
        }
        for (int g = 0; g < groups; g++) {
            int sum = 0;
            for (int i = 0; i < 256; i++) sum += data[g * 256 + i];
            assertEquals(sum, out.getAtIndex(JAVA_INT, g), "group " + g);
        }
    }

    @Test
    @Order(4)
    void atomicHistogram() throws Exception {
        int n = 100_000;
        int[] data = new Random(3).ints(n, 0, 1000).toArray();
        int[] expected = new int[64];
        for (int v : data) expected[v % 64]++;
        MemorySegment bins = ints(new int[64]);
        try (Kernel k = vulkan.compile(Glslc.compile("histogram"), "main")) {
            k.dispatch((n + 127) / 128, 1, 1, new MemorySegment[] {ints(data), bins}, push(n), () -> false);
        }
        assertArrayEquals(expected, bins.toArray(JAVA_INT));
    }

    @Test
    @Order(5)
    void sgemm() throws Exception {
        int m = 70, nn = 50, kk = 33;  // not multiples of the 16x16 workgroup
        Random r = new Random(4);
        float[] a = new float[m * kk], b = new float[kk * nn];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        MemorySegment c = floats(new float[m * nn]);
        try (Kernel k = vulkan.compile(Glslc.compile("sgemm"), "main")) {
            assertArrayEquals(new int[] {16, 16, 1}, k.localSize());
            assertEquals(12, k.pushConstantBytes());
            k.dispatch((nn + 15) / 16, (m + 15) / 16, 1, new MemorySegment[] {floats(a), floats(b), c}, push(m, nn, kk), () -> false);
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < nn; j++) {
                float s = 0;
                for (int q = 0; q < kk; q++) s += a[i * kk + q] * b[q * nn + j];
                assertEquals(s, c.getAtIndex(JAVA_FLOAT, i * nn + j), 1e-4f, "c[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    @Order(6)
    void outOfRangeAccessIsRobust() throws Exception {
        MemorySegment whole = ARENA.allocate(4 * 40, 4);
        whole.fill((byte) 0x55);
        MemorySegment in = ints(new int[] {10, 20, 30, 40, 50, 60, 70, 80});
        MemorySegment out = whole.asSlice(4 * 8, 4 * 16);  // guarded by 8 words on each side
        try (Kernel k = vulkan.compile(Glslc.compile("outofrange"), "main")) {
            k.dispatch(1, 1, 1, new MemorySegment[] {in, out}, null, () -> false);
        }
        int[] expected = {11, 21, 31, 41, 51, 61, 71, 81, 1, 1, 1, 1, 1, 1, 1, 1};
        assertArrayEquals(expected, out.toArray(JAVA_INT), "reads past 'in' give 0");
        for (int i = 0; i < 8; i++) {
            assertEquals(0x55555555, whole.getAtIndex(JAVA_INT, i));
            assertEquals(0x55555555, whole.getAtIndex(JAVA_INT, 32 + i));
        }
    }

    @Test
    @Order(7)
    void invalidSpirvIsRefused() throws Exception {
        byte[] good = Glslc.compile("saxpy");
        ShaderException e = assertThrows(ShaderException.class, () -> vulkan.compile(new byte[] {1, 2, 3}, "main"));
        assertTrue(e.getMessage().contains("header"), e.getMessage());
        byte[] magic = good.clone();
        magic[0] ^= 1;
        assertTrue(assertThrows(ShaderException.class, () -> vulkan.compile(magic, "main")).getMessage().contains("magic"));
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 8);
        assertTrue(assertThrows(ShaderException.class, () -> vulkan.compile(truncated, "main")).getMessage().contains("OpFunctionEnd"));
        assertTrue(assertThrows(ShaderException.class, () -> vulkan.compile(good, "nope")).getMessage().contains("no entry point"));
        // OpCapability Shader (word 0x00020011, operand 1) made OpCapability Kernel (6).
        byte[] kernel = good.clone();
        ByteBuffer w = ByteBuffer.wrap(kernel).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 20; i + 8 <= kernel.length; i += 4) {
            if (w.getInt(i) == 0x00020011 && w.getInt(i + 4) == 1) { w.putInt(i + 4, 6); break; }
        }
        assertTrue(assertThrows(ShaderException.class, () -> vulkan.compile(kernel, "main")).getMessage().contains("Kernel"));
        // Random bytes behind a valid header never reach the driver as anything but a refusal or a kernel.
        Random r = new Random(5);
        for (int t = 0; t < 200; t++) {
            byte[] fuzz = good.clone();
            for (int j = 0; j < 4; j++) fuzz[20 + r.nextInt(fuzz.length - 20)] = (byte) r.nextInt();
            try (Kernel k = vulkan.compile(fuzz, "main")) {
                assertTrue(k.bindingCount() >= 0);
            } catch (ShaderException expected) {
                assertTrue(!expected.getMessage().isEmpty());
            }
        }
    }
}
