package dev.hardening.policy;

/** A Service's {@code spec.type}, as users write it in {@code spec.network.allowedServiceTypes}. */
public enum ServiceType {
    ClusterIP,
    NodePort,
    LoadBalancer,
    ExternalName
}
