package dev.phoenix.libos.proc;

import dev.phoenix.emu.Cpu;

/** A schedulable thread of a {@link Process}: its CPU state and per-thread kernel fields. */
public final class Task {
    private final Process process;
    private final int tid;
    private final Cpu cpu;
    /** set_tid_address(2): cleared and futex-woken when the thread exits. */
    public long clearChildTid;
    /** set_robust_list(2) head and length. */
    public long robustListHead;
    public long robustListLength;
    /** The thread's name (prctl PR_SET_NAME, /proc/PID/comm): at most 15 bytes. */
    public String comm = "";

    Task(Process process, int tid, Cpu cpu) {
        this.process = process;
        this.tid = tid;
        this.cpu = cpu;
    }

    public Process process() {
        return process;
    }

    public int tid() {
        return tid;
    }

    public Cpu cpu() {
        return cpu;
    }
}
