/**
 * Entry point: the HardeningPolicy reconciler (status, events, the leader's audit and reports), the informer-fed
 * policy index every replica keeps ({@code InformerPolicyIndex}) and the watch of workload changes. May use every
 * lower layer; never {@code webhook}.
 */
package dev.hardening.operator;
