/**
 * The Beatty fair scheduler, SCHED_FIFO/RR real-time classes, PI futexes and hrtimers. Empty until the
 * scheduler issue: today each process has one task, run on the caller's thread.
 */
package dev.phoenix.sched;
