/**
 * The phoenix command line; the only code that owns the terminal.
 */
package dev.phoenix.cli;
