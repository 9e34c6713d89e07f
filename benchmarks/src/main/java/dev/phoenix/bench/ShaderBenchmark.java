package dev.phoenix.bench;

import dev.phoenix.vgpu.Kernel;
import dev.phoenix.vgpu.spirv.JvmExecutor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Phoenix's SPIR-V executor ({@link JvmExecutor}) on the issue's two kernels: SAXPY over 16M floats
 * and a tiled SGEMM of 1024x1024x1024 with shared memory and barriers, compiled by glslc -O at
 * setup. benchmarks/vgpu.sh runs the same SPIR-V (benchmarks/vgpu/*.comp, kept identical) on
 * lavapipe and the same computation in C, through VgpuBench.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class ShaderBenchmark {
    static final String SAXPY = """
            #version 450
            layout(local_size_x = 256) in;
            layout(std430, binding = 0) readonly buffer X { float x[]; };
            layout(std430, binding = 1) buffer Y { float y[]; };
            layout(push_constant) uniform P { float a; uint n; } p;
            void main() {
                // two rows of 32768 groups: a vGPU dispatch has at most 65535 groups a dimension
                uint i = gl_GlobalInvocationID.y * gl_NumWorkGroups.x * 256u + gl_GlobalInvocationID.x;
                if (i < p.n) y[i] = p.a * x[i] + y[i];
            }
            """;
    static final String SGEMM = """
            #version 450
            layout(local_size_x = 16, local_size_y = 16) in;
            layout(std430, binding = 0) readonly buffer A { float a[]; };
            layout(std430, binding = 1) readonly buffer B { float b[]; };
            layout(std430, binding = 2) buffer C { float c[]; };
            layout(push_constant) uniform P { uint m; uint n; uint k; } p;
            shared float ta[16][16];
            shared float tb[16][16];
            void main() {
                uint row = gl_GlobalInvocationID.y, col = gl_GlobalInvocationID.x;
                uint ly = gl_LocalInvocationID.y, lx = gl_LocalInvocationID.x;
                float acc = 0.0;
                for (uint t = 0; t < p.k; t += 16) {
                    ta[ly][lx] = (row < p.m && t + lx < p.k) ? a[row * p.k + t + lx] : 0.0;
                    tb[ly][lx] = (col < p.n && t + ly < p.k) ? b[(t + ly) * p.n + col] : 0.0;
                    barrier();
                    for (uint i = 0; i < 16; i++) acc = fma(ta[ly][i], tb[i][lx], acc);
                    barrier();
                }
                if (row < p.m && col < p.n) c[row * p.n + col] = acc;
            }
            """;
    static final int N = 16 << 20, M = 1024;

    JvmExecutor exec;
    Arena arena;
    Kernel saxpy, sgemm;
    MemorySegment x, y, a, b, c;
    byte[] saxpyPush, sgemmPush;

    static byte[] glslc(String src) throws Exception {
        Path dir = Files.createTempDirectory("bench-glslc");
        Path in = dir.resolve("k.comp"), out = dir.resolve("k.spv");
        Files.writeString(in, src);
        Process p = new ProcessBuilder("glslc", "-O", "-fshader-stage=compute", in.toString(), "-o", out.toString()).inheritIO().start();
        if (p.waitFor() != 0) throw new IllegalStateException("glslc failed (apt-get install -y glslc)");
        byte[] r = Files.readAllBytes(out);
        Files.delete(in);
        Files.delete(out);
        Files.delete(dir);
        return r;
    }

    static byte[] push(int... w) {
        var bb = ByteBuffer.allocate(4 * w.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : w) bb.putInt(v);
        return bb.array();
    }

    @Setup(Level.Trial)
    public void setup() throws Exception {
        exec = new JvmExecutor();
        arena = Arena.ofShared();
        saxpy = exec.compile(glslc(SAXPY), "main");
        sgemm = exec.compile(glslc(SGEMM), "main");
        x = arena.allocate(4L * N, 64);
        y = arena.allocate(4L * N, 64);
        for (int i = 0; i < N; i++) x.setAtIndex(ValueLayout.JAVA_FLOAT, i, i & 1023);
        a = arena.allocate(4L * M * M, 64);
        b = arena.allocate(4L * M * M, 64);
        c = arena.allocate(4L * M * M, 64);
        for (int i = 0; i < M * M; i++) {
            a.setAtIndex(ValueLayout.JAVA_FLOAT, i, i % 7);
            b.setAtIndex(ValueLayout.JAVA_FLOAT, i, i % 5);
        }
        saxpyPush = push(Float.floatToIntBits(1.0001f), N);
        sgemmPush = push(M, M, M);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        exec.close();
        arena.close();
    }

    @Benchmark
    public void saxpy16M() throws Exception {
        saxpy.dispatch(N / 512, 2, 1, new MemorySegment[] {x, y}, saxpyPush, () -> false);
    }

    @Benchmark
    public void sgemm1024() throws Exception {
        sgemm.dispatch(M / 16, M / 16, 1, new MemorySegment[] {a, b, c}, sgemmPush, () -> false);
    }
}
