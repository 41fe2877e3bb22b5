package dev.hardening.webhook;

import dev.hardening.HardeningConfig;
import dev.hardening.testing.MutableClock;
import dev.hardening.testing.TestConfig;
import dev.hardening.testing.TestPolicyIndex;
import dev.hardening.tls.CertificateIssuer;
import dev.hardening.tls.Pem;
import dev.hardening.tls.RotationAction.Kind;
import dev.hardening.tls.RotationExecutor;
import dev.hardening.tls.RotationPlanner;
import dev.hardening.tls.SecretTlsMaterialSource;
import dev.hardening.tls.SelfManagedCertificates;
import dev.hardening.tls.ServedCertificateProbe;
import dev.hardening.tls.ServingNames;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole self-managed rotation against the real {@link WebhookServer}: the leader's pass rewrites the Secret, the
 * replica's Secret watch hot-swaps the served certificate, and a client that trusts exactly the CA bundle the
 * registration would publish keeps getting answers on fresh TLS connections throughout, with no restart: over
 * HTTP/1.1, and over HTTP/2 with concurrent streams (ALPN and the hot-swapped key manager together).
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
                new AdmissionMetrics(new SimpleMeterRegistry()), config()), config());
        server.onStart(null);
        // what the registration does: the API server trusts the Secret's ca.crt
        source.subscribe(material -> apiServerTrusts.set(Pem.certificates(material.caBundlePem())));
        await().until(server::serving);
        port.set(server.port());

        AtomicInteger answered = new AtomicInteger();
        AtomicInteger answeredOverHttp2 = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        String review = TestTlsMaterialSource.resource("admission/create-pod-hardened.json");
        // HTTP/1.1, one fresh connection per review
        Thread traffic = new Thread(() -> {
            while (load.get()) {
                try {
                    check(HttpClient.newBuilder().sslContext(trusting(apiServerTrusts.get()))
                            .version(HttpClient.Version.HTTP_1_1).build()
                            .send(post(port.get(), review), HttpResponse.BodyHandlers.ofString()), answered, failures);
                } catch (Exception e) {
                    failures.add(e.toString());
                }
            }
        }, "admission-traffic");
        // HTTP/2, as the API server speaks it: 8 concurrent streams on each fresh connection, two such clients
        List<Thread> http2Traffic = List.of(1, 2).stream().map(n -> new Thread(() -> {
            while (load.get()) {
                List<CompletableFuture<HttpResponse<String>>> streams;
                try {
                    HttpClient client = HttpClient.newBuilder().sslContext(trusting(apiServerTrusts.get()))
                            .version(HttpClient.Version.HTTP_2).build();
                    streams = IntStream.range(0, 8)
                            .mapToObj(i -> client.sendAsync(post(port.get(), review), HttpResponse.BodyHandlers.ofString()))
                            .toList();
                } catch (Exception e) {
                    failures.add(e.toString());
                    continue;
                }
                for (CompletableFuture<HttpResponse<String>> stream : streams) {
                    try {
                        HttpResponse<String> response = stream.get(60, TimeUnit.SECONDS);
                        if (response.version() != HttpClient.Version.HTTP_2) {
                            failures.add("not HTTP/2: " + response.version());
                        }
                        check(response, answeredOverHttp2, failures);
                    } catch (Exception e) {
                        failures.add(e.toString());
                    }
                }
            }
        }, "admission-traffic-h2-" + n)).toList();
        traffic.start();
        http2Traffic.forEach(Thread::start);
        awaitMoreAnswers(answered, answeredOverHttp2);

        now.set(start.plus(Duration.ofDays(41)));
        assertThat(certificates.reconcile().kind()).isEqualTo(Kind.RENEW_SERVING);
        String renewed = servingFingerprint();
        await().until(() -> server.servedCertificateFingerprint().orElseThrow().equals(renewed));
        awaitMoreAnswers(answered, answeredOverHttp2);

        assertThat(certificates.reconcile().kind()).isEqualTo(Kind.ADD_CA);
        await().until(() -> apiServerTrusts.get().size() == 2);
        assertThat(server.servedCertificateFingerprint()).contains(renewed);
        awaitMoreAnswers(answered, answeredOverHttp2);

        now.advance(Duration.ofMinutes(10));
        assertThat(certificates.reconcile().kind()).isEqualTo(Kind.SWITCH_SERVING);
        String switched = servingFingerprint();
        await().until(() -> certificates.reconcile().kind() == Kind.DROP_RETIRED_CAS);
        assertThat(server.servedCertificateFingerprint()).contains(switched);
        await().until(() -> apiServerTrusts.get().size() == 1);
        awaitMoreAnswers(answered, answeredOverHttp2);

        load.set(false);
        traffic.join();
        for (Thread t : http2Traffic) {
            t.join();
        }
        assertThat(failures).isEmpty();
        assertThat(server.port()).as("same listener, no restart").isEqualTo(port.get());
        assertThat(WebhookTlsFingerprint.of(port.get())).isEqualTo(switched);
    }

    private String servingFingerprint() {
        return client.secrets().inNamespace(NS).withName(NAME).get().getMetadata().getAnnotations()
                .get("hardening.dev/serving-sha256");
    }

    private static void awaitMoreAnswers(AtomicInteger answered, AtomicInteger answeredOverHttp2) {
        int before = answered.get();
        int beforeHttp2 = answeredOverHttp2.get();
        await().atMost(Duration.ofSeconds(60))
                .until(() -> answered.get() >= before + 3 && answeredOverHttp2.get() >= beforeHttp2 + 16);
    }

    private static HttpRequest post(int port, String review) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/validate"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(review)).build();
    }

    private static void check(HttpResponse<String> response, AtomicInteger answered, ConcurrentLinkedQueue<String> failures) {
        if (response.statusCode() == 200 && response.body().contains("\"allowed\":true")) {
            answered.incrementAndGet();
        } else {
            failures.add(response.statusCode() + " " + response.body());
        }
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
