package dev.phoenix.vgpu.spirv;

import static org.junit.jupiter.api.Assertions.*;

import dev.phoenix.vgpu.DispatchCancelledException;
import dev.phoenix.vgpu.Kernel;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Kernels compiled from GLSL by glslc (optimized and not, for SPIR-V 1.3 and 1.5), run by the
 * {@link JvmExecutor} on memory segments and checked against the same computation in Java.
 */
class JvmExecutorTest {
    static final JvmExecutor EXEC = new JvmExecutor(4);
    static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT;
    static final ValueLayout.OfInt I = ValueLayout.JAVA_INT;

    @AfterAll
    static void close() {
        EXEC.close();
    }

    static Stream<Arguments> variants() {
        return Stream.of(Arguments.of("vulkan1.1", "-O"), Arguments.of("vulkan1.2", "-O0"), Arguments.of("vulkan1.3", "-O"));
    }

    static Kernel kernel(String name, String env, String opt) throws Exception {
        return EXEC.compile(Glslc.compile(name, env, opt), "main");
    }

    static byte[] push(int... words) {
        var b = ByteBuffer.allocate(words.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int w : words) b.putInt(w);
        return b.array();
    }

    @ParameterizedTest
    @MethodSource("variants")
    void saxpy(String env, String opt) throws Exception {
        Kernel k = kernel("saxpy", env, opt);
        assertArrayEquals(new int[] {64, 1, 1}, k.localSize());
        assertEquals(2, k.bindingCount());
        assertEquals(8, k.pushConstantBytes());
        int n = 1000;
        try (Arena a = Arena.ofShared()) {
            MemorySegment x = a.allocate(4L * n), y = a.allocate(4L * n);
            for (int i = 0; i < n; i++) {
                x.setAtIndex(F, i, i * 0.5f);
                y.setAtIndex(F, i, 1000 - i);
            }
            k.dispatch((n + 63) / 64, 1, 1, new MemorySegment[] {x, y}, push(Float.floatToIntBits(2.5f), n), () -> false);
            for (int i = 0; i < n; i++) assertEquals(2.5f * (i * 0.5f) + (1000 - i), y.getAtIndex(F, i), "y[" + i + "]");
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void reductionWithSharedMemoryAndBarriers(String env, String opt) throws Exception {
        Kernel k = kernel("reduce", env, opt);
        int n = 1000, groups = (n + 127) / 128;
        try (Arena a = Arena.ofShared()) {
            MemorySegment v = a.allocate(4L * n), sums = a.allocate(4L * groups);
            for (int i = 0; i < n; i++) v.setAtIndex(F, i, i % 17);
            k.dispatch(groups, 1, 1, new MemorySegment[] {v, sums}, push(n), () -> false);
            for (int g = 0; g < groups; g++) {
                float s = 0;
                for (int i = g * 128; i < Math.min(n, g * 128 + 128); i++) s += i % 17;
                assertEquals(s, sums.getAtIndex(F, g), "group " + g);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void histogramWithAtomics(String env, String opt) throws Exception {
        Kernel k = kernel("histogram", env, opt);
        int n = 100_000;
        try (Arena a = Arena.ofShared()) {
            MemorySegment v = a.allocate(4L * n), bins = a.allocate(4L * 256);
            int[] want = new int[256];
            var rnd = new Random(1);
            for (int i = 0; i < n; i++) {
                int x = rnd.nextInt();
                v.setAtIndex(I, i, x);
                want[x & 255]++;
            }
            k.dispatch((n + 63) / 64, 1, 1, new MemorySegment[] {v, bins}, push(n), () -> false);
            for (int b = 0; b < 256; b++) assertEquals(want[b], bins.getAtIndex(I, b), "bin " + b);
        }
    }

    static void sgemm(Kernel k, int m, int n, int kk) {
        try (Arena a = Arena.ofShared()) {
            MemorySegment A = a.allocate(4L * m * kk), B = a.allocate(4L * kk * n), C = a.allocate(4L * m * n);
            var rnd = new Random(2);
            float[] fa = new float[m * kk], fb = new float[kk * n];
            for (int i = 0; i < fa.length; i++) A.setAtIndex(F, i, fa[i] = rnd.nextInt(9) - 4);
            for (int i = 0; i < fb.length; i++) B.setAtIndex(F, i, fb[i] = rnd.nextInt(9) - 4);
            try {
                k.dispatch((n + 15) / 16, (m + 15) / 16, 1, new MemorySegment[] {A, B, C}, push(m, n, kk), () -> false);
            } catch (DispatchCancelledException e) {
                throw new AssertionError(e);
            }
            for (int r = 0; r < m; r++) {
                for (int c = 0; c < n; c++) {
                    float s = 0;
                    for (int i = 0; i < kk; i++) s = Math.fma(fa[r * kk + i], fb[i * n + c], s);
                    assertEquals(s, C.getAtIndex(F, (long) r * n + c), "C[" + r + "][" + c + "]");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    void sgemm(String env, String opt) throws Exception {
        Kernel k = kernel("sgemm", env, opt);
        sgemm(k, 64, 64, 64);
        sgemm(k, 50, 37, 29);
    }

    /**
     * Barriers save only the locals live after them (Liveness): values made before the first
     * barrier and read after the last, and values crossing the barriers of a loop, come back
     * intact, and the optimized kernel's spill array holds a few values, not all its locals.
     */
    @ParameterizedTest
    @MethodSource("variants")
    void valuesLiveAcrossBarriers(String env, String opt) throws Exception {
        byte[] spv = Glslc.compile("carry", env, opt);
        if (opt.equals("-O")) {
            var info = KernelCompiler.compile(SpirvModule.parse(spv), "main");
            assertTrue(info.spillSlots() > 0 && info.spillSlots() <= 8, "spill slots " + info.spillSlots());
        }
        Kernel k = EXEC.compile(spv, "main");
        int groups = 3;
        try (Arena a = Arena.ofShared()) {
            MemorySegment o = a.allocate(4L * 64 * groups);
            k.dispatch(groups, 1, 1, new MemorySegment[] {o}, null, () -> false);
            for (int i = 0; i < 64 * groups; i++) {
                int l = i % 64, acc = 0;
                for (int r = 0; r < 4; r++) acc += ((l + 1) % 64 + r) * (r + 1);
                assertEquals(acc * 1000 + l * 7 + 3, o.getAtIndex(I, i), "o[" + i + "]");
            }
        }
    }

    @Test
    void sgemm256() throws Exception {
        sgemm(kernel("sgemm", "vulkan1.2", "-O"), 256, 256, 256);
    }

    @ParameterizedTest
    @MethodSource("variants")
    void exclusivePrefixSum(String env, String opt) throws Exception {
        Kernel k = kernel("scan", env, opt);
        try (Arena a = Arena.ofShared()) {
            MemorySegment d = a.allocate(4L * 512);
            int[] in = new int[512];
            var rnd = new Random(3);
            for (int i = 0; i < 512; i++) d.setAtIndex(I, i, in[i] = rnd.nextInt(1000));
            k.dispatch(1, 1, 1, new MemorySegment[] {d}, new byte[0], () -> false);
            int s = 0;
            for (int i = 0; i < 512; i++) {
                assertEquals(s, d.getAtIndex(I, i), "d[" + i + "]");
                s += in[i];
            }
        }
    }
}
