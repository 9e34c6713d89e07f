package dev.phoenix.x86;

/** EVEX maps: filled below. */
final class EvexMaps {
    private EvexMaps() {
    }

    static void fill() {
    }
}
