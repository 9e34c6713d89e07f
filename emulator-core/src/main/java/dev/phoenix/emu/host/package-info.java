/**
 * Host libc calls (mmap, isatty, ioctl) bound with FFM, returned to callers as plain Java values.
 */
package dev.phoenix.emu.host;
