/**
 * Processes and tasks: identity, address space, fd table, limits and exit status.
 */
package dev.phoenix.libos.proc;
