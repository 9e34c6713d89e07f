package dev.phoenix.emu;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.Arrays;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Binds native functions and callbacks in a few shared <em>word shapes</em>: every argument is a
 * 64-bit word (an integer or an address), and so is the result.
 *
 * <p>Why: FFM generates a stub class for each distinct {@link FunctionDescriptor} (and set of
 * options), at 3-5 ms each on these 2-core machines even with a CDS archive, which was about a
 * third of Phoenix's start-up when every Unicorn and libc function had its own descriptor. In
 * words, a run generates four downcall stubs (plain, critical, errno-capturing, and variadic
 * uc_hook_add) and one upcall stub, where it generated 15 and 6.
 *
 * <p>Why it is correct on the LP64 ABIs Phoenix runs on (x86-64 SysV, AAPCS64): a C function
 * reads only the low 32 bits of an {@code int} argument register, and ignores argument registers
 * beyond its own parameters, so a call may pass wider and more words than the function declares.
 * A C function returning {@code int} or {@code bool} leaves the value in the low bits of the
 * result register, so callers narrow the word with a cast. A callback bound as a word function
 * sees its own arguments first and whatever the caller left in the remaining registers after
 * them; an {@code int} argument must be narrowed, and the result word is ignored by a C caller
 * that expects {@code void}. Variadic functions are different (the caller must pass the count of
 * vector registers), so they keep descriptors of their own.
 */
public final class NativeWords {
    private NativeWords() {}

    /** Words passed to every downcall; a function with fewer parameters ignores the rest. */
    public static final int CALL_WORDS = 7;
    /** Words every callback receives: the most any Unicorn callback takes. */
    public static final int CALLBACK_WORDS = 6;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final FunctionDescriptor CALL = words(CALL_WORDS);
    private static final FunctionDescriptor CALLBACK = words(CALLBACK_WORDS);

    private static FunctionDescriptor words(int n) {
        MemoryLayout[] args = new MemoryLayout[n];
        Arrays.fill(args, JAVA_LONG);
        return FunctionDescriptor.of(JAVA_LONG, args);
    }

    /**
     * A handle of type {@code (long x 7)long} (with {@code captureCallState}, a leading segment)
     * for function {@code name} of {@code lib}; call it through the {@code call} methods.
     */
    public static MethodHandle downcall(SymbolLookup lib, String name, Linker.Option... options) {
        return LINKER.downcallHandle(lib.findOrThrow(name), CALL, options);
    }

    /**
     * A handle for variadic function {@code name}: {@code fixed} words, then {@code variadic} more,
     * with the result as a word.
     */
    public static MethodHandle variadic(SymbolLookup lib, String name, int fixed, int variadic,
            Linker.Option... options) {
        Linker.Option[] all = Arrays.copyOf(options, options.length + 1);
        all[options.length] = Linker.Option.firstVariadicArg(fixed);
        return LINKER.downcallHandle(lib.findOrThrow(name), words(fixed + variadic), all);
    }

    /** The C library of the host, for {@link #downcall}. */
    public static SymbolLookup libc() {
        return LINKER.defaultLookup();
    }

    /**
     * A native function pointer that calls {@code target}, which takes up to {@link #CALLBACK_WORDS}
     * {@code long} words and returns a {@code long} (ignored by a C caller expecting void); the
     * stub lives as long as {@code arena}.
     */
    public static MemorySegment upcall(MethodHandle target, Arena arena) {
        int own = target.type().parameterCount();
        if (own > CALLBACK_WORDS || target.type().returnType() != long.class) {
            throw new IllegalArgumentException("not a word callback: " + target.type());
        }
        Class<?>[] rest = new Class<?>[CALLBACK_WORDS - own];
        Arrays.fill(rest, long.class);
        return LINKER.upcallStub(MethodHandles.dropArguments(target, own, rest), CALLBACK, arena);
    }

    public static long call(MethodHandle h, long a) throws Throwable {
        return (long) h.invokeExact(a, 0L, 0L, 0L, 0L, 0L, 0L);
    }

    public static long call(MethodHandle h, long a, long b) throws Throwable {
        return (long) h.invokeExact(a, b, 0L, 0L, 0L, 0L, 0L);
    }

    public static long call(MethodHandle h, long a, long b, long c) throws Throwable {
        return (long) h.invokeExact(a, b, c, 0L, 0L, 0L, 0L);
    }

    public static long call(MethodHandle h, long a, long b, long c, long d) throws Throwable {
        return (long) h.invokeExact(a, b, c, d, 0L, 0L, 0L);
    }

    public static long call(MethodHandle h, long a, long b, long c, long d, long e) throws Throwable {
        return (long) h.invokeExact(a, b, c, d, e, 0L, 0L);
    }

    public static long call(MethodHandle h, long a, long b, long c, long d, long e, long f) throws Throwable {
        return (long) h.invokeExact(a, b, c, d, e, f, 0L);
    }

    public static long call(MethodHandle h, long a, long b, long c, long d, long e, long f, long g)
            throws Throwable {
        return (long) h.invokeExact(a, b, c, d, e, f, g);
    }

    /** Calls an errno-capturing handle from {@link #downcall}; {@code state} receives errno. */
    public static long call(MethodHandle h, MemorySegment state, long a, long b, long c, long d) throws Throwable {
        return (long) h.invokeExact(state, a, b, c, d, 0L, 0L, 0L);
    }

    /** Calls an errno-capturing handle with six words (sendto, recvfrom, accept4's company). */
    public static long call(MethodHandle h, MemorySegment state, long a, long b, long c, long d, long e, long f)
            throws Throwable {
        return (long) h.invokeExact(state, a, b, c, d, e, f, 0L);
    }
}
