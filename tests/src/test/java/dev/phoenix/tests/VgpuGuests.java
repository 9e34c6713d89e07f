package dev.phoenix.tests;

import dev.phoenix.tests.Guests.Result;
import dev.phoenix.tests.Guests.Target;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The compute guests of /dev/vgpu0 (vgpu/guest/tests) on each executor: Phoenix's own (the
 * default) and the Vulkan passthrough ({@code phoenix run --vgpu vulkan}: a render server process
 * driving the host's Vulkan device, lavapipe here). Both must give the same text.
 */
final class VgpuGuests {
    private VgpuGuests() {}

    /** What runs the shaders, as {@code phoenix run --vgpu} names it. */
    enum Executor {
        PHOENIX, VULKAN;

        String option() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Every target with every executor, for {@code @MethodSource}. */
    static Stream<Arguments> targetsAndExecutors() {
        return Arrays.stream(Target.values())
                .flatMap(t -> Arrays.stream(Executor.values()).map(e -> Arguments.of(t, e)));
    }

    /** Runs guest {@code name} of target {@code t} with executor {@code e}, with no stdin. */
    static Result run(Target t, Executor e, String name) {
        return Guests.phoenix("run", "--vgpu", e.option(), "-i", Guests.binary(t, name).toString());
    }
}
