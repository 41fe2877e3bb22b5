package dev.hardening;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Every setting of the operator, under {@code hardening.*} (environment: {@code HARDENING_*}).
 * The Helm chart sets these through environment variables; see docs/operations.md. {@link ConfigCheck} checks them
 * all at start. The two settings with a fixed vocabulary are read as text and offered as enums: SmallRye's own
 * conversion would refuse a wrong value alone, before the check that reports every wrong setting together.
 */
@ConfigMapping(prefix = "hardening")
public interface HardeningConfig {

    /** Namespace the operator runs in. Its policies are the cluster default; its Secret and Lease live there. */
    @WithDefault("hardening-system")
    String namespace();

    Webhook webhook();

    Certificates certificates();

    Audit audit();

    Reports reports();

    Scan scan();

    DefaultPolicy defaultPolicy();

    /** kube-controller-manager's workload controllers (cmd/kube-controller-manager/app: ClientOrDie names) and itself. */
    String BUILT_IN_CONTROLLERS = "system:serviceaccount:kube-system:deployment-controller,"
            + "system:serviceaccount:kube-system:replicaset-controller,"
            + "system:serviceaccount:kube-system:statefulset-controller,"
            + "system:serviceaccount:kube-system:daemon-set-controller,"
            + "system:serviceaccount:kube-system:job-controller,"
            + "system:serviceaccount:kube-system:cronjob-controller,"
            + "system:serviceaccount:kube-system:replication-controller,"
            + "system:kube-controller-manager";

    /** See {@link Webhook#failurePolicy()}; spelled as in the ValidatingWebhookConfiguration. */
    enum FailurePolicy {
        Fail,
        Ignore;

        public static Optional<FailurePolicy> of(String value) {
            return Arrays.stream(values()).filter(p -> p.name().equals(value)).findFirst();
        }
    }

    /** Who writes the certificate Secret: the operator, cert-manager, or the user. The operator reads it in every mode. */
    enum CertificateMode {
        SELF_MANAGED("self-managed"),
        CERT_MANAGER("cert-manager"),
        EXTERNAL("external");

        private final String value;

        CertificateMode(String value) {
            this.value = value;
        }

        /** As written in the setting, e.g. {@code self-managed}. */
        public String value() {
            return value;
        }

        public static Optional<CertificateMode> of(String value) {
            return Arrays.stream(values()).filter(m -> m.value.equals(value)).findFirst();
        }
    }

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

        /** {@code Fail} (default: no unchecked pod slips through) or {@code Ignore}, as written. */
        @WithName("failure-policy")
        @WithDefault("Fail")
        String failurePolicyText();

        /** {@link #failurePolicyText()}; only called once {@link ConfigCheck} has passed. */
        default FailurePolicy failurePolicy() {
            return FailurePolicy.of(failurePolicyText()).orElseThrow();
        }

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

        /** {@code self-managed}, {@code cert-manager} or {@code external}, as written. */
        @WithName("mode")
        @WithDefault("self-managed")
        String modeText();

        /** {@link #modeText()}; only called once {@link ConfigCheck} has passed. */
        default CertificateMode mode() {
            return CertificateMode.of(modeText()).orElseThrow();
        }

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

        /**
         * cert-manager mode: {@code <namespace>/<name>} of the Certificate whose CA cert-manager's cainjector writes
         * into the webhook configuration's caBundle (annotation {@code cert-manager.io/inject-ca-from}); the operator
         * then leaves caBundle to cainjector. Absent: the operator copies the Secret's {@code ca.crt} itself.
         */
        Optional<String> injectCaFrom();
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

        /**
         * A namespace whose workloads changed is re-audited alone once its changes have been quiet this long
         * (fresh counts after kubectl apply).
         */
        @WithDefault("1s")
        Duration changeDebounce();

        /** At most one such re-audit per namespace this often, however busy it is. */
        @WithDefault("5s")
        Duration changeMinInterval();

        /** How soon a failed audit is tried again (at most {@link #interval()}). */
        @WithDefault("30s")
        Duration retryAfterFailure();
    }

    interface Reports {

        /** Write an OpenReports {@code Report} per namespace and policy from each audit (see docs/reports.md). */
        @WithDefault("true")
        boolean enabled();

        /**
         * Results kept per report; the summary counts stay exact beyond it. 500 results are about 250 KB, well under
         * etcd's 1.5 MiB object limit (1 to 2000).
         */
        @WithDefault("500")
        int maxResults();

        /** Also write the older {@code wgpolicyk8s.io/v1alpha2} PolicyReport, for consumers that do not read OpenReports. */
        @WithDefault("false")
        boolean policyReports();
    }

    /** Where the scan rules' scans come from (docs/scanning.md). */
    interface Scan {

        /**
         * Let Trivy Operator's VulnerabilityReports clear a digest (count as a trusted scan), not only add findings.
         * Off: anyone with write access to VulnerabilityReports in a namespace could otherwise clear any digest.
         */
        @WithDefault("false")
        boolean trustVulnerabilityReports();

        /** Digests held in memory at most; scans of further digests are left out, with a warning (1 to 1000000). */
        @WithDefault("20000")
        int maxDigests();
    }

    /**
     * The cluster-default HardeningPolicy in {@link #namespace()}, which the leader keeps (the chart sets these from
     * its {@code defaultPolicy.*} values). Off unless set: an operator started without the chart creates no policy.
     */
    interface DefaultPolicy {

        /** Keep the policy in place; when false, a policy of that name carrying the operator's label is deleted. */
        @WithDefault("false")
        boolean enabled();

        /** Name of the policy object. */
        @WithDefault("cluster-default")
        String name();

        /** Baseline, Restricted, Hardened or None (checked at startup with the other settings). */
        @WithDefault("Hardened")
        String profile();

        /** Enforce, Warn or Audit (checked at startup with the other settings). */
        @WithDefault("Warn")
        String mode();
    }
}
