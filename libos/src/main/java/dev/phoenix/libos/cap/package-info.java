/**
 * Capabilities over host resources: frames of memory today, blocks and CPU time later.
 */
package dev.phoenix.libos.cap;
