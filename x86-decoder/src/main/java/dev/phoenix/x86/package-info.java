/**
 * Pure-Java, allocation-free x86-64 instruction decoder for the future pure-Java engine. Empty until that issue.
 */
package dev.phoenix.x86;
