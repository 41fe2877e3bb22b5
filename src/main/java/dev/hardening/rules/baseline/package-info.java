/**
 * Engine: the rules of the Baseline profile, one class per upstream Pod Security baseline check, and the helpers
 * they share. May use {@code dev.hardening.rules} and the fabric8 model only.
 */
package dev.hardening.rules.baseline;
