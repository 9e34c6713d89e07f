package dev.phoenix.bench;

import dev.phoenix.vgpu.Kernel;
import dev.phoenix.vgpu.spirv.JvmExecutor;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * A plain main for benchmarks/vgpu.sh: runs {@link ShaderBenchmark}'s SAXPY (16M floats) and SGEMM
 * (1024^3) kernels on Phoenix's {@link JvmExecutor} a few times after a warm-up run and prints one
 * line per kernel, {@code NAME median_ms min_ms}. JMH's ShaderBenchmark gives the same numbers with
 * more ceremony; this main exists so the script can put them in one table with lavapipe's and the
 * C programs' without parsing JMH's output. The first result element of each output is checked
 * against a host computation so a fast but wrong executor does not go unnoticed.
 *
 * <p>Usage: {@code VgpuBench [runs]} (default 5).
 */
public final class VgpuBench {
    private VgpuBench() {}

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int n = ShaderBenchmark.N, m = ShaderBenchmark.M;
        try (JvmExecutor exec = new JvmExecutor(); Arena arena = Arena.ofShared()) {
            Kernel saxpy = exec.compile(ShaderBenchmark.glslc(ShaderBenchmark.SAXPY), "main");
            Kernel sgemm = exec.compile(ShaderBenchmark.glslc(ShaderBenchmark.SGEMM), "main");
            MemorySegment x = arena.allocate(4L * n, 64), y = arena.allocate(4L * n, 64);
            for (int i = 0; i < n; i++) x.setAtIndex(ValueLayout.JAVA_FLOAT, i, i & 1023);
            MemorySegment a = arena.allocate(4L * m * m, 64), b = arena.allocate(4L * m * m, 64), c = arena.allocate(4L * m * m, 64);
            for (int i = 0; i < m * m; i++) {
                a.setAtIndex(ValueLayout.JAVA_FLOAT, i, i % 7);
                b.setAtIndex(ValueLayout.JAVA_FLOAT, i, i % 5);
            }
            byte[] sp = ShaderBenchmark.push(Float.floatToIntBits(2f), n), gp = ShaderBenchmark.push(m, m, m);
            MemorySegment[] sb = {x, y}, gb = {a, b, c};
            time("saxpy16M", runs, () -> saxpy.dispatch(n / 512, 2, 1, sb, sp, () -> false));
            // y started at 0: after 1 + runs dispatches of y = 2x + y, y[5] = (1 + runs) * 2 * 5.
            check(y.getAtIndex(ValueLayout.JAVA_FLOAT, 5), (1 + runs) * 10f, "saxpy y[5]");
            time("sgemm1024", runs, () -> sgemm.dispatch(m / 16, m / 16, 1, gb, gp, () -> false));
            float want = 0;
            for (int k = 0; k < m; k++) want += (k % 7) * ((k * m + 3) % 5);  // c[0][3]
            check(c.getAtIndex(ValueLayout.JAVA_FLOAT, 3), want, "sgemm c[0][3]");
        }
    }

    private interface Run {
        void run() throws Exception;
    }

    /** One warm-up run, then {@code runs} timed ones; prints the median and the minimum in ms. */
    private static void time(String name, int runs, Run r) throws Exception {
        r.run();
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            r.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        Arrays.sort(ms);
        System.out.printf("%s %.1f %.1f%n", name, ms[runs / 2], ms[0]);
    }

    private static void check(float got, float want, String what) {
        if (got != want) throw new IllegalStateException(what + " = " + got + ", expected " + want);
    }
}
