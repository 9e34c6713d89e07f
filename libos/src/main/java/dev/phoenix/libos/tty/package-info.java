/**
 * Terminals: the job-control state every terminal has ({@link dev.phoenix.libos.tty.Terminal}:
 * the session it controls and its foreground process group), the host terminal Phoenix was
 * given ({@link dev.phoenix.libos.tty.HostTerminal}, whose settings stay the host's), and the
 * guest's own pseudo-terminals ({@link dev.phoenix.libos.tty.Pty}: /dev/ptmx and /dev/pts/N,
 * with the line discipline of Linux's n_tty). What job control decides (who may read, write or
 * change the foreground group, and which signals go where) is the Linux personality's; this
 * package keeps the state and calls back through {@link dev.phoenix.libos.tty.Pty.Listener}.
 *
 * <p>Locks: a {@code Pty}'s own monitor is a file's lock (after an {@code FdTable}'s, before a
 * wait queue's); a {@code Terminal}'s monitor guards only its two ids and is taken last. Neither
 * is held while a signal is sent.
 */
package dev.phoenix.libos.tty;
