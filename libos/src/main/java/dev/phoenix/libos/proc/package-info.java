/**
 * Processes and tasks: a {@link dev.phoenix.libos.proc.Process} is a thread group (identity,
 * address space, signal dispositions and process-directed pending signals, limits, exit status),
 * a {@link dev.phoenix.libos.proc.Task} a thread (its saved engine state, run-queue state,
 * private pending signals and mask, the wait it is in). Tasks of one address space take turns
 * on its engine through a {@link dev.phoenix.libos.proc.RunQueue}; every wait is
 * {@link dev.phoenix.libos.proc.Task#block} on {@link dev.phoenix.libos.proc.WaitQueue}s, which
 * parks the task ({@link dev.phoenix.libos.proc.Park}) so another runs. The
 * {@link dev.phoenix.libos.proc.Reactor} turns host descriptors' readiness into wakes. Tasks
 * blocked on a {@link dev.phoenix.libos.proc.PiLock} (a PI futex, a file lock) lend their
 * priority to its owners, along chains ({@link dev.phoenix.libos.proc.PiChains}). A task's
 * CPU time is its {@link dev.phoenix.libos.proc.CpuTimes}; a process's timers are its
 * {@link dev.phoenix.libos.proc.ProcessTimers}.
 *
 * <p>Lock order, outermost first (a thread holding one may take only those after it):
 * <ol>
 *   <li>an {@code FdTable}'s lock;</li>
 *   <li>{@link dev.phoenix.libos.proc.PiChains#LOCK}, which guards all priority-inheritance state
 *       (PI futexes, the waiters and owners of every {@link dev.phoenix.libos.proc.PiLock});</li>
 *   <li>a file's own lock (a pipe's, a flock table's);</li>
 *   <li>the {@link dev.phoenix.libos.proc.FutexTable}'s lock;</li>
 *   <li>a {@link dev.phoenix.libos.proc.WaitQueue}'s lock (a queue never holds it while it wakes
 *       a task, and never takes another queue's);</li>
 *   <li>the {@link dev.phoenix.libos.proc.RunQueue}'s lock (the clock's timers fire outside it,
 *       except a virtual clock's, which fires on the runner thread that holds it).</li>
 * </ol>
 * A process's own monitor (timers, host signals) is taken before any of these, and a
 * {@link dev.phoenix.libos.proc.PosixTimer}'s before its process's (an expiry posts its signal
 * under both). An {@link dev.phoenix.libos.HrTimerQueue}'s lock is a leaf: timers' actions run
 * outside it, holding nothing. Fields guarded by a lock say so in their comment ({@code @GuardedBy}).
 */
package dev.phoenix.libos.proc;
