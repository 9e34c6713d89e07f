/**
 * cgroup v2 (Documentation/admin-guide/cgroup-v2.rst): one {@link dev.phoenix.libos.cgroup.CgroupHierarchy}
 * per kernel, a tree of {@link dev.phoenix.libos.cgroup.Cgroup}s, every process a member of one,
 * and the three controllers Phoenix has: pids (a task count checked at fork and clone), memory
 * (the pages a group's processes hold, measured from the host's page tables, with the OOM kill
 * at memory.max) and cpu (usage from the tasks' CPU times; weight and quota in each group's
 * {@link dev.phoenix.libos.sched.SchedGroup}, which the scheduler reads). The file system that
 * shows it (/sys/fs/cgroup) is linux-abi's {@code CgroupFs}.
 *
 * <p>Lock order: the hierarchy's {@code lock} is taken after a process's own lock is released
 * and before nothing else of the kernel's; it is never held while a signal is sent (the OOM
 * kill sends after letting go) or while another process's address space is measured, nor while
 * a run queue is told of a move ({@code RunQueue.cgroupChanged}). A {@code SchedGroup}'s own
 * lock comes after this one and after a run queue's, and is held for no other.
 */
package dev.phoenix.libos.cgroup;
