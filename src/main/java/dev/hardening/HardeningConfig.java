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

    /** kube-controller-manager's workload controllers (cmd/kube-controller-manager/app: ClientOrDie names) and itself. */
    String BUILT_IN_CONTROLLERS = "system:serviceaccount:kube-system:deployment-controller,"
            + "system:serviceaccount:kube-system:replicaset-controller,"
            + "system:serviceaccount:kube-system:statefulset-controller,"
            + "system:serviceaccount:kube-system:daemon-set-controller,"
            + "system:serviceaccount:kube-system:job-controller,"
            + "system:serviceaccount:kube-system:cronjob-controller,"
            + "system:serviceaccount:kube-system:replication-controller,"
            + "system:kube-controller-manager";

    /** See {@link Webhook#controllerChildren()}. */
    enum ControllerChildren {
        Trust,
        Judge
    }

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
         * Whether an object that a built-in workload controller derives for its owner (a ReplicaSet of a Deployment,
         * a Pod of a ReplicaSet/StatefulSet/DaemonSet/Job/ReplicationController, a Job of a CronJob) is judged again.
         * {@code Trust} (default): not judged, and the API server does not even call the webhook for it (a
         * matchCondition); the owner's template was judged when a person applied it. {@code Judge}: judged like
         * anything else, for clusters whose mutating webhooks change Pods after their template was judged.
         */
        @WithDefault("Trust")
        ControllerChildren controllerChildren();

        /**
         * Users whose requests count as a built-in workload controller's. The default names kube-controller-manager's
         * controllers as they run with {@code --use-service-account-credentials} (kubeadm and most managed clusters),
         * and {@code system:kube-controller-manager} for clusters whose controllers share its identity.
         */
        @WithDefault(BUILT_IN_CONTROLLERS)
        List<String> controllerUsernames();

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
    }
}
