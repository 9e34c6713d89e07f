/**
 * The contents of an IPC namespace (ipc_namespaces(7)): System V message queues
 * ({@link dev.phoenix.libos.ipc.MsgQueue}), semaphore sets ({@link dev.phoenix.libos.ipc.SemSet})
 * and shared memory segments ({@link dev.phoenix.libos.ipc.ShmSegment}), each kind in an
 * {@link dev.phoenix.libos.ipc.IpcIds} that gives keys and ids as Linux's ipc/util.c does. An
 * {@link dev.phoenix.libos.ipc.IpcSpace} holds all of one namespace's, with its POSIX message
 * queues ({@link dev.phoenix.libos.ipc.PosixMq}, by name in {@link dev.phoenix.libos.ipc.PosixMqs},
 * open as {@link dev.phoenix.libos.ipc.MqueueFile}, listed by {@link dev.phoenix.libos.ipc.MqueueFs}).
 *
 * <p>Lock order: an {@code IpcIds}' monitor (creating, looking up and removing objects), then an
 * object's own monitor (its state: messages, semaphore values), then a
 * {@link dev.phoenix.libos.proc.WaitQueue}'s. A process's {@link dev.phoenix.libos.ipc.SemUndoList}
 * comes before a set's monitor (forSet registers an array with its set, exit applies them).
 * {@code PosixMqs}' monitor comes before a {@code PosixMq}'s; a queue's monitor is never held
 * while its wait queues are woken or a notification is fired.
 */
package dev.phoenix.libos.ipc;
