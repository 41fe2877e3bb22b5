/**
 * Engine: what a HardeningPolicy does. {@code PolicyValidator} checks a policy (every error, with its field path),
 * {@code PolicyCompiler} turns it into a {@code CompiledPolicy}, whose {@code evaluate} is the one loop over a
 * policy's rules; exemptions, the update ratchet and {@code AdmissionDecider} (mode, exemption, ratchet to a
 * {@code FindingVerdict}); {@code PolicyIndex} is what admission reads. May use {@code dev.hardening.rules} and
 * {@code dev.hardening.policy} (the model), Jackson and the fabric8 model; never a framework or the Kubernetes client.
 */
package dev.hardening.engine;
