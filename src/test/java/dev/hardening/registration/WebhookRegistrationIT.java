package dev.hardening.registration;

import dev.hardening.HardeningConfig;
import dev.hardening.HardeningConfig.ControllerChildren;
import dev.hardening.HardeningConfig.FailurePolicy;
import dev.hardening.tls.CertificateIssuer;
import dev.hardening.tls.CertificateState;
import dev.hardening.tls.IssuedCertificate;
import dev.hardening.tls.Pem;
import dev.hardening.tls.TlsMaterial;
import dev.hardening.tls.TlsMaterialSource;
import dev.hardening.tls.WebhookServingState;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import dev.hardening.e2e.ControlPlane;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The registered configuration's content, and that the leader puts it back after an edit or a deletion, against the
 * real API server of the e2e harness (server-side apply, validation, owner references as a cluster does them).
 */
class WebhookRegistrationIT {

    static final String NS = "hardening-system";
    static final List<String> CONTROLLERS = List.of(HardeningConfig.BUILT_IN_CONTROLLERS.split(","));
    static final WebhookSettings IN_CLUSTER = new WebhookSettings("hardening-operator", NS, "hardening-operator",
            Optional.empty(), FailurePolicy.Fail, 5, List.of("monitoring", " "), ControllerChildren.Trust, CONTROLLERS,
            Optional.empty());

    static KubernetesClient client;
    final Material tls = new Material();
    final AtomicBoolean serving = new AtomicBoolean(true);
    WebhookRegistration registration;

