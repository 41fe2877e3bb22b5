/**
 * Entry point: the HTTPS admission server and the admission path, from request bytes to response bytes (codec,
 * {@code AdmissionService}, messages, metrics, readiness). May use every lower layer; never {@code operator}: the two
 * meet in the engine's {@code PolicyIndex} and CDI.
 */
package dev.hardening.webhook;
