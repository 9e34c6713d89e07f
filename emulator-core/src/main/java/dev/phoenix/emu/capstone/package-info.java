/**
 * Capstone 5 disassembly (FFM) for fault messages and --trace, on all three arches.
 */
package dev.phoenix.emu.capstone;
