package dev.hardening.tls;

import dev.hardening.testing.MutableClock;
import dev.hardening.tls.RotationAction.Kind;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** The leader's pass against a mock API server: the Secret is created, renewed and its CA rotated with overlap. */
@EnableKubernetesMockClient(crud = true)
class SelfManagedCertificatesTest {

    static final String NS = "hardening-system";
    static final String NAME = "hardening-operator-tls";
    static final List<String> NAMES = ServingNames.of("hardening-operator", NS, false, List.of());

    KubernetesClient client;
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    AtomicBoolean apiServerTrusts = new AtomicBoolean(true);
    AtomicReference<ServedFingerprints> served = new AtomicReference<>(ServedFingerprints.unknown());
    OwnerReference owner = new OwnerReferenceBuilder().withApiVersion("rbac.authorization.k8s.io/v1")
            .withKind("ClusterRole").withName("hardening-operator").withUid("uid-1").build();
    SelfManagedCertificates certificates;

    @BeforeEach
    void setUp() {
        certificates = new SelfManagedCertificates(client, NS, NAME, NAMES, new RotationPlanner(Duration.ofMinutes(5)),
                new RotationExecutor(new CertificateIssuer(), Duration.ofDays(730), Duration.ofDays(90)), served::get,
                cas -> apiServerTrusts.get(), () -> Optional.of(owner), clock);
    }

    private Secret secret() {
        return client.secrets().inNamespace(NS).withName(NAME).get();
    }

    private CertificateState state() {
        return CertificateSecret.state(secret()).orElseThrow();
    }

    @Test
    void firstPassCreatesTheSecretWithCaServingCertificateAndKeys() {
        assertThat(certificates.reconcile().kind()).isEqualTo(Kind.ISSUE);

        Secret secret = secret();
        assertThat(secret.getType()).isEqualTo("kubernetes.io/tls");
        assertThat(secret.getData()).containsOnlyKeys("ca.crt", "tls.crt", "tls.key", "ca.key");
        assertThat(secret.getMetadata().getOwnerReferences()).containsExactly(owner);
        assertThat(secret.getMetadata().getOwnerReferences().get(0).getBlockOwnerDeletion()).isNull();
        assertThat(secret.getMetadata().getAnnotations())
                .containsEntry(CertificateSecret.BUNDLE_CHANGED_AT, "2026-01-01T00:00:00Z")
                .containsEntry(CertificateSecret.LAST_ROTATION, "ISSUE: no certificates yet");
        CertificateState state = state();
        assertThat(state.trustedCas()).containsExactly(state.signingCa().certificate());
        assertThat(CertificateState.subjectAlternativeNames(state.serving().certificate())).containsExactlyElementsOf(NAMES);
        assertThat(secret.getMetadata().getAnnotations())
                .containsEntry(CertificateSecret.SERVING_FINGERPRINT, state.serving().fingerprint());
        TlsMaterial material = CertificateSecret.tlsMaterial(secret).value().orElseThrow();
        assertThat(TlsMaterialCheck.trustProblems(material, clock.instant())).isEmpty();
    }

    @Test
    void aSecondPassChangesNothing() {
        certificates.reconcile();
        String version = secret().getMetadata().getResourceVersion();
        clock.advance(Duration.ofDays(1));

        assertThat(certificates.reconcile()).isEqualTo(new RotationAction(Kind.WAIT, "certificates are current"));
        assertThat(secret().getMetadata().getResourceVersion()).isEqualTo(version);
    }

    @Test
    void servingCertificateIsRenewedUnderTheSameCa() {
        certificates.reconcile();
        CertificateState before = state();
        clock.advance(Duration.ofDays(61));

        assertThat(certificates.reconcile().kind()).isEqualTo(Kind.RENEW_SERVING);

        CertificateState after = state();
        assertThat(after.trustedCas()).isEqualTo(before.trustedCas());
        assertThat(after.serving().fingerprint()).isNotEqualTo(before.serving().fingerprint());
        assertThat(after.servingSignedBySigningCa()).isTrue();
    }

    @Test
    void caRotationOverlapsBothCasUntilEveryReplicaServesTheNewCertificate() {
        certificates.reconcile();
        X509Certificate oldCa = state().signingCa().certificate();
        for (int day = 60; day < 487; day += 60) { // keep the serving certificate renewed up to the CA's 2/3
            clock.advance(Duration.ofDays(60));
            certificates.reconcile();
        }
        clock.advance(Duration.ofDays(8));
        String oldServing = state().serving().fingerprint();
        apiServerTrusts.set(false);

        assertThat(certificates.reconcile().kind()).isEqualTo(Kind.ADD_CA);
        CertificateState overlap = state();
        assertThat(overlap.trustedCas()).hasSize(2).startsWith(oldCa);
        assertThat(overlap.serving().fingerprint()).as("still the old serving certificate").isEqualTo(oldServing);

        clock.advance(Duration.ofMinutes(10));
        assertThat(certificates.reconcile().reason()).isEqualTo("new CA is not yet in the registered caBundle");
        apiServerTrusts.set(true);
        assertThat(certificates.reconcile().kind()).isEqualTo(Kind.SWITCH_SERVING);
        CertificateState switched = state();
        assertThat(switched.trustedCas()).hasSize(2);
        assertThat(CertificateState.signedBy(switched.serving().certificate(), oldCa)).isFalse();

        served.set(new ServedFingerprints(Set.of(oldServing, switched.serving().fingerprint()), true));
        assertThat(certificates.reconcile().kind()).isEqualTo(Kind.WAIT);
        assertThat(state().trustedCas()).hasSize(2);

        served.set(new ServedFingerprints(Set.of(switched.serving().fingerprint()), true));
        assertThat(certificates.reconcile().kind()).isEqualTo(Kind.DROP_RETIRED_CAS);
        assertThat(state().trustedCas()).containsExactly(switched.signingCa().certificate());
    }

    @Test
    void aSecretWithForeignContentIsReplacedAndItsOtherMetadataKept() {
        client.resource(new SecretBuilder().withNewMetadata().withNamespace(NS).withName(NAME)
                .addToLabels("team", "platform").endMetadata()
                .withStringData(Map.of("tls.crt", "garbage")).build()).create();

        assertThat(certificates.reconcile().kind()).isEqualTo(Kind.ISSUE);
        assertThat(secret().getMetadata().getLabels()).containsEntry("team", "platform");
        assertThat(CertificateSecret.state(secret())).isPresent();
    }
}
