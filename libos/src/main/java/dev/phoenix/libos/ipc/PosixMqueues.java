package dev.phoenix.libos.ipc;

/** placeholder */
public final class PosixMqueues {
}
