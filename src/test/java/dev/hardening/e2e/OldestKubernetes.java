package dev.hardening.e2e;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * An end-to-end test that also runs against the oldest supported Kubernetes (docs/install.md, "Supported Kubernetes
 * versions"): {@code ./mvnw verify} runs the tests tagged so a second time, in the failsafe execution
 * {@code oldest-kubernetes}, with that version's kube-apiserver and kube-controller-manager
 * ({@link K8sTools#requestedVersion()}). The subset CI can afford: install with the chart, a denial with its exact
 * message, the controllers' children trusted through matchConditions, a forged owner judged in full, the audit, and
 * a leader killed among two replicas behind the Service.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("oldest-kubernetes")
@interface OldestKubernetes {
}
