/**
 * Scheduling classes: the {@link dev.phoenix.libos.sched.Scheduler} interface that a run queue
 * asks which task runs next, and {@link dev.phoenix.libos.sched.RoundRobin}. Nothing here knows
 * tasks or engines; a {@link dev.phoenix.libos.sched.SchedEntity} stands for a task.
 */
package dev.phoenix.libos.sched;
