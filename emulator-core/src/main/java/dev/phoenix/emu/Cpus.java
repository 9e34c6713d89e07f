package dev.phoenix.emu;

import dev.phoenix.emu.unicorn.UnicornCpu;

/** Creates CPUs by engine name, so callers above emulator-core never name an engine class. */
public final class Cpus {
    private Cpus() {}

    /** The engines Phoenix has. */
    public enum Engine { UNICORN }

    /** Opens a new CPU of {@code engine} for {@code arch}. */
    public static Cpu open(Engine engine, Arch arch) {
        return switch (engine) {
            case UNICORN -> new UnicornCpu(arch);
        };
    }
}
