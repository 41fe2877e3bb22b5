/**
 * Infrastructure: the webhook's certificate material: issuing and rotating it (self-managed mode), reading and
 * watching its Secret, the hot-swapped key manager, probing what each replica serves and the gauge of the served
 * certificate's expiry. May use the engine and the configuration.
 */
package dev.hardening.tls;
