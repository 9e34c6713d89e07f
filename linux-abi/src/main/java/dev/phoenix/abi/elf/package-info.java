/**
 * ELF64 validation and loading of static executables (ET_EXEC and static-pie ET_DYN).
 */
package dev.phoenix.abi.elf;
