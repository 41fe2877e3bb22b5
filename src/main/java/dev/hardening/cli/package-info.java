/**
 * The offline {@code hardening} command: manifests and charts in, the engine's verdicts out as table, JSON, SARIF or
 * JUnit. May use the engine ({@code rules}, {@code policy}) only: it runs where no cluster and no Quarkus are.
 */
package dev.hardening.cli;
