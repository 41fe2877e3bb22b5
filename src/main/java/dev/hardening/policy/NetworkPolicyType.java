package dev.hardening.policy;

/** A direction a NetworkPolicy isolates, as in its {@code spec.policyTypes}. */
public enum NetworkPolicyType {
    Ingress,
    Egress
}
