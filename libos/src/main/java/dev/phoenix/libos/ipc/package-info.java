/**
 * The contents of an IPC namespace (ipc_namespaces(7)): System V message queues
 * ({@link dev.phoenix.libos.ipc.MsgQueue}), semaphore sets ({@link dev.phoenix.libos.ipc.SemSet})
 * and shared memory segments ({@link dev.phoenix.libos.ipc.ShmSegment}), each kind in an
 * {@link dev.phoenix.libos.ipc.IpcIds} that gives keys and ids as Linux's ipc/util.c does. An
 * {@link dev.phoenix.libos.ipc.IpcSpace} holds all of one namespace's (POSIX message queues are
 * not implemented yet).
 *
 * <p>Lock order: an {@code IpcIds}' monitor (creating, looking up and removing objects), then an
 * object's own monitor (its state: messages, semaphore values), then a
 * {@link dev.phoenix.libos.proc.WaitQueue}'s. A process's {@link dev.phoenix.libos.ipc.SemUndoList}
 * comes before a set's monitor (forSet registers an array with its set, exit applies them).
 */
package dev.phoenix.libos.ipc;
