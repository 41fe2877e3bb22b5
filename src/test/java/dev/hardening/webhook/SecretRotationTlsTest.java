package dev.hardening.webhook;

import dev.hardening.HardeningConfig;
import dev.hardening.tls.CertificateIssuer;
import dev.hardening.tls.MutableClock;
import dev.hardening.tls.Pem;
import dev.hardening.tls.RotationAction.Kind;
import dev.hardening.tls.RotationExecutor;
import dev.hardening.tls.RotationPlanner;
import dev.hardening.tls.SecretTlsMaterialSource;
import dev.hardening.tls.SelfManagedCertificates;
import dev.hardening.tls.ServedCertificateProbe;
import dev.hardening.tls.ServingNames;
import dev.hardening.tls.TestConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole self-managed rotation against the real {@link WebhookServer}: the leader's pass rewrites the Secret, the
 * replica's Secret watch hot-swaps the served certificate, and a client that trusts exactly the CA bundle the
 * registration would publish keeps getting answers on fresh TLS connections throughout, with no restart.
 */
@EnableKubernetesMockClient(crud = true)
class SecretRotationTlsTest {

    static final String NS = "hardening-system";
    static final String NAME = "hardening-operator-tls";

    KubernetesClient client;
    Vertx vertx = Vertx.vertx();
    WebhookServer server;
    SecretTlsMaterialSource source;
    final AtomicBoolean load = new AtomicBoolean(true);

    @AfterEach
    void tearDown() {
        load.set(false);
        if (server != null) {
            server.onStop(null);
        }
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void rotatedCertificatesAreServedWithoutRestartWhileEveryRequestSucceeds() throws Exception {
        // certificates valid at the real time, because the TLS client checks validity against the real clock
        Instant start = Instant.now().minus(Duration.ofDays(45));
        MutableClock now = new MutableClock(start);
        AtomicReference<List<X509Certificate>> apiServerTrusts = new AtomicReference<>(List.of());
        AtomicReference<Integer> port = new AtomicReference<>(-1);
        SelfManagedCertificates certificates = new SelfManagedCertificates(client, NS, NAME,
                ServingNames.of("hardening-operator", NS, true, List.of()), new RotationPlanner(Duration.ofMinutes(5)),
                new RotationExecutor(new CertificateIssuer(), Duration.ofDays(60), Duration.ofDays(60)),
                () -> new ServedCertificateProbe(client, NS, "hardening-operator",
                        Optional.of(URI.create("https://127.0.0.1:" + port.get() + "/validate"))).get(),
                cas -> apiServerTrusts.get().containsAll(cas), Optional::empty, now);

        assertThat(certificates.reconcile().kind()).isEqualTo(Kind.ISSUE);
        source = new SecretTlsMaterialSource(client, NS, NAME);
        server = new WebhookServer(vertx, source, new AdmissionService(new TestPolicyIndex(),
                new AdmissionMetrics(new SimpleMeterRegistry())), config());
        server.onStart(null);
        // what the registration does: the API server trusts the Secret's ca.crt
        source.subscribe(material -> apiServerTrusts.set(Pem.certificates(material.caBundlePem())));
        await().until(server::serving);
        port.set(server.port());

        AtomicInteger answered = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        Thread traffic = new Thread(() -> {
            String review = TestTlsMaterialSource.resource("admission/create-pod-hardened.json");
            while (load.get()) {
                try {
                    HttpResponse<String> response = HttpClient.newBuilder().sslContext(trusting(apiServerTrusts.get()))
                            .build().send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port.get() + "/validate"))
                                    .header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(review)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200 && response.body().contains("\"allowed\":true")) {
                        answered.incrementAndGet();
                    } else {
                        failures.add(response.statusCode() + " " + response.body());
                    }
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        }, "admission-traffic");
        traffic.start();
        awaitMoreAnswers(answered);

        now.set(start.plus(Duration.ofDays(41)));
        assertThat(certificates.reconcile().kind()).isEqualTo(Kind.RENEW_SERVING);
        String renewed = servingFingerprint();
        await().until(() -> server.servedCertificateFingerprint().orElseThrow().equals(renewed));
        awaitMoreAnswers(answered);

        assertThat(certificates.reconcile().kind()).isEqualTo(Kind.ADD_CA);
        await().until(() -> apiServerTrusts.get().size() == 2);
        assertThat(server.servedCertificateFingerprint()).contains(renewed);
        awaitMoreAnswers(answered);

        now.advance(Duration.ofMinutes(10));
        assertThat(certificates.reconcile().kind()).isEqualTo(Kind.SWITCH_SERVING);
        String switched = servingFingerprint();
        await().until(() -> certificates.reconcile().kind() == Kind.DROP_RETIRED_CAS);
        assertThat(server.servedCertificateFingerprint()).contains(switched);
        await().until(() -> apiServerTrusts.get().size() == 1);
        awaitMoreAnswers(answered);

        load.set(false);
        traffic.join();
        assertThat(failures).isEmpty();
        assertThat(server.port()).as("same listener, no restart").isEqualTo(port.get());
        assertThat(WebhookTlsFingerprint.of(port.get())).isEqualTo(switched);
    }

    private String servingFingerprint() {
        return client.secrets().inNamespace(NS).withName(NAME).get().getMetadata().getAnnotations()
                .get("hardening.dev/serving-sha256");
    }

    private static void awaitMoreAnswers(AtomicInteger answered) {
        int before = answered.get();
        await().until(() -> answered.get() >= before + 3);
    }

    private static SSLContext trusting(List<X509Certificate> cas) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        for (int i = 0; i < cas.size(); i++) {
            store.setCertificateEntry("ca" + i, cas.get(i));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static HardeningConfig config() {
        return TestConfig.hardening(Map.of("hardening.webhook.port", "0", "hardening.webhook.host", "127.0.0.1"));
    }

    /** What a fresh handshake sees, independent of the server's own bookkeeping. */
    private static final class WebhookTlsFingerprint {
        static String of(int port) throws Exception {
            return dev.hardening.tls.TlsProbe.servedFingerprint("127.0.0.1", port, Duration.ofSeconds(3));
        }
    }
}
