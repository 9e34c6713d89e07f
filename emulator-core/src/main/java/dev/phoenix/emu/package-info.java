/**
 * Guest CPUs behind the engine-neutral {@link dev.phoenix.emu.Cpu} interface, with our own register
 * roles ({@link dev.phoenix.emu.Reg}) and traps ({@link dev.phoenix.emu.Trap}). Engine specifics (Unicorn
 * constants, FFM handles) stay in the subpackages and never leave this module.
 */
package dev.phoenix.emu;
