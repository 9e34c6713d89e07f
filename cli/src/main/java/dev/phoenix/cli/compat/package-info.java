/**
 * {@code phoenix compat}: runs a suite of guest programs under Phoenix (and, for the host's
 * arch, natively), compares what they print and how they exit, and writes JUnit XML and
 * Markdown reports for CI. Each test runs in a child process, so a hung or crashing guest
 * costs one test, never the run; no locks are shared between tests.
 */
package dev.phoenix.cli.compat;
