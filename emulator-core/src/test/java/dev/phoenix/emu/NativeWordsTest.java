package dev.phoenix.emu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import org.junit.jupiter.api.Test;

/** The ABI facts NativeWords rests on, checked against the host's C library. */
class NativeWordsTest {
    private static final MethodHandle ABS = NativeWords.downcall(NativeWords.libc(), "abs");
    private static final MethodHandle STRTOL = NativeWords.downcall(NativeWords.libc(), "strtol");
    private static final MethodHandle QSORT = NativeWords.downcall(NativeWords.libc(), "qsort");
    private static final MethodHandle SNPRINTF = NativeWords.variadic(NativeWords.libc(), "snprintf", 3, 2);

    @Test
    void anIntParameterReadsOnlyTheLowHalfOfItsWord() throws Throwable {
        // abs(int): the upper half of the word is noise the callee must not see.
        assertEquals(5, (int) NativeWords.call(ABS, 0x7777_7777_0000_0000L | (-5 & 0xffff_ffffL)));
        assertEquals(42, (int) NativeWords.call(ABS, 42));
    }

    @Test
    void aLongResultComesBackWhole() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocateFrom("-1234567890123");
            assertEquals(-1234567890123L, NativeWords.call(STRTOL, text.address(), 0L, 10L));
        }
    }

    @Test
    void variadicFunctionsGetTheirOwnShape() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(32);
            MemorySegment format = arena.allocateFrom("%d:%lx");
            long n = (long) SNPRINTF.invokeExact(buf.address(), 32L, format.address(), (long) -7, 0xabcdefL);
            assertEquals(9, (int) n);
            assertEquals("-7:abcdef", buf.getString(0));
        }
    }

    private static long compareInts(long a, long b) {
        int x = MemorySegment.ofAddress(a).reinterpret(4).get(ValueLayout.JAVA_INT, 0);
        int y = MemorySegment.ofAddress(b).reinterpret(4).get(ValueLayout.JAVA_INT, 0);
        return Integer.compare(x, y); // C reads the int result from the low half
    }

    @Test
    void aCallbackSeesItsOwnWordsFirstAndItsResultIsNarrowedByC() throws Throwable {
        MethodHandle compare = MethodHandles.lookup().findStatic(NativeWordsTest.class, "compareInts",
                MethodType.methodType(long.class, long.class, long.class));
        int[] values = {5, -3, 12, 0, -40, 7};
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment array = arena.allocateFrom(ValueLayout.JAVA_INT, values);
            MemorySegment stub = NativeWords.upcall(compare, arena);
            NativeWords.call(QSORT, array.address(), values.length, 4, stub.address());
            assertArrayEquals(new int[] {-40, -3, 0, 5, 7, 12}, array.toArray(ValueLayout.JAVA_INT));
        }
    }

    @Test
    void aCallbackMustTakeAndReturnWords() throws Exception {
        MethodHandle notWords = MethodHandles.lookup().findStatic(Integer.class, "compare",
                MethodType.methodType(int.class, int.class, int.class));
        try (Arena arena = Arena.ofConfined()) {
            assertThrows(IllegalArgumentException.class, () -> NativeWords.upcall(notWords, arena));
        }
    }
}
