package dev.phoenix.vgpu.spirv;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The helpers compiled shaders call: robust loads and stores (Vulkan's robustBufferAccess: out of
 * range reads give 0 and writes are dropped), atomics through VarHandles so they are atomic across
 * host threads, and the operations whose SPIR-V meaning differs from the JVM's (unsigned
 * arithmetic, division by zero, which is undefined in SPIR-V but must not throw here). They are
 * small static methods the JIT inlines.
 */
public final class Rt {
    private Rt() {}

    private static final ValueLayout.OfInt I = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong L = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfFloat F = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble D = ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle AI = ValueLayout.JAVA_INT.withOrder(ByteOrder.LITTLE_ENDIAN).varHandle();

    private static boolean out(MemorySegment s, long off, int n) {
        return off < 0 || off > s.byteSize() - n;
    }

    public static int ldi(MemorySegment s, long off) { return out(s, off, 4) ? 0 : s.get(I, off); }
    public static long ldj(MemorySegment s, long off) { return out(s, off, 8) ? 0 : s.get(L, off); }
    public static float ldf(MemorySegment s, long off) { return out(s, off, 4) ? 0 : s.get(F, off); }
    public static double ldd(MemorySegment s, long off) { return out(s, off, 8) ? 0 : s.get(D, off); }
    public static void sti(MemorySegment s, long off, int v) { if (!out(s, off, 4) && !s.isReadOnly()) s.set(I, off, v); }
    public static void stj(MemorySegment s, long off, long v) { if (!out(s, off, 8) && !s.isReadOnly()) s.set(L, off, v); }
    public static void stf(MemorySegment s, long off, float v) { if (!out(s, off, 4) && !s.isReadOnly()) s.set(F, off, v); }
    public static void std(MemorySegment s, long off, double v) { if (!out(s, off, 8) && !s.isReadOnly()) s.set(D, off, v); }

    /** 32-bit atomics (OpAtomic*): {@code op} as the compiler numbers them; returns the old value. */
    public static int atomic(MemorySegment s, long off, int op, int v, int cmp) {
        if (out(s, off, 4) || (off & 3) != 0 || s.isReadOnly()) return 0;
        if ((s.address() & 3) != 0) return 0;
        switch (op) {
            case 0: return (int) AI.getVolatile(s, off);
            case 1: AI.setVolatile(s, off, v); return 0;
            case 2: return (int) AI.getAndSet(s, off, v);
            case 3: return (int) AI.compareAndExchange(s, off, cmp, v);
            case 4: return (int) AI.getAndAdd(s, off, v);
            case 5: return (int) AI.getAndAdd(s, off, -v);
            case 10: return (int) AI.getAndBitwiseAnd(s, off, v);
            case 11: return (int) AI.getAndBitwiseOr(s, off, v);
            case 12: return (int) AI.getAndBitwiseXor(s, off, v);
            default: break;
        }
        while (true) {  // min and max: a compare-and-exchange loop
            int old = (int) AI.getVolatile(s, off);
            int nv = switch (op) {
                case 6 -> Math.min(old, v);
                case 7 -> Integer.compareUnsigned(old, v) <= 0 ? old : v;
                case 8 -> Math.max(old, v);
                default -> Integer.compareUnsigned(old, v) >= 0 ? old : v;
            };
            if (nv == old || (int) AI.compareAndExchange(s, off, old, nv) == old) return old;
        }
    }

    public static int udiv(int a, int b) { return b == 0 ? 0 : Integer.divideUnsigned(a, b); }
    public static int sdiv(int a, int b) { return b == 0 ? 0 : a / b; }
    public static int umod(int a, int b) { return b == 0 ? 0 : Integer.remainderUnsigned(a, b); }
    public static int srem(int a, int b) { return b == 0 ? 0 : a % b; }
    public static int smod(int a, int b) { return b == 0 ? 0 : Math.floorMod(a, b); }
    public static long udiv(long a, long b) { return b == 0 ? 0 : Long.divideUnsigned(a, b); }
    public static long sdiv(long a, long b) { return b == 0 ? 0 : a / b; }
    public static long umod(long a, long b) { return b == 0 ? 0 : Long.remainderUnsigned(a, b); }
    public static long srem(long a, long b) { return b == 0 ? 0 : a % b; }
    public static long smod(long a, long b) { return b == 0 ? 0 : Math.floorMod(a, b); }
    public static float fmod(float a, float b) { return (float) (a - b * Math.floor(a / b)); }
    public static double fmod(double a, double b) { return a - b * Math.floor(a / b); }

