/**
 * Entry point: the HardeningPolicy reconciler (status, events, the leader's audit and reports) and the watch of
 * workload changes. Reads the policy index of {@code dev.hardening.index}. May use every lower layer; never
 * {@code webhook}.
 */
package dev.hardening.operator;
