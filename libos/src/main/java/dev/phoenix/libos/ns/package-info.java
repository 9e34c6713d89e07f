/**
 * Namespaces (namespaces(7)): each {@link dev.phoenix.libos.ns.Namespace} has a kind, an nsfs
 * inode number and an owning {@link dev.phoenix.libos.ns.UserNamespace}; a process's set is one
 * immutable {@link dev.phoenix.libos.ns.Namespaces}. PID namespaces translate kernel-wide task ids
 * to the numbers a namespace sees ({@link dev.phoenix.libos.ns.PidNamespace}).
 */
package dev.phoenix.libos.ns;
