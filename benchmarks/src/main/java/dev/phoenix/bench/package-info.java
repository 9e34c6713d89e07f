/**
 * JMH benchmarks; run with java -jar benchmarks/target/benchmarks.jar.
 */
package dev.phoenix.bench;
