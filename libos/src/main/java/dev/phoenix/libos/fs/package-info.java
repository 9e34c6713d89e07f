/**
 * Open files and fd tables; host I/O errors become Linux errno values in {@link dev.phoenix.libos.fs.HostErrors}.
 */
package dev.phoenix.libos.fs;
