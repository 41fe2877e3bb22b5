package dev.hardening;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the operator, under {@code hardening.*} (environment: {@code HARDENING_*}).
 * The Helm chart sets these through environment variables; see docs/operations.md.
 */
@ConfigMapping(prefix = "hardening")
public interface HardeningConfig {

    /** Namespace the operator runs in. Its policies are the cluster default; its Secret and Lease live there. */
    @WithDefault("hardening-system")
    String namespace();

    Webhook webhook();

    Certificates certificates();

    Audit audit();

    interface Webhook {

        /** HTTPS port of the admission endpoint {@code POST /validate}. */
        @WithDefault("8443")
        int port();

        /** Address the admission endpoint binds to. */
        @WithDefault("0.0.0.0")
        String host();

        /** Largest AdmissionReview body accepted; larger ones get 413 without being read whole. */
        @WithDefault("3145728")
        int maxBodyBytes();

        /**
         * Open connections on the webhook port. Beyond it a new connection closes the one that waited longest
         * without a request, so hoarded connections cannot lock the API server out.
         */
        @WithDefault("256")
        int maxConnections();

        /**
         * A connection without a request in flight is closed after this. Longer than the API server's own 90 s
         * keep-alive, so that normally the client closes first and never races the server's close.
         */
        @WithDefault("PT2M")
        Duration idleTimeout();

        /** Time for the TLS handshake, and for a request's body to arrive after its headers (else 408 and close). */
        @WithDefault("PT10S")
        Duration readTimeout();

        /** Whether this process registers (and keeps) the ValidatingWebhookConfiguration. */
        @WithDefault("true")
        boolean register();

        /** Name of the ValidatingWebhookConfiguration. */
        @WithDefault("hardening-operator")
        String configurationName();

        /** Service in front of the webhook pods (in {@link #namespace()}), used in the in-cluster clientConfig. */
        @WithDefault("hardening-operator")
        String serviceName();

        /**
         * URL the API server calls instead of the Service, for an operator running outside the cluster
         * (local development and end-to-end tests), e.g. {@code https://127.0.0.1:8443/validate}.
         */
        Optional<String> url();

        /** {@code Fail} (default: no unchecked pod slips through) or {@code Ignore}. */
        @WithDefault("Fail")
        String failurePolicy();

        @WithDefault("5")
        int timeoutSeconds();

        /** Namespaces never sent to the webhook, besides kube-system, kube-node-lease and {@link #namespace()}. */
        Optional<List<String>> excludedNamespaces();

        /**
         * Cluster-scoped object the chart owns (a ClusterRole) that becomes the owner of the
         * ValidatingWebhookConfiguration, so that uninstalling the chart garbage-collects it.
         */
        Optional<String> ownerClusterRole();
    }

    interface Certificates {

        /** {@code self-managed}, {@code cert-manager} or {@code external}. */
        @WithDefault("self-managed")
        String mode();

        /** Secret in {@link #namespace()} holding {@code tls.crt}, {@code tls.key} and {@code ca.crt}. */
        @WithDefault("hardening-operator-tls")
        String secretName();

        /** Lifetime of a self-managed CA. */
        @WithDefault("P730D")
        Duration caValidity();

        /** Lifetime of a self-managed serving certificate. */
        @WithDefault("P90D")
        Duration servingValidity();

        /** Extra DNS names or IP addresses for the serving certificate (local mode adds localhost and 127.0.0.1). */
        Optional<List<String>> extraSans();
    }

    interface Audit {

        /** How often the background audit re-evaluates existing workloads; also runs on every policy change. */
        @WithDefault("10m")
        Duration interval();

        /**
         * Objects per list request (the API's {@code limit}); the audit holds one page in memory at a time, so this
         * bounds its memory whatever the cluster size (1 to 10000).
         */
        @WithDefault("500")
        int pageSize();

        /** How soon a failed audit is tried again (at most {@link #interval()}). */
        @WithDefault("30s")
        Duration retryAfterFailure();
    }
}
