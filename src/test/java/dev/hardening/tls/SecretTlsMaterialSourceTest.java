package dev.hardening.tls;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Every replica's Secret watch: usable changes are published, unusable ones leave the served material alone. */
@EnableKubernetesMockClient(crud = true)
class SecretTlsMaterialSourceTest {

    static final String NS = "hardening-system";
    static final String NAME = "hardening-operator-tls";

    KubernetesClient client;
    SecretTlsMaterialSource source;
    final List<TlsMaterial> published = new CopyOnWriteArrayList<>();
    final CertificateIssuer issuer = new CertificateIssuer();

    @AfterEach
    void stop() {
        source.stop();
    }

    private TlsMaterial material() {
        IssuedCertificate ca = issuer.issueCa("ca", Instant.now(), Duration.ofDays(1));
        return new CertificateState(List.of(ca.certificate()), ca,
                issuer.issueServing(ca, List.of("localhost"), Instant.now(), Duration.ofDays(1)), Instant.now()).tlsMaterial();
    }

    private Secret secret(TlsMaterial m) {
        return new SecretBuilder().withNewMetadata().withNamespace(NS).withName(NAME).endMetadata()
                .withStringData(Map.of("tls.crt", m.certificateChainPem(), "tls.key", m.privateKeyPem(),
                        "ca.crt", m.caBundlePem()))
                .build();
    }

    @Test
    void publishesEveryUsableChangeAndKeepsServingOverUnusableOnes() {
        TlsMaterial first = material();
        client.resource(secret(first)).create();
        source = new SecretTlsMaterialSource(client, NS, NAME);
        source.subscribe(published::add);
        await().until(() -> published.size() == 1);
        assertThat(source.current()).contains(first);
        assertThat(published).containsExactly(first);

        TlsMaterial other = material();
        // someone pastes the wrong key: the replica keeps serving the first certificate
        client.resource(secret(new TlsMaterial(first.certificateChainPem(), other.privateKeyPem(), first.caBundlePem())))
                .update();
        TlsMaterial second = material();
        client.resource(secret(second)).update();

        await().until(() -> published.size() == 2);
        assertThat(published).containsExactly(first, second);
        assertThat(source.current()).contains(second);
        assertThat(second.toString()).isEqualTo("TlsMaterial[key redacted]");
    }

    @Test
    void aDeletedSecretDoesNotStopServing() {
        TlsMaterial first = material();
        client.resource(secret(first)).create();
        source = new SecretTlsMaterialSource(client, NS, NAME);
        await().until(() -> source.current().isPresent());

        client.secrets().inNamespace(NS).withName(NAME).delete();
        assertThat(source.current()).contains(first);
        TlsMaterial second = material();
        client.resource(secret(second)).create();

        await().until(() -> source.current().orElseThrow().equals(second));
    }
}
