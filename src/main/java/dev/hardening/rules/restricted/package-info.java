/**
 * Engine: the rules the Restricted profile adds to Baseline, one class per upstream Pod Security restricted check.
 * May use {@code dev.hardening.rules} (and the baseline family's shared profile-type vocabulary) and the fabric8
 * model only.
 */
package dev.hardening.rules.restricted;