    @BeforeAll
    static void connect() throws IOException {
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(Files.readString(ControlPlane.shared().kubeconfig()))).build();
    }

    @AfterAll
    static void disconnect() {
        client.close();
    }

    /** The harness's API server is shared: nothing of one test stays for the next (a Fail webhook would block pods). */
    @BeforeEach
    @AfterEach
    void removeWhatTheTestsCreate() {
        if (registration != null) {
            registration.stop();
            registration = null;
        }
        client.admissionRegistration().v1().validatingWebhookConfigurations().withName("hardening-operator").delete();
        client.rbac().clusterRoles().withName("hardening-operator").delete();
        await().until(() -> registered() == null
                && client.rbac().clusterRoles().withName("hardening-operator").get() == null);
    }

    private void start(WebhookSettings settings) {
        client.resource(new ClusterRoleBuilder().withNewMetadata().withName("hardening-operator").endMetadata().build())
                .create();
        registration = new WebhookRegistration(client, settings, tls, state(),
                new ClusterRoleOwner(client, Optional.of("hardening-operator")));
        registration.start();
    }

    private ValidatingWebhookConfiguration registered() {
        return client.admissionRegistration().v1().validatingWebhookConfigurations().withName("hardening-operator").get();
    }

    private ValidatingWebhook webhook() {
        return registered().getWebhooks().get(0);
    }

    @Test
    void registersTheWebhookWithEveryPodCarryingKind() {
        start(IN_CLUSTER);
        await().until(() -> registered() != null);

        ValidatingWebhookConfiguration vwc = registered();
        assertThat(vwc.getWebhooks()).hasSize(1);
        ValidatingWebhook w = webhook();
        assertThat(w.getName()).isEqualTo("validate.hardening.dev");
        assertThat(w.getMatchPolicy()).isEqualTo("Equivalent");
        assertThat(w.getSideEffects()).isEqualTo("None");
        assertThat(w.getAdmissionReviewVersions()).containsExactly("v1");
        assertThat(w.getTimeoutSeconds()).isEqualTo(5);
        assertThat(w.getFailurePolicy()).isEqualTo("Fail");
        assertThat(w.getRules()).extracting(RuleWithOperations::getApiGroups, RuleWithOperations::getOperations,
                RuleWithOperations::getResources).containsExactly(
                tuple(List.of(""), List.of("CREATE", "UPDATE"), List.of("pods")),
                tuple(List.of(""), List.of("UPDATE"), List.of("pods/ephemeralcontainers")),
                tuple(List.of(""), List.of("CREATE", "UPDATE"), List.of("replicationcontrollers", "podtemplates", "services")),
                tuple(List.of("apps"), List.of("CREATE", "UPDATE"),
                        List.of("deployments", "replicasets", "statefulsets", "daemonsets")),
                tuple(List.of("batch"), List.of("CREATE", "UPDATE"), List.of("jobs", "cronjobs")));
        LabelSelectorRequirement exclusion = w.getNamespaceSelector().getMatchExpressions().get(0);
        assertThat(exclusion.getKey()).isEqualTo("kubernetes.io/metadata.name");
        assertThat(exclusion.getOperator()).isEqualTo("NotIn");
        assertThat(exclusion.getValues()).containsExactly("hardening-system", "kube-node-lease", "kube-system", "monitoring");
        assertThat(w.getMatchConditions()).extracting(c -> c.getName()).containsExactly("exclude-trusted-controller-children");
        assertThat(w.getClientConfig().getUrl()).isNull();
        assertThat(w.getClientConfig().getService().getName()).isEqualTo("hardening-operator");
        assertThat(w.getClientConfig().getService().getNamespace()).isEqualTo(NS);
        assertThat(w.getClientConfig().getService().getPort()).isEqualTo(443);
        assertThat(w.getClientConfig().getService().getPath()).isEqualTo("/validate");
        assertThat(new String(Base64.getDecoder().decode(w.getClientConfig().getCaBundle()), StandardCharsets.US_ASCII))
                .isEqualTo(tls.material.caBundlePem());
        OwnerReference owner = vwc.getMetadata().getOwnerReferences().get(0);
        assertThat(owner.getKind()).isEqualTo("ClusterRole");
        assertThat(owner.getName()).isEqualTo("hardening-operator");
        assertThat(owner.getUid()).isNotBlank();
        assertThat(owner.getBlockOwnerDeletion()).as("would need finalizers permission").isNull();
        assertThat(registration.trusts(Pem.certificates(tls.material.caBundlePem()))).isTrue();
    }

    @Test
    void localModeCallsTheConfiguredUrl() {
        start(new WebhookSettings("hardening-operator", NS, "hardening-operator",
                Optional.of("https://127.0.0.1:8443/validate"), FailurePolicy.Ignore, 10, List.of(), ControllerChildren.Trust,
                CONTROLLERS, Optional.empty()));
        await().until(() -> registered() != null);

        assertThat(webhook().getClientConfig().getUrl()).isEqualTo("https://127.0.0.1:8443/validate");
        assertThat(webhook().getClientConfig().getService()).isNull();
        assertThat(webhook().getFailurePolicy()).isEqualTo("Ignore");
        assertThat(webhook().getTimeoutSeconds()).isEqualTo(10);
    }

    @Test
    void nothingIsRegisteredBeforeTheWebhookServes() {
        serving.set(false);
        start(IN_CLUSTER);
        registration.ensure();
        assertThat(registered()).isNull();

        serving.set(true);
        registration.ensure();
        assertThat(registered()).isNotNull();
    }

    @Test
    void aDeletedConfigurationIsRegisteredAgain() {
        start(IN_CLUSTER);
        await().until(() -> registered() != null);

        client.admissionRegistration().v1().validatingWebhookConfigurations().withName("hardening-operator").delete();

        await().atMost(Duration.ofSeconds(20)).until(() -> registered() != null);
        assertThat(webhook().getFailurePolicy()).isEqualTo("Fail");
    }

    @Test
    void anEditedConfigurationIsPutBack() {
        start(IN_CLUSTER);
        await().until(() -> registered() != null);

        client.admissionRegistration().v1().validatingWebhookConfigurations().withName("hardening-operator")
                .edit(vwc -> {
                    vwc.getWebhooks().get(0).setFailurePolicy("Ignore");
                    vwc.getWebhooks().get(0).getClientConfig().setCaBundle(null);
                    vwc.getWebhooks().get(0).getNamespaceSelector().getMatchExpressions().get(0).setValues(List.of("x"));
                    return vwc;
                });

        await().atMost(Duration.ofSeconds(20)).until(() -> "Fail".equals(webhook().getFailurePolicy())
                && webhook().getClientConfig().getCaBundle() != null
                && webhook().getNamespaceSelector().getMatchExpressions().get(0).getValues().contains("kube-system"));
    }

    @Test
    void aNewCaBundleIsRegistered() {
        start(IN_CLUSTER);
        await().until(() -> registered() != null);
        CertificateIssuer issuer = new CertificateIssuer();
        IssuedCertificate second = issuer.issueCa("second", Instant.now(), Duration.ofDays(1));
        List<java.security.cert.X509Certificate> both = List.of(Pem.certificates(tls.material.caBundlePem()).get(0),
                second.certificate());

        tls.publish(new TlsMaterial(tls.material.certificateChainPem(), tls.material.privateKeyPem(), Pem.encode(both)));

        await().until(() -> registration.trusts(both));
    }

    private static org.assertj.core.groups.Tuple tuple(Object... values) {
        return org.assertj.core.groups.Tuple.tuple(values);
    }

    private WebhookServingState state() {
        return new WebhookServingState() {
            @Override
            public boolean serving() {
                return serving.get();
            }

            @Override
            public Optional<String> servedCertificateFingerprint() {
                return Optional.empty();
            }
        };
    }

    /** Self-managed material made once per test. */
    static final class Material implements TlsMaterialSource {
        private final List<Consumer<TlsMaterial>> listeners = new CopyOnWriteArrayList<>();
        volatile TlsMaterial material;

        Material() {
            CertificateIssuer issuer = new CertificateIssuer();
            IssuedCertificate ca = issuer.issueCa("ca", Instant.now(), Duration.ofDays(1));
            material = new CertificateState(List.of(ca.certificate()), ca,
                    issuer.issueServing(ca, List.of("localhost"), Instant.now(), Duration.ofDays(1)), Instant.now())
                    .tlsMaterial();
        }

        void publish(TlsMaterial next) {
            material = next;
            listeners.forEach(l -> l.accept(next));
        }

        @Override
        public Optional<TlsMaterial> current() {
            return Optional.of(material);
        }

        @Override
        public void subscribe(Consumer<TlsMaterial> listener) {
            listeners.add(listener);
            listener.accept(material);
        }
    }
}