    public static int ult(int a, int b) { return Integer.compareUnsigned(a, b) < 0 ? 1 : 0; }
    public static int ule(int a, int b) { return Integer.compareUnsigned(a, b) <= 0 ? 1 : 0; }
    public static int slt(int a, int b) { return a < b ? 1 : 0; }
    public static int sle(int a, int b) { return a <= b ? 1 : 0; }
    public static int eq(int a, int b) { return a == b ? 1 : 0; }
    public static int ne(int a, int b) { return a != b ? 1 : 0; }
    public static int ult(long a, long b) { return Long.compareUnsigned(a, b) < 0 ? 1 : 0; }
    public static int ule(long a, long b) { return Long.compareUnsigned(a, b) <= 0 ? 1 : 0; }
    public static int slt(long a, long b) { return a < b ? 1 : 0; }
    public static int sle(long a, long b) { return a <= b ? 1 : 0; }
    public static int eq(long a, long b) { return a == b ? 1 : 0; }
    public static int ne(long a, long b) { return a != b ? 1 : 0; }
    /** Ordered comparisons are false when either side is NaN, unordered ones true. */
    public static int flt(float a, float b) { return a < b ? 1 : 0; }
    public static int fle(float a, float b) { return a <= b ? 1 : 0; }
    public static int feq(float a, float b) { return a == b ? 1 : 0; }
    public static int fne(float a, float b) { return a != b && !Float.isNaN(a) && !Float.isNaN(b) ? 1 : 0; }
    public static int funord(float a, float b) { return Float.isNaN(a) || Float.isNaN(b) ? 1 : 0; }
    public static int flt(double a, double b) { return a < b ? 1 : 0; }
    public static int fle(double a, double b) { return a <= b ? 1 : 0; }
    public static int feq(double a, double b) { return a == b ? 1 : 0; }
    public static int fne(double a, double b) { return a != b && !Double.isNaN(a) && !Double.isNaN(b) ? 1 : 0; }
    public static int funord(double a, double b) { return Double.isNaN(a) || Double.isNaN(b) ? 1 : 0; }
    public static int isnan(float a) { return Float.isNaN(a) ? 1 : 0; }
    public static int isinf(float a) { return Float.isInfinite(a) ? 1 : 0; }
    public static int isnan(double a) { return Double.isNaN(a) ? 1 : 0; }
    public static int isinf(double a) { return Double.isInfinite(a) ? 1 : 0; }

    public static int sel(int c, int a, int b) { return c != 0 ? a : b; }
    public static long sel(int c, long a, long b) { return c != 0 ? a : b; }
    public static float sel(int c, float a, float b) { return c != 0 ? a : b; }
    public static double sel(int c, double a, double b) { return c != 0 ? a : b; }

    public static int f2u(float f) { return (int) Math.max(0L, Math.min(0xffffffffL, (long) f)); }
    public static int d2u(double f) { return (int) Math.max(0L, Math.min(0xffffffffL, (long) f)); }
    public static float u2f(int u) { return (float) Integer.toUnsignedLong(u); }
    public static double u2d(int u) { return (double) Integer.toUnsignedLong(u); }
    public static long u2j(int u) { return Integer.toUnsignedLong(u); }
    public static float ul2f(long u) { return u >= 0 ? (float) u : (float) ((u >>> 1) | (u & 1)) * 2f; }
    public static double ul2d(long u) { return u >= 0 ? (double) u : (double) ((u >>> 1) | (u & 1)) * 2d; }

    /** Shifts by at least the width give 0 (or the sign) rather than Java's modulo. */
    public static int shl(int a, int b) { return Integer.compareUnsigned(b, 32) >= 0 ? 0 : a << b; }
    public static int shr(int a, int b) { return Integer.compareUnsigned(b, 32) >= 0 ? 0 : a >>> b; }
    public static int sar(int a, int b) { return a >> Math.min(Integer.toUnsignedLong(b), 31); }
    public static long shl(long a, long b) { return Long.compareUnsigned(b, 64) >= 0 ? 0 : a << b; }
    public static long shr(long a, long b) { return Long.compareUnsigned(b, 64) >= 0 ? 0 : a >>> b; }
    public static long sar(long a, long b) { return a >> (Long.compareUnsigned(b, 63) > 0 ? 63 : b); }

    public static float fract(float x) { return x - (float) Math.floor(x); }
    public static double fract(double x) { return x - Math.floor(x); }
    public static float fsign(float x) { return Math.signum(x); }
    public static double fsign(double x) { return Math.signum(x); }
    public static int ssign(int x) { return Integer.signum(x); }
    public static float fclamp(float x, float a, float b) { return Math.min(Math.max(x, a), b); }
    public static double fclamp(double x, double a, double b) { return Math.min(Math.max(x, a), b); }
    public static int sclamp(int x, int a, int b) { return Math.min(Math.max(x, a), b); }
    public static int umin(int a, int b) { return Integer.compareUnsigned(a, b) <= 0 ? a : b; }
    public static int umax(int a, int b) { return Integer.compareUnsigned(a, b) >= 0 ? a : b; }
    public static int uclamp(int x, int a, int b) { return umin(umax(x, a), b); }
    public static float mix(float x, float y, float a) { return x * (1 - a) + y * a; }
    public static double mix(double x, double y, double a) { return x * (1 - a) + y * a; }
    public static float step(float e, float x) { return x < e ? 0f : 1f; }
    public static float smoothstep(float e0, float e1, float x) {
        float t = fclamp((x - e0) / (e1 - e0), 0f, 1f);
        return t * t * (3 - 2 * t);
    }
    public static float roundEven(float x) { return (float) Math.rint(x); }
    public static float round(float x) { return (float) Math.rint(x); }
    public static float trunc(float x) { return x < 0 ? (float) Math.ceil(x) : (float) Math.floor(x); }
    public static float inversesqrt(float x) { return (float) (1.0 / Math.sqrt(x)); }
    public static float fmin(float a, float b) { return Float.isNaN(a) ? b : Float.isNaN(b) ? a : Math.min(a, b); }
    public static float fmax(float a, float b) { return Float.isNaN(a) ? b : Float.isNaN(b) ? a : Math.max(a, b); }
    public static double fmin(double a, double b) { return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.min(a, b); }
    public static double fmax(double a, double b) { return Double.isNaN(a) ? b : Double.isNaN(b) ? a : Math.max(a, b); }
    public static int findLsb(int x) { return x == 0 ? -1 : Integer.numberOfTrailingZeros(x); }
    public static int findUMsb(int x) { return x == 0 ? -1 : 31 - Integer.numberOfLeadingZeros(x); }
    public static int findSMsb(int x) { return findUMsb(x < 0 ? ~x : x); }
}
