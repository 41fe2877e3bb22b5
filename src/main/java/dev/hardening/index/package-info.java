/**
 * Infrastructure: the policy index every replica keeps. {@code InformerPolicyIndex} (the {@code PolicyIndex}
 * admission reads) compiles the HardeningPolicies an informer sees into an immutable {@code PolicySnapshot};
 * {@code PolicyIndexStartup} starts it, {@code PolicyIndexReadiness} keeps the replica unready until the first sync.
 * Runs on every replica, not only the leader. May use the engine and the configuration.
 */
package dev.hardening.index;
